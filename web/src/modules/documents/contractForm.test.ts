import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import {
  contractBody,
  contractValues,
  datesOrdered,
  formatSize,
  nextStatuses,
} from './contractForm';
import type { Contract } from './documentsApi';

const signed: Contract = {
  id: 7,
  deal_id: 3,
  kind: 'supply',
  number: 'ДП-77',
  signed_on: '2025-12-28',
  valid_from: '2026-01-01',
  valid_to: '2026-12-31',
  terms: 'Поставка партиями',
  status: 'signed',
  file: null,
  created_by: 1,
  created_at: 1,
  updated_at: 1,
  deleted_at: null,
};

describe('contract form', () => {
  it('sends every field of a new contract with dates as calendar days', () => {
    const v = contractValues();
    expect(v.status).toBe('draft');
    expect(
      contractBody({ ...v, number: ' Д-1 ', valid_from: dayjs('2026-03-01'), valid_to: null }),
    ).toEqual({
      kind: 'sale',
      number: 'Д-1',
      status: 'draft',
      signed_on: null,
      valid_from: '2026-03-01',
      valid_to: null,
      terms: '',
    });
  });

  it('sends only what changed, and null for a cleared date', () => {
    const v = contractValues(signed);
    expect(contractBody(v, signed)).toEqual({});
    expect(contractBody({ ...v, valid_to: null, terms: 'Новые условия' }, signed)).toEqual({
      valid_to: null,
      terms: 'Новые условия',
    });
  });

  it('checks that validity does not end before it starts', () => {
    expect(datesOrdered(dayjs('2026-01-02'), dayjs('2026-01-01'))).toBe(false);
    expect(datesOrdered(dayjs('2026-01-01'), dayjs('2026-01-01'))).toBe(true);
    expect(datesOrdered(null, dayjs('2026-01-01'))).toBe(true);
  });

  it('offers only the statuses the server allows next', () => {
    expect(nextStatuses('draft')).toEqual(['draft', 'signed', 'terminated']);
    expect(nextStatuses('signed')).toEqual(['signed', 'terminated']);
    expect(nextStatuses('terminated')).toEqual(['terminated']);
  });

  it('formats file sizes in both languages', () => {
    expect(formatSize(340 * 1024, 'ru')).toBe('340 КБ');
    expect(formatSize(1.25 * 1024 * 1024, 'ru')).toBe('1,3 МБ');
    expect(formatSize(1.25 * 1024 * 1024, 'en')).toBe('1.3 MB');
    expect(formatSize(10, 'en')).toBe('1 KB');
  });
});
