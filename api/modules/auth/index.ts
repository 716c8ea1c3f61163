import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import authRoutes from './auth.routes.ts';

/** Login, the current user and password changes. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    await fastify.register(authRoutes, { loginRateLimit: config.LOGIN_RATE_LIMIT });
  },
  { name: 'module:auth', dependencies: ['auth', 'rate-limit'] },
);
