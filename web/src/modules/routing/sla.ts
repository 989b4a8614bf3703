/** How an SLA clock stands: plenty of time (green), half or less left (orange), overdue (red). */
export type SlaTone = 'ok' | 'warn' | 'overdue';

/**
 * `left`: under an hour to go, shown as mm:ss; `until`: an hour or more, shown as the deadline's
 * time; `overdue`: past the deadline, shown as the time since (−mm:ss, −h:mm:ss).
 */
export type CountdownMode = 'left' | 'until' | 'overdue';

export interface Countdown {
  remainingMs: number;
  tone: SlaTone;
  mode: CountdownMode;
  text: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Green while more than half of the SLA is left, orange for the rest, red once it is over. */
export function slaTone(remainingMs: number, totalMs: number): SlaTone {
  if (remainingMs <= 0) return 'overdue';
  if (totalMs > 0 && remainingMs * 2 > totalMs) return 'ok';
  return 'warn';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A duration as mm:ss, or h:mm:ss from an hour on; whole seconds, rounded up while counting down. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / SECOND));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

function dayKey(ms: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

/** The deadline as a time of day when it is today, else with a short date ("4 дек., 09:30"). */
export function formatDeadline(
  deadlineAt: number,
  now: number,
  language: string,
  timeZone?: string,
): string {
  const locale = language === 'en' ? 'en-GB' : 'ru-RU';
  const sameDay = dayKey(deadlineAt, locale, timeZone) === dayKey(now, locale, timeZone);
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(sameDay ? {} : { day: 'numeric', month: 'short' }),
  }).format(new Date(deadlineAt));
}

/** What a running clock shows at `now`: the colour and the text (see CountdownMode). */
export function countdown(
  deadlineAt: number,
  slaMinutes: number,
  now: number,
  language: string,
  timeZone?: string,
): Countdown {
  const remainingMs = deadlineAt - now;
  const tone = slaTone(remainingMs, slaMinutes * MINUTE);
  if (remainingMs <= 0)
    return { remainingMs, tone, mode: 'overdue', text: `−${formatClock(-remainingMs)}` };
  if (Math.ceil(remainingMs / SECOND) * SECOND < HOUR)
    return { remainingMs, tone, mode: 'left', text: formatClock(remainingMs) };
  return {
    remainingMs,
    tone,
    mode: 'until',
    text: formatDeadline(deadlineAt, now, language, timeZone),
  };
}

/** Working time as "1 ч 05 мин" / "1 h 05 min"; negative values are the time overdue. */
export function formatWorkingMs(ms: number, language: string): string {
  const minutes = Math.round(Math.abs(ms) / MINUTE);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const [hu, mu] = language === 'en' ? ['h', 'min'] : ['ч', 'мин'];
  const text = h > 0 ? `${h} ${hu} ${pad(m)} ${mu}` : `${m} ${mu}`;
  return ms < 0 ? `−${text}` : text;
}

/** Server time minus browser time, measured from one request's round trip. */
export function clockOffset(serverMs: number, sentAt: number, receivedAt: number): number {
  return Math.round(serverMs - (sentAt + receivedAt) / 2);
}

/** A response time for reports: "—" when there is none, "< 1 мин" under a minute, else as above. */
export function formatResponseMs(ms: number | null | undefined, language: string): string {
  if (ms == null) return '—';
  if (ms < MINUTE) return language === 'en' ? '< 1 min' : '< 1 мин';
  return formatWorkingMs(ms, language);
}
