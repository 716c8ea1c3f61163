import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../src/errors.ts';
import { countOf, listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { messagesOf } from './messages.service.ts';

const message = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});

/** 消息: the caller's reminders, read state per person. */
const messagesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/messages', {
    schema: { tags: ['消息'], summary: '我的消息', querystring: listQuerySchema, response: { 200: z.array(message), ...errorResponses } },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const unread = request.query.filter?.unread === true || request.query.filter?.unread === 'true';
      const query = messagesOf(app.db, request.actor).leftJoin('message_reads as r', (j) => j.on('r.message_id', 'm.id').andOn('r.user_id', app.db.raw('?', [request.actor.userId])));
      if (unread) query.whereNull('r.message_id');
      const n = await countOf(query);
      const rows = await query.select('m.*', 'r.read_at').orderBy('m.id', 'desc').offset(page.offset).limit(page.limit);
      sendPage(reply, 'messages', page, rows.length, Number(n));
      return rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        kind: String(r.kind),
        title: String(r.title),
        body: (r.body as string | null) ?? null,
        link: (r.link as string | null) ?? null,
        createdAt: new Date(r.created_at as string).toISOString(),
        read: r.read_at != null,
      }));
    },
  });

  app.get('/api/messages/unread-count', {
    schema: { tags: ['消息'], summary: '未读消息数', response: { 200: z.object({ count: z.number() }), ...errorResponses } },
    handler: async (request) => {
      const count = await countOf(messagesOf(app.db, request.actor).whereNotExists(app.db('message_reads as r').whereRaw('r.message_id = m.id').where('r.user_id', request.actor.userId)));
      return { count };
    },
  });

  app.post('/api/messages/:id/read', {
    schema: { tags: ['消息'], summary: '标记已读', params: z.object({ id: z.coerce.number().int() }), response: { 200: z.object({ ok: z.boolean() }), ...errorResponses } },
    handler: async (request) => {
      const found = await messagesOf(app.db, request.actor).where('m.id', request.params.id).first('m.id');
      if (!found) throw new NotFoundError('消息不存在');
      await app.db('message_reads').insert({ message_id: request.params.id, user_id: request.actor.userId, read_at: app.engine.clock.now() }).onConflict(['message_id', 'user_id']).ignore();
      return { ok: true };
    },
  });

  app.post('/api/messages/read-all', {
    schema: { tags: ['消息'], summary: '全部标记已读', response: { 200: z.object({ count: z.number() }), ...errorResponses } },
    handler: async (request) => {
      const ids = await messagesOf(app.db, request.actor)
        .whereNotExists(app.db('message_reads as r').whereRaw('r.message_id = m.id').where('r.user_id', request.actor.userId))
        .pluck('m.id');
      if (ids.length) {
        const now = app.engine.clock.now();
        await app.db('message_reads').insert(ids.map((id: number) => ({ message_id: id, user_id: request.actor.userId, read_at: now }))).onConflict(['message_id', 'user_id']).ignore();
      }
      return { count: ids.length };
    },
  });
};

export default messagesRoutes;
