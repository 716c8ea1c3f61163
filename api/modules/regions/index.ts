import fp from 'fastify-plugin';
import regionsRoutes from './regions.routes.ts';
import { loadRegions, type Regions } from './regions.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** 职称业务归属地: the administrative divisions, read once at start */
    regions: Regions;
  }
}

/** 职称业务归属地: the regions, shared as `fastify.regions`, and their public list. */
export default fp(
  async (fastify) => {
    const regions = await loadRegions(fastify.db);
    fastify.decorate('regions', regions);
    await fastify.register(regionsRoutes, { regions });
  },
  { name: 'module:regions', dependencies: ['db'] },
);
