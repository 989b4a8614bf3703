import dayjs, { type Dayjs } from 'dayjs';

/** The fields of an absence the lists need; dates are ISO `YYYY-MM-DD`, both ends inclusive. */
export interface DatedAbsence {
  starts_on: string;
  ends_on: string;
  cancelled?: boolean;
}

export type AbsenceState = 'current' | 'upcoming' | 'past' | 'cancelled';

export const ABSENCE_KINDS = ['vacation', 'sick_leave', 'business_trip', 'day_off'] as const;

export const STATE_COLORS: Record<AbsenceState, string> = {
  current: 'orange',
  upcoming: 'blue',
  past: 'default',
  cancelled: 'default',
};

/** Monday and Sunday of the week that holds `day` (ISO weeks, whatever the UI language). */
export function weekOf(day: Dayjs): { from: string; to: string } {
  const offset = (day.day() + 6) % 7; // Monday = 0
  const monday = day.subtract(offset, 'day');
  return { from: monday.format('YYYY-MM-DD'), to: monday.add(6, 'day').format('YYYY-MM-DD') };
}

export function absenceState(absence: DatedAbsence, today: string): AbsenceState {
  if (absence.cancelled) return 'cancelled';
  if (absence.ends_on < today) return 'past';
  if (absence.starts_on > today) return 'upcoming';
  return 'current';
}

/** Absences that overlap [from, to], not cancelled: the ones going on first, then by start date. */
export function awayBetween<T extends DatedAbsence>(
  absences: readonly T[],
  from: string,
  to: string,
  today: string,
): T[] {
  const rank = (a: T) => (absenceState(a, today) === 'current' ? 0 : 1);
  return absences
    .filter((a) => !a.cancelled && a.starts_on <= to && a.ends_on >= from)
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        a.starts_on.localeCompare(b.starts_on) ||
        a.ends_on.localeCompare(b.ends_on),
    );
}

/** Calendar days in the range, both ends included. */
export function daysInclusive(absence: DatedAbsence): number {
  return dayjs(absence.ends_on).diff(dayjs(absence.starts_on), 'day') + 1;
}

/** A date range picked in the UI as the two ISO dates the API takes. */
export function rangeToDates(range: [Dayjs, Dayjs]): { starts_on: string; ends_on: string } {
  return { starts_on: range[0].format('YYYY-MM-DD'), ends_on: range[1].format('YYYY-MM-DD') };
}

/** Shows a stored ISO date in the interface language. */
export function formatDay(iso: string, language: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}
