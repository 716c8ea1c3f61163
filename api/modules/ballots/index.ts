import fp from 'fastify-plugin';
import ballotsRoutes from './ballots.routes.ts';
import { createBallotsService } from './ballots.service.ts';

/**
 * 专家投票与计票: meeting credentials and their sheet, the 专家端, ballots (保存, 提交 once), the
 * tally (回退, 缺席, 计票完成) and the flow keys `ballot.openRound`, `ballot.handBack`,
 * `ballot.tally`, `expert-ballot`, `meeting-tally`.
 */
export default fp(
  async (fastify) => {
    const service = createBallotsService(fastify.db, fastify.engine);
    fastify.flows.handlers(service.handlers);
    for (const [formKey, check] of Object.entries(service.checks)) fastify.flows.check(formKey, check);
    await fastify.register(ballotsRoutes, { service });
  },
  { name: 'module:ballots', dependencies: ['db', 'auth', 'engine', 'flows', 'module:meetings', 'module:meeting-prep'] },
);
