import fp from 'fastify-plugin';
import applicantsRoutes from './applicants.routes.ts';

/** 申报人: self-registration and the accounts units keep for their applicants. */
export default fp(
  async (fastify) => {
    await fastify.register(applicantsRoutes);
  },
  { name: 'module:applicants', dependencies: ['auth', 'engine'] },
);
