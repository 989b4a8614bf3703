import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ApiError } from '../../api';
import { CLIENTS_KEY, clientsApi, type DuplicateCheck, type DuplicateMatch } from './clientsApi';

/** How long typing must pause before the duplicate check is asked. */
export const DUPLICATE_DEBOUNCE_MS = 400;

/** The value after it stopped changing for `delay` ms. */
export function useDebounced<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

/** Live duplicate warnings: POST /duplicates/check for the (debounced) query; none when null. */
export function useDuplicateCheck(query: DuplicateCheck | null, excludeId?: number) {
  const key = query ? JSON.stringify(query) : '';
  const debounced = useDebounced(key, DUPLICATE_DEBOUNCE_MS);
  return useQuery<DuplicateMatch[], ApiError>({
    queryKey: [...CLIENTS_KEY, 'duplicate-check', debounced],
    queryFn: async ({ signal }) =>
      (await clientsApi.checkDuplicates(JSON.parse(debounced) as DuplicateCheck, signal)).items,
    enabled: debounced !== '',
    staleTime: 10_000,
    placeholderData: (previous) => previous,
    select: (items) => (excludeId ? items.filter((m) => m.id !== excludeId) : items),
  });
}
