import fp from 'fastify-plugin';
import incidentsRoutes from './incidents.routes.ts';

/** 流程异常: failed service steps and their retry. */
export default fp(
  async (fastify) => {
    await fastify.register(incidentsRoutes);
  },
  { name: 'module:incidents', dependencies: ['auth', 'engine'] },
);
