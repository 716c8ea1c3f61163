import fp from 'fastify-plugin';
import processMessagesRoutes from './process-messages.routes.ts';

/** 流程消息: messages between flows that wait for a receiver or expired (the engine keeps them). */
export default fp(
  async (fastify) => {
    await fastify.register(processMessagesRoutes);
  },
  { name: 'module:process-messages', dependencies: ['auth', 'engine'] },
);
