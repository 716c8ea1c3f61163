import fp from 'fastify-plugin';
import messagesRoutes from './messages.routes.ts';
import pushesRoutes from './pushes.routes.ts';
import { remindRevisionDeadlines } from './flow-notices.ts';

/** 消息: the caller's reminders, and 消息推送 by a unit's staff. */
export default fp(
  async (fastify) => {
    await fastify.register(messagesRoutes);
    await fastify.register(pushesRoutes);
    // 修改期限临近: deadlines carry a time of day, and a reminder a day ahead need not be minute-exact
    fastify.flows.job({ name: 'revision-deadline-reminders', cronExpression: '17 * * * *', run: () => remindRevisionDeadlines(fastify.db, fastify.engine.clock.now()) });
  },
  { name: 'module:messages', dependencies: ['auth', 'engine', 'flows'] },
);
