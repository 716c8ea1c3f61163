import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../src/errors.ts';
import { iso, listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { createPushesRepository, type PushRecord } from './pushes.repository.ts';
import { sendPush, senderUnit } from './pushes.service.ts';

const recipientKind = z.enum(['unit', 'person']).meta({ title: '接收对象类型', description: 'unit 下级单位 | person 本单位申报人' });

const pushBody = z.object({
  recipientKind,
  recipientIds: z.array(z.number().int().positive()).min(1, '请至少选择一个接收对象').max(1000, '一次最多发送给 1000 个接收对象').meta({ title: '接收对象' }),
  title: z.string().trim().min(1, '请填写标题').max(100, '最多 100 个字').meta({ title: '标题' }),
  content: z.string().trim().min(1, '请填写消息内容').max(2000, '最多 2000 个字').meta({ title: '消息内容' }),
});

const option = z.object({ id: z.number(), name: z.string(), detail: z.string().nullable() });

const push = z.object({
  id: z.number(),
  recipientKind,
  title: z.string(),
  content: z.string(),
  senderName: z.string(),
  recipientCount: z.number(),
  readCount: z.number(),
  createdAt: z.string(),
});

const receipt = z.object({ messageId: z.number(), recipientId: z.number(), recipientName: z.string(), read: z.boolean(), readAt: z.string().nullable(), readBy: z.string().nullable() });

const pushJson = (p: PushRecord) => ({ ...p, createdAt: p.createdAt.toISOString() });

const searchTerm = (filter: Record<string, unknown> | undefined): string | undefined => {
  const q = filter?.q;
  return typeof q === 'string' && q.trim() ? q.trim().slice(0, 100) : undefined;
};

/** 消息推送 (manual §1.2.10–1.2.11): choose recipients, send, and the sender's 已发送 list with read receipts. */
const pushesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const pushes = createPushesRepository(app.db);

  app.get('/api/message-recipients/units', {
    schema: { tags: ['消息'], summary: '可推送的下级单位（按名称查询）', querystring: listQuerySchema, response: { 200: z.array(option), ...errorResponses } },
    handler: async (request, reply) => {
      const { unitId, unitPath } = senderUnit(request.actor);
      const page = pageOf(request.query);
      const { rows, total } = await pushes.subordinateUnits(unitId, unitPath, searchTerm(request.query.filter), page);
      sendPage(reply, 'message-recipients/units', page, rows.length, total);
      return rows;
    },
  });

  app.get('/api/message-recipients/persons', {
    schema: { tags: ['消息'], summary: '本单位人员列表（可推送的申报人）', querystring: listQuerySchema, response: { 200: z.array(option), ...errorResponses } },
    handler: async (request, reply) => {
      const { unitId } = senderUnit(request.actor);
      const page = pageOf(request.query);
      const { rows, total } = await pushes.unitApplicants(unitId, searchTerm(request.query.filter), page);
      sendPage(reply, 'message-recipients/persons', page, rows.length, total);
      return rows;
    },
  });

  app.post('/api/message-pushes', {
    schema: { tags: ['消息'], summary: '发送消息（消息推送）', body: pushBody, response: { 201: z.object({ id: z.number(), recipientCount: z.number() }), ...errorResponses } },
    handler: async (request, reply) => {
      const sent = await app.db.transaction((trx) => sendPush(trx, request.actor, request.body, app.engine.clock.now()));
      return reply.code(201).send(sent);
    },
  });

  app.get('/api/message-pushes', {
    schema: { tags: ['消息'], summary: '已发送消息（已读 x / 共 y）', querystring: listQuerySchema, response: { 200: z.array(push), ...errorResponses } },
    handler: async (request, reply) => {
      const { unitId } = senderUnit(request.actor);
      const page = pageOf(request.query);
      const { rows, total } = await pushes.sent(unitId, { q: searchTerm(request.query.filter) }, page);
      sendPage(reply, 'message-pushes', page, rows.length, total);
      return rows.map(pushJson);
    },
  });

  app.get('/api/message-pushes/:id', {
    schema: {
      tags: ['消息'],
      summary: '已发送消息的详情与阅读回执',
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: { 200: push.extend({ receipts: z.array(receipt) }), ...errorResponses },
    },
    handler: async (request) => {
      const { unitId } = senderUnit(request.actor);
      const found = await pushes.get(request.params.id, unitId);
      if (!found) throw new NotFoundError('消息不存在');
      const receipts = await pushes.receipts(found.id);
      return { ...pushJson(found), receipts: receipts.map((r) => ({ ...r, read: r.readAt != null, readAt: iso(r.readAt) })) };
    },
  });
};

export default pushesRoutes;
