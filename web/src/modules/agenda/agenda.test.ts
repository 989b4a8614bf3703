import { describe, expect, it } from 'vitest';
import { formatRemaining, formatScore, formatSecond, parseSecond } from './agendaApi';

describe('agenda helpers', () => {
  it('reads and writes moments of a recording', () => {
    expect(formatSecond(65)).toBe('1:05');
    expect(formatSecond(0)).toBe('0:00');
    expect(parseSecond('1:05')).toBe(65);
    expect(parseSecond(' 42 ')).toBe(42);
    expect(parseSecond('1:75')).toBeNull();
    expect(parseSecond('минута')).toBeNull();
  });

  it('shows a score in percent, or a dash when nothing was marked', () => {
    expect(formatScore(5938, 'en')).toBe('59.4 %');
    expect(formatScore(10000, 'ru')).toBe('100 %');
    expect(formatScore(null, 'ru')).toBe('—');
  });

  it('shows time left on an SLA clock, negative once breached', () => {
    const t = (k: string, o?: Record<string, unknown>) =>
      k === 'agenda.hm' ? `${o?.h} h ${o?.m} min` : `${o?.m} min`;
    expect(formatRemaining(25 * 60000, t)).toBe('25 min');
    expect(formatRemaining(-65 * 60000, t)).toBe('−1 h 5 min');
  });
});
