import fp from 'fastify-plugin';
import messagesRoutes from './messages.routes.ts';
import pushesRoutes from './pushes.routes.ts';

/** 消息: the caller's reminders, and 消息推送 by a unit's staff. */
export default fp(
  async (fastify) => {
    await fastify.register(messagesRoutes);
    await fastify.register(pushesRoutes);
  },
  { name: 'module:messages', dependencies: ['auth', 'engine'] },
);
