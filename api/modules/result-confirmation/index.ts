import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createConfirmationFlow } from './result-confirmation.flow.ts';
import resultConfirmationRoutes from './result-confirmation.routes.ts';
import { createResultConfirmationService } from './result-confirmation.service.ts';
import { createResultConfirmationRepository } from './result-confirmation.repository.ts';
import { meetingInScope } from '../meetings/meetings.scope.ts';

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
    // the 任职资格文件 and the 评审工作报告 of a meeting's confirmation: its organiser (and supervisor)
    // and the units confirming someone of the meeting
    const repo = createResultConfirmationRepository(fastify.db);
    fastify.fileReaders.add('result-confirmation', async (actor, file) => {
      for (const meetingId of await repo.meetingsOfFile(file.id)) {
        if (actor.roles.includes('result.confirm') && actor.unitId != null && (await repo.unitConfirms(meetingId, actor.unitId))) return true;
        if (await meetingInScope(fastify.db, actor, meetingId, 'read').then(() => true, () => false)) return true;
      }
      return false;
    });
    await fastify.register(resultConfirmationRoutes, { service });
  },
  { name: 'module:result-confirmation', dependencies: ['db', 'auth', 'flows', 'module:files', 'module:meetings'] },
);
