import fp from 'fastify-plugin';
import cron, { type ScheduledTask } from 'node-cron';
import type { AppOptions } from '../app.ts';

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: { start(): void; stop(): Promise<void>; runOnce(): Promise<SweepResult>; runJob(name: string): Promise<unknown> };
  }
}

/** A daily (or otherwise scheduled) job beside the sweeper; it must be safe to run on every process. */
export interface ScheduledJob {
  name: string;
  cronExpression: string;
  run(): Promise<unknown>;
  /** what the job works on in the diagrams: flows by key, elements as `processKey:elementId`, form keys (for the key report) */
  uses?: { processes?: string[]; elements?: string[]; forms?: string[] };
}

export interface SweepResult {
  timersFired: number;
  tasksOverdue: number;
  /** messages between flows delivered (or starting a flow) by this sweep; expired ones are marked too */
  messagesDelivered: number;
}

/**
 * The sweeper: node-cron wakes it, the rows decide. Due timers, overdue tasks and messages are claimed
 * with row locks, so any number of API processes can run it.
 */
/** What a job answers when it did nothing: no value, zero, an empty list. */
const idle = (result: unknown) => result == null || result === 0 || (Array.isArray(result) && result.length === 0);

export default fp<Pick<AppOptions, 'config'>>(
  async (fastify, opts) => {
    let task: ScheduledTask | null = null;
    const jobTasks: ScheduledTask[] = [];
    let running: Promise<SweepResult> | null = null;

    const sweep = async (): Promise<SweepResult> => {
      const timersFired = await fastify.engine.fireDueTimers(100);
      const overdue = await fastify.engine.markOverdueTasks(200);
      const messagesDelivered = await fastify.engine.deliverMessages(100);
      if (timersFired || overdue.length || messagesDelivered) fastify.log.info({ timersFired, tasksOverdue: overdue.length, messagesDelivered }, 'sweep');
      return { timersFired, tasksOverdue: overdue.length, messagesDelivered };
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
        task = cron.schedule(opts.config.SWEEP_CRON, () => {
          runOnce().catch((err) => fastify.log.error({ err }, 'sweep failed'));
        });
        // the modules registered their jobs after this plugin: read them when started
        for (const job of fastify.flows.jobs()) {
          jobTasks.push(
            cron.schedule(job.cronExpression, () => {
              job.run().then(
                // a sweep that found nothing to do (every few seconds for some) is not news
                (result) => (idle(result) ? fastify.log.debug({ job: job.name }, 'scheduled job found nothing to do') : fastify.log.info({ job: job.name, result }, 'scheduled job done')),
                (err) => fastify.log.error({ err, job: job.name }, 'scheduled job failed'),
              );
            }, { timezone: 'Asia/Shanghai' }),
          );
        }
        runOnce().catch((err) => fastify.log.error({ err }, 'sweep failed'));
      },
      async stop() {
        if (task) await task.stop();
        task = null;
        for (const t of jobTasks.splice(0)) await t.stop();
        if (running) await running.catch(() => undefined);
      },
      runOnce,
      async runJob(name: string) {
        const job = fastify.flows.jobs().find((j) => j.name === name);
        if (!job) throw new Error(`no scheduled job ${name}`);
        return job.run();
      },
    });
    fastify.addHook('onClose', async () => {
      await fastify.scheduler.stop();
    });
  },
  { name: 'scheduler', dependencies: ['engine', 'flows'] },
);
