import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MessageRecord } from '../../../engine/index.ts';
import { iso } from '../../src/list-query.ts';
import { ValidationError } from '../../src/errors.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 500: errorSchema };

const STATUSES = ['pending', 'delivered', 'expired'] as const;

const messageSchema = z.object({
  id: z.number(),
  name: z.string().meta({ title: '消息' }),
  correlationKey: z.string().nullable().meta({ title: '关联键' }),
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(STATUSES).meta({ title: '状态' }),
  sourceInstanceId: z.string().nullable(),
  sourceProcessKey: z.string().nullable().meta({ title: '发送流程' }),
  sourceElementId: z.string().nullable(),
  targetInstanceId: z.string().nullable(),
  targetElementId: z.string().nullable(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string().meta({ title: '发送时间' }),
  expiresAt: z.string().meta({ title: '保留至' }),
  deliveredAt: z.string().nullable(),
});

const toJson = (m: MessageRecord) => ({
  ...m,
  createdAt: m.createdAt.toISOString(),
  expiresAt: m.expiresAt.toISOString(),
  deliveredAt: iso(m.deliveredAt),
});

const filterSchema = z.object({
  status: z.enum(STATUSES).optional(),
  name: z.string().trim().min(1).max(100).optional(),
  correlationKey: z.string().trim().min(1).max(200).optional(),
});

/** react-admin's `filter` and `range` parameters: a JSON object and `[from, to]`. */
function parseList(query: { filter?: string; range?: string }) {
  let filter: z.infer<typeof filterSchema> = {};
  if (query.filter) {
    let raw: unknown;
    try {
      raw = JSON.parse(query.filter);
    } catch {
      throw new ValidationError('筛选条件必须是 JSON', [{ field: 'filter', message: '必须是 JSON' }]);
    }
    const parsed = filterSchema.safeParse(raw);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'filter');
      const names: Record<string, string> = { status: '状态', name: '消息名称', correlationKey: '关联键' };
      throw new ValidationError(`筛选条件“${names[field] ?? field}”无效`, [{ field: `filter.${field}`, message: `${names[field] ?? field}无效` }]);
    }
    filter = parsed.data;
  }
  let range: [number, number] = [0, 49];
  if (query.range) {
    let r: unknown;
    try {
      r = JSON.parse(query.range);
    } catch {
      r = null;
    }
    if (Array.isArray(r) && r.length === 2 && r.every((n) => Number.isInteger(n) && n >= 0) && r[1] >= r[0]) range = [r[0], Math.min(r[1], r[0] + 199)];
    else throw new ValidationError('分页参数无效', [{ field: 'range', message: '应为 [起, 止]' }]);
  }
  return { filter, range };
}

/** 流程消息: what the flows posted to each other — those waiting for a receiver, delivered, expired. */
const processMessagesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('preValidation', app.requirePermission('process.monitor'));

  app.get('/api/process-messages', {
    schema: {
      tags: ['流程消息'],
      summary: '流程消息：流程间发送的消息（待接收、已送达、已过期），可按状态、消息名称、关联键筛选',
      querystring: z.object({ filter: z.string().optional(), range: z.string().optional(), sort: z.string().optional() }),
      response: { 200: z.array(messageSchema), ...errors },
    },
    handler: async (request, reply) => {
      const { filter, range } = parseList(request.query);
      const { items, total } = await app.engine.listMessages({ ...filter, limit: range[1] - range[0] + 1, offset: range[0] });
      reply.header('Content-Range', `process-messages ${range[0]}-${range[0] + Math.max(0, items.length - 1)}/${total}`);
      return items.map(toJson);
    },
  });
};

export default processMessagesRoutes;
