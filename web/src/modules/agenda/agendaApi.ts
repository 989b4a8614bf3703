/** The agenda room's API: the daily plan and the team's (ACT-2), reviews (ACT-3), the week view and feeds (ACT-4). */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../api';

export type DailyPlan = Schemas['DailyPlan'];
export type PlanItem = Schemas['PlanItem'];
export type PlanCounts = Schemas['PlanCounts'];
export type TeamPlan = Schemas['TeamPlan'];
export type CalendarEvent = Schemas['CalendarEvent'];
export type CalendarFeed = Schemas['CalendarFeed'];
export type CalendarFeedIssued = Schemas['CalendarFeedIssued'];
export type Review = Schemas['Review'];
export type ReviewCriterion = Schemas['ReviewCriterion'];
export type ReviewQueueItem = Schemas['ReviewQueueItem'];
export type ReviewMarkInput = Schemas['ReviewMarkInput'];
export type ReviewCommentInput = Schemas['ReviewCommentInput'];

export const AGENDA_KEY = ['agenda'] as const;
export const agendaKeys = {
  day: (userId?: number, date?: string) =>
    [...AGENDA_KEY, 'day', userId ?? 'me', date ?? 'today'] as const,
  team: (date?: string) => [...AGENDA_KEY, 'team', date ?? 'today'] as const,
  events: (from: number, to: number, scope: string) =>
    [...AGENDA_KEY, 'events', from, to, scope] as const,
  feeds: () => [...AGENDA_KEY, 'feeds'] as const,
  criteria: () => [...AGENDA_KEY, 'criteria'] as const,
  queue: () => [...AGENDA_KEY, 'queue'] as const,
  reviews: (filter: string) => [...AGENDA_KEY, 'reviews', filter] as const,
  review: (id: number) => [...AGENDA_KEY, 'review', id] as const,
};

export const agendaApi = {
  day: (userId?: number, date?: string) =>
    api.request<DailyPlan>('/api/v1/agenda/day', {
      query: { user_id: userId ? String(userId) : undefined, date },
    }),
  team: (date?: string) => api.request<TeamPlan>('/api/v1/agenda/team', { query: { date } }),
  events: (from: number, to: number, team: boolean) =>
    api.request<{ items: CalendarEvent[] }>('/api/v1/calendar/events', {
      query: { from: String(from), to: String(to), team: team ? 'true' : undefined },
    }),
  reschedule: (id: number, startsAt: number, endsAt: number) =>
    api.request<CalendarEvent>(`/api/v1/calendar/meetings/${id}`, {
      method: 'PATCH',
      body: { starts_at: startsAt, ends_at: endsAt },
    }),
  feeds: () => api.request<{ items: CalendarFeed[] }>('/api/v1/calendar/feeds'),
  createFeed: (scope: 'user' | 'team') =>
    api.request<CalendarFeedIssued>('/api/v1/calendar/feeds', { method: 'POST', body: { scope } }),
  regenerateFeed: (id: number) =>
    api.request<CalendarFeedIssued>(`/api/v1/calendar/feeds/${id}/regenerate`, { method: 'POST' }),
  revokeFeed: (id: number) =>
    api.request<void>(`/api/v1/calendar/feeds/${id}`, { method: 'DELETE' }),
  criteria: () => api.request<{ items: ReviewCriterion[] }>('/api/v1/review-criteria'),
  queue: () => api.request<{ items: ReviewQueueItem[] }>('/api/v1/reviews/queue'),
  reviews: (query: Record<string, string | undefined>) =>
    api.request<{ items: Review[]; next_cursor: string | null }>('/api/v1/reviews', {
      query: { ...query, limit: '100' },
    }),
  review: (id: number) => api.request<Review>(`/api/v1/reviews/${id}`),
  createReview: (body: {
    activity_id: number;
    marks: ReviewMarkInput[];
    summary: string;
    comments: ReviewCommentInput[];
  }) => api.request<Review>('/api/v1/reviews', { method: 'POST', body }),
  updateReview: (id: number, body: { marks?: ReviewMarkInput[]; summary?: string }) =>
    api.request<Review>(`/api/v1/reviews/${id}`, { method: 'PATCH', body }),
  addComment: (id: number, body: ReviewCommentInput) =>
    api.request<Review>(`/api/v1/reviews/${id}/comments`, { method: 'POST', body }),
};

