import { useQuery } from '@tanstack/react-query';
import { api, type ApiError, type Schemas } from '../../api';
import { useDebounced } from '../clients/useDuplicateCheck';

export type HitType = 'company' | 'contact' | 'lead';
export const HIT_TYPES: readonly HitType[] = ['company', 'contact', 'lead'];

export type SearchHit = Schemas['SearchResult'];

/** The in-app address of a hit. */
export function hitLink(hit: Pick<SearchHit, 'type' | 'id'>): string {
  if (hit.type === 'company') return `/clients/companies/${hit.id}`;
  if (hit.type === 'contact') return `/clients/contacts/${hit.id}`;
  return `/leads?lead=${hit.id}`;
}

/** Hits grouped by type in a fixed order (companies, contacts, leads); empty groups left out. */
export function groupHits(hits: readonly SearchHit[]): { type: HitType; hits: SearchHit[] }[] {
  return HIT_TYPES.map((type) => ({ type, hits: hits.filter((h) => h.type === type) })).filter(
    (g) => g.hits.length > 0,
  );
}

/** Shortest query worth sending: one letter matches too much to be useful. */
export const MIN_QUERY = 2;

export function useSearch(q: string, options: { limit?: number; debounce?: number } = {}) {
  const query = useDebounced(q.trim(), options.debounce ?? 250);
  return useQuery<SearchHit[], ApiError>({
    queryKey: ['search', query, options.limit ?? 20],
    queryFn: async ({ signal }) =>
      (
        await api.request<{ items: SearchHit[] }>('/api/v1/search', {
          query: { q: query, limit: options.limit ?? 20 },
          signal,
        })
      ).items,
    enabled: query.length >= MIN_QUERY,
    placeholderData: (previous) => previous,
  });
}
