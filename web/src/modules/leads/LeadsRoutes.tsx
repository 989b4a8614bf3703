import { Flex, Tabs } from 'antd';
import { ClockCircleOutlined, InboxOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import RoutingRulesPage from '../routing/RoutingRulesPage';
import { useRoutingAccess } from '../routing/routingApi';
import SlaBoardPage from '../routing/SlaBoardPage';
import NotFoundPage from '../shell/NotFoundPage';
import LeadsPage from './LeadsPage';

const TABS = ['inbox', 'sla', 'routing'] as const;
type Tab = (typeof TABS)[number];

/** /leads: the inbox, the SLA board (/leads/sla) and the routing rules (/leads/routing). */
export default function LeadsRoutes() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const access = useRoutingAccess();
  const segment = location.pathname.split('/')[2] ?? '';
  const tab: Tab = (TABS as readonly string[]).includes(segment) ? (segment as Tab) : 'inbox';
  const icons = {
    inbox: <InboxOutlined />,
    sla: <ClockCircleOutlined />,
    routing: <NodeIndexOutlined />,
  };

  return (
    <Flex vertical gap={8}>
      <Tabs
        activeKey={tab}
        size="small"
        style={{ marginBottom: -8 }}
        onChange={(key) => navigate(key === 'inbox' ? '/leads' : `/leads/${key}`)}
        items={TABS.filter((k) => k !== 'routing' || access.canView || tab === 'routing').map(
          (key) => ({
            key,
            icon: icons[key],
            label: <span data-testid={`leads-tab-${key}`}>{t(`leads.tabs.${key}`)}</span>,
          }),
        )}
      />
      <Routes>
        <Route index element={<LeadsPage />} />
        <Route path="sla" element={<SlaBoardPage />} />
        <Route path="routing" element={<RoutingRulesPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Flex>
  );
}
