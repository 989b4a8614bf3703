import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Notification, type NotificationPage } from '../../api';
import { LEADS_KEY } from '../leads/leadsApi';
import { ROUTING_KEY } from '../routing/routingApi';

export const NOTIFICATIONS_QUERY_KEY = ['notifications'] as const;

/**
 * Cached answers a live notification makes stale: a routing event means a lead changed hands, so
 * the inbox and the SLA board reload at once instead of at their next poll.
 */
export function queriesToRefresh(kind: string): readonly (readonly string[])[] {
  if (kind.startsWith('routing.')) return [LEADS_KEY, ROUTING_KEY];
  return [];
}
const PAGE_SIZE = 20;

export function useNotifications() {
  return useQuery<NotificationPage, ApiError>({
    queryKey: NOTIFICATIONS_QUERY_KEY,
    queryFn: () => api.listNotifications(null, PAGE_SIZE),
  });
}

/** Puts a notification that arrived live at the top of the cached list and counts it as unread. */
export function addLiveNotification(queryClient: QueryClient, n: Notification): void {
  const old = queryClient.getQueryData<NotificationPage>(NOTIFICATIONS_QUERY_KEY);
  if (!old) {
    void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY_KEY });
    return;
  }
  if (old.items.some((item) => item.id === n.id)) return;
  queryClient.setQueryData<NotificationPage>(NOTIFICATIONS_QUERY_KEY, {
    ...old,
    items: [n, ...old.items],
    unread: old.unread + (n.read_at == null ? 1 : 0),
  });
}

/** Keeps the bell live: listens to `notification` events on /api/v1/live while signed in. */
export function useLiveNotifications(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/live');
    const onNotification = (event: MessageEvent<string>) => {
      try {
        const n = JSON.parse(event.data) as Notification;
        addLiveNotification(queryClient, n);
        for (const queryKey of queriesToRefresh(n.kind ?? ''))
          void queryClient.invalidateQueries({ queryKey });
      } catch {
        void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY_KEY });
      }
    };
    // After a reconnect, events sent while we were away are fetched again.
    let opened = false;
    const onOpen = () => {
      if (opened) void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY_KEY });
      opened = true;
    };
    source.addEventListener('notification', onNotification);
    source.addEventListener('open', onOpen);
    return () => {
      source.removeEventListener('notification', onNotification);
      source.removeEventListener('open', onOpen);
      source.close();
    };
  }, [queryClient]);
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, number>({
    mutationFn: (id) => api.markNotificationRead(id),
    onSuccess: (_, id) => {
      const old = queryClient.getQueryData<NotificationPage>(NOTIFICATIONS_QUERY_KEY);
      if (!old) return;
      const target = old.items.find((item) => item.id === id);
      queryClient.setQueryData<NotificationPage>(NOTIFICATIONS_QUERY_KEY, {
        ...old,
        items: old.items.map((item) =>
          item.id === id ? { ...item, read_at: item.read_at ?? Date.now() } : item,
        ),
        unread: target && target.read_at == null ? Math.max(0, old.unread - 1) : old.unread,
      });
    },
  });
}
