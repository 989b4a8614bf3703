/** Formatting of the plans room's integer figures: money in minor units, shares in basis points, rates ×100. */

import { formatMoney } from '../deals/money';
import type { KpiUnit, PlanMetric } from './plansApi';

const NUMBER_LOCALE = (language: string) => (language === 'en' ? 'en-GB' : 'ru-RU');

/** Basis points as a percent: 8750 → "87.5 %" / "87,5 %". */
export function formatBp(bp: number | null | undefined, language: string): string {
  if (bp == null) return '—';
  return `${new Intl.NumberFormat(NUMBER_LOCALE(language), { maximumFractionDigits: 1 }).format(bp / 100)} %`;
}

/** Whole percent of basis points, rounded half up (what pace bars show). */
export function percentOf(bp: number | null | undefined): number {
  if (bp == null) return 0;
  return Math.floor((bp + 50) / 100);
}

/** A working-time duration in ms as hours and minutes: 5 400 000 → "1 h 30 min" / "1 ч 30 мин". */
export function formatDuration(ms: number, language: string): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const [hu, mu] = language === 'en' ? ['h', 'min'] : ['ч', 'мин'];
  if (h >= 48) return language === 'en' ? `${Math.round(h / 24)} d` : `${Math.round(h / 24)} дн.`;
  return h > 0 ? `${h} ${hu} ${m} ${mu}` : `${m} ${mu}`;
}

/** One KPI value in its unit. */
export function formatKpi(
  value: number | null | undefined,
  unit: KpiUnit,
  language: string,
  currency = 'RUB',
): string {
  if (value == null) return '—';
  switch (unit) {
    case 'money':
      return formatMoney(value, currency, language);
    case 'basis_points':
      return formatBp(value, language);
    case 'hundredths':
      return new Intl.NumberFormat(NUMBER_LOCALE(language), { maximumFractionDigits: 2 }).format(
        value / 100,
      );
    case 'duration_ms':
      return formatDuration(value, language);
    default:
      return new Intl.NumberFormat(NUMBER_LOCALE(language)).format(value);
  }
}

export const MONEY_METRICS: readonly PlanMetric[] = ['revenue', 'payments_received'];

/** A plan figure: money metrics in roubles, the rest as counts. */
export function formatPlanValue(
  value: number | null | undefined,
  metric: PlanMetric,
  language: string,
  currency = 'RUB',
): string {
  return formatKpi(value, MONEY_METRICS.includes(metric) ? 'money' : 'count', language, currency);
}

/** Roubles typed in a form (whole or with kopecks, spaces and comma allowed) → minor units; null when not a number. */
export function parseAmount(text: string): number | null {
  const clean = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [whole, frac = ''] = clean.split('.');
  const sign = whole.startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number((frac + '00').slice(0, 2)));
}
