import fp from 'fastify-plugin';
import instanceMigrationsRoutes from './instance-migrations.routes.ts';

/** 迁移运行中实例: moving the running instances of a flow version to another version. */
export default fp(
  async (fastify) => {
    await fastify.register(instanceMigrationsRoutes);
  },
  { name: 'module:instance-migrations', dependencies: ['auth', 'engine'] },
);
