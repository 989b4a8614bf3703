import { useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { clockOffset } from './sla';

/** How often the browser re-reads the server's time (a demo server's clock may jump). */
const RESYNC_MS = 30_000;

let tick = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

// One interval for every countdown on the screen, running only while one is shown.
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    tick = Date.now();
    timer = setInterval(() => {
      tick = Date.now();
      listeners.forEach((l) => l());
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The browser's clock, updated once a second while the component is mounted. */
export function useTick(): number {
  return useSyncExternalStore(
    subscribe,
    () => tick,
    () => tick,
  );
}

/**
 * Server time minus browser time. Deadlines are the server's; a browser clock that is off (or a
 * test server whose clock is moved by hand) would otherwise count down the wrong way.
 */
export function useServerOffset(): number {
  const offset = useQuery<number>({
    queryKey: ['server-clock'],
    queryFn: async () => {
      const sentAt = Date.now();
      const health = await api.request<{ time: number }>('/api/v1/health');
      return clockOffset(health.time, sentAt, Date.now());
    },
    staleTime: RESYNC_MS,
    refetchInterval: RESYNC_MS,
    retry: false,
  });
  return offset.data ?? 0;
}

/** The server's "now", ticking once a second. */
export function useServerNow(): number {
  const offset = useServerOffset();
  return useTick() + offset;
}
