import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { QueryOptions } from './types.ts';

/** The pickers of both screens: the organiser's committees and activities, 评价方式, 系列, 层级, 状态. */
export function useQueryOptions() {
  return useQuery({ queryKey: ['dossier-query-options'], queryFn: () => api<QueryOptions>('/api/dossier-queries/options'), staleTime: 60_000 });
}
