import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createConfirmationFlow } from './result-confirmation.flow.ts';
import resultConfirmationRoutes from './result-confirmation.routes.ts';
import { createResultConfirmationService } from './result-confirmation.service.ts';

/**
 * 评审结果确认 (manual §1.2.6 step 7, §1.2.7): the flows `result-confirmation` (per meeting,
 * started by publicity's 移交结果确认) and `result-confirmation-candidate` (per candidate), the
 * confirming units' pages and the organiser's page.
 */
export default fp<AppOptions>(
  async (fastify) => {
    const flow = createConfirmationFlow(fastify.db, fastify.engine);
    fastify.flows.handlers(flow.handlers);
    for (const [formKey, check] of Object.entries(flow.checks)) fastify.flows.check(formKey, check);
    const service = createResultConfirmationService({ db: fastify.db, engine: fastify.engine, checks: flow.checks });
    await fastify.register(resultConfirmationRoutes, { service });
  },
  { name: 'module:result-confirmation', dependencies: ['db', 'auth', 'flows', 'module:meetings'] },
);
