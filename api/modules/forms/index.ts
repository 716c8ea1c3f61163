import fp from 'fastify-plugin';
import formsRoutes from './forms.routes.ts';

/** Task forms as JSON Schema for the console. */
export default fp(
  async (fastify) => {
    await fastify.register(formsRoutes);
  },
  { name: 'module:forms', dependencies: ['auth'] },
);
