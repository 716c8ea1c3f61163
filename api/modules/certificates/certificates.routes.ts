import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../src/errors.ts';
import { errorResponses } from '../../src/schemas.ts';
import type { CertificatesService } from './certificates.service.ts';

/** Permissions whose holders issue certificates in their unit (and so watch its generations). */
const ISSUING = ['certificate.issue', 'history.review'];

const progress = z.object({
  ref: z.string(),
  total: z.number().int(),
  issued: z.number().int(),
  state: z.enum(['running', 'done']).describe('running 生成中 | done 已完成'),
  lastError: z.string().nullable().describe('上一次失败的原因（会自动重试）'),
});

/** The progress of a background generation, for the issuer unit's staff only. */
const certificatesRoutes: FastifyPluginAsyncZod<{ service: CertificatesService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  app.get('/api/certificate-generations/:ref', {
    schema: {
      tags: ['电子证书'],
      summary: '证书批量生成的进度（发证单位）',
      params: z.object({ ref: z.string().min(1).max(100).describe('批次标识，如 issuance-batch:12') }),
      response: { 200: progress, ...errorResponses },
    },
    handler: async (request) => {
      const { actor } = request;
      const found = await service.progress(request.params.ref);
      // the same answer whether it exists or belongs to another unit
      if (!found || actor.unitId !== found.issuerUnitId || !actor.roles.some((r) => ISSUING.includes(r))) throw new NotFoundError('证书生成批次不存在');
      const { issuerUnitId: _unit, ...rest } = found;
      return rest;
    },
  });
};

export default certificatesRoutes;
