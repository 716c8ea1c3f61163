import fp from 'fastify-plugin';
import homeRoutes from './home.routes.ts';
import { createHomeService } from './home.service.ts';

/** 首页 (manual §1.2.1, §2.2.1, §3.2.1): what a unit sees first, and the administrator's overview. */
export default fp(
  async (fastify) => {
    const service = createHomeService({ db: fastify.db, regions: fastify.regions, now: () => fastify.engine.clock.now() });
    await fastify.register(homeRoutes, { service });
  },
  { name: 'module:home', dependencies: ['db', 'auth', 'engine', 'module:regions'] },
);
