import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import committeesRoutes from './committees.routes.ts';
import { createCommitteeService } from './committees.service.ts';
import { createFiling } from './committees.filing.ts';
import { sweepCommitteeTerms } from './expiry.job.ts';

/** 评委会: committees, their filing flow and the end of their terms. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const now = () => fastify.engine.clock.now();
    const service = createCommitteeService({ db: fastify.db, regions: fastify.regions, now });
    const filing = createFiling({ db: fastify.db, engine: fastify.engine, committees: service });
    fastify.flows.handlers(filing.handlers);
    fastify.flows.check('committee-filing', filing.check);
    fastify.flows.job({ name: 'committee-terms', cronExpression: config.COMMITTEE_SWEEP_CRON, run: () => sweepCommitteeTerms(fastify.db, now()) });
    await fastify.register(committeesRoutes, { service, filing });
  },
  { name: 'module:committees', dependencies: ['flows', 'module:regions'] },
);
