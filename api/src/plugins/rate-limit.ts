import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { AppOptions } from '../app.ts';
import { DatabaseRateLimitStore, deleteEndedRateLimitWindows } from '../rate-limit-store.ts';

// every window is a minute: a counter older than this is dead whatever route it counted
const COUNTER_KEEP_MS = 5 * 60_000;

// the public pages' reads: portal lists, public activities, publicity, certificate verification
const isPublicRead = (url: string) => url.startsWith('/api/public/') || url === '/verify';

/**
 * Request limits per client address, for what anyone may call: the public pages' reads
 * (/api/public/…, /verify) PUBLIC_RATE_LIMIT a minute, anonymous writes (`security: []`:
 * registration) REGISTRATION_RATE_LIMIT a minute; the login and captcha declare their own.
 * Signed-in routes, the health probe and the console's form definitions are not limited.
 * Counted in the database (RATE_LIMIT_STORE=database, the default), so several API processes
 * share one count per address; `memory` counts per process.
 */
export default fp<Pick<AppOptions, 'config'>>(
  async (fastify, { config }) => {
    // added before the rate-limit plugin's own onRoute hook, which reads config.rateLimit
    fastify.addHook('onRoute', (route) => {
      const routeConfig = (route.config ?? {}) as { rateLimit?: unknown };
      if (routeConfig.rateLimit !== undefined) return;
      const security = (route.schema as { security?: unknown[] } | undefined)?.security;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const reads = methods.every((m) => m === 'GET' || m === 'HEAD');
      let max: number | null = null;
      if (reads && isPublicRead(route.url)) max = config.PUBLIC_RATE_LIMIT;
      else if (!reads && Array.isArray(security) && security.length === 0) max = config.REGISTRATION_RATE_LIMIT;
      // counted on arrival: a flood of malformed bodies is a flood too
      if (max !== null) route.config = { ...routeConfig, rateLimit: { max, timeWindow: '1 minute', hook: 'onRequest' } } as typeof route.config;
    });
    // preHandler: the login limit is keyed by the account name, which needs the parsed body
    const shared = config.RATE_LIMIT_STORE === 'database';
    await fastify.register(rateLimit, {
      global: false,
      hook: 'preHandler',
      ...(shared ? { store: class extends DatabaseRateLimitStore { constructor() { super(fastify.db); } } } : {}),
    });
    if (shared) {
      fastify.flows.job({ name: 'rate-limit-counters', cronExpression: '* * * * *', run: () => deleteEndedRateLimitWindows(fastify.db, COUNTER_KEEP_MS) });
    }
  },
  { name: 'rate-limit', dependencies: ['db', 'flows'] },
);
