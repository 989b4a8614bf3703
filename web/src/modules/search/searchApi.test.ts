import { describe, expect, it } from 'vitest';
import { groupHits, hitLink } from './searchApi';

describe('search results', () => {
  it('groups hits by type in a fixed order', () => {
    const groups = groupHits([
      { type: 'lead', id: 1, title: 'Заявка', snippet: '', owner: null },
      { type: 'company', id: 2, title: 'Ромашка', snippet: '', owner: null },
      { type: 'lead', id: 3, title: 'Ещё заявка', snippet: '', owner: null },
    ]);
    expect(groups.map((g) => g.type)).toEqual(['company', 'lead']);
    expect(groups[1].hits.map((h) => h.id)).toEqual([1, 3]);
  });

  it('links each hit to its card', () => {
    expect(hitLink({ type: 'company', id: 2 })).toBe('/clients/companies/2');
    expect(hitLink({ type: 'contact', id: 5 })).toBe('/clients/contacts/5');
    expect(hitLink({ type: 'lead', id: 1 })).toBe('/leads?lead=1');
  });
});
