import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../src/errors.ts';
import { iso, listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { createMessagesRepository } from './messages.repository.ts';

const message = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
  readAt: z.string().nullable(),
  sender: z.object({ unitName: z.string(), userName: z.string() }).nullable().describe('发送单位与发送人（消息推送）；系统提醒为 null'),
});

/** 消息: the caller's reminders, read state per person. */
const messagesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const messages = createMessagesRepository(app.db);

  app.get('/api/messages', {
    schema: { tags: ['消息'], summary: '我的消息', querystring: listQuerySchema, response: { 200: z.array(message), ...errorResponses } },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const unread = request.query.filter?.unread === true || request.query.filter?.unread === 'true';
      const { rows, total } = await messages.list(request.actor, { unread }, page);
      sendPage(reply, 'messages', page, rows.length, total);
      return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), readAt: iso(r.readAt) }));
    },
  });

  app.get('/api/messages/unread-count', {
    schema: { tags: ['消息'], summary: '未读消息数', response: { 200: z.object({ count: z.number() }), ...errorResponses } },
    handler: async (request) => {
      return { count: await messages.unreadCount(request.actor) };
    },
  });

  app.post('/api/messages/:id/read', {
    schema: { tags: ['消息'], summary: '标记已读', params: z.object({ id: z.coerce.number().int() }), response: { 200: z.object({ ok: z.boolean() }), ...errorResponses } },
    handler: async (request) => {
      if (!(await messages.visible(request.actor, request.params.id))) throw new NotFoundError('消息不存在');
      await messages.markRead(request.actor.userId, [request.params.id], app.engine.clock.now());
      return { ok: true };
    },
  });

  app.post('/api/messages/read', {
    schema: {
      tags: ['消息'],
      summary: '批量确认已读',
      body: z.object({ ids: z.array(z.number().int().positive()).min(1, '请至少选择一条消息').max(1000, '一次最多 1000 条').meta({ title: '消息' }) }),
      response: { 200: z.object({ count: z.number() }), ...errorResponses },
    },
    handler: async (request) => {
      const ids = [...new Set(request.body.ids)];
      const visible = await messages.visibleIds(request.actor, ids);
      if (visible.length !== ids.length) throw new NotFoundError('消息不存在');
      await messages.markRead(request.actor.userId, visible, app.engine.clock.now());
      return { count: visible.length };
    },
  });

  app.post('/api/messages/read-all', {
    schema: { tags: ['消息'], summary: '全部标记已读', response: { 200: z.object({ count: z.number() }), ...errorResponses } },
    handler: async (request) => {
      return { count: await messages.markAllRead(request.actor, app.engine.clock.now()) };
    },
  });
};

export default messagesRoutes;
