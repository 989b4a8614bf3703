import { describe, expect, it } from 'vitest';
import type { DuplicateMatch } from './clientsApi';
import { duplicateQuery, groupMatches, matchLink, sortMatches } from './duplicates';

function m(fields: Partial<DuplicateMatch>): DuplicateMatch {
  return { type: 'company', match: 'phone', value: '', visible: true, owner_name: '', ...fields };
}

describe('duplicate check while typing', () => {
  it('asks nothing until a value is complete enough', () => {
    expect(duplicateQuery({})).toBeNull();
    expect(
      duplicateQuery({ phones: ['8 912'], emails: ['ivan@'], inn: '77070', name: 'Ив' }),
    ).toBeNull();
  });

  it('sends complete phones, e-mails, INN digits and a name', () => {
    expect(
      duplicateQuery({
        phones: ['8 (912) 345-67-89', '', undefined],
        emails: [' ivan@example.ru '],
        inn: '7707 083 893',
        name: ' ООО Ромашка ',
      }),
    ).toEqual({
      phones: ['8 (912) 345-67-89'],
      emails: ['ivan@example.ru'],
      inn: '7707083893',
      name: 'ООО Ромашка',
    });
    expect(duplicateQuery({ phones: '+7 912 345 67 89' })).toEqual({
      phones: ['+7 912 345 67 89'],
    });
    expect(duplicateQuery({ inn: '500100732259' })).toEqual({ inn: '500100732259' });
    expect(duplicateQuery({ inn: '12345678901' })).toBeNull();
  });

  it('links each kind of match to its card', () => {
    expect(matchLink({ type: 'company', id: 3 })).toBe('/clients/companies/3');
    expect(matchLink({ type: 'contact', id: 4 })).toBe('/clients/contacts/4');
    expect(matchLink({ type: 'lead', id: 5 })).toBe('/leads?lead=5');
    expect(matchLink({ type: 'company', id: undefined })).toBeNull();
  });

  it('puts phone, e-mail and INN matches above name-only ones', () => {
    const sorted = sortMatches([
      m({ type: 'company', id: 1, title: 'Альфа', match: 'name' }),
      m({ type: 'contact', id: 2, title: 'Яков', match: 'phone' }),
      m({ type: 'lead', id: 3, title: 'Борис', match: 'name' }),
      m({ type: 'lead', id: 3, title: 'Борис', match: 'email' }),
    ]);
    expect(sorted.map((m) => m.id)).toEqual([3, 2, 1]);
  });

  it('merges the per-field matches of one record', () => {
    const grouped = groupMatches([
      m({ type: 'company', id: 1, title: 'Альфа', match: 'phone', value: '+79123456789' }),
      m({ type: 'company', id: 1, title: 'Альфа', match: 'inn', value: '7707083893' }),
      m({ type: 'contact', id: 1, title: 'Иван', match: 'phone', value: '+79123456789' }),
      m({ type: 'company', visible: false, owner_name: 'Игорь', match: 'phone', value: '+7912' }),
      m({ type: 'company', visible: false, owner_name: 'Игорь', match: 'email', value: 'a@b.ru' }),
    ]);
    expect(grouped).toHaveLength(4);
    expect(grouped[0].matched_on).toEqual(['phone', 'inn']);
  });
});
