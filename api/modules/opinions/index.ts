import fp from 'fastify-plugin';
import opinionsRoutes from './opinions.routes.ts';

/** 常用意见: each user's reusable opinions. */
export default fp(
  async (fastify) => {
    await fastify.register(opinionsRoutes);
  },
  { name: 'module:opinions', dependencies: ['auth'] },
);
