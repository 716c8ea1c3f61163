import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { ANNOUNCEMENT_STATES, ANNOUNCEMENT_TYPES, createAnnouncementsRepository, type AnnouncementState, type AnnouncementType } from './announcements.repository.ts';
import { announcementBody, announcementJson, announcementSchema, filterOf, idParams, termOf } from './announcements.schemas.ts';
import { managerUnit, type AnnouncementsService } from './announcements.service.ts';

const TAGS = ['通知公告'];
const batchResult = z.object({ id: z.number(), ok: z.boolean(), status: z.number(), message: z.string().nullable() });

/** 通知公告管理 (manual §1.2.15.1): the unit's announcements — add, edit, publish, revoke, delete drafts, in batches too. */
const announcementsRoutes: FastifyPluginAsyncZod<{ service: AnnouncementsService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const repo = createAnnouncementsRepository(app.db);
  const now = () => app.engine.clock.now();

  app.get('/api/announcements', {
    schema: { tags: TAGS, summary: '本单位的通知公告（按类型、状态、标题筛选）', querystring: listQuerySchema, response: { 200: z.array(announcementSchema), ...errorResponses } },
    handler: async (request, reply) => {
      const unitId = managerUnit(request.actor);
      const f = request.query.filter ?? {};
      const page = pageOf(request.query);
      const { rows, total } = await repo.list(
        {
          unitId,
          type: filterOf<AnnouncementType>(f.type, Object.keys(ANNOUNCEMENT_TYPES) as AnnouncementType[], 'type', '公告类型'),
          state: filterOf<AnnouncementState>(f.state, Object.keys(ANNOUNCEMENT_STATES) as AnnouncementState[], 'state', '状态'),
          q: termOf(f.q),
        },
        page,
      );
      sendPage(reply, 'announcements', page, rows.length, total);
      return rows.map(announcementJson);
    },
  });

  app.post('/api/announcements', {
    schema: { tags: TAGS, summary: '添加公告（草稿）', body: announcementBody, response: { 201: announcementSchema, ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(announcementJson(await service.create(request.actor, request.body, now()))),
  });

  app.get('/api/announcements/:id', {
    schema: { tags: TAGS, summary: '公告详情', params: idParams, response: { 200: announcementSchema, ...errorResponses } },
    handler: async (request) => announcementJson(await service.owned(request.actor, request.params.id)),
  });

  app.put('/api/announcements/:id', {
    schema: { tags: TAGS, summary: '编辑公告（草稿或已撤回的）', params: idParams, body: announcementBody.extend({ version: z.number().int().positive().meta({ title: '版本号' }) }), response: { 200: announcementSchema, ...errorResponses } },
    handler: async (request) => announcementJson(await service.update(request.actor, request.params.id, request.body, now())),
  });

  for (const [action, summary] of [
    ['publish', '发布公告'],
    ['revoke', '撤回公告'],
  ] as const) {
    app.post(`/api/announcements/:id/${action}`, {
      schema: { tags: TAGS, summary, params: idParams, response: { 200: announcementSchema, ...errorResponses } },
      handler: async (request) => {
        await service.act(request.actor, request.params.id, action, now());
        return announcementJson(await service.owned(request.actor, request.params.id));
      },
    });
  }

  app.delete('/api/announcements/:id', {
    schema: { tags: TAGS, summary: '删除公告（仅草稿）', params: idParams, response: { 200: z.object({ ok: z.boolean() }), ...errorResponses } },
    handler: async (request) => {
      await service.act(request.actor, request.params.id, 'delete', now());
      return { ok: true };
    },
  });

  app.post('/api/announcements/batch', {
    schema: {
      tags: TAGS,
      summary: '批量发布、撤回或删除',
      body: z.object({
        action: z.enum(['publish', 'revoke', 'delete']).meta({ title: '操作' }),
        ids: z.array(z.number().int().positive()).min(1, '请至少选择一条公告').max(200, '一次最多 200 条').meta({ title: '公告' }),
      }),
      response: { 200: z.object({ succeeded: z.number(), failed: z.number(), results: z.array(batchResult) }), ...errorResponses },
    },
    handler: async (request) => {
      const results = await service.batch(request.actor, request.body.ids, request.body.action, now());
      const succeeded = results.filter((r) => r.ok).length;
      return { succeeded, failed: results.length - succeeded, results };
    },
  });
};

export default announcementsRoutes;
