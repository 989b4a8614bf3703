import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Page, type Schemas } from '../../api';
import { CLIENTS_KEY } from '../clients/clientsApi';

export const LEAD_STATUSES = ['new', 'in_work', 'qualified', 'converted', 'junk'] as const;
export const JUNK_REASONS = [
  'spam',
  'duplicate',
  'not_our_product',
  'no_contact',
  'test',
  'other',
] as const;
export const CHANNELS = [
  'form',
  'email',
  'phone',
  'telegram',
  'webhook',
  'manual',
  'import',
] as const;

export type Lead = Schemas['Lead'];
export type LeadStatus = Lead['status'];
export type Priority = Schemas['LeadPriority'];
export type PriorityReason = Priority['reasons'][number];
export type LeadPoint = Schemas['LeadPoint'];
export type LeadCreate = Schemas['LeadWrite'] & { channel?: string; attach_to?: number };
export type LeadCreated = Schemas['LeadCreated'];

export interface StatusChange {
  status: LeadStatus;
  junk_reason?: (typeof JUNK_REASONS)[number];
  comment?: string;
}

export interface Conversion {
  company_id?: number;
  contact_id?: number;
  company?: { name?: string; inn?: string; legal_form?: string };
  contact?: { last_name?: string; first_name?: string; middle_name?: string };
  position?: string;
}
export interface Converted {
  lead: Lead;
  company_id: number | null;
  contact_id: number | null;
}

/** The lead's phones or e-mails (the API keeps both in `points`). */
export function leadPoints(lead: Pick<Lead, 'points'>, kind: 'phone' | 'email'): LeadPoint[] {
  return (lead.points ?? []).filter((p) => p.kind === kind);
}

export const LEADS_KEY = ['leads'] as const;
export const leadKeys = {
  inbox: (filters: Record<string, string>) => [...LEADS_KEY, 'inbox', filters] as const,
  lead: (id: number) => [...LEADS_KEY, 'lead', id] as const,
};

export const leadsApi = {
  inbox: (filters: Record<string, string>, cursor?: string | null) =>
    api.request<Page<Lead>>('/api/v1/leads', { query: { ...filters, cursor, limit: 50 } }),
  lead: (id: number) => api.request<Lead>(`/api/v1/leads/${id}`),
  create: (body: LeadCreate) => api.request<LeadCreated>('/api/v1/leads', { method: 'POST', body }),
  update: (id: number, body: Schemas['LeadWrite']) =>
    api.request<Lead>(`/api/v1/leads/${id}`, { method: 'PATCH', body }),
  setStatus: (id: number, body: StatusChange) =>
    api.request<Lead>(`/api/v1/leads/${id}/status`, { method: 'POST', body }),
  convert: (id: number, body: Conversion) =>
    api.request<Converted>(`/api/v1/leads/${id}/convert`, { method: 'POST', body }),
  remove: (id: number) => api.request<Lead>(`/api/v1/leads/${id}`, { method: 'DELETE' }),
};

/** Time between inbox refreshes while it is open: a new lead shows up within a second. */
export const INBOX_REFRESH_MS = 500;

export function useLead(id: number | null) {
  return useQuery<Lead, ApiError>({
    queryKey: leadKeys.lead(id ?? 0),
    queryFn: () => leadsApi.lead(id!),
    enabled: id !== null,
  });
}

/** A mutation that refreshes leads and clients (conversion creates clients) on success. */
export function useLeadsMutation<TData, TVariables>(
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
      void queryClient.invalidateQueries({ queryKey: LEADS_KEY });
      void queryClient.invalidateQueries({ queryKey: CLIENTS_KEY });
      options.onSuccess?.(data, variables);
    },
    onError: options.onError,
  });
}
