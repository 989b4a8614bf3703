import { describe, expect, it } from 'vitest';
import {
  applyMapping,
  compactMapping,
  duplicateTargets,
  isFinished,
  progressPercent,
} from './importsApi';

describe('import wizard helpers', () => {
  it('lays a saved mapping over the file headers, ignoring case and spaces', () => {
    expect(
      applyMapping(['Название компании', 'ИНН ', 'Комментарий'], {
        'название компании': 'name',
        ИНН: 'inn',
        Телефон: 'phone',
      }),
    ).toEqual({ 'Название компании': 'name', 'ИНН ': 'inn', Комментарий: '' });
  });

  it('sends only mapped columns and spots a field used twice', () => {
    expect(compactMapping({ a: 'name', b: '', c: 'phone' })).toEqual({ a: 'name', c: 'phone' });
    expect(
      duplicateTargets({ a: 'name', b: 'name', c: 'phone', d: 'phone' }, new Set(['phone'])),
    ).toEqual(['name']);
    expect(duplicateTargets({ c: 'phone', d: 'phone' }, new Set())).toEqual(['phone']);
  });

  it('reports progress', () => {
    expect(progressPercent({ status: 'running', total_rows: null, processed_rows: 10 })).toBe(0);
    expect(progressPercent({ status: 'running', total_rows: 200, processed_rows: 50 })).toBe(25);
    expect(progressPercent({ status: 'running', total_rows: 200, processed_rows: 200 })).toBe(99);
    expect(progressPercent({ status: 'done', total_rows: 200, processed_rows: 200 })).toBe(100);
    expect(isFinished('running')).toBe(false);
    expect(isFinished('failed')).toBe(true);
  });
});
