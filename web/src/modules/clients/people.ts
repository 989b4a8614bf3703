import { useQuery } from '@tanstack/react-query';
import { api, type ApiError, type Page, type Schemas } from '../../api';

type Employee = Schemas['Employee'];

export interface Person {
  user_id: number;
  full_name: string;
}

/**
 * Active people the caller may see, for owner pickers and filters. The server applies visibility,
 * so a seller sees only themselves; the list is one page (a department has far fewer people).
 */
export function usePeople() {
  return useQuery<Person[], ApiError>({
    queryKey: ['people', 'active'],
    queryFn: async () => {
      const page = await api.request<Page<Employee>>('/api/v1/employees', {
        query: { status: 'active', limit: 200 },
      });
      const seen = new Set<number>();
      return page.items
        .filter((e) => !seen.has(e.user_id) && seen.add(e.user_id))
        .map((e) => ({ user_id: e.user_id, full_name: e.full_name }))
        .sort((a, b) => a.full_name.localeCompare(b.full_name));
    },
    staleTime: 5 * 60_000,
  });
}
