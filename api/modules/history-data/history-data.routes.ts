import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../../src/errors.ts';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx } from '../../src/xlsx.ts';
import {
  body,
  bodyBody,
  bodyStatus,
  bodyUpdate,
  cancelBody,
  fileBody,
  idParams,
  issueGroup,
  issuerQuery,
  nameCheckBody,
  nameCheckResult,
  passAllBody,
  passManyBody,
  passResult,
  pathList,
  progressResult,
  record,
  recordDelete,
  recordList,
  recordParams,
  recordsQuery,
  recordUpdate,
  returnBody,
  returnRecordsBody,
  reviewBody,
  submitBody,
  unitOption,
  unitQuery,
  upload,
  uploadCreate,
} from './history-data.schemas.ts';
import type { HistoryDataService } from './history-data.service.ts';

/** The largest workbook accepted (≈ 200,000 rows). */
const MAX_WORKBOOK_MB = 60;

/**
 * 历史职称数据 (manual §1.2.8.2): 历史评审机构管理 (history.bodies), 数据上传 (history.upload),
 * 数据审核 and 历史证书生成 (history.review). Scope is checked before any state.
 */
const historyDataRoutes: FastifyPluginAsyncZod<{ service: HistoryDataService }> = async (app, { service }) => {
  await app.register(multipart, { limits: { fileSize: MAX_WORKBOOK_MB * 1024 * 1024, files: 1 } });
  app.addHook('onRequest', app.authenticate);
  const tags = ['历史职称数据'];

  // ---- 历史评审机构管理 ----
  app.get('/api/history-bodies', {
    schema: { tags, summary: '历史评审机构列表（本单位维护的）', response: { 200: z.array(body), ...errorResponses } },
    handler: async (request) => service.listBodies(request.actor),
  });
  app.post('/api/history-bodies', {
    schema: { tags, summary: '新增历史评审机构：名称、可评审的系列和层级、指定的采集单位', body: bodyBody, response: { 201: body, ...errorResponses } },
    handler: async (request, reply) => {
      reply.code(201);
      return service.createBody(request.actor, request.body);
    },
  });
  app.put('/api/history-bodies/:id', {
    schema: { tags, summary: '编辑历史评审机构', params: idParams, body: bodyUpdate, response: { 200: body, ...errorResponses } },
    handler: async (request) => service.updateBody(request.actor, request.params.id, request.body),
  });
  app.put('/api/history-bodies/:id/status', {
    schema: { tags, summary: '停用或启用历史评审机构', params: idParams, body: bodyStatus, response: { 200: body, ...errorResponses } },
    handler: async (request) => service.setBodyStatus(request.actor, request.params.id, request.body.status, request.body.version),
  });
  app.get('/api/history-bodies/unit-options', {
    schema: { tags, summary: '选择采集单位：按名称搜索本单位及辖区内的单位', querystring: unitQuery, response: { 200: z.array(unitOption), ...errorResponses } },
    handler: async (request) => service.unitOptions(request.actor, request.query.q),
  });

  // ---- 数据上传 ----
  app.get('/api/history-uploads/template', {
    schema: { tags, summary: '下载历史职称数据导入模板（Excel，含示例行）' },
    handler: async (request, reply) => {
      if (!request.actor.roles.includes('history.upload')) throw new ForbiddenError('没有“历史职称数据上传”权限');
      return sendXlsx(reply, '历史职称数据导入模板.xlsx', await service.template());
    },
  });
  app.get('/api/history-uploads', {
    schema: { tags, summary: '本单位的历史数据批次（待提交、审核中、已退回、待发证、已发证）', response: { 200: z.array(upload), ...errorResponses } },
    handler: async (request) => service.listUploads(request.actor),
  });
  app.post('/api/history-uploads', {
    schema: { tags, summary: '新建批次：选择取得方式（评审、初定、确认、委托评审）并填写职称文件文号', body: uploadCreate, response: { 201: upload, ...errorResponses } },
    handler: async (request, reply) => {
      reply.code(201);
      return service.createUpload(request.actor, request.body);
    },
  });
  app.get('/api/history-uploads/:id', {
    schema: { tags, summary: '批次详情：正确、错误条数，审核路径和当前环节', params: idParams, response: { 200: upload, ...errorResponses } },
    handler: async (request) => service.uploadDetail(request.actor, request.params.id),
  });
  app.post('/api/history-uploads/:id/workbook', {
    schema: { tags, summary: `上传 Excel（multipart，字段 file，不超过 ${MAX_WORKBOOK_MB} MB）：逐行校验后导入`, params: idParams, response: { 200: upload, ...errorResponses } },
    handler: async (request) => {
      if (!request.isMultipart()) throw new ValidationError('请以 multipart/form-data 上传 Excel 文件', [{ field: 'file', message: '没有文件' }]);
      let part;
      try {
        part = await request.file();
      } catch {
        throw new ValidationError('上传内容不完整或格式不正确，请重新选择文件上传', [{ field: 'file', message: '上传内容无法读取' }]);
      }
      if (!part) throw new ValidationError('没有收到文件', [{ field: 'file', message: '没有文件' }]);
      if (part.filename.includes('\u0000')) throw new ValidationError('文件名中含有空字符（U+0000），请重命名后再上传', [{ field: 'file', message: '文件名含有空字符' }]);
      const result = await service.importWorkbook(request.actor, request.params.id, part.file);
      if (part.file.truncated) throw new ValidationError(`文件过大：不能超过 ${MAX_WORKBOOK_MB} MB`, [{ field: 'file', message: `不能超过 ${MAX_WORKBOOK_MB} MB` }]);
      return result;
    },
  });
  app.get('/api/history-uploads/:id/records', {
    schema: { tags, summary: '批次的数据（bad=true 错误数据，false 正确数据），每行带错误原因和高风险提醒', params: idParams, querystring: recordsQuery, response: { 200: recordList, ...errorResponses } },
    handler: async (request) => {
      const { bad, page, pageSize } = request.query;
      return service.listRecords(request.actor, request.params.id, { bad: bad == null ? undefined : bad === 'true' }, { offset: (page - 1) * pageSize, limit: pageSize });
    },
  });
  app.put('/api/history-uploads/:id/records/:recordId', {
    schema: { tags, summary: '修改一条数据，保存时重新校验', params: recordParams, body: recordUpdate, response: { 200: record, ...errorResponses } },
    handler: async (request) => service.updateRecord(request.actor, request.params.id, request.params.recordId, request.body),
  });
  app.post('/api/history-uploads/:id/records/delete', {
    schema: { tags, summary: '删除所选数据，或全部错误数据（allBad）', params: idParams, body: recordDelete, response: { 200: z.object({ deleted: z.number() }), ...errorResponses } },
    handler: async (request) => service.deleteRecords(request.actor, request.params.id, request.body),
  });
  app.get('/api/history-uploads/:id/bad-records/export', {
    schema: { tags, summary: '导出错误数据（Excel，含错误原因列）', params: idParams },
    handler: async (request, reply) => {
      const { filename, buffer } = await service.exportBad(request.actor, request.params.id);
      return sendXlsx(reply, filename, buffer);
    },
  });
  app.get('/api/history-uploads/:id/export', {
    schema: { tags, summary: '导出批次数据（Excel）', params: idParams },
    handler: async (request, reply) => {
      const { filename, buffer } = await service.exportRecords(request.actor, request.params.id);
      return sendXlsx(reply, filename, buffer);
    },
  });

  // ---- 提交审核 ----
  app.get('/api/history-uploads/:id/issuers', {
    schema: { tags, summary: '可选的发证单位（本单位及上级单位）', params: idParams, response: { 200: z.array(unitOption), ...errorResponses } },
    handler: async (request) => service.issuerOptions(request.actor, request.params.id),
  });
  app.get('/api/history-uploads/:id/audit-path', {
    schema: { tags, summary: '审核路径：选择发证单位后本批次需经过的各级单位', params: idParams, querystring: issuerQuery, response: { 200: pathList, ...errorResponses } },
    handler: async (request) => service.auditPath(request.actor, request.params.id, request.query.issuerUnitId),
  });
  app.post('/api/history-uploads/:id/submit', {
    schema: { tags, summary: '提交审核：选择发证单位，上传任职资格文件（先通过 /api/files 上传）', params: idParams, body: submitBody, response: { 200: upload, ...errorResponses } },
    handler: async (request) => service.submit(request.actor, request.params.id, request.body),
  });
  app.post('/api/history-uploads/:id/resubmit', {
    schema: { tags, summary: '退回修改后重新提交审核', params: idParams, response: { 200: upload, ...errorResponses } },
    handler: async (request) => service.resubmit(request.actor, request.params.id),
  });

  // ---- 数据审核 ----
  app.get('/api/history-reviews', {
    schema: { tags, summary: '待本单位审核的历史数据批次', response: { 200: z.array(upload), ...errorResponses } },
    handler: async (request) => service.reviewInbox(request.actor),
  });
  app.post('/api/history-uploads/:id/review', {
    schema: { tags, summary: '审核：通过（提交上一级或进入发证）或退回采集单位（须填原因）', params: idParams, body: reviewBody, response: { 200: upload, ...errorResponses } },
    handler: async (request) => service.review(request.actor, request.params.id, request.body),
  });
  app.post('/api/history-reviews/pass', {
    schema: { tags, summary: '批量审核：所选批次审核通过', body: passManyBody, response: { 200: passResult, ...errorResponses } },
    handler: async (request) => service.passMany(request.actor, request.body.uploadIds, request.body.taskIds),
  });
  app.post('/api/history-reviews/pass-all', {
    schema: { tags, summary: '一键审核：本单位待审核（本人可办理）的批次全部审核通过；taskIds 为列表显示的审核环节时只通过这些环节上的批次', body: passAllBody, response: { 200: passResult, ...errorResponses } },
    handler: async (request) => service.passMany(request.actor, null, request.body?.taskIds),
  });
  app.post('/api/history-uploads/:id/name-check', {
    schema: { tags, summary: '人员名单校验：粘贴任职资格文件中的姓名（空格分隔），逐人标记在名单中或不在名单中', params: idParams, body: nameCheckBody, response: { 200: nameCheckResult, ...errorResponses } },
    handler: async (request) => service.nameCheck(request.actor, request.params.id, request.body.names),
  });

  // ---- 历史证书生成 ----
  app.get('/api/history-certificates', {
    schema: { tags, summary: '历史证书生成：审核通过的数据，按采集单位、职称文件文号、评审机构分组', response: { 200: z.array(issueGroup), ...errorResponses } },
    handler: async (request) => service.issueList(request.actor),
  });
  app.post('/api/history-certificates/:id/cancel', {
    schema: { tags, summary: '取消发证（须填原因），或恢复发证（cancel=false）', params: idParams, body: cancelBody, response: { 200: z.object({ changed: z.number() }), ...errorResponses } },
    handler: async (request) => service.cancelRecords(request.actor, request.params.id, { recordIds: request.body.recordIds, reason: request.body.reason ?? null, cancel: request.body.cancel }),
  });
  app.post('/api/history-certificates/:id/return', {
    schema: { tags, summary: '退回采集单位（须填原因）', params: idParams, body: returnBody, response: { 200: upload, ...errorResponses } },
    handler: async (request) => service.returnBatch(request.actor, request.params.id, request.body.reason),
  });
  app.post('/api/history-certificates/:id/return-records', {
    schema: { tags, summary: '退回有疑问的人员：移入采集单位新的待提交批次（须填原因），其余人员继续发证', params: idParams, body: returnRecordsBody, response: { 200: z.object({ uploadId: z.number(), moved: z.number() }), ...errorResponses } },
    handler: async (request) => service.returnRecords(request.actor, request.params.id, request.body),
  });
  app.get('/api/history-certificates/:id/summary', {
    schema: { tags, summary: '下载发证汇总表（Excel），线下盖章', params: idParams },
    handler: async (request, reply) => {
      const { filename, buffer } = await service.summaryExport(request.actor, request.params.id);
      return sendXlsx(reply, filename, buffer);
    },
  });
  app.put('/api/history-certificates/:id/stamped-file', {
    schema: { tags, summary: '上传盖章后的汇总表 PDF（先通过 /api/files 上传）', params: idParams, body: fileBody, response: { 200: upload, ...errorResponses } },
    handler: async (request) => service.putStampedFile(request.actor, request.params.id, request.body.fileId),
  });
  app.post('/api/history-certificates/:id/issue', {
    schema: { tags, summary: '发证：未取消发证的人员逐本生成电子证书（后台进行，可查看进度）', params: idParams, response: { 200: upload, ...errorResponses } },
    handler: async (request) => service.issue(request.actor, request.params.id),
  });
  app.get('/api/history-certificates/:id/progress', {
    schema: { tags, summary: '发证进度', params: idParams, response: { 200: progressResult, ...errorResponses } },
    handler: async (request) => service.progress(request.actor, request.params.id),
  });
};

export default historyDataRoutes;
