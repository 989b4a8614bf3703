import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Page } from '../../api';

import type { Schemas } from '../../api';

/** A phone or e-mail of a card: `raw` as typed, `value` normalised (E.164, lower-cased e-mail). */
export type ContactPoint = Schemas['ContactPoint'];
export type ContactPointWrite = Schemas['ContactPointWrite'];
export type BankDetails = Schemas['BankDetails'];
export type CompanyLink = Schemas['ClientLink'];
/** A company as lists return it (no phones, e-mails or people). */
export type CompanyRow = Schemas['Company'];
export type ContactRow = Schemas['Contact'];
/** A company as its card returns it. */
export type Company = Schemas['CompanyCard'];
export type Contact = Schemas['ContactCard'];
export type CompanyInput = Schemas['CompanyWrite'];
export type ContactInput = Schemas['ContactWrite'];
export type TimelineEntry = Schemas['TimelineItem'];
export type CustomField = Schemas['CustomField'];
export type CustomFieldKind = CustomField['kind'];

/**
 * One existing record that shares a phone, e-mail, INN or name with what is being typed. The
 * server sends one per matching field; `matched_on` is filled when the UI groups them by record.
 */
export type DuplicateMatch = Schemas['DuplicateMatch'] & { matched_on?: string[] };
export interface DuplicateCheck {
  phones?: string[];
  emails?: string[];
  inn?: string;
  name?: string;
}

/** Records of one type sharing a phone, e-mail or INN: candidates for a merge. */
export interface DuplicateGroup {
  match: string;
  value: string;
  ids: number[];
}

export type ViewEntity = 'company' | 'contact' | 'lead';
export interface ViewDefinition {
  filters: Record<string, string>;
  sort?: string;
  columns: string[];
}
export type SavedView = Omit<Schemas['SavedView'], 'definition'> & { definition: ViewDefinition };

export type ClientEntity = 'companies' | 'contacts';

export const CLIENTS_KEY = ['clients'] as const;
export const clientKeys = {
  list: (entity: ClientEntity, filters: Record<string, string>) =>
    [...CLIENTS_KEY, entity, 'list', filters] as const,
  card: (entity: ClientEntity, id: number) => [...CLIENTS_KEY, entity, id] as const,
  timeline: (entity: string, id: number) => [...CLIENTS_KEY, 'timeline', entity, id] as const,
  customFields: (entity: string) => [...CLIENTS_KEY, 'custom-fields', entity] as const,
  duplicates: (entity: string) => [...CLIENTS_KEY, 'duplicates', entity] as const,
  views: (entity: ViewEntity) => [...CLIENTS_KEY, 'views', entity] as const,
};

export const clientsApi = {
  list: <T>(entity: ClientEntity, filters: Record<string, string>, cursor?: string | null) =>
    api.request<Page<T>>(`/api/v1/${entity}`, { query: { ...filters, cursor, limit: 50 } }),
  company: (id: number) => api.request<Company>(`/api/v1/companies/${id}`),
  contact: (id: number) => api.request<Contact>(`/api/v1/contacts/${id}`),
  createCompany: (body: CompanyInput) =>
    api.request<Company>('/api/v1/companies', { method: 'POST', body }),
  updateCompany: (id: number, body: CompanyInput) =>
    api.request<Company>(`/api/v1/companies/${id}`, { method: 'PATCH', body }),
  createContact: (body: ContactInput) =>
    api.request<Contact>('/api/v1/contacts', { method: 'POST', body }),
  updateContact: (id: number, body: ContactInput) =>
    api.request<Contact>(`/api/v1/contacts/${id}`, { method: 'PATCH', body }),
  remove: (entity: ClientEntity, id: number) =>
    api.request<unknown>(`/api/v1/${entity}/${id}`, { method: 'DELETE' }),
  restore: (entity: ClientEntity, id: number) =>
    api.request<unknown>(`/api/v1/${entity}/${id}/restore`, { method: 'POST' }),
  link: (
    companyId: number,
    contactId: number,
    body: { position?: string; decision_role?: string },
  ) =>
    api.request<unknown>(`/api/v1/companies/${companyId}/contacts/${contactId}`, {
      method: 'PUT',
      body,
    }),
  unlink: (companyId: number, contactId: number) =>
    api.request<Company>(`/api/v1/companies/${companyId}/contacts/${contactId}`, {
      method: 'DELETE',
    }),
  timeline: (entity: string, id: number) =>
    api.request<Page<TimelineEntry>>(`/api/v1/${entity}/${id}/timeline`, {
      query: { limit: 100 },
    }),
  customFields: (entity: string) =>
    api.request<{ items: CustomField[] }>('/api/v1/custom-fields', { query: { entity } }),
  checkDuplicates: (body: DuplicateCheck, signal?: AbortSignal) =>
    api.request<{ items: DuplicateMatch[] }>('/api/v1/duplicates/check', {
      method: 'POST',
      body,
      signal,
    }),
  duplicates: (entity: string) =>
    api.request<{ entity: string; groups: DuplicateGroup[] }>('/api/v1/duplicates', {
      query: { entity },
    }),
  merge: (entity: ClientEntity, survivorId: number, mergedId: number) =>
    api.request<unknown>(`/api/v1/${entity}/${survivorId}/merge`, {
      method: 'POST',
      body: { merged_id: mergedId },
    }),
  views: (entity: ViewEntity) =>
    api.request<{ items: SavedView[] }>('/api/v1/saved-views', { query: { entity } }),
  createView: (body: Schemas['SavedViewWrite']) =>
    api.request<SavedView>('/api/v1/saved-views', { method: 'POST', body }),
  deleteView: (id: number) => api.request<void>(`/api/v1/saved-views/${id}`, { method: 'DELETE' }),
};

export function useCompany(id: number) {
  return useQuery<Company, ApiError>({
    queryKey: clientKeys.card('companies', id),
    queryFn: () => clientsApi.company(id),
  });
}

export function useContact(id: number) {
  return useQuery<Contact, ApiError>({
    queryKey: clientKeys.card('contacts', id),
    queryFn: () => clientsApi.contact(id),
  });
}

export function useCustomFields(entity: 'company' | 'contact' | 'lead') {
  return useQuery<CustomField[], ApiError>({
    queryKey: clientKeys.customFields(entity),
    queryFn: async () => (await clientsApi.customFields(entity)).items,
    staleTime: 60_000,
  });
}

/** A mutation that refreshes every cached client query (lists, cards, timelines) on success. */
export function useClientsMutation<TData, TVariables>(
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
      void queryClient.invalidateQueries({ queryKey: CLIENTS_KEY });
      options.onSuccess?.(data, variables);
    },
    onError: options.onError,
  });
}
