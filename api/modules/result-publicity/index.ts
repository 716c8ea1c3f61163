import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createPublicityFlow } from './result-publicity.flow.ts';
import publicityPublicRoutes from './result-publicity.public.routes.ts';
import publicityRoutes from './result-publicity.routes.ts';
import { createPublicityService } from './result-publicity.service.ts';
import { COMPLAINTS_SEALED } from './result-publicity.pii.ts';

/**
 * 评审结果公示 (issue 18): the publicity flow's handlers and the check of 发布公示公告 (≥ 5 working
 * days by the 工作日历), the complaint flow's handlers, the committee's and the complainant's
 * routes, and the public notice list on the home page.
 */
export default fp<AppOptions>(
  async (fastify) => {
    const flow = createPublicityFlow(fastify.db, fastify.calendar);
    fastify.flows.handlers(flow.handlers);
    for (const [formKey, check] of Object.entries(flow.checks)) fastify.flows.check(formKey, check);
    // complainants' numbers sealed at rest (result-publicity.pii.ts)
    fastify.sealer.register(COMPLAINTS_SEALED);
    const service = createPublicityService({ db: fastify.db, engine: fastify.engine, now: () => fastify.engine.clock.now(), cipher: fastify.pii });
    await fastify.register(publicityRoutes, { service });
    await fastify.register(publicityPublicRoutes, { service });
  },
  { name: 'module:result-publicity', dependencies: ['db', 'auth', 'flows', 'pii', 'module:personal-information', 'module:calendar', 'module:meetings'] },
);
