import { describe, expect, it } from 'vitest';
import { days, exportUrl, minutes, percent, toQuery } from './reportsApi';

describe('reports helpers', () => {
  it('leaves empty filters and the drawer title out of the query', () => {
    expect(
      toQuery({
        period: 'month',
        pipeline_id: 4,
        owner: '',
        by: undefined,
        measure: 'reached',
        title: 'x',
      }),
    ).toEqual({ period: 'month', pipeline_id: '4', measure: 'reached' });
  });

  it('builds the export address with the filters and the format', () => {
    expect(
      exportUrl('win-loss', { from: '2026-03-01', to: '2026-03-31', by: 'person' }, 'xlsx'),
    ).toBe('/api/v1/reports/win-loss/export?from=2026-03-01&to=2026-03-31&by=person&format=xlsx');
  });

  it('formats basis points, days and minutes', () => {
    expect(percent(6667, 'en')).toBe('66.7 %');
    expect(percent(null, 'ru')).toBe('—');
    expect(days(4.5 * 86_400_000, 'en')).toBe('4.5');
    expect(minutes(20 * 60_000)).toBe('20');
    expect(minutes(undefined)).toBe('—');
  });
});
