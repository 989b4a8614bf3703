/** The deal drawer's form: a deal to form values and back to the PATCH body. */

import dayjs, { type Dayjs } from 'dayjs';
import type { Deal, DealWrite, ForecastCategory } from './dealsApi';
import { minorToInput, parseMoney } from './money';

export interface Values {
  title: string;
  amount?: string | null;
  currency: string;
  expected_close_date?: Dayjs | null;
  forecast_category: ForecastCategory;
  company_id?: number | null;
  contact_id?: number | null;
  owner_user_id?: number | null;
}

export function formValues(deal: Deal): Values {
  return {
    title: deal.title,
    amount: deal.amount_minor > 0 ? minorToInput(deal.amount_minor) : null,
    currency: deal.currency,
    expected_close_date: deal.expected_close_date ? dayjs(deal.expected_close_date) : null,
    forecast_category: deal.forecast_category,
    company_id: deal.company_id,
    contact_id: deal.contact_id,
    owner_user_id: deal.owner_user_id,
  };
}

/** Only what changed, as the PATCH body (sending an unchanged owner would need deal:assign). */
export function dealChanges(deal: Deal, v: Values): DealWrite {
  const body: DealWrite = {};
  const title = v.title.trim();
  if (title !== deal.title) body.title = title;
  const amount = parseMoney(v.amount) ?? 0;
  if (amount !== deal.amount_minor) body.amount_minor = amount;
  if (v.currency !== deal.currency) body.currency = v.currency;
  const date = v.expected_close_date ? v.expected_close_date.format('YYYY-MM-DD') : null;
  if (date !== deal.expected_close_date) body.expected_close_date = date;
  if (v.forecast_category !== deal.forecast_category) body.forecast_category = v.forecast_category;
  if ((v.company_id ?? null) !== deal.company_id) body.company_id = v.company_id ?? null;
  if ((v.contact_id ?? null) !== deal.contact_id) body.contact_id = v.contact_id ?? null;
  if ((v.owner_user_id ?? null) !== deal.owner_user_id)
    body.owner_user_id = v.owner_user_id ?? null;
  return body;
}
