/**
 * The work-calendar summary the employee card shows, from CalendarSettings
 * (GET /api/v1/calendars/employees/{user id}). Read defensively: the card must never break
 * on a calendar answer it does not expect.
 */
export interface ClockInterval {
  start: string;
  end: string;
}

export interface CalendarSummary {
  personal: boolean;
  timeZone: string;
  /** Monday (1) … Sunday (7) with that day's working intervals as text, null for a day off. */
  days: { day: number; hours: string | null }[];
}

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function intervals(value: unknown): ClockInterval[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (v): v is ClockInterval =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as ClockInterval).start === 'string' &&
      typeof (v as ClockInterval).end === 'string',
  );
}

/** Turns GET /api/v1/calendars/employees/{id} into what the card shows; null if it is not one. */
export function summariseCalendar(settings: unknown): CalendarSummary | null {
  if (typeof settings !== 'object' || settings === null) return null;
  const s = settings as Record<string, unknown>;
  const effective = s.effective as Record<string, unknown> | undefined;
  if (!effective || typeof effective.week !== 'object' || effective.week === null) return null;
  const week = effective.week as Record<string, unknown>;
  return {
    personal: s.overridden === true,
    timeZone: typeof effective.time_zone === 'string' ? effective.time_zone : '',
    days: WEEKDAY_KEYS.map((key, i) => {
      const list = intervals(week[key]);
      return {
        day: i + 1,
        hours: list.length === 0 ? null : list.map((iv) => `${iv.start}–${iv.end}`).join(', '),
      };
    }),
  };
}
