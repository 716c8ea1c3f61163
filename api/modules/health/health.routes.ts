import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Liveness and what is deployed; no login needed. */
const healthRoutes: FastifyPluginAsyncZod = async (app) => {
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
        }),
      },
    },
    handler: async () => {
      let status: 'ok' | 'degraded' = 'ok';
      let processes: Array<{ key: string; version: number }> = [];
      try {
        const rows = await app.db('process_definitions').select('key').max<{ key: string; version: number }[]>({ version: 'version' }).groupBy('key').orderBy('key');
        processes = rows.map((r) => ({ key: String(r.key), version: Number(r.version) }));
      } catch (err) {
        app.log.error({ err }, 'health check query failed');
        status = 'degraded';
      }
      return { status, database: app.dbKind, processes };
    },
  });
};

export default healthRoutes;
