import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listQuerySchema, pageOf, sendPage, sortOf } from '../../src/list-query.ts';
import { ValidationError } from '../../src/errors.ts';
import { createTasksRepository, taskSortColumns, type TaskFilter } from './tasks.repository.ts';
import { createTasksService, withActionLabel } from './tasks.service.ts';
import type { TaskWitness } from '../../../engine/index.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { canViewInstance } from '../instances/instances.access.ts';
import {
  batchBody,
  batchResult,
  completeBody,
  completeResult,
  countsResult,
  errorSchema,
  taskDetail,
  taskIdParams,
  taskListItem,
} from './tasks.schemas.ts';

const filterSchema = z
  .object({
    processKey: z.string().optional(),
    elementId: z.string().optional(),
    name: z.string().optional(),
    unitId: z.coerce.number().int().optional(),
    applicantName: z.string().optional(),
    q: z.string().optional(),
    createdFrom: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    createdTo: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    overdue: z.boolean().optional(),
  })
  .strip();

function parseFilter(raw: Record<string, unknown> | undefined): TaskFilter {
  const parsed = filterSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: `filter.${i.path.join('.')}`, message: `筛选条件 ${i.path.join('.')}：${i.message}` }));
    throw new ValidationError(details.map((d) => d.message).join('；'), details);
  }
  return parsed.data;
}

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 500: errorSchema };

/** 待办事项 / 已办事项 and task completion. */
const tasksRoutes: FastifyPluginAsyncZod<{ batchConcurrency?: number }> = async (app, opts) => {
  const repo = createTasksRepository(app.db);
  // whoever may read a case may know of its tasks (and be told why they may not act on one)
  const witness: TaskWitness = (actor, task) => canViewInstance(app.db, app.engine, actor as RequestActor, { rootInstanceId: task.rootInstanceId, startedBy: null });
  // the modules' checks, by form key (read per completion: modules loaded later register theirs too)
  const service = createTasksService(app.engine, repo, app.flows.checks, opts.batchConcurrency, app.log, witness);
  app.addHook('onRequest', app.authenticate);

  app.get('/api/tasks', {
    schema: {
      tags: ['待办'],
      summary: '我的待办（分页、筛选、排序）',
      querystring: listQuerySchema,
      response: { 200: z.array(taskListItem), ...errors },
    },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const sort = sortOf(request.query, taskSortColumns, ['t.created_at', 'asc']);
      const { items, total } = await repo.listOpen(request.actor, parseFilter(request.query.filter), page, sort);
      sendPage(reply, 'tasks', page, items.length, total);
      return items.map(withActionLabel);
    },
  });

  app.get('/api/tasks/counts', {
    schema: { tags: ['待办'], summary: '各类待办数量', response: { 200: countsResult, ...errors } },
    handler: async (request, reply) => {
      const counts = await repo.countsByTask(request.actor);
      reply.header('Content-Range', `tasks 0-${Math.max(0, counts.length - 1)}/${counts.length}`);
      reply.header('Access-Control-Expose-Headers', 'Content-Range');
      return counts.map((c) => ({ id: `${c.processKey}:${c.elementId}:${c.name}`, ...c }));
    },
  });

  app.get('/api/tasks/done', {
    schema: {
      tags: ['待办'],
      summary: '我的已办',
      querystring: listQuerySchema,
      response: { 200: z.array(taskListItem), ...errors },
    },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const sort = sortOf(request.query, taskSortColumns, ['t.completed_at', 'desc']);
      const { items, total } = await repo.listDone(request.actor, parseFilter(request.query.filter), page, sort);
      sendPage(reply, 'tasks', page, items.length, total);
      return items.map(withActionLabel);
    },
  });

  app.get('/api/tasks/:id', {
    schema: {
      tags: ['待办'],
      summary: '任务详情：表单定义（JSON Schema）、实例数据、可执行动作与经办流程',
      params: taskIdParams,
      response: { 200: taskDetail, ...errors },
    },
    handler: async (request) => service.detail(request.params.id, request.actor),
  });

  app.post('/api/tasks/:id/complete', {
    schema: {
      tags: ['待办'],
      summary: '办理任务（通过 / 退回 / 不通过 / 提交）',
      params: taskIdParams,
      body: completeBody,
      response: { 200: completeResult, ...errors },
    },
    handler: async (request) => service.complete(request.params.id, request.actor, request.body),
  });

  app.post('/api/tasks/batch-complete', {
    schema: {
      tags: ['待办'],
      summary: '批量办理：每个任务单独校验与提交，逐条返回结果',
      body: batchBody,
      response: { 200: batchResult, ...errors },
    },
    handler: async (request) => service.batch(request.body.taskIds, request.actor, request.body),
  });

  app.post('/api/tasks/:id/claim', {
    schema: { tags: ['待办'], summary: '认领任务', params: taskIdParams, response: { 200: z.object({ id: z.string(), assigneeId: z.number().nullable() }), ...errors } },
    handler: async (request) => {
      const task = await app.engine.claimTask(request.params.id, request.actor, { witness });
      return { id: task.id, assigneeId: task.assigneeId };
    },
  });

  app.post('/api/tasks/:id/unclaim', {
    schema: { tags: ['待办'], summary: '取消认领', params: taskIdParams, response: { 200: z.object({ id: z.string(), assigneeId: z.number().nullable() }), ...errors } },
    handler: async (request) => {
      const admin = request.actor.roles.includes('process.manage');
      const task = await app.engine.unclaimTask(request.params.id, request.actor, { admin, witness });
      return { id: task.id, assigneeId: task.assigneeId };
    },
  });
};

export default tasksRoutes;
