import { describe, expect, it } from 'vitest';
import { customValueText, fieldLabel, formatMoney } from './options';

describe('client card values', () => {
  it('formats money from minor units', () => {
    expect(formatMoney(123456700, 'RUB', 'en').replace(/\s/g, ' ')).toBe('RUB 1,234,567');
    expect(formatMoney(null, 'RUB', 'ru')).toBe('');
  });

  it('shows custom field values by their labels', () => {
    const field = {
      kind: 'multi_choice',
      options: [
        { value: 'a', label_ru: 'Опт', label_en: 'Wholesale' },
        { value: 'b', label_ru: 'Розница', label_en: 'Retail' },
      ],
    };
    expect(customValueText(field, ['a', 'b'], 'ru')).toBe('Опт, Розница');
    expect(customValueText(field, ['b', 'x'], 'en')).toBe('Retail, x');
    expect(customValueText({ ...field, kind: 'choice' }, 'a', 'en')).toBe('Wholesale');
    expect(customValueText({ kind: 'number', options: [] }, 12, 'ru')).toBe('12');
    expect(customValueText({ kind: 'text', options: [] }, '', 'ru')).toBe('');
    expect(fieldLabel({ label_ru: 'Отрасль', label_en: '' }, 'en')).toBe('Отрасль');
  });
});
