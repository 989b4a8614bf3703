import { describe, expect, it } from 'vitest';
import {
  canConvert,
  conversionDefaults,
  formatPoints,
  nextStatuses,
  priorityColor,
  reasonLine,
  sortedReasons,
} from './priority';

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
      { code: 'vague', points: -10, text: 'Расплывчатый запрос', params: {} },
      { code: 'phone', points: 10, text: 'Указан телефон', params: {} },
      { code: 'budget', points: 25, text: 'Назван бюджет', params: {} },
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

  it('writes one line per reason with its points once', () => {
    expect(reasonLine({ code: 'budget', points: 20, text: '+20 указан бюджет: 300 000 ₽' })).toBe(
      '+20 указан бюджет: 300 000 ₽',
    );
    expect(reasonLine({ code: 'vague', points: -15, text: '−15 расплывчатый вопрос' })).toBe(
      '−15 расплывчатый вопрос',
    );
    expect(reasonLine({ code: 'phone', points: 10, text: 'указан телефон' })).toBe(
      '+10 указан телефон',
    );
    expect(reasonLine({ code: 'inn', points: 10, text: '' })).toBe('+10 inn');
  });

  it('pre-fills the conversion from the lead', () => {
    const lead = { company_name: 'ООО Ромашка', contact_name: 'Иван Петров', inn: '7707083893' };
    expect(conversionDefaults(lead)).toEqual({
      company: { name: 'ООО Ромашка', inn: '7707083893' },
      contactName: 'Иван Петров',
    });
    expect(conversionDefaults({ company_name: '', contact_name: '', inn: null }).company.inn).toBe(
      '',
    );
  });
});
