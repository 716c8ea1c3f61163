import type { AuthProvider } from 'react-admin';
import { api, endSession, session, type CurrentUser } from './lib/api.ts';
import type { ApiResponse } from './api-types.ts';

// roles and unit status can change while a session is open: read them again once per page load
let refreshed: Promise<void> | null = null;
function refreshUser(): Promise<void> {
  refreshed ??= api<CurrentUser>('/api/auth/me')
    .then((user) => session.saveUser(user))
    .catch((err: { status?: number }) => {
      refreshed = null;
      if (err?.status === 401) {
        session.clear();
        throw err;
      }
    });
  return refreshed;
}

export const authProvider: AuthProvider = {
  async login({ username, password, captchaId, captcha }: { username: string; password: string; captchaId?: string; captcha?: string }) {
    const json = captchaId ? { username, password, captchaId, captcha } : { username, password };
    const { user, ...issued } = await api<ApiResponse<'/api/auth/login', 'post'>>('/api/auth/login', { method: 'POST', json });
    session.save(issued, user);
    refreshed = Promise.resolve();
    // an initial password given by someone else is replaced before anything else
    return user.mustChangePassword ? { redirectTo: '/change-password' } : undefined;
  },
  async logout() {
    // the server ends the session too: its tokens are refused at once, wherever they are copied
    await endSession();
    refreshed = null;
  },
  async checkAuth() {
    if (!session.token()) throw new Error('请先登录');
    await refreshUser();
    if (!session.token()) throw new Error('请先登录');
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      session.clear();
      throw new Error('登录已过期，请重新登录');
    }
  },
  async getIdentity() {
    const user = session.user();
    if (!user) throw new Error('请先登录');
    return { id: user.id, fullName: user.unitName ? `${user.displayName}（${user.unitName}）` : user.displayName };
  },
  async getPermissions() {
    return session.user()?.permissions ?? [];
  },
};
