import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../src/errors.ts';
import { listQuerySchema, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { idParams, noticeListItem, noticeSchema } from './activities.schemas.ts';
import { listPublished, noticeOf, sendPolicyFile } from './activities.routes.ts';
import type { ActivityService } from './activities.service.ts';

const TAGS = ['公开信息'];

/** 系统首页的评审活动通知: published activities marked 对外公开, readable without logging in. */
const activitiesPublicRoutes: FastifyPluginAsyncZod<{ service: ActivityService }> = async (app, opts) => {
  const { service } = opts;
  const { repo } = service;

  async function publicActivity(id: number) {
    const a = await repo.get(id);
    if (!a || a.status !== 'published' || !a.public) throw new NotFoundError('评审活动不存在或未对外公开');
    return a;
  }

  app.get('/api/public/activities', {
    schema: {
      tags: TAGS,
      summary: '对外公开的评审活动（分页、筛选：q、year、level、committeeId）',
      security: [],
      querystring: listQuerySchema,
      response: { 200: z.array(noticeListItem), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { page, total, rows } = await listPublished(repo, request.query, { publicOnly: true });
      const now = service.now();
      sendPage(reply, 'public/activities', page, rows.length, total);
      return rows.map((a) => noticeOf(a, now));
    },
  });

  app.get('/api/public/activities/:id', {
    schema: { tags: TAGS, summary: '评审活动通知（含评审政策文件）', security: [], params: idParams, response: { 200: noticeSchema, ...errorResponses } },
    handler: async (request) => noticeOf(await publicActivity(request.params.id), service.now()),
  });

  app.get('/api/public/activities/:id/files/:fileId', {
    schema: {
      tags: TAGS,
      summary: '下载评审政策文件',
      security: [],
      params: idParams.extend({ fileId: z.uuid({ error: '附件编号格式不正确' }) }),
    },
    handler: async (request, reply) => {
      return sendPolicyFile(app.db, await publicActivity(request.params.id), request.params.fileId, reply);
    },
  });
};

export default activitiesPublicRoutes;
