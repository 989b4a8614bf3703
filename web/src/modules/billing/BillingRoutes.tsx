import { Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import NotFoundPage from '../shell/NotFoundPage';
import BankImportPage from './BankImportPage';
import BillingSettingsPage from './BillingSettings';
import { useBillingAccess } from './billingApi';
import InvoicePage from './InvoicePage';
import InvoicesPage from './InvoicesPage';
import OverduePage from './OverduePage';

/** Деньги: the overdue lists, all invoices, the bank statement import and the settings; /billing/invoices/:id. */
function BillingHome({ tab }: { tab: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const access = useBillingAccess();
  const tabs = [
    { value: 'overdue', label: t('billing.tabs.overdue') },
    { value: 'invoices', label: t('billing.tabs.invoices') },
    ...(access.canPay ? [{ value: 'imports', label: t('billing.tabs.imports') }] : []),
    ...(access.canConfigure ? [{ value: 'settings', label: t('billing.tabs.settings') }] : []),
  ];
  return (
    <>
      <Typography.Title level={3} data-testid="page-title">
        {t('billing.pageTitle')}
      </Typography.Title>
      <Segmented
        data-testid="billing-tabs"
        style={{ marginBottom: 16 }}
        value={tab}
        options={tabs}
        onChange={(v) => navigate(`/billing/${v}`)}
      />
      {tab === 'overdue' && <OverduePage />}
      {tab === 'invoices' && <InvoicesPage />}
      {tab === 'imports' && <BankImportPage />}
      {tab === 'settings' && <BillingSettingsPage />}
    </>
  );
}

export default function BillingRoutes() {
  const location = useLocation();
  return (
    <Routes location={location}>
      <Route index element={<Navigate to="overdue" replace />} />
      <Route path="overdue" element={<BillingHome tab="overdue" />} />
      <Route path="invoices" element={<BillingHome tab="invoices" />} />
      <Route path="invoices/:id" element={<InvoicePage />} />
      <Route path="imports" element={<BillingHome tab="imports" />} />
      <Route path="settings" element={<BillingHome tab="settings" />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
