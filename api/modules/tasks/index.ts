import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import tasksRoutes from './tasks.routes.ts';

/** 待办事项 / 已办事项 and task completion, with the completion checks the modules register. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    await fastify.register(tasksRoutes, { batchConcurrency: config.BATCH_CONCURRENCY });
  },
  { name: 'module:tasks', dependencies: ['auth', 'engine', 'flows'] },
);
