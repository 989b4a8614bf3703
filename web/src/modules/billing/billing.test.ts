import { describe, expect, it } from 'vitest';
import {
  addMonths,
  dayIn,
  formatRate,
  lineAmount,
  linesBody,
  sampleNumber,
  parseQuantity,
  scheduleBody,
  scheduleProblems,
  scheduleSum,
  splitMonthly,
  type ScheduleRow,
} from './billing';

const row = (due_date: string, amount_minor: number | null, note = ''): ScheduleRow => ({
  due_date,
  amount_minor,
  note,
});

describe('the schedule editor', () => {
  it('splits a total into monthly parts that add up exactly', () => {
    const rows = splitMonthly(97_700_000, 3, '2026-01-31');
    expect(rows.map((r) => r.due_date)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
    expect(rows.map((r) => r.amount_minor)).toEqual([32_566_600, 32_566_600, 32_566_800]);
    expect(scheduleSum(rows)).toBe(97_700_000);
    expect(splitMonthly(100, 0, '2026-01-01')).toEqual([]);
  });

  it('tells what the server would refuse', () => {
    const issue = '2026-03-02';
    expect(scheduleProblems([], 100, issue)).toEqual([]);
    expect(scheduleProblems([row('2026-04-01', 60), row('2026-05-01', 40)], 100, issue)).toEqual(
      [],
    );
    expect(scheduleProblems([row('2026-04-01', 60), row('2026-05-01', 30)], 100, issue)).toEqual([
      'sum_mismatch',
    ]);
    expect(scheduleProblems([row('2026-05-01', 60), row('2026-05-01', 40)], 100, issue)).toContain(
      'not_increasing',
    );
    expect(scheduleProblems([row('2026-03-01', 100)], 100, issue)).toContain('before_issue');
    expect(scheduleProblems([row('', 100)], 100, issue)).toContain('empty_row');
    expect(scheduleProblems([row('2026-04-01', -5), row('2026-05-01', 105)], 100, issue)).toEqual([
      'empty_row',
    ]);
  });

  it('sends notes only when there are some', () => {
    expect(scheduleBody([row('2026-04-01', 60, ' Аванс '), row('2026-05-01', 40)])).toEqual([
      { due_date: '2026-04-01', amount_minor: 60, note: 'Аванс' },
      { due_date: '2026-05-01', amount_minor: 40 },
    ]);
  });

  it('keeps the day inside shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12-15', 2)).toBe('2027-02-15');
  });
});

describe('invoice lines', () => {
  it('previews a line with the server rounding', () => {
    expect(lineAmount(2500, 1_220_000, 1000)).toBe(2_745_000);
    expect(lineAmount(1500, 1, 0)).toBe(2);
    expect(lineAmount(1000, 333, 5000)).toBe(167);
  });

  it('reads quantities people type', () => {
    expect(parseQuantity('1,5')).toBe(1500);
    expect(parseQuantity('2')).toBe(2000);
    expect(parseQuantity('0.125')).toBe(125);
    expect(parseQuantity('0')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
    expect(parseQuantity('1,2345')).toBeNull();
  });

  it('shows rates and "without VAT"', () => {
    expect(formatRate(2200, 'без НДС')).toBe('22 %');
    expect(formatRate(null, 'без НДС')).toBe('без НДС');
  });
});

describe('the new invoice form', () => {
  it('turns typed lines into what the API takes, or refuses an unfinished one', () => {
    expect(
      linesBody([
        { name: ' Кухня ', quantity: '1,5', price: '1250000.50', discount: 12.5, vat: 2200 },
        { name: 'Монтаж', quantity: '1', price: '30000', discount: null, vat: 'none' },
      ]),
    ).toEqual([
      {
        name: 'Кухня',
        quantity_milli: 1500,
        unit_price_minor: 125_000_050,
        discount_bp: 1250,
        vat_rate_bp: 2200,
      },
      {
        name: 'Монтаж',
        quantity_milli: 1000,
        unit_price_minor: 3_000_000,
        discount_bp: 0,
        vat_rate_bp: null,
      },
    ]);
    expect(linesBody([{ name: '', quantity: '1', price: '1', discount: 0, vat: 2200 }])).toBeNull();
    expect(
      linesBody([{ name: 'x', quantity: '0', price: '1', discount: 0, vat: 2200 }]),
    ).toBeNull();
    expect(linesBody([])).toBeNull();
  });

  it('shows how numbers will look', () => {
    expect(sampleNumber('{year}-', 6, 2026)).toBe('2026-000001');
    expect(sampleNumber('СЧ/{year}/', 3, 2027, 42)).toBe('СЧ/2027/042');
  });
});

describe('the server day', () => {
  it('is the date in the workspace zone, whatever the browser zone says', () => {
    // 2026-03-31 22:30 UTC: already 1 April in Moscow, still 31 March in UTC.
    const at = Date.UTC(2026, 2, 31, 22, 30);
    expect(dayIn(at, 'Europe/Moscow')).toBe('2026-04-01');
    expect(dayIn(at, 'UTC')).toBe('2026-03-31');
    expect(dayIn(at, 'Asia/Vladivostok')).toBe('2026-04-01');
  });
  it('falls back to the browser zone for an unknown zone', () => {
    const at = Date.UTC(2026, 0, 15, 12);
    expect(dayIn(at, 'Not/AZone')).toBe(dayIn(at, undefined));
  });
});
