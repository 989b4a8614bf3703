import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Schemas } from '../../api';

export type IntakeForm = Schemas['IntakeForm'];
export type IntakeFormInput = Schemas['IntakeFormInput'];
export type IntakeChannel = Schemas['IntakeChannel'];
export type IntakeChannelInput = Schemas['IntakeChannelInput'];
export type ChannelKind = IntakeChannel['kind'];
export const CHANNEL_KINDS: readonly ChannelKind[] = ['telephony', 'telegram', 'webhook', 'imap'];

export interface Snippet {
  html: string;
  script_url: string;
  endpoint_url: string;
}

export const INTAKE_KEY = ['intake'] as const;

export const intakeApi = {
  forms: () => api.request<{ items: IntakeForm[] }>('/api/v1/intake/forms'),
  createForm: (body: IntakeFormInput) =>
    api.request<IntakeForm>('/api/v1/intake/forms', { method: 'POST', body }),
  updateForm: (id: number, body: IntakeFormInput) =>
    api.request<IntakeForm>(`/api/v1/intake/forms/${id}`, { method: 'PATCH', body }),
  deleteForm: (id: number) => api.request<void>(`/api/v1/intake/forms/${id}`, { method: 'DELETE' }),
  snippet: (id: number) => api.request<Snippet>(`/api/v1/intake/forms/${id}/snippet`),
  rotateKey: (id: number) =>
    api.request<IntakeForm>(`/api/v1/intake/forms/${id}/rotate-key`, { method: 'POST' }),
  channels: () => api.request<{ items: IntakeChannel[] }>('/api/v1/intake/channels'),
  createChannel: (body: IntakeChannelInput) =>
    api.request<IntakeChannel>('/api/v1/intake/channels', { method: 'POST', body }),
  updateChannel: (id: number, body: IntakeChannelInput) =>
    api.request<IntakeChannel>(`/api/v1/intake/channels/${id}`, { method: 'PATCH', body }),
  deleteChannel: (id: number) =>
    api.request<void>(`/api/v1/intake/channels/${id}`, { method: 'DELETE' }),
};

export function useIntakeMutation<TData, TVariables>(
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
      void queryClient.invalidateQueries({ queryKey: INTAKE_KEY });
      options.onSuccess?.(data, variables);
    },
    onError: options.onError,
  });
}

/**
 * Normalises what an admin typed as allowed origins: scheme://host[:port], no path or trailing
 * slash; returns the cleaned list and the entries that are not origins at all.
 */
export function parseOrigins(input: readonly string[]): { origins: string[]; invalid: string[] } {
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const raw of input) {
    const text = raw.trim();
    if (!text) continue;
    try {
      const url = new URL(text);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password)
        throw new Error('not an origin');
      if (!origins.includes(url.origin)) origins.push(url.origin);
    } catch {
      invalid.push(text);
    }
  }
  return { origins, invalid };
}

/** The settings each channel kind keeps in `config`, in form order. */
export const CHANNEL_CONFIG: Record<
  ChannelKind,
  { key: string; type: 'text' | 'number' | 'bool' }[]
> = {
  telephony: [{ key: 'provider', type: 'text' }],
  telegram: [{ key: 'bot_name', type: 'text' }],
  webhook: [{ key: 'source', type: 'text' }],
  imap: [
    { key: 'host', type: 'text' },
    { key: 'port', type: 'number' },
    { key: 'tls', type: 'bool' },
    { key: 'user', type: 'text' },
    { key: 'folder', type: 'text' },
  ],
};
