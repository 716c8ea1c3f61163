import fp from 'fastify-plugin';
import cron, { type ScheduledTask } from 'node-cron';

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: { start(): void; stop(): Promise<void>; runOnce(): Promise<SweepResult> };
  }
}

export interface SweepResult {
  timersFired: number;
  tasksOverdue: number;
}

/**
 * The sweeper: node-cron wakes it, the rows decide. Due timers and overdue tasks are claimed
 * with row locks, so any number of API processes can run it.
 */
export default fp<{ cronExpression: string }>(
  async (fastify, opts) => {
    let task: ScheduledTask | null = null;
    let running: Promise<SweepResult> | null = null;

    const sweep = async (): Promise<SweepResult> => {
      const timersFired = await fastify.engine.fireDueTimers(100);
      const overdue = await fastify.engine.markOverdueTasks(200);
      if (timersFired || overdue.length) fastify.log.info({ timersFired, tasksOverdue: overdue.length }, 'sweep');
      return { timersFired, tasksOverdue: overdue.length };
    };

    const runOnce = async (): Promise<SweepResult> => {
      // one sweep at a time per process; a slow sweep is not stacked
      if (running) return running;
      running = sweep().finally(() => {
        running = null;
      });
      return running;
    };

    fastify.decorate('scheduler', {
      start() {
        if (task) return;
        task = cron.schedule(opts.cronExpression, () => {
          runOnce().catch((err) => fastify.log.error({ err }, 'sweep failed'));
        });
        runOnce().catch((err) => fastify.log.error({ err }, 'sweep failed'));
      },
      async stop() {
        if (task) await task.stop();
        task = null;
        if (running) await running.catch(() => undefined);
      },
      runOnce,
    });
    fastify.addHook('onClose', async () => {
      await fastify.scheduler.stop();
    });
  },
  { name: 'scheduler', dependencies: ['engine'] },
);
