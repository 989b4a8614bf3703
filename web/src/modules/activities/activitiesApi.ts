import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import i18n from 'i18next';
import { api, ApiError, NETWORK_ERROR, parseError, type Schemas } from '../../api';
import type { operations } from '../../api/schema';

type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type Activity = Schemas['Activity'];
export type ActivityKind = Schemas['ActivityKind'];
export type ActivityPage = Schemas['ActivityPage'];
export type ActivityWrite = Schemas['ActivityWrite'];
export type ActivityCreate = Body<'createActivity'>;
export type ActivityTemplate = Schemas['ActivityTemplate'];
export type RecordType = ActivityCreate['record_type'];

export const KINDS: readonly ActivityKind[] = ['call', 'meeting', 'task', 'email', 'sms', 'note'];
export const CALL_OUTCOMES = [
  'answered',
  'no_answer',
  'busy',
  'voicemail',
  'missed',
  'failed',
] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export interface RecordRef {
  type: RecordType;
  id: number;
}

/** Every activities query key starts with this, so one invalidation refreshes the room. */
export const ACTIVITIES_KEY = ['activities'] as const;
export const activityKeys = {
  timeline: (r: RecordRef, kind: string) =>
    [...ACTIVITIES_KEY, 'timeline', r.type, r.id, kind] as const,
  tasks: (filters: Record<string, string>) => [...ACTIVITIES_KEY, 'tasks', filters] as const,
  templates: () => [...ACTIVITIES_KEY, 'templates'] as const,
};

/** The recording as the raw request body (the API reads its type from the bytes). */
async function putRecording(id: number, file: File): Promise<Activity> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': i18n.language === 'en' ? 'en' : 'ru',
    'Content-Type': file.type || 'application/octet-stream',
  };
  const csrf = api.getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let response: Response;
  try {
    response = await fetch(
      `/api/v1/activities/${id}/recording?file_name=${encodeURIComponent(file.name)}`,
      { method: 'PUT', headers, body: file, credentials: 'same-origin' },
    );
  } catch {
    throw new ApiError({ status: 0, code: NETWORK_ERROR, detail: '' });
  }
  if (!response.ok) throw await parseError(response);
  return (await response.json()) as Activity;
}

export const activitiesApi = {
  timeline: (r: RecordRef, kind: string, cursor?: string | null) =>
    api.request<ActivityPage>('/api/v1/activities', {
      query: { record_type: r.type, record_id: r.id, kind: kind || undefined, cursor, limit: 30 },
    }),
  create: (body: ActivityCreate) =>
    api.request<Activity>('/api/v1/activities', { method: 'POST', body }),
  update: (id: number, body: ActivityWrite) =>
    api.request<Activity>(`/api/v1/activities/${id}`, { method: 'PATCH', body }),
  remove: (id: number) => api.request<void>(`/api/v1/activities/${id}`, { method: 'DELETE' }),
  tick: (id: number, item: number, done: boolean) =>
    api.request<Activity>(`/api/v1/activities/${id}/checklist/${item}`, {
      method: 'PUT',
      body: { done },
    }),
  tasks: (filters: Record<string, string>, cursor?: string | null) =>
    api.request<ActivityPage>('/api/v1/tasks', { query: { ...filters, cursor, limit: 50 } }),
  templates: () =>
    api.request<{ items: ActivityTemplate[]; placeholders: string[] }>(
      '/api/v1/activity-templates',
    ),
  preview: (templateId: number, r: RecordRef) =>
    api.request<{ subject: string; body: string }>(
      `/api/v1/activity-templates/${templateId}/preview`,
      { method: 'POST', body: { record_type: r.type, record_id: r.id } },
    ),
  uploadRecording: putRecording,
  recordingUrl: (id: number) => `/api/v1/activities/${id}/recording`,
};

export function useTimeline(r: RecordRef, kind: string) {
  return useQuery<ActivityPage, ApiError>({
    queryKey: activityKeys.timeline(r, kind),
    queryFn: () => activitiesApi.timeline(r, kind),
  });
}

export function useTemplates() {
  return useQuery({ queryKey: activityKeys.templates(), queryFn: activitiesApi.templates });
}

/** Any change to an activity refreshes every list of the room (timelines, tasks). */
export function useActivityMutation<TArgs>(fn: (args: TArgs) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, TArgs>({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ACTIVITIES_KEY }),
  });
}
