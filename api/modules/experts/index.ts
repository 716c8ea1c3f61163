import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import expertsRoutes from './experts.routes.ts';
import { createPoolReviewFlow } from './expert-pool-review.flow.ts';
import { EXPERTS_SEALED, sealExpertImports } from './experts.pii.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Seals the numbers inside the kept rows of expert imports (older rows, a rotated key); returns the rows done. */
    sealExpertImports: (options?: { batchSize?: number; maxBatches?: number }) => Promise<number>;
  }
}

/** 专家库: pools, recommendations, their review and the Excel import. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    // experts' ID numbers and phones are sealed at rest (the sweep seals what a writer left plain)
    fastify.sealer.register(EXPERTS_SEALED);
    // the import's kept rows are JSON: their numbers are sealed in place, older rows by this sweep
    const sealImports = (options: { batchSize?: number; maxBatches?: number } = {}) => sealExpertImports(fastify.db, fastify.pii, options);
    fastify.decorate('sealExpertImports', sealImports);
    fastify.flows.job({ name: 'pii-seal-expert-imports', cronExpression: config.SWEEP_CRON, run: () => sealImports({ maxBatches: 4 }) });
    fastify.addHook('onReady', () => {
      if (config.SCHEDULER) setImmediate(() => void sealImports().catch((err: unknown) => fastify.log.error({ err }, '专家导入数据加密（补录）失败')));
    });
    // 专家库审核 runs as the flow `expert-pool-review`
    const flow = createPoolReviewFlow(fastify.db);
    fastify.flows.handlers(flow.handlers);
    for (const [formKey, check] of Object.entries(flow.checks)) fastify.flows.check(formKey, check);
    await fastify.register(expertsRoutes, { regions: fastify.regions, checks: flow.checks });
  },
  { name: 'module:experts', dependencies: ['auth', 'engine', 'flows', 'pii', 'module:regions', 'module:personal-information'] },
);
