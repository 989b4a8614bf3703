import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Schemas } from '../../api';
import type { operations } from '../../api/schema';
import { useMe } from '../auth/session';
import { LEADS_KEY } from '../leads/leadsApi';
import { orgApi, orgKeys, useRoles, type Employee } from '../org/orgApi';

type Json<Op extends keyof operations, Code extends number = 200> = operations[Op] extends {
  responses: { [C in Code]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;
type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type RoutingRule = Schemas['RoutingRule'];
export type RoutingRuleInput = Schemas['RoutingRuleInput'];
export type RoutingConditions = Schemas['RoutingConditions'];
export type RoutingMember = Schemas['RoutingMember'];
export type RoutingStrategy = RoutingRule['strategy'];
export type RoutingDecision = Schemas['RoutingDecision'];
export type SkippedPerson = RoutingDecision['skipped'][number];
export type SkipReason = SkippedPerson['reason'];
export type RoutingClock = Schemas['LeadRoutingClock'];
export type SlaState = RoutingClock['state'];
export type LeadSla = Schemas['LeadSla'];
export type LeadAssignment = Schemas['LeadAssignment'];
export type AssignmentReason = LeadAssignment['reason'];
export type HandoffMeeting = Schemas['HandoffMeeting'];
export type RoutingSettings = Schemas['RoutingSettings'];

export type SimulateInput = Body<'simulateRouting'>;
export type Simulation = Json<'simulateRouting'>;
export type SlaBoard = Json<'getSlaBoard'>;
export type SlaBoardItem = SlaBoard['items'][number];
export type Coverage = Json<'getPoolCoverage'>;
export type CoverageItem = Coverage['items'][number];
export type LeadRouting = Json<'getLeadRouting'>;
export type FirstResponseKind = Body<'recordFirstResponse'>['kind'];
export type HandoffSlots = Json<'getHandoffSlots'>;
export type HandoffHost = HandoffSlots['items'][number];
export type HandoffSlot = HandoffHost['slots'][number];
export type HandoffBooking = Body<'bookHandoffMeeting'>;
export type RoutingFacts = Json<'getRoutingFacts'>;
export type PersonFacts = RoutingFacts['items'][number];
export type ResponseStatus = RoutingSettings['response_statuses'][number];

export const STRATEGIES: readonly RoutingStrategy[] = ['round_robin', 'least_loaded', 'weighted'];
export const FIRST_RESPONSE_KINDS: readonly FirstResponseKind[] = ['call', 'email', 'message'];
/** Working minutes an SLA may last: one minute to a working week of 7 × 24 h. */
export const SLA_MINUTES = { min: 1, max: 10080 } as const;
export const ESCALATE_AFTER = { min: 0, max: 20 } as const;
export const WEIGHT = { min: 1, max: 100 } as const;
/** Lead statuses a workspace may count as the first response (PUT /routing/settings). */
export const RESPONSE_STATUSES: readonly ResponseStatus[] = ['in_work', 'qualified'];

/** Every routing query key starts with this, so one invalidation refreshes the room. */
export const ROUTING_KEY = ['routing'] as const;
export const routingKeys = {
  rules: () => [...ROUTING_KEY, 'rules'] as const,
  board: () => [...ROUTING_KEY, 'board'] as const,
  coverage: () => [...ROUTING_KEY, 'coverage'] as const,
  settings: () => [...ROUTING_KEY, 'settings'] as const,
  facts: (from: number, to?: number) => [...ROUTING_KEY, 'facts', from, to ?? null] as const,
  lead: (id: number) => [...ROUTING_KEY, 'lead', id] as const,
  slots: (id: number, minutes: number, from: number) =>
    [...ROUTING_KEY, 'slots', id, minutes, from] as const,
};

export const routingApi = {
  rules: () => api.request<{ items: RoutingRule[] }>('/api/v1/routing/rules'),
  createRule: (body: RoutingRuleInput) =>
    api.request<RoutingRule>('/api/v1/routing/rules', { method: 'POST', body }),
  updateRule: (id: number, body: RoutingRuleInput) =>
    api.request<RoutingRule>(`/api/v1/routing/rules/${id}`, { method: 'PUT', body }),
  deleteRule: (id: number) =>
    api.request<void>(`/api/v1/routing/rules/${id}`, { method: 'DELETE' }),
  reorder: (ids: number[]) =>
    api.request<{ items: RoutingRule[] }>('/api/v1/routing/rules/reorder', {
      method: 'POST',
      body: { ids } satisfies Body<'reorderRoutingRules'>,
    }),
  simulate: (body: SimulateInput) =>
    api.request<Simulation>('/api/v1/routing/simulate', { method: 'POST', body }),
  board: (limit = 200) => api.request<SlaBoard>('/api/v1/routing/board', { query: { limit } }),
  coverage: () => api.request<Coverage>('/api/v1/routing/coverage'),
  settings: () => api.request<RoutingSettings>('/api/v1/routing/settings'),
  putSettings: (body: RoutingSettings) =>
    api.request<RoutingSettings>('/api/v1/routing/settings', { method: 'PUT', body }),
  facts: (query: { from?: number; to?: number }) =>
    api.request<RoutingFacts>('/api/v1/routing/facts', { query }),
  leadRouting: (leadId: number) => api.request<LeadRouting>(`/api/v1/leads/${leadId}/routing`),
  firstResponse: (leadId: number, kind: FirstResponseKind) =>
    api.request<{ stopped: boolean }>(`/api/v1/leads/${leadId}/first-response`, {
      method: 'POST',
      body: { kind } satisfies Body<'recordFirstResponse'>,
    }),
  slots: (leadId: number, query: { from?: number; days?: number; minutes?: number }) =>
    api.request<HandoffSlots>(`/api/v1/leads/${leadId}/handoff/slots`, { query }),
  book: (leadId: number, body: HandoffBooking) =>
    api.request<HandoffMeeting>(`/api/v1/leads/${leadId}/handoff`, { method: 'POST', body }),
};

export function useRoutingRules(enabled = true) {
  return useQuery<RoutingRule[], ApiError>({
    queryKey: routingKeys.rules(),
    queryFn: async () => (await routingApi.rules()).items,
    enabled,
  });
}

export function useLeadRouting(leadId: number | null) {
  return useQuery<LeadRouting, ApiError>({
    queryKey: routingKeys.lead(leadId ?? 0),
    queryFn: () => routingApi.leadRouting(leadId!),
    enabled: leadId !== null,
  });
}

/** A mutation that refreshes routing and leads (owners and clocks change with it) on success. */
export function useRoutingMutation<TData, TVariables>(
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
      void queryClient.invalidateQueries({ queryKey: ROUTING_KEY });
      void queryClient.invalidateQueries({ queryKey: LEADS_KEY });
      options.onSuccess?.(data, variables);
    },
    onError: options.onError,
  });
}

export interface RoutingAccess {
  /** May read the rules and run the simulator (the "assign lead" right). */
  canView: boolean;
  /** May change rules (administrators and heads with workspace-wide scope). */
  canManage: boolean;
  /** Still finding out; hide controls until known. */
  loading: boolean;
}

/** What the signed-in user may do with routing rules. Only hides buttons; the server still decides. */
export function useRoutingAccess(): RoutingAccess {
  const me = useMe();
  const userId = me.data?.id;
  const isAdmin = me.data?.is_admin ?? false;
  const mine = useQuery<Employee | null, ApiError>({
    queryKey: orgKeys.employeeOfUser(userId ?? 0),
    queryFn: async () => (await orgApi.employeesOfUser(userId!)).items[0] ?? null,
    enabled: userId !== undefined && !isAdmin,
  });
  const roles = useRoles(true);
  if (isAdmin) return { canView: true, canManage: true, loading: false };
  const role = roles.data?.find((r) => r.id === mine.data?.role_id);
  const canAssign = (role?.permissions?.lead as string[] | undefined)?.includes('assign') ?? false;
  return {
    canView: canAssign,
    canManage: canAssign && role?.scope === 'all',
    loading: me.isPending || mine.isPending || roles.isPending,
  };
}
