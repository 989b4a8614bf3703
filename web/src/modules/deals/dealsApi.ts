import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Page, type Schemas } from '../../api';
import type { operations } from '../../api/schema';
import { useMe } from '../auth/session';
import { orgApi, orgKeys, useRoles, type Employee } from '../org/orgApi';

type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type Deal = Schemas['Deal'];
export type DealWrite = Schemas['DealWrite'];
export type DealCreate = Body<'createDeal'>;
export type DealStatus = Deal['status'];
export type ForecastCategory = Deal['forecast_category'];
export type Pipeline = Schemas['Pipeline'];
export type PipelineWrite = Schemas['PipelineWrite'];
export type Stage = Schemas['Stage'];
export type StageWrite = Schemas['StageWrite'];
export type StageKind = Stage['kind'];
export type ChecklistItem = Schemas['ChecklistItem'];
export type DealField = Schemas['DealField'];
export type LossReason = Schemas['LossReason'];
export type DealBoard = Schemas['DealBoard'];
export type BoardColumn = Schemas['DealBoardColumn'];
export type MoneyTotal = Schemas['MoneyTotal'];
export type StageMove = Schemas['DealStageMove'];
export type StageMoveBody = Body<'moveDealStage'>;

export const FORECAST_CATEGORIES: readonly ForecastCategory[] = ['pipeline', 'best_case', 'commit'];
export const STAGE_KINDS: readonly StageKind[] = ['open', 'won', 'lost'];
export const DEAL_STATUSES = ['open', 'won', 'lost', 'all'] as const;
/** Deals per kanban column page. */
export const COLUMN_PAGE = 20;

/** Every deals query key starts with this, so one invalidation refreshes the room. */
export const DEALS_KEY = ['deals'] as const;
export const dealKeys = {
  pipelines: (archived: boolean) => [...DEALS_KEY, 'pipelines', archived] as const,
  board: (pipelineId: number, filters: Record<string, string>) =>
    [...DEALS_KEY, 'board', pipelineId, filters] as const,
  list: (filters: Record<string, string>) => [...DEALS_KEY, 'list', filters] as const,
  deal: (id: number) => [...DEALS_KEY, 'deal', id] as const,
  history: (id: number) => [...DEALS_KEY, 'history', id] as const,
  fields: () => [...DEALS_KEY, 'fields'] as const,
  lossReasons: () => [...DEALS_KEY, 'loss-reasons'] as const,
};

export const dealsApi = {
  pipelines: (archived = false) =>
    api.request<{ items: Pipeline[] }>('/api/v1/pipelines', {
      query: { archived: archived ? 'true' : undefined },
    }),
  createPipeline: (body: PipelineWrite) =>
    api.request<Pipeline>('/api/v1/pipelines', { method: 'POST', body }),
  updatePipeline: (id: number, body: PipelineWrite) =>
    api.request<Pipeline>(`/api/v1/pipelines/${id}`, { method: 'PATCH', body }),
  archivePipeline: (id: number) =>
    api.request<void>(`/api/v1/pipelines/${id}`, { method: 'DELETE' }),
  createStage: (pipelineId: number, body: StageWrite) =>
    api.request<Stage>(`/api/v1/pipelines/${pipelineId}/stages`, { method: 'POST', body }),
  updateStage: (id: number, body: StageWrite) =>
    api.request<Stage>(`/api/v1/stages/${id}`, { method: 'PATCH', body }),
  deleteStage: (id: number) => api.request<void>(`/api/v1/stages/${id}`, { method: 'DELETE' }),
  reorderStages: (pipelineId: number, ids: number[]) =>
    api.request<Pipeline>(`/api/v1/pipelines/${pipelineId}/stage-order`, {
      method: 'PUT',
      body: { ids } satisfies Body<'reorderStages'>,
    }),
  board: (pipelineId: number, filters: Record<string, string>) =>
    api.request<DealBoard>(`/api/v1/pipelines/${pipelineId}/board`, {
      query: { ...filters, limit: COLUMN_PAGE },
    }),
  list: (filters: Record<string, string | number>, cursor?: string | null, limit = 50) =>
    api.request<Page<Deal>>('/api/v1/deals', { query: { ...filters, cursor, limit } }),
  deal: (id: number) => api.request<Deal>(`/api/v1/deals/${id}`),
  create: (body: DealCreate) => api.request<Deal>('/api/v1/deals', { method: 'POST', body }),
  update: (id: number, body: DealWrite) =>
    api.request<Deal>(`/api/v1/deals/${id}`, { method: 'PATCH', body }),
  remove: (id: number) => api.request<Deal>(`/api/v1/deals/${id}`, { method: 'DELETE' }),
  restore: (id: number) => api.request<Deal>(`/api/v1/deals/${id}/restore`, { method: 'POST' }),
  move: (id: number, body: StageMoveBody) =>
    api.request<Deal>(`/api/v1/deals/${id}/stage`, { method: 'POST', body }),
  checklist: (id: number, items: Record<string, boolean>) =>
    api.request<Deal>(`/api/v1/deals/${id}/checklist`, {
      method: 'PUT',
      body: { items } satisfies Body<'setDealChecklist'>,
    }),
  history: (id: number) => api.request<{ items: StageMove[] }>(`/api/v1/deals/${id}/history`),
  fields: () => api.request<{ items: DealField[] }>('/api/v1/deal-fields'),
  lossReasons: () => api.request<{ items: LossReason[] }>('/api/v1/loss-reasons'),
  createLossReason: (body: Body<'createLossReason'>) =>
    api.request<LossReason>('/api/v1/loss-reasons', { method: 'POST', body }),
  updateLossReason: (id: number, body: Body<'updateLossReason'>) =>
    api.request<LossReason>(`/api/v1/loss-reasons/${id}`, { method: 'PATCH', body }),
};

