import { describe, expect, it } from 'vitest';
import {
  canConvert,
  conversionDefaults,
  formatPoints,
  nextStatuses,
  priorityColor,
  sortedReasons,
} from './priority';
import type { Lead } from './leadsApi';

describe('lead priority and status helpers', () => {
  it('colours the score by band', () => {
    expect(priorityColor(85)).toBe('red');
    expect(priorityColor(40)).toBe('orange');
    expect(priorityColor(20)).toBe('gold');
    expect(priorityColor(0)).toBe('default');
    expect(priorityColor(-5)).toBe('default');
  });

  it('lists the strongest reasons first and signs the points', () => {
    const sorted = sortedReasons([
      { code: 'vague', points: -10, text: 'Расплывчатый запрос' },
      { code: 'phone', points: 10, text: 'Указан телефон' },
      { code: 'budget', points: 25, text: 'Назван бюджет' },
    ]);
    expect(sorted.map((r) => r.code)).toEqual(['budget', 'phone', 'vague']);
    expect(formatPoints(25)).toBe('+25');
    expect(formatPoints(-10)).toBe('−10');
    expect(formatPoints(0)).toBe('0');
  });

  it('offers only sensible status moves', () => {
    expect(nextStatuses('new')).toEqual(['in_work', 'qualified', 'junk']);
    expect(nextStatuses('junk')).toEqual(['new', 'in_work']);
    expect(nextStatuses('converted')).toEqual([]);
    expect(canConvert({ status: 'qualified' })).toBe(true);
    expect(canConvert({ status: 'junk' })).toBe(false);
    expect(canConvert({ status: 'converted' })).toBe(false);
  });

  it('pre-fills the conversion from the lead', () => {
    const lead = {
      company_name: 'ООО Ромашка',
      contact_name: 'Иван Петров',
      inn: '7707083893',
      phones: [{ raw: '8 912 345-67-89', value: '+79123456789' }],
      emails: [{ value: 'ivan@example.ru' }],
    } as unknown as Lead;
    expect(conversionDefaults(lead)).toEqual({
      company: { name: 'ООО Ромашка', inn: '7707083893', phones: ['8 912 345-67-89'], emails: [] },
      contact: {
        full_name: 'Иван Петров',
        phones: ['8 912 345-67-89'],
        emails: ['ivan@example.ru'],
      },
    });
  });
});
