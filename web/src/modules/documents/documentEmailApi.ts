import { useQuery } from '@tanstack/react-query';
import { api, type ApiError, type Schemas } from '../../api';

export type MailDocKind = 'proposal' | 'invoice';
export type DocumentEmail = Schemas['DocumentEmail'];
export type DocumentEmailDraft = Schemas['DocumentEmailDraft'];
export type DocumentEmailWrite = Schemas['DocumentEmailWrite'];

export const documentEmailKeys = {
  all: ['document-emails'] as const,
  history: (kind: MailDocKind, id: number) => ['document-emails', kind, id] as const,
  draft: (kind: MailDocKind, id: number, lang: string) =>
    ['document-emails', 'draft', kind, id, lang] as const,
};

export const documentEmailApi = {
  draft: (kind: MailDocKind, id: number, lang: 'ru' | 'en') =>
    api.request<DocumentEmailDraft>(`/api/v1/${kind}s/${id}/email-draft`, { query: { lang } }),
  history: (kind: MailDocKind, id: number) =>
    api.request<{ items: DocumentEmail[] }>(`/api/v1/${kind}s/${id}/emails`),
  send: (kind: MailDocKind, id: number, body: DocumentEmailWrite) =>
    api.request<DocumentEmail>(`/api/v1/${kind}s/${id}/emails`, { method: 'POST', body }),
  retry: (emailId: number) =>
    api.request<DocumentEmail>(`/api/v1/document-emails/${emailId}/retry`, { method: 'POST' }),
};

/** The sends of a document; polls while one is still queued, so "sent" or the reason of a failure shows up. */
export function useDocumentEmails(kind: MailDocKind, id: number, enabled = true) {
  return useQuery<DocumentEmail[], ApiError>({
    queryKey: documentEmailKeys.history(kind, id),
    queryFn: async () => (await documentEmailApi.history(kind, id)).items,
    enabled,
    refetchInterval: (q) => (q.state.data?.some((e) => e.status === 'queued') ? 1500 : false),
  });
}
