import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx } from '../../src/xlsx.ts';
import {
  approveBody,
  batch,
  batchDetail,
  batchParams,
  cancelBody,
  createdBatches,
  delegatedBody,
  fileBody,
  initialBatchBody,
  initialPerson,
  initialPersonBody,
  initialDeleteBody,
  issuedCertificate,
  issuingDataBody,
  kindParams,
  ok,
  pendingGroups,
  pendingParams,
  tabQuery,
  pageQuery,
} from './certificate-issuance.schemas.ts';
import type { IssuanceService } from './certificate-issuance.service.ts';

/**
 * 证书生成 (manual §1.2.8.1): 评审发证 for the committee's 授权管理单位, 委托发证 for the unit that
 * delegated, 初定发证 for the HR bureau — permission 证书生成 in that unit. Scope comes first: no
 * permission 403, another unit's batch 404, before any state is read.
 */
const issuanceRoutes: FastifyPluginAsyncZod<{ service: IssuanceService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['证书生成'];

  app.get('/api/certificate-issuance/:kind/pending', {
    schema: { tags, summary: '评审发证“待处理”（按评审会议分组）/ 委托发证“未处理”（按评委会分组）：评委会提交的发证信息', params: pendingParams, response: { 200: pendingGroups, ...errorResponses } },
    handler: async (request) => service.pending(request.actor, request.params.kind),
  });

  app.post('/api/certificate-issuance/review/approve', {
    schema: { tags, summary: '评审发证：审核通过所选人员，按职称文件文号每个文号生成一个发证批次（待发放）', body: approveBody, response: { 200: createdBatches, ...errorResponses } },
    handler: async (request) => service.approve(request.actor, request.body.dossierIds),
  });

  app.post('/api/certificate-issuance/delegated/batches', {
    schema: { tags, summary: '委托发证：为所选人员录入发证信息（批准时间、职称文件文号），进入待发证', body: delegatedBody, response: { 200: createdBatches, ...errorResponses } },
    handler: async (request) => service.enterDelegated(request.actor, request.body),
  });

  app.get('/api/certificate-issuance/:kind/batches', {
    schema: { tags, summary: '发证批次列表：待发放（含生成中）或已发放', params: kindParams, querystring: tabQuery, response: { 200: z.array(batch), ...errorResponses } },
    handler: async (request) => service.listBatches(request.actor, request.params.kind, request.query.tab),
  });

  app.get('/api/certificate-issuance/batches/:batchId', {
    schema: { tags, summary: '发证批次：状态、证书生成进度和人员（分页，personTotal 为总人数）', params: batchParams, querystring: pageQuery, response: { 200: batchDetail, ...errorResponses } },
    handler: async (request) => service.batchDetail(request.actor, request.params.batchId, request.query),
  });

  app.post('/api/certificate-issuance/batches/:batchId/cancel', {
    schema: { tags, summary: '取消发证（须填原因）：评审、委托人员退回评委会，初定人员回到未发放', params: batchParams, body: cancelBody, response: { 200: z.object({ cancelled: z.number(), remaining: z.number() }), ...errorResponses } },
    handler: async (request) => service.cancel(request.actor, request.params.batchId, request.body),
  });

  app.put('/api/certificate-issuance/batches/:batchId/issuing-data', {
    schema: { tags, summary: '生成证书：设置批准时间和职称文件文号（X〔YYYY〕N号，年份与批准时间一致；不选人员则为全部待发证人员）', params: batchParams, body: issuingDataBody, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.setIssuingData(request.actor, request.params.batchId, request.body);
      return { ok: true as const };
    },
  });

  app.get('/api/certificate-issuance/batches/:batchId/summary.xlsx', {
    schema: { tags, summary: '导出汇总表（Excel）', params: batchParams },
    handler: async (request, reply) => {
      const { buffer, filename } = await service.summaryXlsx(request.actor, request.params.batchId);
      return sendXlsx(reply, filename, buffer);
    },
  });

  app.get('/api/certificate-issuance/batches/:batchId/summary.pdf', {
    schema: { tags, summary: '导出汇总表（PDF，线下盖章用）', params: batchParams },
    handler: async (request, reply) => {
      const { buffer, filename } = await service.summaryPdf(request.actor, request.params.batchId);
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Disposition', `attachment; filename="summary.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .send(buffer);
    },
  });

  app.put('/api/certificate-issuance/batches/:batchId/stamped-file', {
    schema: { tags, summary: '上传盖章汇总表（PDF，先通过 /api/files 上传）', params: batchParams, body: fileBody, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.uploadStamped(request.actor, request.params.batchId, request.body.fileId);
      return { ok: true as const };
    },
  });

  app.post('/api/certificate-issuance/batches/:batchId/issue', {
    schema: { tags, summary: '发证：后台生成本批次证书（进度见 /api/certificate-generations/:ref）', params: batchParams, response: { 200: z.object({ generationRef: z.string() }), ...errorResponses } },
    handler: async (request) => service.issue(request.actor, request.params.batchId),
  });

  app.get('/api/certificate-issuance/batches/:batchId/certificates', {
    schema: { tags, summary: '已发放：本批次的证书（分页，可按姓名开头筛选；总数见 Content-Range）', params: batchParams, querystring: pageQuery, response: { 200: z.array(issuedCertificate), ...errorResponses } },
    handler: async (request, reply) => {
      const { page, pageSize } = request.query;
      const { total, items } = await service.issuedCertificates(request.actor, request.params.batchId, request.query);
      sendPage(reply, 'certificates', { offset: (page - 1) * pageSize, limit: pageSize }, items.length, total);
      return items;
    },
  });

  app.get('/api/certificate-issuance/initial/persons', {
    schema: { tags, summary: '初定发证“未发放”：录入或导入的初定人员（分页，可按姓名开头筛选；总数见 Content-Range）', querystring: pageQuery, response: { 200: z.array(initialPerson), ...errorResponses } },
    handler: async (request, reply) => {
      const { page, pageSize } = request.query;
      const { total, items } = await service.initialPersons(request.actor, request.query);
      sendPage(reply, 'persons', { offset: (page - 1) * pageSize, limit: pageSize }, items.length, total);
      return items;
    },
  });

  app.get('/api/certificate-issuance/initial/options', {
    schema: { tags, summary: '录入初定人员的选项：系列、层级、学历', response: { 200: z.object({ series: z.array(z.string()), levels: z.array(z.string()), education: z.array(z.string()) }), ...errorResponses } },
    handler: async (request) => service.initialOptions(request.actor),
  });

  app.post('/api/certificate-issuance/initial/persons', {
    schema: { tags, summary: '录入一名初定人员', body: initialPersonBody, response: { 200: z.object({ id: z.number() }), ...errorResponses } },
    handler: async (request) => service.addInitialPerson(request.actor, request.body),
  });

  app.put('/api/certificate-issuance/initial/persons/:personId', {
    schema: { tags, summary: '修改一名未发放的初定人员（身份证号留空则不变）', params: z.object({ personId: z.coerce.number().int().positive() }), body: initialPersonBody, response: { 200: z.object({ id: z.number() }), ...errorResponses } },
    handler: async (request) => service.editInitialPerson(request.actor, request.params.personId, request.body),
  });

  app.post('/api/certificate-issuance/initial/persons/delete', {
    schema: { tags, summary: '删除所选未发放的初定人员（批量）', body: initialDeleteBody, response: { 200: z.object({ deleted: z.number() }), ...errorResponses } },
    handler: async (request) => service.deleteInitialPersons(request.actor, request.body.personIds),
  });

  app.post('/api/certificate-issuance/initial/import', {
    schema: { tags, summary: '导入初定人员（xlsx，先通过 /api/files 上传；有错误的行整份不导入，逐行说明）', body: fileBody, response: { 200: z.object({ imported: z.number(), skipped: z.number() }), ...errorResponses } },
    handler: async (request) => service.importInitial(request.actor, request.body.fileId),
  });

  app.get('/api/certificate-issuance/initial/template', {
    schema: { tags, summary: '下载初定人员导入模板' },
    handler: async (request, reply) => {
      const { buffer, filename } = await service.initialTemplate(request.actor);
      return sendXlsx(reply, filename, buffer);
    },
  });

  app.post('/api/certificate-issuance/initial/batches', {
    schema: { tags, summary: '添加批次：所选初定人员进入同一批次（发放中）', body: initialBatchBody, response: { 200: z.object({ id: z.number(), batchNo: z.string(), count: z.number() }), ...errorResponses } },
    handler: async (request) => service.addInitialBatch(request.actor, request.body.personIds),
  });
};

export default issuanceRoutes;
