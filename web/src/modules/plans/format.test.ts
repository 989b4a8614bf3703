import { describe, expect, it } from 'vitest';
import { formatBp, formatKpi, formatPlanValue, parseAmount, percentOf } from './format';

describe('plans formatting', () => {
  it('shows basis points as percents', () => {
    expect(formatBp(8750, 'en')).toBe('87.5 %');
    expect(formatBp(null, 'en')).toBe('—');
    expect(percentOf(8750)).toBe(88);
    expect(percentOf(8749)).toBe(87);
  });
  it('formats each unit', () => {
    expect(formatKpi(210, 'hundredths', 'en')).toBe('2.1');
    expect(formatKpi(42, 'count', 'en')).toBe('42');
    expect(formatKpi(5_400_000, 'duration_ms', 'en')).toBe('1 h 30 min');
    expect(formatKpi(350_000_000, 'money', 'en')).toContain('3,500,000');
    expect(formatPlanValue(12, 'deals_won', 'en')).toBe('12');
  });
  it('parses roubles into kopecks exactly', () => {
    expect(parseAmount('3 500 000')).toBe(350_000_000);
    expect(parseAmount('1250,5')).toBe(125_050);
    expect(parseAmount('abc')).toBeNull();
  });
});

describe('the plan vs fact tree', () => {
  it('lists the people under a department, down its subtree only', async () => {
    const { peopleUnder } = await import('./tree');
    const row = (kind: 'department' | 'person', id: number, depth: number) => ({
      kind,
      id,
      depth,
      name: `${kind}${id}`,
      parent_department_id: null,
      can_edit: true,
      lines: [],
    });
    const rows = [
      row('department', 1, 0),
      row('person', 10, 1),
      row('department', 2, 1),
      row('person', 11, 2),
      row('department', 3, 0),
      row('person', 12, 1),
    ];
    expect(peopleUnder(rows, rows[0]).map((r) => r.id)).toEqual([10, 11]);
    expect(peopleUnder(rows, rows[2]).map((r) => r.id)).toEqual([11]);
  });
});
