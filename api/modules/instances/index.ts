import fp from 'fastify-plugin';
import instancesRoutes from './instances.routes.ts';

/** Starting flows (with the start hooks the modules register), reading and cancelling instances. */
export default fp(
  async (fastify) => {
    await fastify.register(instancesRoutes);
  },
  { name: 'module:instances', dependencies: ['auth', 'engine', 'flows'] },
);