export function usePipelines(archived = false) {
  return useQuery<Pipeline[], ApiError>({
    queryKey: dealKeys.pipelines(archived),
    queryFn: async () => (await dealsApi.pipelines(archived)).items,
  });
}

export function useDeal(id: number | null) {
  return useQuery<Deal, ApiError>({
    queryKey: dealKeys.deal(id ?? 0),
    queryFn: () => dealsApi.deal(id!),
    enabled: id !== null,
  });
}

export function useDealHistory(id: number | null) {
  return useQuery<StageMove[], ApiError>({
    queryKey: dealKeys.history(id ?? 0),
    queryFn: async () => (await dealsApi.history(id!)).items,
    enabled: id !== null,
  });
}

export function useDealFields() {
  return useQuery<DealField[], ApiError>({
    queryKey: dealKeys.fields(),
    queryFn: async () => (await dealsApi.fields()).items,
    staleTime: 60_000,
  });
}

export function useLossReasons() {
  return useQuery<LossReason[], ApiError>({
    queryKey: dealKeys.lossReasons(),
    queryFn: async () => (await dealsApi.lossReasons()).items,
  });
}

/** A mutation that refreshes every cached deals query (boards, lists, cards) on success. */
export function useDealsMutation<TData, TVariables>(
  mutationFn: (variables: TVariables) => Promise<TData>,
  options: {
    onSuccess?: (data: TData, variables: TVariables) => void;
    onError?: (error: ApiError, variables: TVariables) => void;
  } = {},
) {
  const queryClient = useQueryClient();
  return useMutation<TData, ApiError, TVariables>({
    mutationFn,
    onSuccess: (data, variables) => {
      void queryClient.invalidateQueries({ queryKey: DEALS_KEY });
      options.onSuccess?.(data, variables);
    },
    onError: options.onError,
  });
}

export interface DealsAccess {
  /** May open deals (deal:create). */
  canCreate: boolean;
  /** May change pipelines, stages and loss reasons (administrators and org:update). */
  canConfigure: boolean;
  loading: boolean;
}

/** What the caller may do in the deals room, from their role. Only hides buttons; the server decides. */
export function useDealsAccess(): DealsAccess {
  const me = useMe();
  const userId = me.data?.id;
  const isAdmin = me.data?.is_admin ?? false;
  const mine = useQuery<Employee | null, ApiError>({
    queryKey: orgKeys.employeeOfUser(userId ?? 0),
    queryFn: async () => (await orgApi.employeesOfUser(userId!)).items[0] ?? null,
    enabled: userId !== undefined && !isAdmin,
  });
  const roles = useRoles(true);
  if (isAdmin) return { canCreate: true, canConfigure: true, loading: false };
  const role = roles.data?.find((r) => r.id === mine.data?.role_id);
  const allowed = (object: string, action: string) =>
    (role?.permissions?.[object] as string[] | undefined)?.includes(action) ?? false;
  return {
    canCreate: allowed('deal', 'create'),
    canConfigure: allowed('org', 'update'),
    loading: me.isPending || mine.isPending || roles.isPending,
  };
}
