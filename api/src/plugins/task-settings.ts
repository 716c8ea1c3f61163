import fp from 'fastify-plugin';
import { createTaskSettingsCache, type TaskSettingsCache } from '../../modules/settings/task-settings.cache.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** 期限设置: operators' due dates per flow step, which the engine asks for while it opens tasks */
    taskSettings: TaskSettingsCache;
  }
}

/** Operators' due dates in memory, loaded before the engine opens its first task. */
export default fp(
  async (fastify) => {
    const taskSettings = createTaskSettingsCache(fastify.db);
    await taskSettings.reload();
    taskSettings.start();
    fastify.addHook('onClose', async () => taskSettings.stop());
    fastify.decorate('taskSettings', taskSettings);
  },
  { name: 'task-settings', dependencies: ['db'] },
);
