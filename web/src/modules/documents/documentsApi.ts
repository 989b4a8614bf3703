import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, NETWORK_ERROR, parseError, type Schemas } from '../../api';
import type { operations } from '../../api/schema';
import i18n from '../../i18n';

type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type DocumentSettings = Schemas['DocumentSettings'];
export type DocumentSettingsWrite = Schemas['DocumentSettingsWrite'];
export type ProposalTemplate = Schemas['ProposalTemplate'];
export type ProposalTemplateWrite = Schemas['ProposalTemplateWrite'];
export type Proposal = Schemas['Proposal'];
export type ProposalCreate = Schemas['ProposalCreate'];
export type Contract = Schemas['Contract'];
export type ContractWrite = Schemas['ContractWrite'];
export type ContractKind = Contract['kind'];
export type ContractStatus = Contract['status'];

export const CONTRACT_KINDS: readonly ContractKind[] = [
  'sale',
  'supply',
  'distribution',
  'services',
];
export const CONTRACT_STATUSES: readonly ContractStatus[] = ['draft', 'signed', 'terminated'];
/** What the server accepts as a contract file (checked by content there; this only filters the picker). */
export const CONTRACT_FILE_ACCEPT =
  '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const MAX_CONTRACT_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_LOGO_BYTES = 512 * 1024;

/** Every documents query key starts with this, so one invalidation refreshes the room. */
export const DOCUMENTS_KEY = ['documents'] as const;
export const documentKeys = {
  settings: () => [...DOCUMENTS_KEY, 'settings'] as const,
  logo: () => [...DOCUMENTS_KEY, 'logo'] as const,
  templates: (archived: boolean) => [...DOCUMENTS_KEY, 'templates', archived] as const,
  proposals: (dealId: number) => [...DOCUMENTS_KEY, 'proposals', dealId] as const,
  contracts: (dealId: number, deleted: boolean) =>
    [...DOCUMENTS_KEY, 'contracts', dealId, deleted] as const,
};

/** A file as the raw request body (the API takes it unwrapped), answered with JSON. */
async function putFile<T>(url: string, file: Blob, contentType: string): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': i18n.language === 'en' ? 'en' : 'ru',
    'Content-Type': contentType,
  };
  const csrf = api.getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let response: Response;
  try {
    response = await fetch(url, { method: 'PUT', headers, body: file, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ status: 0, code: NETWORK_ERROR, detail: '' });
  }
  if (!response.ok) throw await parseError(response);
  return (await response.json()) as T;
}

export const documentsApi = {
  settings: () => api.request<DocumentSettings>('/api/v1/document-settings'),
  saveSettings: (body: DocumentSettingsWrite) =>
    api.request<DocumentSettings>('/api/v1/document-settings', { method: 'PUT', body }),
  uploadLogo: (file: Blob) =>
    putFile<DocumentSettings>('/api/v1/document-settings/logo', file, 'image/png'),
  removeLogo: () =>
    api.request<DocumentSettings>('/api/v1/document-settings/logo', { method: 'DELETE' }),
  templates: (archived = false) =>
    api.request<{ items: ProposalTemplate[]; placeholders: string[] }>(
      '/api/v1/proposal-templates',
      { query: { archived: archived ? 'true' : undefined } },
    ),
  createTemplate: (body: ProposalTemplateWrite) =>
    api.request<ProposalTemplate>('/api/v1/proposal-templates', { method: 'POST', body }),
  updateTemplate: (id: number, body: ProposalTemplateWrite) =>
    api.request<ProposalTemplate>(`/api/v1/proposal-templates/${id}`, { method: 'PATCH', body }),
  proposals: (dealId: number) =>
    api.request<{ items: Proposal[] }>(`/api/v1/deals/${dealId}/proposals`),
  createProposal: (dealId: number, body: ProposalCreate) =>
    api.request<Proposal>(`/api/v1/deals/${dealId}/proposals`, { method: 'POST', body }),
  setProposalStatus: (id: number, status: Proposal['status']) =>
    api.request<Proposal>(`/api/v1/proposals/${id}`, {
      method: 'PATCH',
      body: { status } satisfies Body<'updateProposal'>,
    }),
  contracts: (dealId: number, deleted = false) =>
    api.request<{ items: Contract[] }>(`/api/v1/deals/${dealId}/contracts`, {
      query: { deleted: deleted ? 'true' : undefined },
    }),
  createContract: (dealId: number, body: ContractWrite) =>
    api.request<Contract>(`/api/v1/deals/${dealId}/contracts`, { method: 'POST', body }),
  updateContract: (id: number, body: ContractWrite) =>
    api.request<Contract>(`/api/v1/contracts/${id}`, { method: 'PATCH', body }),
  deleteContract: (id: number) =>
    api.request<Contract>(`/api/v1/contracts/${id}`, { method: 'DELETE' }),
  restoreContract: (id: number) =>
    api.request<Contract>(`/api/v1/contracts/${id}/restore`, { method: 'POST' }),
  uploadContractFile: (id: number, file: File) =>
    putFile<Contract>(
      `/api/v1/contracts/${id}/file?${new URLSearchParams({ file_name: file.name })}`,
      file,
      file.type || 'application/octet-stream',
    ),
};

/** Where the logo is shown; the version makes the browser fetch a new one after a change. */
export function logoUrl(settings: DocumentSettings | undefined): string | null {
  if (!settings?.has_logo) return null;
  return `/api/v1/document-settings/logo?v=${settings.updated_at ?? 0}`;
}

export function useDocumentSettings() {
  return useQuery<DocumentSettings, ApiError>({
    queryKey: documentKeys.settings(),
    queryFn: documentsApi.settings,
  });
}

export function useTemplates(archived = false) {
  return useQuery<{ items: ProposalTemplate[]; placeholders: string[] }, ApiError>({
    queryKey: documentKeys.templates(archived),
    queryFn: () => documentsApi.templates(archived),
  });
}

export function useProposals(dealId: number) {
  return useQuery<Proposal[], ApiError>({
    queryKey: documentKeys.proposals(dealId),
    queryFn: async () => (await documentsApi.proposals(dealId)).items,
  });
}

export function useContracts(dealId: number, deleted = false) {
  return useQuery<Contract[], ApiError>({
    queryKey: documentKeys.contracts(dealId, deleted),
    queryFn: async () => (await documentsApi.contracts(dealId, deleted)).items,
  });
}

/** A mutation that refreshes every cached documents query on success. */
export function useDocumentsMutation<TData, TVariables>(
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
      void queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY });
      options.onSuccess?.(data, variables);
    },
    onError: options.onError,
  });
}
