import { HttpError } from 'react-admin';
import type { ApiError, ApiResponse } from '../api-types.ts';

const TOKEN_KEY = 'zcps.token';
const USER_KEY = 'zcps.user';

/** The logged-in user, as /api/auth/me and the login answer give it. */
export type CurrentUser = ApiResponse<'/api/auth/me'>;

export const session = {
  token: () => localStorage.getItem(TOKEN_KEY),
  user: (): CurrentUser | null => {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as CurrentUser) : null;
  },
  save(token: string, user: CurrentUser) {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  saveUser(user: CurrentUser) {
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  },
};

/** An error answer's body; what a proxy or a crash answers may lack any of it. */
export type ApiErrorBody = Partial<ApiError>;

/** fetch against the API with the login token; errors become react-admin HttpErrors with the API's Chinese message. */
export async function api<T = unknown>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = session.token();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(path, { ...init, headers, body });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const err = (data ?? {}) as ApiErrorBody;
    throw new HttpError(err.message ?? `请求失败（${res.status}）`, res.status, err);
  }
  return data as T;
}

/** Field-level messages of a 400 answer, keyed by the field path without its "data." / "body." prefix. */
export function fieldErrors(error: unknown): Record<string, string> {
  const body = (error as { body?: ApiErrorBody })?.body;
  const out: Record<string, string> = {};
  if (Array.isArray(body?.details)) {
    for (const d of body.details as Array<{ field?: string; message?: string }>) {
      if (d.field && d.message) out[d.field.replace(/^(data|body)\./, '')] = d.message;
    }
  }
  return out;
}
