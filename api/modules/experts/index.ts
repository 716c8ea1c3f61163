import fp from 'fastify-plugin';
import expertsRoutes from './experts.routes.ts';
import { createPoolReviewFlow } from './expert-pool-review.flow.ts';

/** 专家库: pools, recommendations, their review and the Excel import. */
export default fp(
  async (fastify) => {
    // 专家库审核 runs as the flow `expert-pool-review`
    const flow = createPoolReviewFlow(fastify.db);
    fastify.flows.handlers(flow.handlers);
    for (const [formKey, check] of Object.entries(flow.checks)) fastify.flows.check(formKey, check);
    await fastify.register(expertsRoutes, { regions: fastify.regions, checks: flow.checks });
  },
  { name: 'module:experts', dependencies: ['auth', 'engine', 'flows', 'module:regions'] },
);
