import fp from 'fastify-plugin';
import routingRoutes from './routing.routes.ts';

/** 主管部门配置: which department a committee's dossiers pass through. */
export default fp(
  async (fastify) => {
    await fastify.register(routingRoutes, { regions: fastify.regions });
  },
  { name: 'module:routing', dependencies: ['auth', 'engine', 'module:regions'] },
);
