import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IncidentRecord } from '../../../engine/types.ts';
import { iso } from '../../src/list-query.ts';
import { ValidationError } from '../../src/errors.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 500: errorSchema };

const incidentSchema = z.object({
  id: z.number(),
  instanceId: z.string(),
  rootInstanceId: z.string(),
  elementId: z.string(),
  handler: z.string().nullable(),
  message: z.string(),
  attempts: z.number(),
  status: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
});

const toJson = (i: IncidentRecord) => ({
  id: i.id,
  instanceId: i.instanceId,
  rootInstanceId: i.rootInstanceId,
  elementId: i.elementId,
  handler: i.handler,
  message: i.message,
  attempts: i.attempts,
  status: i.status,
  createdAt: i.createdAt.toISOString(),
  updatedAt: i.updatedAt.toISOString(),
  resolvedAt: iso(i.resolvedAt),
});

/** 流程异常: service steps that failed, kept at their step until an administrator retries them. */
const incidentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('preValidation', app.requirePermission('incident.manage'));

  app.get('/api/incidents', {
    schema: {
      tags: ['流程异常'],
      summary: '流程异常列表',
      querystring: z.object({
        status: z.enum(['open', 'resolved']).optional(),
        instanceId: z.uuid().optional(),
        // react-admin list parameters are accepted and ignored (the list is short)
        filter: z.string().optional(),
        range: z.string().optional(),
        sort: z.string().optional(),
      }),
      response: { 200: z.array(incidentSchema), ...errors },
    },
    handler: async (request, reply) => {
      let { status, instanceId } = request.query;
      if (request.query.filter) {
        let f: { status?: 'open' | 'resolved'; instanceId?: string };
        try {
          f = JSON.parse(request.query.filter) as typeof f;
        } catch {
          throw new ValidationError('筛选条件必须是 JSON', [{ field: 'filter', message: '必须是 JSON' }]);
        }
        // `null`, a number or a list parse as JSON but hold no conditions
        if (!f || typeof f !== 'object' || Array.isArray(f)) throw new ValidationError('筛选条件必须是 JSON 对象', [{ field: 'filter', message: '必须是 JSON 对象' }]);
        status ??= f.status === 'open' || f.status === 'resolved' ? f.status : undefined;
        instanceId ??= typeof f.instanceId === 'string' ? f.instanceId : undefined;
      }
      const list = (await app.engine.listIncidents({ ...(status ? { status } : {}), ...(instanceId ? { instanceId } : {}) })).map(toJson);
      reply.header('Content-Range', `incidents 0-${Math.max(0, list.length - 1)}/${list.length}`);
      return list;
    },
  });

  app.post('/api/incidents/:id/retry', {
    schema: {
      tags: ['流程异常'],
      summary: '重试失败的服务步骤',
      params: z.object({ id: z.coerce.number().int().min(1) }),
      response: { 200: incidentSchema, ...errors },
    },
    handler: async (request) => toJson(await app.engine.retryIncident(request.params.id, request.actor)),
  });
};

export default incidentsRoutes;