export function useDay(userId?: number, date?: string, enabled = true) {
  return useQuery({
    queryKey: agendaKeys.day(userId, date),
    queryFn: () => agendaApi.day(userId, date),
    enabled,
  });
}

export function useTeam(enabled: boolean, date?: string) {
  return useQuery({
    queryKey: agendaKeys.team(date),
    queryFn: () => agendaApi.team(date),
    enabled,
  });
}

export function useEvents(from: number, to: number, team: boolean) {
  return useQuery({
    queryKey: agendaKeys.events(from, to, team ? 'team' : 'me'),
    queryFn: () => agendaApi.events(from, to, team),
  });
}

export function useReschedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; start: number; end: number }) =>
      agendaApi.reschedule(v.id, v.start, v.end),
    onSettled: () => qc.invalidateQueries({ queryKey: AGENDA_KEY }),
  });
}

export function useFeeds() {
  return useQuery({ queryKey: agendaKeys.feeds(), queryFn: agendaApi.feeds });
}

export function useFeedMutations() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: agendaKeys.feeds() });
  return {
    create: useMutation({ mutationFn: agendaApi.createFeed, onSuccess: done }),
    regenerate: useMutation({ mutationFn: agendaApi.regenerateFeed, onSuccess: done }),
    revoke: useMutation({ mutationFn: agendaApi.revokeFeed, onSuccess: done }),
  };
}

export function useCriteria() {
  return useQuery({ queryKey: agendaKeys.criteria(), queryFn: agendaApi.criteria });
}

export function useReviewQueue() {
  return useQuery({ queryKey: agendaKeys.queue(), queryFn: agendaApi.queue });
}

export function useReviews(query: Record<string, string | undefined>) {
  return useQuery({
    queryKey: agendaKeys.reviews(JSON.stringify(query)),
    queryFn: () => agendaApi.reviews(query),
  });
}

export function useReview(id: number) {
  return useQuery({
    queryKey: agendaKeys.review(id),
    queryFn: () => agendaApi.review(id),
    enabled: id > 0,
  });
}

export function useReviewMutations() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: AGENDA_KEY });
  return {
    create: useMutation({ mutationFn: agendaApi.createReview, onSuccess: done }),
    update: useMutation({
      mutationFn: (v: { id: number; marks?: ReviewMarkInput[]; summary?: string }) =>
        agendaApi.updateReview(v.id, { marks: v.marks, summary: v.summary }),
      onSuccess: done,
    }),
    comment: useMutation({
      mutationFn: (v: { id: number } & ReviewCommentInput) =>
        agendaApi.addComment(v.id, { at_second: v.at_second, body: v.body }),
      onSuccess: done,
    }),
  };
}

/** The weighted score in percent with one decimal ("59,4 %"), or a dash when nothing was marked. */
export function formatScore(bp: number | null | undefined, language: string): string {
  if (bp == null) return '—';
  return `${new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 1 }).format(bp / 100)} %`;
}

/** "1:05" from seconds into a recording. */
export function formatSecond(s: number | null | undefined): string {
  if (s == null) return '';
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return `${m}:${String(rest).padStart(2, '0')}`;
}

/** Seconds from "1:05", "65" or "01:05"; null when it is not a time. */
export function parseSecond(text: string): number | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(\d+):([0-5]\d)$/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Time left on an SLA clock ("25 мин" / "−1 ч 5 мин"). */
export function formatRemaining(
  ms: number,
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  const sign = ms < 0 ? '−' : '';
  const total = Math.round(Math.abs(ms) / 60000);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return sign + (h > 0 ? t('agenda.hm', { h, m }) : t('agenda.m', { m }));
}
