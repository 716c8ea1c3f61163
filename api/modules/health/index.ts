import fp from 'fastify-plugin';
import healthRoutes from './health.routes.ts';

/** Liveness, what is deployed, and the registered keys no deployed diagram uses. */
export default fp(
  async (fastify) => {
    await fastify.register(healthRoutes);
  },
  { name: 'module:health', dependencies: ['db', 'flows'] },
);
