import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { dealChanges, formValues } from './dealForm';
import type { Deal } from './dealsApi';

const deal = {
  id: 5,
  title: 'Кухня на Ленина',
  amount_minor: 0,
  currency: 'RUB',
  expected_close_date: null,
  forecast_category: 'pipeline',
  company_id: 3,
  contact_id: null,
  owner_user_id: 7,
} as unknown as Deal;

describe('deal form', () => {
  it('sends nothing when nothing changed (an unchanged owner would need deal:assign)', () => {
    expect(dealChanges(deal, formValues(deal))).toEqual({});
  });

  it('sends the amount in minor units and the date as YYYY-MM-DD', () => {
    const v = {
      ...formValues(deal),
      amount: '150000.50',
      expected_close_date: dayjs('2026-03-31'),
    };
    expect(dealChanges(deal, v)).toEqual({
      amount_minor: 15_000_050,
      expected_close_date: '2026-03-31',
    });
  });

  it('clears a client with null', () => {
    expect(dealChanges(deal, { ...formValues(deal), company_id: undefined })).toEqual({
      company_id: null,
    });
  });
});
