import { Space, Tabs, Typography } from 'antd';
import { ApartmentOutlined, CalendarOutlined, IdcardOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { AwayTab } from './AwayTab';
import { EmployeeDrawer } from './EmployeeDrawer';
import { useCanManageOrg } from './orgApi';
import { RolesTab } from './RolesTab';
import { StructureTab } from './StructureTab';

const TABS = ['structure', 'roles', 'away'] as const;
type Tab = (typeof TABS)[number];

/** The Organisation room: structure, role catalog, who is away; the employee card opens over any. */
export default function OrgPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const canManage = useCanManageOrg();
  const segment = location.pathname.split('/')[2] ?? '';
  const tab: Tab = (TABS as readonly string[]).includes(segment) ? (segment as Tab) : 'structure';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="org-page">
      <Typography.Title level={2} style={{ margin: 0 }} data-testid="page-title">
        {t('org.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(key) => navigate(key === 'structure' ? '/organisation' : `/organisation/${key}`)}
        items={[
          {
            key: 'structure',
            icon: <ApartmentOutlined />,
            label: <span data-testid="org-tab-structure">{t('org.tabs.structure')}</span>,
            children: <StructureTab canManage={canManage} />,
          },
          {
            key: 'roles',
            icon: <IdcardOutlined />,
            label: <span data-testid="org-tab-roles">{t('org.tabs.roles')}</span>,
            children: <RolesTab canManage={canManage} />,
          },
          {
            key: 'away',
            icon: <CalendarOutlined />,
            label: <span data-testid="org-tab-away">{t('org.tabs.away')}</span>,
            children: <AwayTab />,
          },
        ]}
      />
      <EmployeeDrawer canManage={canManage} />
    </Space>
  );
}
