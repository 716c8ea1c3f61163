import fp from 'fastify-plugin';
import expertDrawRoutes from './expert-draw.routes.ts';
import { createAttendanceCheck, createDrawCheck } from './expert-draw.checks.ts';
import { createExpertDrawService } from './expert-draw.service.ts';

/** 专家抽选 and 确认出席 of a review meeting: draw groups, seeded and replayable draws, attendance with alternates, the two steps' checks. */
export default fp(
  async (fastify) => {
    const service = createExpertDrawService({ db: fastify.db, pii: fastify.pii, now: () => fastify.engine.clock.now() });
    fastify.flows.check('meeting-draw', createDrawCheck(service));
    fastify.flows.check('meeting-attendance', createAttendanceCheck(service));
    await fastify.register(expertDrawRoutes, { service });
  },
  { name: 'module:expert-draw', dependencies: ['db', 'pii', 'auth', 'engine', 'flows', 'module:meetings'] },
);
