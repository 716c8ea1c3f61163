import fp from 'fastify-plugin';
import messagesRoutes from './messages.routes.ts';

/** 消息: the caller's reminders. */
export default fp(
  async (fastify) => {
    await fastify.register(messagesRoutes);
  },
  { name: 'module:messages', dependencies: ['auth', 'engine'] },
);
