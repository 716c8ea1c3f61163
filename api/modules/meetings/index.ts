import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createMeetingFlow } from './meetings.flow.ts';
import meetingsRoutes from './meetings.routes.ts';
import { createMeetingService } from './meetings.service.ts';
import { meetingsWithMaterial } from './meetings.repository.ts';
import { meetingInScope } from './meetings.scope.ts';

/**
 * 评审会议 (破格评审会议, 普通评审会议): the meeting records and their scope
 * (`meetings.scope.ts`, used by every part of the meeting: draw, exam, defense, ballots, tally),
 * the meeting flows' own handlers and checks, 专家分组, 人员分配 and 评审方案.
 */
export default fp<AppOptions>(
  async (fastify) => {
    const flow = createMeetingFlow(fastify.db);
    fastify.flows.handlers(flow.handlers);
    for (const [formKey, check] of Object.entries(flow.checks)) fastify.flows.check(formKey, check);
    const service = createMeetingService({ db: fastify.db, engine: fastify.engine, pii: fastify.pii });
    // a meeting's 评审材料: whoever may see the meeting (the organiser's clerks, the supervising committee's)
    fastify.fileReaders.add('meeting-material', async (actor, file) => {
      for (const meetingId of await meetingsWithMaterial(fastify.db, file.id)) {
        if (await meetingInScope(fastify.db, actor, meetingId, 'read').then(() => true, () => false)) return true;
      }
      return false;
    });
    await fastify.register(meetingsRoutes, { service });
  },
  { name: 'module:meetings', dependencies: ['db', 'pii', 'auth', 'flows', 'module:files'] },
);
