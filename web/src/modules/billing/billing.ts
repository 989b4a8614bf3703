/** The billing room's pure helpers: status colours, the schedule editor's sums and splits, line previews. */
import { parseMoney } from '../deals/money';
import type { InstalmentWrite, InvoiceLineWrite, InvoiceStatus } from './billingApi';

export const STATUS_COLOR: Record<InvoiceStatus, string> = {
  draft: 'default',
  issued: 'blue',
  partially_paid: 'gold',
  paid: 'green',
  overdue: 'red',
  cancelled: 'default',
};

export const INSTALMENT_COLOR: Record<string, string> = {
  pending: 'blue',
  paid: 'green',
  overdue: 'red',
};

/** One row of the schedule editor: a date (YYYY-MM-DD or empty) and an amount in minor units (null while empty). */
export interface ScheduleRow {
  due_date: string;
  amount_minor: number | null;
  note: string;
}

/** The sum of the rows' amounts (empty ones count as nothing). */
export function scheduleSum(rows: readonly ScheduleRow[]): number {
  return rows.reduce((n, r) => n + (r.amount_minor ?? 0), 0);
}

/** What is wrong with a schedule before the server says it: the same rules, for the editor's hints. */
export type ScheduleProblem = 'empty_row' | 'not_increasing' | 'before_issue' | 'sum_mismatch';

export function scheduleProblems(
  rows: readonly ScheduleRow[],
  total: number,
  issueDate: string,
): ScheduleProblem[] {
  if (rows.length === 0) return [];
  const out = new Set<ScheduleProblem>();
  let prev = '';
  for (const r of rows) {
    if (!r.due_date || r.amount_minor === null || r.amount_minor <= 0) out.add('empty_row');
    if (r.due_date && r.due_date < issueDate) out.add('before_issue');
    if (r.due_date && prev && r.due_date <= prev) out.add('not_increasing');
    if (r.due_date) prev = r.due_date;
  }
  if (scheduleSum(rows) !== total) out.add('sum_mismatch');
  return [...out];
}

/** The calendar day `months` later, kept inside shorter months (31 January + 1 month = 28/29 February). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/**
 * `total` in `count` monthly payments from a month after `issueDate`: equal whole-rouble parts, the last one
 * taking what remains, so the sum is exact.
 */
export function splitMonthly(total: number, count: number, issueDate: string): ScheduleRow[] {
  if (count < 1) return [];
  const part = Math.floor(total / count / 100) * 100;
  return Array.from({ length: count }, (_, i) => ({
    due_date: addMonths(issueDate, i + 1),
    amount_minor: i === count - 1 ? total - part * (count - 1) : part,
    note: '',
  }));
}

/** The rows as the API takes them (call after scheduleProblems found nothing). */
export function scheduleBody(rows: readonly ScheduleRow[]): InstalmentWrite[] {
  return rows.map((r) => ({
    due_date: r.due_date,
    amount_minor: r.amount_minor ?? 0,
    ...(r.note.trim() ? { note: r.note.trim() } : {}),
  }));
}

/** quantity × price × (1 − discount), rounded half up — the server's rule, for the form's preview. */
export function lineAmount(quantityMilli: number, priceMinor: number, discountBp: number): number {
  return Math.round((quantityMilli * priceMinor * (10000 - discountBp)) / 10_000_000);
}

/** "1,5" / "2" / "0.25" → thousandths; null for anything else. */
export function parseQuantity(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const match = /^(\d+)(?:[.,](\d{1,3}))?$/.exec(String(text).replace(/\s/g, ''));
  if (!match) return null;
  const milli = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return milli > 0 && Number.isSafeInteger(milli) ? milli : null;
}

/** Thousandths as people write them: 1500 → "1,5" (ru) / "1.5" (en). */
export function formatQuantity(milli: number, language: string): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
    maximumFractionDigits: 3,
  }).format(milli / 1000);
}

/** Basis points as a percent: 2200 → "22 %"; null → the "without VAT" text the caller passes. */
export function formatRate(bp: number | null, withoutVat: string): string {
  return bp === null ? withoutVat : `${bp / 100} %`;
}

/** A line as the form edits it: texts for the numbers, converted on save. */
export interface LineRow {
  name: string;
  quantity: string;
  price: string | null;
  discount: number | null;
  vat: number | 'none';
}

/** The form's value for "without VAT". */
export const NO_VAT = 'none';

/** The form's lines as the API takes them; null when a line is not filled in right. */
export function linesBody(rows: readonly LineRow[]): InvoiceLineWrite[] | null {
  const out: InvoiceLineWrite[] = [];
  for (const r of rows) {
    const quantity = parseQuantity(r.quantity);
    const price = parseMoney(r.price);
    if (!r.name.trim() || quantity === null || price === null) return null;
    out.push({
      name: r.name.trim(),
      quantity_milli: quantity,
      unit_price_minor: price,
      discount_bp: Math.round((r.discount ?? 0) * 100),
      vat_rate_bp: r.vat === NO_VAT ? null : r.vat,
    });
  }
  return out.length ? out : null;
}

/** The number the next invoice of `year` would get with these settings (counting from `n`). */
export function sampleNumber(prefix: string, digits: number, year: number, n = 1): string {
  return prefix.split('{year}').join(String(year)) + String(n).padStart(digits, '0');
}

/**
 * The calendar day ('YYYY-MM-DD') at `nowMs` in `timeZone` (the workspace's; the browser's own zone when empty or
 * unknown). With the server's clock (`Date.now() + useServerOffset()`) it is the day the server counts in.
 */
export function dayIn(nowMs: number, timeZone: string | undefined): string {
  const format = (zone?: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(nowMs));
  try {
    return format(timeZone || undefined);
  } catch {
    return format(undefined);
  }
}
