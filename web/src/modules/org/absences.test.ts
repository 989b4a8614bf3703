import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import {
  absenceState,
  awayBetween,
  daysInclusive,
  formatDay,
  rangeToDates,
  weekOf,
} from './absences';

describe('weekOf', () => {
  it('runs Monday to Sunday whatever the day', () => {
    expect(weekOf(dayjs('2025-03-12'))).toEqual({ from: '2025-03-10', to: '2025-03-16' }); // Wed
    expect(weekOf(dayjs('2025-03-10'))).toEqual({ from: '2025-03-10', to: '2025-03-16' }); // Mon
    expect(weekOf(dayjs('2025-03-16'))).toEqual({ from: '2025-03-10', to: '2025-03-16' }); // Sun
    expect(weekOf(dayjs('2025-01-01'))).toEqual({ from: '2024-12-30', to: '2025-01-05' });
  });
});

describe('absenceState', () => {
  const a = { starts_on: '2025-03-10', ends_on: '2025-03-14' };
  it('tells current, upcoming, past and cancelled apart, both ends inclusive', () => {
    expect(absenceState(a, '2025-03-10')).toBe('current');
    expect(absenceState(a, '2025-03-14')).toBe('current');
    expect(absenceState(a, '2025-03-09')).toBe('upcoming');
    expect(absenceState(a, '2025-03-15')).toBe('past');
    expect(absenceState({ ...a, cancelled: true }, '2025-03-12')).toBe('cancelled');
  });
});

describe('awayBetween', () => {
  const rows = [
    { id: 1, starts_on: '2025-03-13', ends_on: '2025-03-20' },
    { id: 2, starts_on: '2025-03-01', ends_on: '2025-03-11' },
    { id: 3, starts_on: '2025-03-17', ends_on: '2025-03-18' },
    { id: 4, starts_on: '2025-03-05', ends_on: '2025-03-09' },
    { id: 5, starts_on: '2025-03-11', ends_on: '2025-03-12', cancelled: true },
    { id: 6, starts_on: '2025-03-16', ends_on: '2025-03-16' },
  ];
  it('keeps overlapping, not cancelled absences: current first, then by start', () => {
    const got = awayBetween(rows, '2025-03-10', '2025-03-16', '2025-03-11');
    expect(got.map((r) => r.id)).toEqual([2, 1, 6]);
  });
});

describe('dates', () => {
  it('counts days with both ends and turns a picked range into API dates', () => {
    expect(daysInclusive({ starts_on: '2025-03-10', ends_on: '2025-03-10' })).toBe(1);
    expect(daysInclusive({ starts_on: '2025-02-27', ends_on: '2025-03-02' })).toBe(4);
    expect(rangeToDates([dayjs('2025-03-10T23:30'), dayjs('2025-03-14T00:10')])).toEqual({
      starts_on: '2025-03-10',
      ends_on: '2025-03-14',
    });
  });

  it('shows a stored date in the interface language without shifting the day', () => {
    expect(formatDay('2025-03-01', 'ru')).toMatch(/^1 мар/);
    expect(formatDay('2025-03-01', 'en')).toBe('1 Mar 2025');
  });
});
