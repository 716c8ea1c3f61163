import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConflictError } from '../../src/errors.ts';
import { NotFoundError } from '../../src/errors.ts';
import { audit } from '../../src/audit.ts';
import { iso } from '../../src/list-query.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { createInstanceMigrationsRepository, type MigrationRunRow } from './instance-migrations.repository.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 500: errorSchema };

const elementId = z.string().trim().min(1, '元素编号不能为空').max(200, '元素编号最长 200 个字符');
const body = z.object({
  // versions are PostgreSQL integers: a larger number is a 400, not a query that fails
  fromVersion: z.number({ error: '源版本必须是整数' }).int('源版本必须是整数').min(1, '源版本从 1 开始').max(2_147_483_647, '源版本过大'),
  toVersion: z.number({ error: '目标版本必须是整数' }).int('目标版本必须是整数').min(1, '目标版本从 1 开始').max(2_147_483_647, '目标版本过大'),
  mapping: z.record(elementId, elementId).optional().refine((m) => !m || Object.keys(m).length <= 500, '对应关系最多 500 项'),
});

const plannedElement = z.object({
  elementId: z.string(),
  elementName: z.string().nullable(),
  type: z.string(),
  targetId: z.string().nullable(),
  targetName: z.string().nullable(),
  targetType: z.string().nullable(),
  ok: z.boolean(),
  reason: z.string().nullable(),
});

const planSchema = z.object({
  processKey: z.string(),
  fromVersion: z.number(),
  toVersion: z.number(),
  mapping: z.record(z.string(), z.string()),
  targets: z.array(z.object({ id: z.string(), name: z.string().nullable(), type: z.string() })),
  instances: z.array(
    z.object({
      instanceId: z.string(),
      rootInstanceId: z.string(),
      businessKey: z.string().nullable(),
      status: z.enum(['ok', 'refused', 'migrated']),
      reason: z.string().nullable(),
      elements: z.array(plannedElement),
    }),
  ),
  counts: z.object({ total: z.number(), ok: z.number(), refused: z.number(), migrated: z.number() }),
});

const runSchema = z.object({
  id: z.number(),
  processKey: z.string(),
  fromVersion: z.number(),
  toVersion: z.number(),
  mapping: z.record(z.string(), z.string()),
  status: z.enum(['running', 'done', 'failed']),
  total: z.number(),
  migrated: z.number(),
  already: z.number(),
  refused: z.number(),
  failed: z.number(),
  problems: z.array(z.object({ instanceId: z.string(), status: z.string(), reason: z.string().nullable() })),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const runJson = (r: MigrationRunRow) => ({
  id: r.id,
  processKey: r.processKey,
  fromVersion: r.fromVersion,
  toVersion: r.toVersion,
  mapping: r.mapping,
  status: r.status,
  total: r.total,
  migrated: r.migrated,
  already: r.already,
  refused: r.refused,
  failed: r.failed,
  problems: r.problems,
  error: r.error,
  startedAt: r.startedAt.toISOString(),
  finishedAt: iso(r.finishedAt),
});

const keyParams = z.object({ key: z.string().min(1, '流程标识不能为空').max(200, '流程标识最长 200 个字符') });

/** 迁移运行中实例: dry run, run in batches with progress, runs of a flow. Permission: 流程管理. */
const instanceMigrationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('preValidation', app.requirePermission('process.manage'));
  const runs = createInstanceMigrationsRepository(app.db);
  /** runs of this process, for tests and a graceful close */
  const inFlight = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...inFlight]);
  });

  app.post('/api/process-definitions/:key/migrations/plan', {
    schema: {
      tags: ['流程定义'],
      summary: '迁移运行中实例（试运行）：每个实例所在的元素及其在目标版本中的位置，不能迁移的写明原因',
      params: keyParams,
      body,
      response: { 200: planSchema, ...errors },
    },
    handler: async (request) => app.engine.planMigration({ processKey: request.params.key, ...request.body }),
  });

  app.post('/api/process-definitions/:key/migrations', {
    schema: {
      tags: ['流程定义'],
      summary: '执行迁移：分批迁移源版本的运行中实例（每个实例一个事务），返回进度记录；同一流程同时只能有一个迁移在运行',
      params: keyParams,
      body,
      response: { 202: runSchema, ...errors },
    },
    handler: async (request, reply) => {
      const { key } = request.params;
      const { fromVersion, toVersion } = request.body;
      const plan = await app.engine.planMigration({ processKey: key, ...request.body });
      const mapping = plan.mapping;
      const now = app.engine.clock.now();
      await runs.abandon(now);
      const run = await runs.start({ processKey: key, fromVersion, toVersion, mapping, total: plan.counts.total, startedBy: request.actor.userId, now });
      if (!run) throw new ConflictError('该流程已有迁移正在执行，请等待其完成');
      await audit(app.db, request.actor, { action: 'instance.migrate', targetType: 'process_definition', targetId: key, data: { runId: run.id, fromVersion, toVersion, mapping, total: plan.counts.total, refusedInPlan: plan.counts.refused } }, now);
      const actor = request.actor;
      const work = (async () => {
        try {
          await app.engine.migrateInstances({
            processKey: key,
            fromVersion,
            toVersion,
            mapping,
            actor,
            instanceIds: plan.instances.map((i) => i.instanceId),
            batchSize: 100,
            onBatch: (progress) => runs.progress(run.id, progress, app.engine.clock.now()),
          });
          await runs.finish(run.id, 'done', null, app.engine.clock.now());
        } catch (err) {
          request.log.error({ err, runId: run.id }, 'instance migration run failed');
          await runs.finish(run.id, 'failed', (err as Error).message, app.engine.clock.now()).catch(() => undefined);
        }
      })();
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
      reply.code(202);
      return runJson(run);
    },
  });

  app.get('/api/process-definitions/:key/migrations', {
    schema: { tags: ['流程定义'], summary: '最近的迁移记录', params: keyParams, response: { 200: z.array(runSchema), ...errors } },
    handler: async (request) => {
      await runs.abandon(app.engine.clock.now());
      return (await runs.recent(request.params.key)).map(runJson);
    },
  });

  app.get('/api/process-definitions/:key/migrations/:id', {
    schema: {
      tags: ['流程定义'],
      summary: '一次迁移的进度与结果',
      params: keyParams.extend({ id: z.coerce.number({ error: '迁移记录编号必须是整数' }).int('迁移记录编号必须是整数').min(1, '迁移记录编号从 1 开始') }),
      response: { 200: runSchema, ...errors },
    },
    handler: async (request) => {
      const run = await runs.get(request.params.key, request.params.id);
      if (!run) throw new NotFoundError('迁移记录不存在');
      return runJson(run);
    },
  });
};

export default instanceMigrationsRoutes;
