import { useQuery } from '@tanstack/react-query';
import type { ApiResponse } from '../api-types.ts';
import { api } from './api.ts';

/** The domain labels the API publishes (forms/labels.ts on the server). */
export type Labels = ApiResponse<'/api/labels'>;

const NONE: Labels = {
  actions: {},
  achievementTitles: {},
  unitTypes: {},
  registrableUnitTypes: {},
  unitNatures: {},
  unitStatuses: {},
  activityStatuses: {},
  filingStatuses: {},
  expertStatuses: {},
};

/** The labels, fetched once per page load; empty maps until they arrive (codes show meanwhile). */
export function useLabels(): Labels {
  const { data } = useQuery({ queryKey: ['labels'], queryFn: () => api<Labels>('/api/labels'), staleTime: Infinity });
  return data ?? NONE;
}

/** A label map as react-admin choices, in the map's order. */
export function choicesOf(labels: Record<string, string>): Array<{ id: string; name: string }> {
  return Object.entries(labels).map(([id, name]) => ({ id, name }));
}
