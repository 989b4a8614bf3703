import { useMemo, useState } from 'react';
import { Card, Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import NotFoundPage from '../shell/NotFoundPage';
import DrillDrawer from './DrillDrawer';
import ReportFiltersBar from './ReportFiltersBar';
import {
  ActivityPanel,
  ForecastPanel,
  FunnelPanel,
  PlanFactPanel,
  WinLossPanel,
} from './ReportPanels';
import SchedulesPanel from './SchedulesPanel';
import {
  REPORTS,
  useReportAccess,
  type DrillCell,
  type ReportFilters,
  type ReportKey,
} from './reportsApi';

const GROUPINGS: Record<ReportKey, string[]> = {
  funnel: ['person', 'team', 'channel'],
  'win-loss': ['person', 'team', 'product', 'channel'],
  activity: [],
  'plan-fact': [],
  forecast: [],
};

const NUMBER_FILTERS = ['pipeline_id', 'department_id', 'product_id'] as const;

/** The filters live in the address, so a link (from the dashboard, say) opens the same report. */
function useFilters(): [ReportFilters, (f: ReportFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const f: ReportFilters = { period: 'month' };
    for (const [k, v] of params.entries()) {
      if (k === 'stage_id' || k === 'measure') continue;
      (f as Record<string, unknown>)[k] = (NUMBER_FILTERS as readonly string[]).includes(k)
        ? Number(v)
        : v;
    }
    if (f.from && f.to) delete f.period;
    return f;
  }, [params]);
  const set = (f: ReportFilters) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') next.set(k, String(v));
    setParams(next, { replace: true });
  };
  return [filters, set];
}

function ReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { report = 'funnel' } = useParams();
  const [filters, setFilters] = useFilters();
  const [params] = useSearchParams();
  const { canExport } = useReportAccess();
  // A link may open a figure at once (?measure=reached&stage_id=…).
  const initial =
    params.get('measure') && params.get('stage_id')
      ? {
          measure: params.get('measure') as string,
          stage_id: Number(params.get('stage_id')),
          title: t('reports.drill.title'),
        }
      : null;
  const [cell, setCell] = useState<DrillCell | null>(initial);
  const [schedules, setSchedules] = useState(false);
  if (!(REPORTS as readonly string[]).includes(report)) return <NotFoundPage />;
  const key = report as ReportKey;
  return (
    <>
      <Typography.Title level={3} data-testid="page-title">
        {t('reports.pageTitle')}
      </Typography.Title>
      <Segmented
        style={{ marginBottom: 16 }}
        value={schedules ? 'schedules' : key}
        options={[
          ...REPORTS.map((r) => ({ value: r, label: t(`reports.tabs.${r.replace('-', '_')}`) })),
          { value: 'schedules', label: t('reports.tabs.schedules') },
        ]}
        onChange={(v) => {
          if (v === 'schedules') {
            setSchedules(true);
          } else {
            setSchedules(false);
            navigate(`/reports/${v}${window.location.search}`);
          }
        }}
        data-testid="report-tabs"
      />
      <ReportFiltersBar
        report={key}
        value={filters}
        onChange={setFilters}
        groupings={GROUPINGS[key]}
        canExport={canExport}
      />
      <Card>
        {schedules ? (
          <SchedulesPanel filters={filters} report={key} />
        ) : key === 'funnel' ? (
          <FunnelPanel filters={filters} onPick={setCell} />
        ) : key === 'win-loss' ? (
          <WinLossPanel filters={filters} onPick={setCell} />
        ) : key === 'activity' ? (
          <ActivityPanel filters={filters} onPick={setCell} />
        ) : key === 'forecast' ? (
          <ForecastPanel filters={filters} onPick={setCell} />
        ) : (
          <PlanFactPanel filters={filters} onPick={setCell} />
        )}
      </Card>
      <DrillDrawer
        report={key}
        filters={{
          ...filters,
          ...(key === 'funnel' || key === 'win-loss' ? {} : { by: undefined }),
        }}
        cell={cell}
        onClose={() => setCell(null)}
      />
    </>
  );
}

export default function ReportsRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="funnel" replace />} />
      <Route path=":report" element={<ReportPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
