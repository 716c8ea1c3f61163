import fp from 'fastify-plugin';
import expertsRoutes from './experts.routes.ts';

/** 专家库: pools, recommendations, their review and the Excel import. */
export default fp(
  async (fastify) => {
    await fastify.register(expertsRoutes, { regions: fastify.regions });
  },
  { name: 'module:experts', dependencies: ['auth', 'engine', 'module:regions'] },
);
