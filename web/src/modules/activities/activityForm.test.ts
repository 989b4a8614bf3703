import { describe, expect, it } from 'vitest';
import {
  composerField,
  formatDuration,
  splitAddresses,
  splitLines,
  toCreateBody,
} from './activityForm';

const company = { type: 'company' as const, id: 7 };

describe('activity composer', () => {
  it('builds a call with minutes as seconds and a trimmed phone', () => {
    expect(
      toCreateBody('call', company, {
        direction: 'in',
        outcome: 'answered',
        durationMin: 2.5,
        phone: ' 8 916 ',
        body: ' ',
      }),
    ).toEqual({
      kind: 'call',
      record_type: 'company',
      record_id: 7,
      direction: 'in',
      outcome: 'answered',
      duration_s: 150,
      phone: '8 916',
    });
  });
  it('builds a task with checklist lines and an assignee', () => {
    const b = toCreateBody('task', company, {
      subject: 'КП',
      dueAt: 1000,
      assignee: 3,
      checklist: 'Размеры\n\n Фурнитура ',
    });
    expect(b.checklist).toEqual(['Размеры', 'Фурнитура']);
    expect(b.assignee_user_id).toBe(3);
    expect(b.due_at).toBe(1000);
  });
  it('builds a meeting with its participants and result', () => {
    const b = toCreateBody('meeting', company, {
      startsAt: 1000,
      endsAt: 2000,
      participants: [3, 5],
      result: ' Договорились о замере ',
    });
    expect(b.participants).toEqual([{ user_id: 3 }, { user_id: 5 }]);
    expect(b.result).toBe('Договорились о замере');
    expect(composerField('participants/1')).toBe('participants');
    expect(
      toCreateBody('meeting', company, { startsAt: 1, endsAt: 2 }).participants,
    ).toBeUndefined();
  });
  it('splits recipients on commas, semicolons and spaces', () => {
    expect(splitAddresses('a@b.ru, c@d.ru;e@f.ru  g@h.ru')).toEqual([
      'a@b.ru',
      'c@d.ru',
      'e@f.ru',
      'g@h.ru',
    ]);
    expect(splitLines(undefined)).toEqual([]);
    expect(toCreateBody('email', company, { to: 'x@y.ru', templateId: 4 }).to).toEqual(['x@y.ru']);
  });
  it('keeps a meeting end before its start for the server to refuse', () => {
    const b = toCreateBody('meeting', company, { startsAt: 2000, endsAt: 1000 });
    expect([b.starts_at, b.ends_at]).toEqual([2000, 1000]);
  });
  it('formats durations and maps error fields', () => {
    expect(formatDuration(245)).toBe('4:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(null)).toBe('');
    expect(composerField('to/1')).toBe('to');
    expect(composerField('ends_at')).toBe('endsAt');
    expect(composerField('record_id')).toBeUndefined();
  });
});
