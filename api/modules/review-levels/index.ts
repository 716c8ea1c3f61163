import fp from 'fastify-plugin';
import { reviewLevelHandlers } from './review-levels.handlers.ts';
import reviewLevelsRoutes from './review-levels.routes.ts';

/** 单位内部多岗审核: a unit's review posts per matter type, and the handlers the multi-post sub-flow asks. */
export default fp(
  async (fastify) => {
    fastify.flows.handlers(reviewLevelHandlers);
    await fastify.register(reviewLevelsRoutes);
  },
  { name: 'module:review-levels', dependencies: ['auth', 'flows'] },
);
