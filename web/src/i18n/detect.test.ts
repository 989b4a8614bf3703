import { describe, expect, it } from 'vitest';
import {
  detectLanguage,
  isLanguage,
  LANGUAGE_STORAGE_KEY,
  languageFromBrowser,
  readStoredLanguage,
  storeLanguage,
} from './detect';

describe('language detection', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['ru', 'ru'],
    ['ru-RU', 'ru'],
    ['de-DE', 'ru'],
    ['uk', 'ru'],
    ['', 'ru'],
    [undefined, 'ru'],
    [null, 'ru'],
  ])('browser language %s gives %s', (browser, expected) => {
    expect(languageFromBrowser(browser)).toBe(expected);
  });

  it('prefers a stored choice over the browser', () => {
    expect(detectLanguage('ru', 'en-US')).toBe('ru');
    expect(detectLanguage('en', 'ru-RU')).toBe('en');
  });

  it('ignores a stored value that is not a supported language', () => {
    expect(detectLanguage('fr', 'en-US')).toBe('en');
    expect(detectLanguage('', 'fr-FR')).toBe('ru');
    expect(isLanguage('de')).toBe(false);
  });

  it('round-trips the choice through localStorage', () => {
    expect(readStoredLanguage()).toBeNull();
    storeLanguage('en');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(readStoredLanguage()).toBe('en');
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'xx');
    expect(readStoredLanguage()).toBeNull();
  });
});
