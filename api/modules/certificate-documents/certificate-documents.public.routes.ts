import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../src/schemas.ts';
import type { CertificateDocumentsService } from './certificate-documents.service.ts';
import { publishedKeySchema, verificationSchema, verifyQuery } from './certificate-documents.schemas.ts';

const TAGS = ['公开信息'];

/** 证书核验, readable without logging in: the QR code's signed payload, a lookup by number, the public keys. */
const certificateDocumentsPublicRoutes: FastifyPluginAsyncZod<{ service: CertificateDocumentsService }> = async (app, { service }) => {
  // the QR code's address: the console routes by the hash, so the page is /#/verify with the same query
  app.get('/verify', { schema: { hide: true } }, async (request, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    return reply.redirect(`/#/verify${query}`);
  });

  app.get('/api/public/certificates/verify', {
    schema: { tags: TAGS, summary: '证书核验（二维码）：验证签名，答复 有效 / 已撤销 / 伪造', security: [], querystring: verifyQuery, response: { 200: verificationSchema, ...errorResponses } },
    handler: async (request) => service.verify(request.query.p, request.query.s),
  });

  app.get('/api/public/certificate-keys', {
    schema: { tags: TAGS, summary: '发证单位的签名公钥（含已停用的），用于离线核验证书', security: [], response: { 200: z.array(publishedKeySchema), ...errorResponses } },
    handler: async () => service.publishedKeys(),
  });

  app.get('/api/public/certificates/:certificateNo', {
    schema: {
      tags: TAGS,
      summary: '按证书编号查询证书（校验位先行校验）',
      security: [],
      params: z.object({ certificateNo: z.string().min(1).max(40) }),
      response: { 200: verificationSchema, ...errorResponses },
    },
    handler: async (request) => service.lookup(request.params.certificateNo),
  });
};

export default certificateDocumentsPublicRoutes;
