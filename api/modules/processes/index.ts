import fp from 'fastify-plugin';
import processesRoutes from './processes.routes.ts';

/** Process definitions: versions, deployment (followed by the key report), drafts and engine counters. */
export default fp(
  async (fastify) => {
    await fastify.register(processesRoutes);
  },
  { name: 'module:processes', dependencies: ['auth', 'engine', 'flows'] },
);
