import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import en from './locales/en.json';
import ru from './locales/ru.json';
import { detectLanguage, readStoredLanguage, type Language } from './detect';

export const resources = {
  ru: { translation: ru },
  en: { translation: en },
} as const;

const initial: Language = detectLanguage(readStoredLanguage(), navigator.language);

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: false,
  supportedLngs: ['ru', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
});

function applyDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
  document.title = i18n.getFixedT(language)('app.name');
  dayjs.locale(language);
}

applyDocumentLanguage(initial);
i18n.on('languageChanged', applyDocumentLanguage);

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'ru';
}

export default i18n;
