import fp from 'fastify-plugin';
import meetingPrepRoutes from './meeting-prep.routes.ts';
import { createPrepChecks } from './meeting-prep.service.ts';

/**
 * 评审会议准备: the activity's options taking effect (`options.ts`), 设置评分标准, 导入笔试成绩,
 * 导入答辩安排 with its 答辩通知, and 公示有异议人员; the checks of the meeting flow's exam and defense steps.
 */
export default fp(
  async (fastify) => {
    const checks = createPrepChecks(fastify.db);
    fastify.flows.check('meeting-exam', checks.exam);
    fastify.flows.check('meeting-defense', checks.defense);
    await fastify.register(meetingPrepRoutes);
  },
  { name: 'module:meeting-prep', dependencies: ['db', 'auth', 'engine', 'flows', 'pii', 'module:meetings', 'module:messages', 'module:files'] },
);
