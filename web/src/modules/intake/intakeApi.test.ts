import { describe, expect, it } from 'vitest';
import { parseOrigins } from './intakeApi';

describe('allowed origins', () => {
  it('keeps scheme, host and port only, once each', () => {
    expect(
      parseOrigins([
        'https://example.ru/',
        'https://example.ru/contacts',
        'http://127.0.0.1:5173',
        '  ',
      ]),
    ).toEqual({ origins: ['https://example.ru', 'http://127.0.0.1:5173'], invalid: [] });
  });

  it('reports what is not an origin', () => {
    expect(parseOrigins(['example.ru', 'ftp://example.ru', 'https://u:p@example.ru'])).toEqual({
      origins: [],
      invalid: ['example.ru', 'ftp://example.ru', 'https://u:p@example.ru'],
    });
  });
});
