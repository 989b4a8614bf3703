import { describe, expect, it } from 'vitest';
import { differs, mergeValue, suggestSurvivor, type Mergeable } from './merge';

const a = {
  id: 1,
  name: 'Ромашка',
  inn: '7707083893',
  phones: [{ raw: '8 912 345-67-89', value: '+79123456789' }],
  emails: [],
  tags: ['опт'],
  created_at: 100,
} as unknown as Mergeable;
const b = {
  id: 2,
  name: 'ООО Ромашка',
  inn: '7707083893',
  phones: [{ value: '+79123456789' }],
  emails: [{ value: 'info@romashka.ru' }],
  tags: [],
  notes: 'звонить после обеда',
  created_at: 50,
} as unknown as Mergeable;

describe('merge screen', () => {
  it('shows values as text and spots differences', () => {
    expect(mergeValue(a, 'phones')).toBe('8 912 345-67-89');
    expect(mergeValue(b, 'emails')).toBe('info@romashka.ru');
    expect(mergeValue(a, 'kpp')).toBe('');
    expect(differs([a, b], 'inn')).toBe(false);
    expect(differs([a, b], 'name')).toBe(true);
  });

  it('suggests the fuller record, the older one on a tie', () => {
    expect(suggestSurvivor([a, b], ['name', 'inn', 'phones', 'emails', 'tags', 'notes'])).toBe(2);
    expect(suggestSurvivor([a, b], ['name', 'inn'])).toBe(2);
    expect(suggestSurvivor([a], ['name'])).toBe(1);
  });
});
