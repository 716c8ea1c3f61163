import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../../src/errors.ts';
import { listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx, workbookOf } from '../../src/xlsx.ts';
import type { CertificateDocumentsService, CertificateView } from './certificate-documents.service.ts';
import { certificateDetailSchema, certificateFilterOf, certificateSchema, idParams, publishedKeySchema, revokeBody, rotateBody } from './certificate-documents.schemas.ts';

const TAGS = ['电子证书'];
const EXPORT_LIMIT = 20_000;

const sendPdf = (reply: FastifyReply, { pdf, name }: { pdf: Buffer; name: string }) =>
  reply.header('Content-Type', 'application/pdf').header('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`).send(pdf);

/** 已发放 (the issuer unit's certificates), downloads, 撤销证书, 证书签名密钥; and the applicant's own certificates. */
const certificateDocumentsRoutes: FastifyPluginAsyncZod<{ service: CertificateDocumentsService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/certificates', {
    schema: { tags: TAGS, summary: '已发放证书（本单位发放；筛选：kind、q 姓名/身份证号/证书编号、documentNo 文号、from/to 批准日期、status；分页）', querystring: listQuerySchema, response: { 200: z.array(certificateSchema), ...errorResponses } },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const { rows, total } = await service.list(request.actor, certificateFilterOf(request.query.filter), page);
      sendPage(reply, 'certificates', page, rows.length, total);
      return rows;
    },
  });

  app.get('/api/certificates/export', {
    schema: { tags: TAGS, summary: '导出已发放证书（Excel，筛选同列表）', querystring: listQuerySchema },
    handler: async (request, reply) => {
      const rows = await service.exportRows(request.actor, certificateFilterOf(request.query.filter), EXPORT_LIMIT + 1);
      if (rows.length > EXPORT_LIMIT) throw new ValidationError(`符合条件的证书超过 ${EXPORT_LIMIT} 张，一次最多导出 ${EXPORT_LIMIT} 张，请缩小筛选范围`, [{ field: 'filter', message: '导出条数过多' }]);
      const content = await workbookOf<CertificateView>(
        '已发放证书',
        [
          { header: '证书编号', width: 18, value: (r) => r.certificateNo },
          { header: '姓名', value: (r) => r.personName },
          { header: '身份证号', width: 22, value: (r) => r.idNumber },
          { header: '系列', value: (r) => r.series },
          { header: '专业', width: 18, value: (r) => r.specialty },
          { header: '职称名称', width: 16, value: (r) => r.titleName },
          { header: '级别', value: (r) => r.level },
          { header: '取得方式', value: (r) => r.kindLabel },
          { header: '评审机构', width: 28, value: (r) => r.committeeName },
          { header: '工作单位', width: 28, value: (r) => r.employerName },
          { header: '批准时间', value: (r) => r.approvalDate },
          { header: '文号', width: 20, value: (r) => r.documentNo },
          { header: '状态', value: (r) => r.statusLabel },
          { header: '撤销原因', width: 24, value: (r) => r.revokeReason },
        ],
        rows,
      );
      return sendXlsx(reply, '已发放证书.xlsx', content);
    },
  });

  app.get('/api/certificates/:id', {
    schema: { tags: TAGS, summary: '证书详情（本单位发放）', params: idParams, response: { 200: certificateDetailSchema, ...errorResponses } },
    handler: async (request) => service.detail(request.actor, request.params.id),
  });

  app.get('/api/certificates/:id/pdf', {
    schema: { tags: TAGS, summary: '查看证书（PDF，含核验二维码）', params: idParams },
    handler: async (request, reply) => sendPdf(reply, await service.pdf(request.actor, request.params.id)),
  });

  app.get('/api/certificates/:id/review-form.pdf', {
    schema: { tags: TAGS, summary: '下载评审表（PDF；网上申报评审产生的证书）', params: idParams },
    handler: async (request, reply) => sendPdf(reply, await service.reviewForm(request.actor, request.params.id)),
  });

  app.post('/api/certificates/:id/revoke', {
    schema: { tags: TAGS, summary: '撤销证书（须填写原因；记入操作日志）', params: idParams, body: revokeBody, response: { 200: certificateSchema, ...errorResponses } },
    handler: async (request) => service.revoke(request.actor, request.params.id, request.body.reason),
  });

  app.get('/api/certificate-keys', {
    schema: { tags: TAGS, summary: '本单位的证书签名密钥（公钥、启用和停用时间）', response: { 200: z.array(publishedKeySchema), ...errorResponses } },
    handler: async (request) => service.unitKeys(request.actor),
  });

  app.post('/api/certificate-keys/rotate', {
    schema: {
      tags: TAGS,
      summary: '轮换签名密钥：停用当前密钥并生成新密钥（已发放的证书仍可核验）；currentKeyId 为页面上看到的当前密钥，已被轮换时 409',
      body: rotateBody,
      response: { 200: z.object({ keyId: z.string() }), ...errorResponses },
    },
    handler: async (request) => {
      const created = await service.rotate(request.actor, request.body?.currentKeyId);
      return { keyId: created.keyId };
    },
  });

  app.get('/api/my/certificates', {
    schema: { tags: TAGS, summary: '我的证书（申报人本人）', response: { 200: z.array(certificateSchema), ...errorResponses } },
    handler: async (request) => service.myCertificates(request.actor),
  });

  app.get('/api/my/certificates/:id/pdf', {
    schema: { tags: TAGS, summary: '下载我的证书（PDF）', params: idParams },
    handler: async (request, reply) => sendPdf(reply, await service.myPdf(request.actor, request.params.id)),
  });
};

export default certificateDocumentsRoutes;
