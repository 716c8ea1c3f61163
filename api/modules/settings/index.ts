import fp from 'fastify-plugin';
import settingsRoutes from './settings.routes.ts';

/** 期限设置: operators' due dates per flow step (the cache itself is the task-settings plugin the engine reads). */
export default fp(
  async (fastify) => {
    await fastify.register(settingsRoutes, { taskSettings: fastify.taskSettings });
  },
  { name: 'module:settings', dependencies: ['auth', 'engine', 'task-settings'] },
);
