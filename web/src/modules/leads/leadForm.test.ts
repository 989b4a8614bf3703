import { describe, expect, it } from 'vitest';
import { leadFormField } from './leadForm';

describe('manual lead form', () => {
  it('puts server field errors under the inputs', () => {
    expect(leadFormField('phones[0]')).toBe('phone');
    expect(leadFormField('phones.0')).toBe('phone');
    expect(leadFormField('phones/0')).toBe('phone');
    expect(leadFormField('emails[1]')).toBe('email');
    expect(leadFormField('inn')).toBe('inn');
    expect(leadFormField('owner_user_id')).toBeNull();
  });
});
