import { describe, expect, it } from 'vitest';
import { summariseCalendar } from './calendar';

describe('summariseCalendar', () => {
  it('lists the effective week day by day with the time zone', () => {
    const nine = [{ start: '09:00', end: '18:00' }];
    const summary = summariseCalendar({
      scope: 'employee',
      overridden: false,
      effective: {
        time_zone: 'Europe/Moscow',
        week: {
          mon: nine,
          tue: nine,
          wed: [
            { start: '09:00', end: '13:00' },
            { start: '14:00', end: '18:00' },
          ],
          thu: nine,
          fri: nine,
          sat: [],
          sun: [],
        },
        holidays: 'workspace',
      },
    });
    expect(summary).toEqual({
      personal: false,
      timeZone: 'Europe/Moscow',
      days: [
        { day: 1, hours: '09:00–18:00' },
        { day: 2, hours: '09:00–18:00' },
        { day: 3, hours: '09:00–13:00, 14:00–18:00' },
        { day: 4, hours: '09:00–18:00' },
        { day: 5, hours: '09:00–18:00' },
        { day: 6, hours: null },
        { day: 7, hours: null },
      ],
    });
  });

  it('marks a personal calendar and survives odd answers', () => {
    expect(
      summariseCalendar({ overridden: true, effective: { week: { mon: [{ start: 1 }] } } }),
    ).toMatchObject({ personal: true, timeZone: '', days: expect.arrayContaining([]) });
    expect(summariseCalendar(null)).toBeNull();
    expect(summariseCalendar({ effective: {} })).toBeNull();
    expect(summariseCalendar('nope')).toBeNull();
  });
});
