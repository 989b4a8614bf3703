/** Money in the deals room: integer minor units (kopecks) on the wire, never floating point. */

import type { MoneyTotal } from './dealsApi';

const NUMBER_LOCALE = (language: string) => (language === 'en' ? 'en-GB' : 'ru-RU');

/** Minor units to a money string in the interface language: `1 250 000 ₽`, kopecks only when present. */
export function formatMoney(minor: number, currency: string, language: string): string {
  const cents = Math.abs(minor) % 100 !== 0;
  try {
    return new Intl.NumberFormat(NUMBER_LOCALE(language), {
      style: 'currency',
      currency: currency || 'RUB',
      minimumFractionDigits: cents ? 2 : 0,
      maximumFractionDigits: cents ? 2 : 0,
    }).format(minor / 100);
  } catch {
    // An unknown currency code: the number and the code as they are.
    return `${new Intl.NumberFormat(NUMBER_LOCALE(language)).format(minor / 100)} ${currency}`;
  }
}

/** A column's totals, one per currency, joined; '' when there is nothing to sum. */
export function formatTotals(totals: readonly MoneyTotal[], language: string): string {
  return totals
    .filter((t) => t.amount_minor !== 0)
    .map((t) => formatMoney(t.amount_minor, t.currency, language))
    .join(' + ');
}

/**
 * What a person typed as an amount in roubles (spaces, `,` or `.` as the decimal separator, up to
 * two decimals, an optional ₽) to minor units; null for empty or anything else.
 */
export function parseMoney(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const cleaned = String(text)
    .replace(/[\s\u00a0\u202f'₽]/g, '')
    .replace(/(руб\.?|rub)$/i, '')
    .replace(',', '.');
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const minor = whole * 100 + fraction;
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as the plain decimal string a money input edits (`1250000.50`). */
export function minorToInput(minor: number | null | undefined): string {
  if (minor === null || minor === undefined) return '';
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Adds `minor` of `currency` to a list of per-currency totals (a new list; zero entries dropped). */
export function addToTotals(
  totals: readonly MoneyTotal[],
  currency: string,
  minor: number,
): MoneyTotal[] {
  const out = totals.map((t) => ({ ...t }));
  const found = out.find((t) => t.currency === currency);
  if (found) found.amount_minor += minor;
  else out.push({ currency, amount_minor: minor });
  return out.filter((t) => t.amount_minor !== 0);
}
