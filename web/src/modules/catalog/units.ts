/** Units of the catalog on the wire: basis points for percents, thousandths for quantities. Never floating point. */

/** 1250 → "12.5"; the percent a person reads and types. */
export function bpToPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = Math.abs(bp % 100);
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** "12,5" or "12.5" → 1250; null for empty or anything that is not a percent with at most two decimals. */
export function percentToBp(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const s = String(text).trim().replace(',', '.').replace(/\s*%$/, '');
  if (!/^\d{1,5}(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** 1500 → "1.5": a quantity in thousandths as people write it. */
export function milliToQuantity(milli: number): string {
  const whole = Math.trunc(milli / 1000);
  const frac = Math.abs(milli % 1000);
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

/** "1,5" or "1.5" → 1500; null for empty, negative or more than three decimals. */
export function quantityToMilli(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const s = String(text).trim().replace(',', '.');
  if (!/^\d{1,9}(\.\d{1,3})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}
