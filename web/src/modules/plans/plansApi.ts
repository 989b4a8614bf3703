/** The plans room's API (PLAN-1 … PLAN-3): the KPI catalog and figures, plan vs fact, plans and their split, goals. */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../api';

export type KpiDefinition = Schemas['KpiDefinition'];
export type KpiCatalog = Schemas['KpiCatalog'];
export type KpiValue = Schemas['KpiValue'];
export type KpiReport = Schemas['KpiReport'];
export type KpiUnit = Schemas['KpiUnit'];
export type PlanMetric = Schemas['PlanMetric'];
export type Plan = Schemas['Plan'];
export type PlanWrite = Schemas['PlanWrite'];
export type PlanSplit = Schemas['PlanSplit'];
export type PlanVsFact = Schemas['PlanVsFact'];
export type PlanFactRow = Schemas['PlanFactRow'];
export type PlanFactLine = Schemas['PlanFactLine'];
export type PlanPace = Schemas['PlanPace'];
export type Goal = Schemas['Goal'];
export type GoalWrite = Schemas['GoalWrite'];
export type GoalPatch = Schemas['GoalPatch'];
export type GoalPage = Schemas['GoalPage'];
export type PeriodKind = 'month' | 'quarter' | 'year';

export const PLANS_KEY = ['plans'] as const;

export interface PlanVsFactParams {
  period: PeriodKind;
  date?: string;
  department_id?: number;
  metrics?: PlanMetric[];
}

export interface KpiParams {
  period?: PeriodKind | 'custom';
  date?: string;
  from?: string;
  to?: string;
  department_id?: number;
  user_id?: number;
  pipeline_id?: number;
  product_id?: number;
  channel?: string;
  kpis?: string[];
  by_person?: boolean;
}

const str = (v: number | string | undefined) =>
  v === undefined || v === '' ? undefined : String(v);

export const plansApi = {
  catalog: () => api.request<KpiCatalog>('/api/v1/kpis/catalog'),
  kpis: (p: KpiParams) =>
    api.request<KpiReport>('/api/v1/kpis', {
      query: {
        period: p.period,
        date: p.date,
        from: p.from,
        to: p.to,
        department_id: str(p.department_id),
        user_id: str(p.user_id),
        pipeline_id: str(p.pipeline_id),
        product_id: str(p.product_id),
        channel: p.channel || undefined,
        kpis: p.kpis?.length ? p.kpis.join(',') : undefined,
        by_person: p.by_person ? 'true' : undefined,
      },
    }),
  vsFact: (p: PlanVsFactParams) =>
    api.request<PlanVsFact>('/api/v1/plans/vs-fact', {
      query: {
        period: p.period,
        date: p.date,
        department_id: str(p.department_id),
        metrics: p.metrics?.length ? p.metrics.join(',') : undefined,
      },
    }),
  setPlan: (body: PlanWrite) => api.request<Plan>('/api/v1/plans', { method: 'POST', body }),
  deletePlan: (id: number) => api.request<void>(`/api/v1/plans/${id}`, { method: 'DELETE' }),
  split: (id: number, body: PlanSplit) =>
    api.request<{ items: Plan[] }>(`/api/v1/plans/${id}/split`, { method: 'POST', body }),
  goals: (p: { owner?: string; overdue?: boolean }) =>
    api.request<GoalPage>('/api/v1/goals', {
      query: { owner: p.owner || undefined, overdue: p.overdue ? 'true' : undefined, limit: '200' },
    }),
  createGoal: (body: GoalWrite) => api.request<Goal>('/api/v1/goals', { method: 'POST', body }),
  updateGoal: (id: number, body: GoalPatch) =>
    api.request<Goal>(`/api/v1/goals/${id}`, { method: 'PATCH', body }),
  deleteGoal: (id: number) => api.request<void>(`/api/v1/goals/${id}`, { method: 'DELETE' }),
};

export function useKpiCatalog() {
  return useQuery({
    queryKey: [...PLANS_KEY, 'catalog'],
    queryFn: plansApi.catalog,
    staleTime: 3_600_000,
  });
}

export function useKpis(params: KpiParams) {
  return useQuery({
    queryKey: [...PLANS_KEY, 'kpis', params],
    queryFn: () => plansApi.kpis(params),
  });
}

export function usePlanVsFact(params: PlanVsFactParams) {
  return useQuery({
    queryKey: [...PLANS_KEY, 'vs-fact', params],
    queryFn: () => plansApi.vsFact(params),
  });
}

export function useGoals(params: { owner?: string; overdue?: boolean }) {
  return useQuery({
    queryKey: [...PLANS_KEY, 'goals', params],
    queryFn: () => plansApi.goals(params),
  });
}

/** A change to plans or goals refreshes everything the room shows. */
export function usePlansMutation<TArg, TResult>(
  fn: (arg: TArg) => Promise<TResult>,
  options: { onSuccess?: (r: TResult) => void; onError?: (e: unknown) => void } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: PLANS_KEY });
      options.onSuccess?.(r);
    },
    onError: options.onError,
  });
}
