export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_STORAGE_KEY = 'otdel.lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The browser's language decides only between English and Russian: en* → en, anything else → ru. */
export function languageFromBrowser(browserLanguage: string | undefined | null): Language {
  return browserLanguage && browserLanguage.trim().toLowerCase().startsWith('en') ? 'en' : 'ru';
}

/** An explicit choice saved on this device wins over the browser's language. */
export function detectLanguage(
  stored: string | null | undefined,
  browserLanguage: string | undefined | null,
): Language {
  return isLanguage(stored) ? stored : languageFromBrowser(browserLanguage);
}

export function readStoredLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Private mode or disabled storage: the choice lives for this tab only.
  }
}
