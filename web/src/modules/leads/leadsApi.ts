import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Page } from '../../api';
import { CLIENTS_KEY, type ContactPoint, type DuplicateMatch } from '../clients/clientsApi';

export const LEAD_STATUSES = ['new', 'in_work', 'qualified', 'converted', 'junk'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
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

export interface PriorityReason {
  code: string;
  points: number;
  text: string;
}
export interface Priority {
  score: number;
  reasons: PriorityReason[];
}

export interface Lead {
  id: number;
  status: LeadStatus;
  junk_reason: string | null;
  junk_comment?: string;
  title: string;
  request_text: string;
  contact_name: string;
  company_name: string;
  inn: string | null;
  phones: ContactPoint[];
  emails: ContactPoint[];
  channel: string;
  campaign: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  product?: string;
  region?: string;
  priority: Priority;
  owner_user_id: number | null;
  owner_name?: string | null;
  company_id: number | null;
  contact_id: number | null;
  converted_company_id: number | null;
  converted_contact_id: number | null;
  repeat_count: number;
  last_request_at: number;
  created_at: number;
  updated_at: number;
}

export interface LeadCreate {
  title?: string;
  request_text?: string;
  contact_name?: string;
  company_name?: string;
  inn?: string;
  phones?: string[];
  emails?: string[];
  campaign?: string;
  owner_user_id?: number | null;
}

export interface LeadCreated extends Lead {
  duplicates?: DuplicateMatch[];
}

export interface StatusChange {
  status: LeadStatus;
  junk_reason?: string;
  comment?: string;
}

export interface Conversion {
  company?: { name: string; inn?: string; phones?: string[]; emails?: string[] };
  company_id?: number;
  contact?: { full_name: string; phones?: string[]; emails?: string[]; position?: string };
  contact_id?: number;
}
export interface Converted {
  lead: Lead;
  company_id: number | null;
  contact_id: number | null;
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
  update: (id: number, body: Partial<LeadCreate>) =>
    api.request<Lead>(`/api/v1/leads/${id}`, { method: 'PATCH', body }),
  setStatus: (id: number, body: StatusChange) =>
    api.request<Lead>(`/api/v1/leads/${id}/status`, { method: 'POST', body }),
  convert: (id: number, body: Conversion) =>
    api.request<Converted>(`/api/v1/leads/${id}/convert`, { method: 'POST', body }),
  remove: (id: number) => api.request<void>(`/api/v1/leads/${id}`, { method: 'DELETE' }),
};

/** Time between inbox refreshes while it is open: a new lead shows up within a second. */
export const INBOX_REFRESH_MS = 700;

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
