import { describe, expect, it } from 'vitest';
import { cleanCustom, companyBody, companyValues, contactBody, contactValues } from './clientForm';
import type { Company } from './clientsApi';

describe('client forms', () => {
  it('round-trips a company through the form', () => {
    const company = {
      id: 7,
      legal_form: 'ooo',
      name: 'Ромашка',
      full_name: 'ООО «Ромашка»',
      inn: '7707083893',
      kpp: null,
      ogrn: null,
      legal_address: '',
      actual_address: '',
      website: '',
      bank_details: { bik: '044525225' },
      financial_state: '',
      purchase_volume_minor: 150000,
      currency: 'RUB',
      payment_discipline: 'good',
      preferences: '',
      notes: '',
      tags: ['опт'],
      custom: { industry: 'food' },
      phones: [{ label: 'work', raw: '8 (495) 123-45-67', value: '+74951234567' }],
      emails: [],
      owner_user_id: 3,
      created_at: 0,
      updated_at: 0,
    } as unknown as Company;
    const values = companyValues(company);
    expect(values.purchase_volume).toBe(1500);
    expect(values.phones).toEqual([{ label: 'work', raw: '8 (495) 123-45-67' }]);
    const body = companyBody({ ...values, kpp: '  ', name: ' Ромашка ' });
    expect(body.name).toBe('Ромашка');
    expect(body.kpp).toBeNull();
    expect(body.inn).toBe('7707083893');
    expect(body.purchase_volume_minor).toBe(150000);
    expect(body.bank_details).toEqual({ bik: '044525225' });
    expect(body.phones).toEqual([{ value: '8 (495) 123-45-67', label: 'work', is_primary: true }]);
    expect(body.custom).toEqual({ industry: 'food' });
  });

  it('drops empty phone rows and empty custom values', () => {
    const values = { ...contactValues(null), last_name: 'Иванов', first_name: 'Иван' };
    const body = contactBody(values);
    expect(body.phones).toEqual([]);
    expect(body.birthday).toBeNull();
    expect(cleanCustom({ a: '', b: [], c: null, d: ' x ', e: 0 })).toEqual({ d: 'x', e: 0 });
  });
});
