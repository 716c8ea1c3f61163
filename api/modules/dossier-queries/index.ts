import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import dossierQueriesRoutes from './dossier-queries.routes.ts';
import { COUNTS_JOB, compactDossierCounts } from './dossier-queries.counts.ts';
import { createDossierQueryService } from './dossier-queries.service.ts';

/** 申报材料综合查询 and 评审人员统计; the job that keeps the summary's rows few. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const service = createDossierQueryService({ db: fastify.db, engine: fastify.engine, regions: fastify.regions, now: () => fastify.engine.clock.now() });
    fastify.flows.job({ name: COUNTS_JOB, cronExpression: config.DOSSIER_COUNTS_CRON, run: () => compactDossierCounts(fastify.db) });
    await fastify.register(dossierQueriesRoutes, { service });
  },
  { name: 'module:dossier-queries', dependencies: ['engine', 'flows', 'module:regions'] },
);
