import { Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import NotFoundPage from '../shell/NotFoundPage';
import OverdueShipmentsPage from './OverdueShipmentsPage';
import ProductionPage from './ProductionPage';

/** Отгрузки: the overdue shipments and production's queue; a deal's own shipments live in its card. */
function ShipmentsHome({ tab }: { tab: 'overdue' | 'production' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <>
      <Typography.Title level={3} data-testid="page-title">
        {t('shipments.pageTitle')}
      </Typography.Title>
      <Segmented
        style={{ marginBottom: 16 }}
        value={tab}
        options={[
          { value: 'overdue', label: t('shipments.tabs.overdue') },
          { value: 'production', label: t('shipments.tabs.production') },
        ]}
        onChange={(v) => navigate(`/shipments/${v}`)}
      />
      {tab === 'overdue' ? <OverdueShipmentsPage /> : <ProductionPage />}
    </>
  );
}

export default function ShipmentsRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="overdue" replace />} />
      <Route path="overdue" element={<ShipmentsHome tab="overdue" />} />
      <Route path="production" element={<ShipmentsHome tab="production" />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
