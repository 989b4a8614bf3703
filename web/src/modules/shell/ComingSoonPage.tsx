import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** What a section shows until its room is built. */
export default function ComingSoonPage({ section }: { section: string }) {
  const { t } = useTranslation();
  const name = t(`shell.menu.${section}`);
  return (
    <Result
      status="info"
      data-testid="coming-soon"
      title={<span data-testid="page-title">{t('shell.comingSoon.title', { section: name })}</span>}
      subTitle={t('shell.comingSoon.text')}
      extra={
        <Link to="/profile">
          <Button>{t('shell.profile')}</Button>
        </Link>
      }
    />
  );
}
