import { describe, expect, it } from 'vitest';
import { fieldPath, formPath } from './formErrors';

describe('server field errors on client forms', () => {
  it('splits dotted and indexed names', () => {
    expect(fieldPath('inn')).toEqual(['inn']);
    expect(fieldPath('bank_details.bik')).toEqual(['bank_details', 'bik']);
    expect(fieldPath('phones[1]')).toEqual(['phones', 1]);
    expect(fieldPath('phones.1.raw')).toEqual(['phones', 1, 'raw']);
    expect(fieldPath('bank_details/account')).toEqual(['bank_details', 'account']);
    expect(fieldPath('custom/industry')).toEqual(['custom', 'industry']);
  });

  it('finds the input the error belongs to', () => {
    const values = {
      name: 'Ромашка',
      inn: '123',
      bank_details: { bik: '1' },
      phones: [{ raw: '8 912', label: 'work' }],
    };
    expect(formPath('inn', values)).toEqual(['inn']);
    expect(formPath('bank_details.bik', values)).toEqual(['bank_details', 'bik']);
    expect(formPath('phones[0]', values)).toEqual(['phones', 0, 'raw']);
    expect(formPath('phones[3]', values)).toBeNull();
    expect(formPath('kpp', values)).toBeNull();
    expect(formPath('custom/industry', values)).toEqual(['custom', 'industry']);
    expect(formPath('legal', values, { legal: 'name' })).toEqual(['name']);
  });
});
