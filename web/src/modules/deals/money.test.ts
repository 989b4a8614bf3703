import { describe, expect, it } from 'vitest';
import { addToTotals, formatMoney, formatTotals, minorToInput, parseMoney } from './money';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  it('formats whole roubles without kopecks, grouped by thousands', () => {
    expect(plain(formatMoney(125_000_000, 'RUB', 'ru'))).toBe('1 250 000 ₽');
  });

  it('shows kopecks only when there are some', () => {
    expect(plain(formatMoney(150_050, 'RUB', 'ru'))).toBe('1 500,50 ₽');
  });

  it('formats other currencies and English', () => {
    expect(formatMoney(1_000_000, 'USD', 'en')).toBe('US$10,000');
    expect(formatMoney(1_000_000, 'EUR', 'en')).toBe('€10,000');
  });

  it('joins per-currency totals and skips zeros', () => {
    expect(
      plain(
        formatTotals(
          [
            { currency: 'RUB', amount_minor: 100_000 },
            { currency: 'USD', amount_minor: 0 },
          ],
          'ru',
        ),
      ),
    ).toBe('1 000 ₽');
    expect(formatTotals([], 'ru')).toBe('');
  });

  it('parses what people type into minor units, without floating point', () => {
    expect(parseMoney('1 250 000')).toBe(125_000_000);
    expect(parseMoney('1\u00a0250\u00a0000,5')).toBe(125_000_050);
    expect(parseMoney('0.07')).toBe(7);
    expect(parseMoney('1250000.55')).toBe(125_000_055);
    expect(parseMoney('19,99 ₽')).toBe(1999);
    expect(parseMoney(300)).toBe(30_000);
  });

  it('rejects negatives, three decimals, letters and empty input', () => {
    expect(parseMoney('-5')).toBeNull();
    expect(parseMoney('1,234')).toBeNull();
    expect(parseMoney('abc')).toBeNull();
    expect(parseMoney('')).toBeNull();
    expect(parseMoney(null)).toBeNull();
  });

  it('turns minor units back into the input string', () => {
    expect(minorToInput(125_000_050)).toBe('1250000.50');
    expect(minorToInput(7)).toBe('0.07');
    expect(minorToInput(null)).toBe('');
    expect(parseMoney(minorToInput(987_654_321))).toBe(987_654_321);
  });

  it('adds to per-currency totals', () => {
    const totals = [{ currency: 'RUB', amount_minor: 500 }];
    expect(addToTotals(totals, 'RUB', 250)).toEqual([{ currency: 'RUB', amount_minor: 750 }]);
    expect(addToTotals(totals, 'RUB', -500)).toEqual([]);
    expect(addToTotals(totals, 'USD', 100)).toEqual([
      { currency: 'RUB', amount_minor: 500 },
      { currency: 'USD', amount_minor: 100 },
    ]);
    expect(totals).toEqual([{ currency: 'RUB', amount_minor: 500 }]);
  });
});
