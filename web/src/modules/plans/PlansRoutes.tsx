import { Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate } from 'react-router-dom';
import NotFoundPage from '../shell/NotFoundPage';
import GoalsPage from './GoalsPage';
import PlansPage from './PlansPage';

/** Планы: plan vs fact along the tree and the SMART goals. */
function PlansHome({ tab }: { tab: 'plans' | 'goals' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <>
      <Typography.Title level={3} data-testid="page-title">
        {t('plans.pageTitle')}
      </Typography.Title>
      <Segmented
        style={{ marginBottom: 16 }}
        value={tab}
        options={[
          { value: 'plans', label: t('plans.tabs.plans') },
          { value: 'goals', label: t('plans.tabs.goals') },
        ]}
        onChange={(v) => navigate(v === 'plans' ? '/plans' : `/plans/${v}`)}
      />
      {tab === 'plans' ? <PlansPage /> : <GoalsPage />}
    </>
  );
}

export default function PlansRoutes() {
  return (
    <Routes>
      <Route index element={<PlansHome tab="plans" />} />
      <Route path="goals" element={<PlansHome tab="goals" />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
