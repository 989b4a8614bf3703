/** The reports room's API (REP-1 … REP-3, REP-7): reports, drill-down, exports, dashboards, schedules. */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Schemas } from '../../api';
import { useMe } from '../auth/session';
import { orgApi, orgKeys, useRoles } from '../org/orgApi';

export type FunnelReport = Schemas['FunnelReport'];
export type Funnel = Schemas['Funnel'];
export type WinLossReport = Schemas['WinLossReport'];
export type WinLossRow = Schemas['WinLossRow'];
export type ActivityReport = Schemas['ActivityReport'];
export type ActivityFigures = Schemas['ActivityFigures'];
export type ForecastReport = Schemas['ForecastReport'];
export type PlanFactReport = Schemas['PlanFactReport'];
export type ReportDrilldown = Schemas['ReportDrilldown'];
export type ReportsDashboard = Schemas['ReportsDashboard'];
export type ReportSchedule = Schemas['ReportSchedule'];
export type ReportScheduleWrite = Schemas['ReportScheduleWrite'];

/** The reports by their URL word. */
export const REPORTS = ['funnel', 'activity', 'plan-fact', 'win-loss', 'forecast'] as const;
export type ReportKey = (typeof REPORTS)[number];

/** The filters every report takes (REP-7); empty values are left out of the query. */
export interface ReportFilters {
  from?: string;
  to?: string;
  period?: string;
  pipeline_id?: number;
  department_id?: number;
  owner?: string;
  channel?: string;
  product_id?: number;
  by?: string;
}

/** The figure a drill-down opens (see docs/reports.md). */
export interface DrillCell {
  measure: string;
  stage_id?: number;
  reason_id?: number;
  cell_department_id?: number;
  key?: string;
  day?: string;
  cell_owner?: string;
  /** What the drawer's title says. */
  title: string;
}

export function toQuery(
  filters: ReportFilters | DrillCell | Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) {
    if (k === 'title' || v === undefined || v === null || v === '') continue;
    out[k] = String(v);
  }
  return out;
}

/** The export's address (a plain link: the browser downloads it with the session cookie). */
export function exportUrl(
  report: ReportKey,
  filters: ReportFilters,
  format: 'csv' | 'xlsx',
): string {
  const q = new URLSearchParams({ ...toQuery(filters), format });
  return `/api/v1/reports/${report}/export?${q.toString()}`;
}

export const reportsKeys = {
  all: ['reports'] as const,
  report: (report: ReportKey, filters: ReportFilters) => ['reports', report, filters] as const,
  drill: (report: ReportKey, filters: ReportFilters, cell: DrillCell | null) =>
    ['reports', report, 'drill', filters, cell] as const,
  dashboard: (kind?: string) => ['reports', 'dashboard', kind ?? ''] as const,
  schedules: ['reports', 'schedules'] as const,
};

export function useReport<T>(report: ReportKey, filters: ReportFilters) {
  return useQuery<T, ApiError>({
    queryKey: reportsKeys.report(report, filters),
    queryFn: () => api.request<T>(`/api/v1/reports/${report}`, { query: toQuery(filters) }),
  });
}

export function useDrilldown(report: ReportKey, filters: ReportFilters, cell: DrillCell | null) {
  return useQuery<ReportDrilldown, ApiError>({
    queryKey: reportsKeys.drill(report, filters, cell),
    enabled: cell !== null,
    queryFn: () =>
      api.request<ReportDrilldown>(`/api/v1/reports/${report}/drilldown`, {
        query: { ...toQuery(filters), ...toQuery(cell ?? {}) },
      }),
  });
}

export function useDashboard(kind?: string) {
  return useQuery<ReportsDashboard, ApiError>({
    queryKey: reportsKeys.dashboard(kind),
    queryFn: () =>
      api.request<ReportsDashboard>('/api/v1/reports/dashboard', { query: kind ? { kind } : {} }),
  });
}

export function useSchedules() {
  return useQuery<ReportSchedule[], ApiError>({
    queryKey: reportsKeys.schedules,
    queryFn: async () =>
      (await api.request<{ items: ReportSchedule[] }>('/api/v1/report-schedules')).items,
  });
}

export function useScheduleMutations() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: reportsKeys.schedules });
  return {
    create: useMutation<ReportSchedule, ApiError, ReportScheduleWrite>({
      mutationFn: (body) =>
        api.request<ReportSchedule>('/api/v1/report-schedules', { method: 'POST', body }),
      onSuccess: done,
    }),
    remove: useMutation<void, ApiError, number>({
      mutationFn: (id) => api.request<void>(`/api/v1/report-schedules/${id}`, { method: 'DELETE' }),
      onSuccess: done,
    }),
    send: useMutation<ReportSchedule, ApiError, number>({
      mutationFn: (id) =>
        api.request<ReportSchedule>(`/api/v1/report-schedules/${id}/send`, { method: 'POST' }),
      onSuccess: done,
    }),
  };
}

/** Basis points as a percent with one decimal: 6667 → "66.7 %". */
export function percent(bp: number | null | undefined, language: string): string {
  if (bp === null || bp === undefined) return '—';
  return `${(bp / 100).toLocaleString(language === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 1 })} %`;
}

/** Milliseconds as days with one decimal. */
export function days(ms: number | null | undefined, language: string): string {
  if (ms === null || ms === undefined) return '—';
  return (ms / 86_400_000).toLocaleString(language === 'en' ? 'en-GB' : 'ru-RU', {
    maximumFractionDigits: 1,
  });
}

/** Milliseconds as whole minutes. */
export function minutes(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return String(Math.round(ms / 60_000));
}

/** What the caller's role allows in reports: export (the head, the analyst) and which dashboard is theirs. */
export function useReportAccess(): { canExport: boolean; loading: boolean } {
  const me = useMe();
  const userId = me.data?.id;
  const isAdmin = me.data?.is_admin ?? false;
  const mine = useQuery({
    queryKey: orgKeys.employeeOfUser(userId ?? 0),
    queryFn: async () => (await orgApi.employeesOfUser(userId!)).items[0] ?? null,
    enabled: userId !== undefined && !isAdmin,
  });
  const roles = useRoles(true);
  if (isAdmin) return { canExport: true, loading: false };
  const role = roles.data?.find((r) => r.id === mine.data?.role_id);
  const actions = role?.permissions?.report as string[] | undefined;
  return {
    canExport: actions?.includes('export') ?? false,
    loading: mine.isPending || roles.isPending,
  };
}
