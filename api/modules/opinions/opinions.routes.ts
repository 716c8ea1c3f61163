import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ForbiddenError, NotFoundError } from '../../src/errors.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { createOpinionsRepository } from './opinions.repository.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const opinion = z.object({ id: z.number(), text: z.string(), sortOrder: z.number(), preset: z.boolean() });
const body = z.object({
  text: z.string().trim().min(1, '意见内容不能为空').max(500, '意见最多 500 个字符'),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
});

/** 常用意见: the presets everyone has and each user's own reusable opinions. */
const opinionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const opinions = createOpinionsRepository(app.db);
  const notMine = async (id: number, verb: string): Promise<never> => {
    if (await opinions.isPreset(id)) throw new ForbiddenError(`系统预置的常用意见不能${verb}`);
    throw new NotFoundError('常用意见不存在');
  };

  app.get('/api/saved-opinions', {
    schema: { tags: ['常用意见'], summary: '常用意见（系统预置的在前，其后是我的）', response: { 200: z.array(opinion), ...errors } },
    handler: async (request, reply) => {
      const rows = await opinions.list(request.actor.userId);
      reply.header('Content-Range', `saved-opinions 0-${Math.max(0, rows.length - 1)}/${rows.length}`);
      return rows;
    },
  });

  app.post('/api/saved-opinions', {
    schema: { tags: ['常用意见'], summary: '新增常用意见', body, response: { 201: opinion, ...errors } },
    handler: async (request, reply) => {
      const row = await opinions.insert(request.actor.userId, { text: request.body.text, sortOrder: request.body.sortOrder ?? 0 });
      reply.code(201);
      return row;
    },
  });

  app.put('/api/saved-opinions/:id', {
    schema: { tags: ['常用意见'], summary: '修改常用意见', params: z.object({ id: z.coerce.number().int() }), body, response: { 200: opinion, ...errors } },
    handler: async (request) => {
      const row = await opinions.update(request.actor.userId, request.params.id, { text: request.body.text, sortOrder: request.body.sortOrder });
      return row ?? notMine(request.params.id, '修改');
    },
  });

  app.delete('/api/saved-opinions/:id', {
    schema: { tags: ['常用意见'], summary: '删除常用意见', params: z.object({ id: z.coerce.number().int() }), response: { 200: opinion, ...errors } },
    handler: async (request) => {
      const row = await opinions.remove(request.actor.userId, request.params.id);
      return row ?? notMine(request.params.id, '删除');
    },
  });
};

export default opinionsRoutes;
