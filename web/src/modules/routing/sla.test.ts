import { describe, expect, it } from 'vitest';
import {
  clockOffset,
  countdown,
  formatClock,
  formatResponseMs,
  formatDeadline,
  formatWorkingMs,
  slaTone,
} from './sla';

const MIN = 60_000;
// Thursday 3 December 2026, 10:00 in Moscow (07:00 UTC).
const NOW = Date.UTC(2026, 11, 3, 7, 0, 0);
const MSK = 'Europe/Moscow';

describe('slaTone', () => {
  it('is green while more than half of the SLA is left', () => {
    expect(slaTone(60 * MIN, 60 * MIN)).toBe('ok');
    expect(slaTone(31 * MIN, 60 * MIN)).toBe('ok');
    // Overnight deadlines leave more wall-clock time than the SLA itself.
    expect(slaTone(16 * 60 * MIN, 60 * MIN)).toBe('ok');
  });

  it('is orange at half or less', () => {
    expect(slaTone(30 * MIN, 60 * MIN)).toBe('warn');
    expect(slaTone(1000, 60 * MIN)).toBe('warn');
    expect(slaTone(1, 5 * MIN)).toBe('warn');
  });

  it('is red once the deadline has passed', () => {
    expect(slaTone(0, 60 * MIN)).toBe('overdue');
    expect(slaTone(-1, 60 * MIN)).toBe('overdue');
  });
});

describe('formatClock', () => {
  it('shows minutes and seconds, rounding a started second up', () => {
    expect(formatClock(59 * MIN + 58_001)).toBe('59:59');
    expect(formatClock(4 * MIN + 5_000)).toBe('04:05');
    expect(formatClock(500)).toBe('00:01');
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(-5)).toBe('00:00');
  });

  it('adds hours from an hour on', () => {
    expect(formatClock(61 * MIN)).toBe('1:01:00');
    expect(formatClock(26 * 60 * MIN + 3_000)).toBe('26:00:03');
  });
});

describe('countdown', () => {
  it('counts mm:ss under an hour', () => {
    expect(countdown(NOW + 4 * MIN + 30_000, 5, NOW, 'ru', MSK)).toEqual({
      remainingMs: 4 * MIN + 30_000,
      tone: 'ok',
      mode: 'left',
      text: '04:30',
    });
    expect(countdown(NOW + 20 * MIN, 60, NOW, 'ru', MSK)).toMatchObject({
      tone: 'warn',
      mode: 'left',
      text: '20:00',
    });
  });

  it('shows the time of the deadline an hour or more ahead', () => {
    expect(countdown(NOW + 59 * MIN + 59_500, 60, NOW, 'ru', MSK).mode).toBe('until');
    expect(countdown(NOW + 90 * MIN, 120, NOW, 'ru', MSK)).toMatchObject({
      tone: 'ok',
      mode: 'until',
      text: '11:30',
    });
    // Tomorrow morning: with the date.
    const tomorrow = countdown(NOW + 23 * 60 * MIN + 30 * MIN, 60, NOW, 'ru', MSK);
    expect(tomorrow.mode).toBe('until');
    expect(tomorrow.text).toMatch(/4 дек.*09:30/);
  });

  it('shows how long ago the deadline passed, in red', () => {
    expect(countdown(NOW - 75_000, 5, NOW, 'en', MSK)).toEqual({
      remainingMs: -75_000,
      tone: 'overdue',
      mode: 'overdue',
      text: '−01:15',
    });
    expect(countdown(NOW, 5, NOW, 'en', MSK).mode).toBe('overdue');
  });
});

describe('formatDeadline', () => {
  it('gives only the time for today and a date for other days', () => {
    expect(formatDeadline(NOW + 8 * 60 * MIN, NOW, 'ru', MSK)).toBe('18:00');
    expect(formatDeadline(NOW + 24 * 60 * MIN, NOW, 'en', MSK)).toMatch(/4 Dec.*10:00/);
  });
});

describe('formatWorkingMs', () => {
  it('reads as hours and minutes in both languages', () => {
    expect(formatWorkingMs(65 * MIN, 'ru')).toBe('1 ч 05 мин');
    expect(formatWorkingMs(5 * MIN, 'en')).toBe('5 min');
    expect(formatWorkingMs(-3 * MIN, 'ru')).toBe('−3 мин');
  });
});

describe('formatResponseMs', () => {
  it('shows a dash for none and "under a minute" for quick answers', () => {
    expect(formatResponseMs(null, 'ru')).toBe('—');
    expect(formatResponseMs(20_000, 'ru')).toBe('< 1 мин');
    expect(formatResponseMs(20_000, 'en')).toBe('< 1 min');
    expect(formatResponseMs(12 * MIN, 'ru')).toBe('12 мин');
    expect(formatResponseMs(125 * MIN, 'en')).toBe('2 h 05 min');
  });
});

describe('clockOffset', () => {
  it('compares the server time with the middle of the round trip', () => {
    expect(clockOffset(10_500, 1_000, 2_000)).toBe(9_000);
    expect(clockOffset(1_000, 1_000, 1_000)).toBe(0);
  });
});
