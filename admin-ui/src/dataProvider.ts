import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, type DataProvider } from 'react-admin';
import { api, refreshSession, session } from './lib/api.ts';
import type { ApiBody, ApiResponse } from './api-types.ts';
import { keysetLists } from './lib/keyset-list.ts';

const send = (url: string, options: fetchUtils.Options) => {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  const token = session.token();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return fetchUtils.fetchJson(url, { ...options, headers });
};

// an expired access token is renewed once, transparently, and the request sent again
const httpClient = async (url: string, options: fetchUtils.Options = {}) => {
  try {
    return await send(url, options);
  } catch (err) {
    if ((err as { status?: number }).status === 401 && session.token() && (await refreshSession())) return send(url, options);
    throw err;
  }
};

export type BatchResult = ApiResponse<'/api/tasks/batch-complete', 'post'>;

const simpleRest = simpleRestProvider('/api', httpClient);
// lists that page by cursor past the offset cap, or whose total may be open (`…/*`) (docs/dossier-queries.md)
const keyset = keysetLists('/api', httpClient, ['dossier-queries', 'forwarded-dossiers', 'certificates']);

/** simple-rest against /api, plus the workflow operations that are not CRUD. */
export const dataProvider = {
  ...simpleRest,
  getList: (resource, params) => (keyset.handles(resource) ? keyset.getList(resource, params) : simpleRest.getList(resource, params)),
  completeTask: (id: string, body: ApiBody<'/api/tasks/{id}/complete', 'post'>) =>
    api<ApiResponse<'/api/tasks/{id}/complete', 'post'>>(`/api/tasks/${id}/complete`, { method: 'POST', json: body }),
  batchComplete: (taskIds: string[], action: string, opinion: string | null, data?: Record<string, unknown>) =>
    api<BatchResult>('/api/tasks/batch-complete', { method: 'POST', json: { taskIds, action, opinion, ...(data ? { data } : {}) } }),
} satisfies DataProvider & Record<string, unknown>;

export type ZcpsDataProvider = typeof dataProvider;
