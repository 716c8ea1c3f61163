import type { AuthProvider } from 'react-admin';
import { api, session, type CurrentUser } from './lib/api.ts';

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    const { token, user } = await api<{ token: string; user: CurrentUser }>('/api/auth/login', { method: 'POST', json: { username, password } });
    session.save(token, user);
  },
  async logout() {
    session.clear();
  },
  async checkAuth() {
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
