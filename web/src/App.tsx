import { useEffect } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import ruRU from 'antd/locale/ru_RU';
import { QueryClientProvider, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { onUnauthorized } from './api';
import LoginPage from './modules/auth/LoginPage';
import { RequireAuth } from './modules/auth/RequireAuth';
import ProfilePage from './modules/me/ProfilePage';
import BillingRoutes from './modules/billing/BillingRoutes';
import ClientsRoutes from './modules/clients/ClientsRoutes';
import DealsRoutes from './modules/deals/DealsRoutes';
import DocumentsRoutes from './modules/documents/DocumentsRoutes';
import ImportsPage from './modules/imports/ImportsPage';
import IntakeSettingsPage from './modules/intake/IntakeSettingsPage';
import LeadsRoutes from './modules/leads/LeadsRoutes';
import SearchPage from './modules/search/SearchPage';
import ShipmentsRoutes from './modules/shipments/ShipmentsRoutes';
import DashboardPage from './modules/dashboard/DashboardPage';
import ReportsRoutes from './modules/reports/ReportsRoutes';
import PlansRoutes from './modules/plans/PlansRoutes';
import OrgPage from './modules/org/OrgPage';
import ActivitiesRoutes from './modules/activities/ActivitiesRoutes';
import AgendaRoutes from './modules/agenda/AgendaRoutes';
import CalendarPage from './modules/agenda/CalendarPage';
import HomeRedirect from './modules/agenda/HomeRedirect';
import ReviewsRoutes from './modules/agenda/ReviewsRoutes';
import AppLayout from './modules/shell/AppLayout';
import ComingSoonPage from './modules/shell/ComingSoonPage';
import NotFoundPage from './modules/shell/NotFoundPage';
import { SECTIONS } from './modules/shell/sections';

/** Sections with their own pages; the rest show "coming soon". */
const BUILT_SECTIONS = new Set([
  'activities',
  'agenda',
  'calendar',
  'reviews',
  'organisation',
  'leads',
  'clients',
  'deals',
  'billing',
  'shipments',
  'dashboard',
  'reports',
  'plans',
  'settings',
]);

/** When any request finds the session gone, forget cached data and show the login page. */
function SessionWatcher() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const onLoginPage = location.pathname === '/login';
  const from = location.pathname + location.search;

  useEffect(
    () =>
      onUnauthorized(() => {
        if (onLoginPage) return;
        navigate('/login', { replace: true, state: { from } });
        setTimeout(() => queryClient.removeQueries(), 0);
      }),
    [navigate, queryClient, onLoginPage, from],
  );
  return null;
}

function AppRoutes() {
  return (
    <>
      <SessionWatcher />
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HomeRedirect />} />
          <Route path="agenda/*" element={<AgendaRoutes />} />
          <Route path="activities/*" element={<ActivitiesRoutes />} />
          <Route path="calendar" element={<CalendarPage />} />
          <Route path="reviews/*" element={<ReviewsRoutes />} />
          <Route path="organisation/*" element={<OrgPage />} />
          <Route path="leads/*" element={<LeadsRoutes />} />
          <Route path="clients/*" element={<ClientsRoutes />} />
          <Route path="deals/*" element={<DealsRoutes />} />
          <Route path="billing/*" element={<BillingRoutes />} />
          <Route path="shipments/*" element={<ShipmentsRoutes />} />
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="reports/*" element={<ReportsRoutes />} />
          <Route path="plans/*" element={<PlansRoutes />} />
          <Route path="documents/*" element={<DocumentsRoutes />} />
          <Route path="imports/*" element={<ImportsPage />} />
          <Route path="settings/*" element={<IntakeSettingsPage />} />
          <Route path="search" element={<SearchPage />} />
          {SECTIONS.filter((section) => !BUILT_SECTIONS.has(section.key)).map((section) => (
            <Route
              key={section.key}
              path={section.key}
              element={<ComingSoonPage section={section.key} />}
            />
          ))}
          <Route path="profile" element={<ProfilePage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}

export default function App({ queryClient }: { queryClient: QueryClient }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : ruRU}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
