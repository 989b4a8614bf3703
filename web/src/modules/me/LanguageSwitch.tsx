import { Segmented, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../i18n/detect';
import { useLanguage } from './language';

/** RU / EN switch used in the header, on the login page and in the profile. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' | 'large' }) {
  const { t } = useTranslation();
  const { language, setLanguage } = useLanguage();
  return (
    <Tooltip title={t('language.label')}>
      <Segmented<Language>
        data-testid="lang-switch"
        aria-label={t('language.label')}
        size={size}
        value={language}
        onChange={setLanguage}
        options={[
          {
            value: 'ru',
            label: <span data-testid="lang-ru">{t('language.ruShort')}</span>,
            title: t('language.ru'),
          },
          {
            value: 'en',
            label: <span data-testid="lang-en">{t('language.enShort')}</span>,
            title: t('language.en'),
          },
        ]}
      />
    </Tooltip>
  );
}
