import fp from 'fastify-plugin';
import rolesRoutes from './roles.routes.ts';

/** 角色管理: a unit's roles made of catalogue permissions. */
export default fp(
  async (fastify) => {
    await fastify.register(rolesRoutes);
  },
  { name: 'module:roles', dependencies: ['auth', 'engine'] },
);
