import fp from 'fastify-plugin';
import dossierQueriesRoutes from './dossier-queries.routes.ts';
import { createDossierQueryService } from './dossier-queries.service.ts';

/** 申报材料综合查询 and 评审人员统计. */
export default fp(
  async (fastify) => {
    const service = createDossierQueryService({ db: fastify.db, engine: fastify.engine, regions: fastify.regions, now: () => fastify.engine.clock.now() });
    await fastify.register(dossierQueriesRoutes, { service });
  },
  { name: 'module:dossier-queries', dependencies: ['engine', 'module:regions'] },
);
