import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={<span data-testid="page-title">{t('common.notFoundTitle')}</span>}
      subTitle={t('common.notFoundText')}
      extra={
        <Link to="/dashboard">
          <Button type="primary">{t('common.home')}</Button>
        </Link>
      }
    />
  );
}
