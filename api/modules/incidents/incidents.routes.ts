import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { iso, listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { audit } from '../../src/audit.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { createIncidentsRepository, type IncidentListFilter, type IncidentRow } from './incidents.repository.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 500: errorSchema };

const incidentSchema = z.object({
  id: z.number(),
  instanceId: z.string(),
  rootInstanceId: z.string(),
  processKey: z.string(),
  processName: z.string(),
  processVersion: z.number(),
  businessKey: z.string().nullable(),
  elementId: z.string(),
  elementName: z.string().nullable(),
  handler: z.string().nullable(),
  message: z.string(),
  attempts: z.number(),
  status: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
});

const historySchema = z.object({
  id: z.number(),
  instanceId: z.string(),
  type: z.string(),
  elementId: z.string().nullable(),
  elementName: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string().nullable(),
  opinion: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});

const detailSchema = incidentSchema.extend({
  /** only for administrators (流程管理); null for everybody else */
  stack: z.string().nullable(),
  stackHidden: z.boolean(),
  variables: z.record(z.string(), z.unknown()),
  instanceStatus: z.string(),
  history: z.array(historySchema),
  /** where the instance may be moved to: user tasks, service tasks and gateways of its version */
  moveTargets: z.array(z.object({ id: z.string(), name: z.string().nullable(), type: z.string() })),
});

const toJson = (i: IncidentRow) => ({
  id: i.id,
  instanceId: i.instanceId,
  rootInstanceId: i.rootInstanceId,
  processKey: i.processKey,
  processName: i.processName,
  processVersion: i.processVersion,
  businessKey: i.businessKey,
  elementId: i.elementId,
  elementName: i.elementName,
  handler: i.handler,
  message: i.message,
  attempts: i.attempts,
  status: i.status,
  createdAt: i.createdAt.toISOString(),
  updatedAt: i.updatedAt.toISOString(),
  resolvedAt: iso(i.resolvedAt),
});

const idParams = z.object({ id: z.coerce.number({ error: '异常编号必须是整数' }).int('异常编号必须是整数').min(1, '异常编号从 1 开始').max(Number.MAX_SAFE_INTEGER, '异常编号过大') });

const dateText = (label: string) =>
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), `${label}不是有效的日期`)
    .transform((s) => new Date(s));

const filterSchema = z.object({
  status: z.enum(['open', 'resolved'], { error: '状态只能是 open 或 resolved' }).optional(),
  processKey: z.string().max(200, '流程标识最长 200 个字符').optional(),
  elementId: z.string().max(200, '元素编号最长 200 个字符').optional(),
  instanceId: z.uuid('实例编号格式不正确').optional(),
  from: dateText('开始时间').optional(),
  to: dateText('结束时间').optional(),
  q: z.string().max(100, '搜索词最长 100 个字符').optional(),
});

