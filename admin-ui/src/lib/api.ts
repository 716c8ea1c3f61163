import { HttpError } from 'react-admin';
import type { ApiError, ApiResponse } from '../api-types.ts';

const TOKEN_KEY = 'zcps.token';
const USER_KEY = 'zcps.user';
const REFRESH_KEY = 'zcps.refresh';
const POLICY_KEY = 'zcps.session';
// the last time a person used the console (any tab): what the idle end counts from
const ACTIVITY_KEY = 'zcps.activity';

/** The logged-in user, as /api/auth/me and the login answer give it. */
export type CurrentUser = ApiResponse<'/api/auth/me'>;
/** A login, refresh or password change's tokens and the idle policy the server set. */
export type IssuedSession = ApiResponse<'/api/auth/refresh', 'post'>;
export type SessionPolicy = IssuedSession['session'];

export const session = {
  token: () => localStorage.getItem(TOKEN_KEY),
  refreshToken: () => localStorage.getItem(REFRESH_KEY),
  user: (): CurrentUser | null => {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as CurrentUser) : null;
  },
  policy: (): SessionPolicy | null => {
    const raw = localStorage.getItem(POLICY_KEY);
    return raw ? (JSON.parse(raw) as SessionPolicy) : null;
  },
  save(issued: IssuedSession, user?: CurrentUser) {
    localStorage.setItem(TOKEN_KEY, issued.token);
    localStorage.setItem(REFRESH_KEY, issued.refreshToken);
    localStorage.setItem(POLICY_KEY, JSON.stringify(issued.session));
    if (user) {
      // a login (or password change) is use; a renewal is not
      localStorage.setItem(USER_KEY, JSON.stringify(user));
      session.touch();
    }
  },
  saveUser(user: CurrentUser) {
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  lastActivity: () => Number(localStorage.getItem(ACTIVITY_KEY) ?? 0),
  touch(at = Date.now()) {
    localStorage.setItem(ACTIVITY_KEY, String(at));
  },
  clear() {
    for (const key of [TOKEN_KEY, USER_KEY, REFRESH_KEY, POLICY_KEY, ACTIVITY_KEY]) localStorage.removeItem(key);
  },
};

let refreshing: Promise<boolean> | null = null;

/**
 * Exchanges the refresh token for a new pair, once at a time in this tab: true when the session
 * goes on. Another tab may have exchanged it first; then its new access token is used.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const sent = session.refreshToken();
    if (!sent) return false;
    const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: sent }) }).catch(() => null);
    if (res?.ok) {
      session.save((await res.json()) as IssuedSession);
      return true;
    }
    if (res && session.refreshToken() !== sent) return true;
    if (res && res.status === 401) session.clear();
    return false;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Ends the session on the server (its tokens refused at once), then forgets it here. */
export async function endSession(): Promise<void> {
  const token = session.token();
  if (token) await fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
  session.clear();
}

/**
 * fetch with the login token; a 401 of an expired access token is answered by one transparent
 * refresh and a retry.
 */
export async function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = () => {
    const headers = new Headers(init.headers);
    const token = session.token();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    return fetch(path, { ...init, headers });
  };
  const res = await send();
  if (res.status === 401 && session.token() && (await refreshSession())) return send();
  return res;
}

/** An error answer's body; what a proxy or a crash answers may lack any of it. */
export type ApiErrorBody = Partial<ApiError>;

/** fetch against the API with the login token; errors become react-admin HttpErrors with the API's Chinese message. */
export async function api<T = unknown>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.json);
  }
  // a refused login is a 401 that no refresh answers
  const res = path === '/api/auth/login' ? await fetch(path, { ...init, headers, body }) : await authFetch(path, { ...init, headers, body });
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
