import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../src/errors.ts';
import { listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { createFilesRepository } from '../files/files.repository.ts';
import { ANNOUNCEMENT_TYPES, createAnnouncementsRepository, type AnnouncementType } from './announcements.repository.ts';
import { filterOf, idParams, publicAnnouncementSchema, publicJson, termOf } from './announcements.schemas.ts';

const TAGS = ['公开信息'];

/** 通知公告 on the public home page: published announcements only, read-only and paged, without logging in. */
const announcementsPublicRoutes: FastifyPluginAsyncZod = async (app) => {
  const repo = createAnnouncementsRepository(app.db);
  const files = createFilesRepository(app.db);
  const published = async (id: number) => {
    const found = await repo.get(id);
    if (!found || found.state !== 'published') throw new NotFoundError('公告不存在');
    return found;
  };

  app.get('/api/public/announcements', {
    schema: { tags: TAGS, summary: '已发布的通知公告（按类型筛选、按标题搜索）', security: [], querystring: listQuerySchema, response: { 200: z.array(publicAnnouncementSchema), ...errorResponses } },
    handler: async (request, reply) => {
      const f = request.query.filter ?? {};
      const page = pageOf(request.query, 10);
      const { rows, total } = await repo.list({ state: 'published', type: filterOf<AnnouncementType>(f.type, Object.keys(ANNOUNCEMENT_TYPES) as AnnouncementType[], 'type', '公告类型'), q: termOf(f.q) }, page);
      sendPage(reply, 'announcements', page, rows.length, total);
      return rows.map(publicJson);
    },
  });

  app.get('/api/public/announcements/:id', {
    schema: { tags: TAGS, summary: '通知公告详情', security: [], params: idParams, response: { 200: publicAnnouncementSchema, ...errorResponses } },
    handler: async (request) => publicJson(await published(request.params.id)),
  });

  app.get('/api/public/announcements/:id/files/:fileId', {
    schema: { tags: TAGS, summary: '下载通知公告的附件', security: [], params: idParams.extend({ fileId: z.uuid({ error: '附件编号格式不正确' }) }) },
    handler: async (request, reply) => {
      if (!(await repo.publishedHolds(request.params.id, request.params.fileId))) throw new NotFoundError('附件不存在');
      const file = await files.withContent(request.params.fileId);
      if (!file) throw new NotFoundError('附件不存在');
      reply.header('Content-Type', file.mime);
      reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      return reply.send(file.content);
    },
  });
};

export default announcementsPublicRoutes;
