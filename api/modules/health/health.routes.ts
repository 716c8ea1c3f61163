import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { UnusedKeys } from '../../src/plugins/flows.ts';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../src/db.ts';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../../src/plugins/errors.ts';
import { createHealthRepository } from './health.repository.ts';

const keyList = z.array(z.string());

/** Liveness, what is deployed and the registered keys no deployed diagram uses; no login needed. */
const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const health = createHealthRepository(app.db);
  app.get('/api/health', {
    schema: {
      tags: ['系统'],
      summary: '运行状态',
      security: [],
      response: {
        200: z.object({
          status: z.enum(['ok', 'degraded']),
          database: z.enum(['pglite', 'postgresql']),
          processes: z.array(z.object({ key: z.string(), version: z.number() })),
          /** registered by a module, named by no deployed version (the latest of each flow, or one with running cases) */
          unusedKeys: z.object({
            handlers: keyList,
            checks: keyList,
            startHooks: keyList,
            cancelHooks: keyList,
            jobs: z.array(z.object({ name: z.string(), missing: keyList })),
          }),
        }),
        /** the database does not answer (restarting, unreachable): a load balancer takes the process out */
        503: z.object({
          status: z.literal('down'),
          database: z.enum(['pglite', 'postgresql']),
          message: z.string(),
        }),
      },
    },
    handler: async (_request, reply) => {
      try {
        await health.ping();
      } catch (err) {
        app.log.warn({ err: { message: (err as Error).message } }, 'health check: database unavailable');
        return reply
          .code(503)
          .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
          .send({ status: 'down' as const, database: app.dbKind, message: DATABASE_UNAVAILABLE_MESSAGE });
      }
      let status: 'ok' | 'degraded' = 'ok';
      let processes: Array<{ key: string; version: number }> = [];
      let unusedKeys: UnusedKeys = { handlers: [], checks: [], startHooks: [], cancelHooks: [], jobs: [] };
      try {
        processes = await app.engine.repo.latestVersions();
        unusedKeys = await app.flows.unusedKeys();
      } catch (err) {
        app.log.error({ err }, 'health check query failed');
        status = 'degraded';
      }
      return { status, database: app.dbKind, processes, unusedKeys };
    },
  });
};

export default healthRoutes;
