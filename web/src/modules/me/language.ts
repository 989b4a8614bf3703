import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { App } from 'antd';
import i18n, { currentLanguage } from '../../i18n';
import { readStoredLanguage, storeLanguage, type Language } from '../../i18n/detect';
import { api, type Me } from '../../api';
import { errorMessage } from '../../api/errors';
import { ME_QUERY_KEY } from '../auth/keys';

/** Show the interface in a language and remember it on this device. */
export function applyLanguage(language: Language): void {
  storeLanguage(language);
  if (i18n.language !== language) void i18n.changeLanguage(language);
}

/**
 * Right after signing in: a language picked on this device (e.g. on the login page) is saved to the
 * profile; otherwise the profile's language is adopted.
 */
export async function reconcileLanguageAfterLogin(me: Me): Promise<Me> {
  const chosen = readStoredLanguage();
  if (chosen && chosen !== me.locale) {
    try {
      return await api.updateMe({ locale: chosen });
    } catch {
      return me;
    }
  }
  applyLanguage(me.locale);
  return me;
}

/** The current language and a setter that also saves it to the profile when signed in. */
export function useLanguage(): { language: Language; setLanguage: (language: Language) => void } {
  const queryClient = useQueryClient();
  const { t, i18n: instance } = useTranslation();
  const { message } = App.useApp();
  const language: Language = instance.language === 'en' ? 'en' : 'ru';

  const setLanguage = useCallback(
    (next: Language) => {
      applyLanguage(next);
      const me = queryClient.getQueryData<Me>(ME_QUERY_KEY);
      if (!me || me.locale === next) return;
      api
        .updateMe({ locale: next })
        .then((updated) => queryClient.setQueryData(ME_QUERY_KEY, updated))
        .catch((error: unknown) => {
          void message.warning(t('language.saveFailed', { detail: errorMessage(error, t) }));
        });
    },
    [queryClient, message, t],
  );

  return { language, setLanguage };
}

export { currentLanguage };
