import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../src/schemas.ts';
import { idParams, noticeDetailSchema, noticeSchema } from './result-publicity.schemas.ts';
import type { PublicityService } from './result-publicity.service.ts';

const TAGS = ['公开信息'];

/** 评审结果公示 on the system's home page: every published notice, readable without logging in. */
const publicityPublicRoutes: FastifyPluginAsyncZod<{ service: PublicityService }> = async (app, { service }) => {
  app.get('/api/public/publicity', {
    schema: { tags: TAGS, summary: '评审结果公示（公示中和已结束的公示公告）', security: [], response: { 200: z.array(noticeSchema), ...errorResponses } },
    handler: async () => service.publicList(),
  });

  app.get('/api/public/publicity/:id', {
    schema: { tags: TAGS, summary: '评审结果公示公告（公示名单）', security: [], params: idParams, response: { 200: noticeDetailSchema, ...errorResponses } },
    handler: async (request) => service.publicNotice(request.params.id),
  });

  app.get('/api/public/publicity/:id/pdf', {
    schema: { tags: TAGS, summary: '下载公示公告（PDF）', security: [], params: idParams },
    handler: async (request, reply) => {
      const { pdf, name } = await service.publicPdf(request.params.id);
      reply.header('Content-Type', 'application/pdf');
      reply.header('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`);
      return reply.send(pdf);
    },
  });
};

export default publicityPublicRoutes;
