import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createTalentFlow } from './talents.flow.ts';
import { TALENTS_SEALED } from './talents.pii.ts';
import talentsRoutes from './talents.routes.ts';
import { createTalentsService } from './talents.service.ts';

/**
 * 专技人才 (manual §1.2.13): a person's registration as professional staff, reviewed up the unit
 * chain by `talent-registration`, and 专技人才统计 of a unit's subtree.
 */
export default fp<AppOptions>(
  async (fastify) => {
    const flow = createTalentFlow(fastify.db);
    fastify.flows.handlers(flow.handlers);
    // the ID number sealed at rest (SM4, keyed hash for the duplicate check): docs/personal-information.md
    fastify.sealer.register(TALENTS_SEALED);
    const service = createTalentsService({ db: fastify.db, engine: fastify.engine, pii: fastify.pii });
    await fastify.register(talentsRoutes, { service });
  },
  { name: 'module:talents', dependencies: ['db', 'auth', 'flows', 'pii', 'module:personal-information'] },
);