/** 流程异常: service steps that failed, kept at their step until an administrator retries them or moves the instance on. */
const incidentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('preValidation', app.requirePermission('incident.manage'));
  const incidents = createIncidentsRepository(app.db);

  app.get('/api/incidents', {
    schema: {
      tags: ['流程异常'],
      summary: '流程异常列表（筛选：状态、流程、元素、实例、时间）',
      querystring: listQuerySchema.extend(filterSchema.shape),
      response: { 200: z.array(incidentSchema), ...errors },
    },
    handler: async (request, reply) => {
      const { sort, range, filter, ...direct } = request.query;
      void range;
      const fromFilter = filterSchema.safeParse(filter ?? {});
      if (!fromFilter.success) {
        const issue = fromFilter.error.issues[0];
        const field = `filter.${String(issue?.path[0] ?? '')}`;
        throw new ValidationError(issue?.message ?? '筛选条件不正确', [{ field, message: issue?.message ?? '不正确' }]);
      }
      const f: IncidentListFilter = { ...fromFilter.data, ...Object.fromEntries(Object.entries(direct).filter(([, v]) => v !== undefined)) };
      const page = pageOf(request.query, 50);
      const order = sort && sort[0] === 'id' && sort[1].toLowerCase() === 'asc' ? 'asc' : 'desc';
      const { items, total } = await incidents.list(f, page, order);
      sendPage(reply, 'incidents', page, items.length, total);
      return items.map(toJson);
    },
  });

  app.get('/api/incidents/:id', {
    schema: {
      tags: ['流程异常'],
      summary: '流程异常详情：错误信息、尝试次数、实例变量与办理记录；错误堆栈仅对流程管理员显示',
      params: idParams,
      response: { 200: detailSchema, ...errors },
    },
    handler: async (request) => {
      const incident = await incidents.get(request.params.id);
      if (!incident) throw new NotFoundError('异常记录不存在');
      const instance = await app.engine.getInstance(incident.instanceId);
      const history = await app.engine.history(incident.rootInstanceId);
      const administrator = request.actor.roles.includes('process.manage');
      return {
        ...toJson(incident),
        stack: administrator ? incident.stack : null,
        stackHidden: !administrator && incident.stack != null,
        variables: instance.variables,
        instanceStatus: instance.status,
        history: history.map((h) => ({
          id: h.id,
          instanceId: h.instanceId,
          type: h.type,
          elementId: h.elementId,
          elementName: h.elementName,
          actorName: h.actorName,
          action: h.action,
          opinion: h.opinion,
          data: h.data,
          createdAt: h.createdAt.toISOString(),
        })),
        moveTargets: incident.status === 'open' ? await app.engine.moveTargets(incident.definitionId, incident.elementId) : [],
      };
    },
  });

  const retryOne = async (id: number, actor: RequestActor) => {
    const result = await app.engine.retryIncident(id, actor);
    await audit(app.db, actor, { action: 'incident.retry', targetType: 'instance', targetId: result.instanceId, data: { incidentId: id, status: result.status, attempts: result.attempts } }, app.engine.clock.now());
    return result;
  };

  app.post('/api/incidents/:id/retry', {
    schema: {
      tags: ['流程异常'],
      summary: '重试失败的服务步骤',
      params: idParams,
      response: { 200: incidentSchema, ...errors },
    },
    handler: async (request) => {
      await retryOne(request.params.id, request.actor);
      const row = await incidents.get(request.params.id);
      if (!row) throw new NotFoundError('异常记录不存在');
      return toJson(row);
    },
  });

  app.post('/api/incidents/retry', {
    schema: {
      tags: ['流程异常'],
      summary: '批量重试：逐条重试所选的未处理异常，返回每条的结果',
      body: z.object({ ids: z.array(z.number({ error: '异常编号必须是整数' }).int('异常编号必须是整数').min(1, '异常编号从 1 开始'), { error: '请选择要重试的异常' }).min(1, '请选择要重试的异常').max(200, '一次最多重试 200 条') }),
      response: {
        200: z.object({
          resolved: z.number(),
          stillFailing: z.number(),
          skipped: z.number(),
          results: z.array(z.object({ id: z.number(), status: z.enum(['resolved', 'open', 'skipped', 'error']), message: z.string().nullable() })),
        }),
        ...errors,
      },
    },
    handler: async (request) => {
      const ids = [...new Set(request.body.ids)];
      const open = new Set(await incidents.openIds(ids));
      const results: Array<{ id: number; status: 'resolved' | 'open' | 'skipped' | 'error'; message: string | null }> = [];
      for (const id of ids) {
        if (!open.has(id)) {
          results.push({ id, status: 'skipped', message: '已处理或不存在' });
          continue;
        }
        try {
          const r = await retryOne(id, request.actor);
          results.push({ id, status: r.status === 'resolved' ? 'resolved' : 'open', message: r.status === 'resolved' ? null : r.message });
        } catch (err) {
          results.push({ id, status: 'error', message: (err as Error).message });
        }
      }
      return {
        resolved: results.filter((r) => r.status === 'resolved').length,
        stillFailing: results.filter((r) => r.status === 'open' || r.status === 'error').length,
        skipped: results.filter((r) => r.status === 'skipped').length,
        results,
      };
    },
  });

  app.post('/api/incidents/:id/move', {
    schema: {
      tags: ['流程异常'],
      summary: '移至其他步骤：取消失败的步骤，从本版本流程的所选元素（用户任务、服务任务或网关）继续，并记入办理记录与操作审计',
      params: idParams,
      body: z.object({
        targetElementId: z.string({ error: '请选择要移至的步骤' }).trim().min(1, '请选择要移至的步骤').max(200, '元素编号最长 200 个字符'),
        reason: z.string({ error: '请填写处理说明' }).trim().min(1, '请填写处理说明').max(500, '处理说明最长 500 个字符'),
      }),
      response: { 200: incidentSchema, ...errors },
    },
    handler: async (request) => {
      const { id } = request.params;
      const before = await incidents.get(id);
      if (!before) throw new NotFoundError('异常记录不存在');
      const { targetElementId, reason } = request.body;
      await app.engine.moveIncidentToElement(id, {
        targetElementId,
        reason,
        actor: request.actor,
        withTransaction: (trx) =>
          audit(trx, request.actor, { action: 'instance.move', targetType: 'instance', targetId: before.instanceId, data: { incidentId: id, fromElementId: before.elementId, toElementId: targetElementId, reason } }, app.engine.clock.now()),
      });
      const row = await incidents.get(id);
      return toJson(row as IncidentRow);
    },
  });
};

export default incidentsRoutes;
