import { Flex, Result, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../auth/session';
import { ChannelsTab } from './ChannelsTab';
import { FormsTab } from './FormsTab';

/** Settings → lead intake: website forms and the other channels. For administrators. */
export default function IntakeSettingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const tab = useParams()['*'] === 'channels' ? 'channels' : 'forms';
  if (me.data && !me.data.is_admin)
    return (
      <Result status="403" title={t('intake.adminsOnly')} subTitle={t('intake.adminsOnlyText')} />
    );
  return (
    <Flex vertical gap={8}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('intake.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(key === 'channels' ? '/settings/channels' : '/settings')}
        items={[
          { key: 'forms', label: t('intake.tab.forms'), children: <FormsTab /> },
          { key: 'channels', label: t('intake.tab.channels'), children: <ChannelsTab /> },
        ]}
      />
    </Flex>
  );
}
