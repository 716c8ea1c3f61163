import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx } from '../../src/xlsx.ts';
import {
  candidateDetail,
  candidatePage,
  candidateParams,
  decisionBody,
  documentNoBody,
  fileBody,
  kindQuery,
  meetingParams,
  ok,
  optionalKindQuery,
  organiserView,
  pageQuery,
  reviewBody,
  supplementBody,
  unitList,
  unitPageQuery,
} from './result-confirmation.schemas.ts';
import type { ResultConfirmationService } from './result-confirmation.service.ts';

/**
 * 评审结果确认: the confirming unit's pages (线上评审结果确认 / 线上委托结果确认, permission
 * 评审结果确认 in the confirming unit) and the organiser's page of a meeting (评审会议管理 of the
 * committee's organiser: meetingInScope). Scope is checked before any state.
 */
const resultConfirmationRoutes: FastifyPluginAsyncZod<{ service: ResultConfirmationService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['评审结果确认'];

  app.get('/api/result-confirmations', {
    schema: { tags, summary: '确认单位：有待确认或已确认人员的评审会议及各状态人数（kind=direct 直接评审，delegated 委托评审；人员分页见 …/:meetingId/candidates）', querystring: kindQuery, response: { 200: unitList, ...errorResponses } },
    handler: async (request) => service.unitList(request.actor, request.query.kind),
  });

  app.get('/api/result-confirmations/:meetingId/candidates', {
    schema: { tags, summary: '确认单位：本单位在该会议中的人员，按会议顺序分页（可按状态、姓名开头筛选）', params: meetingParams, querystring: unitPageQuery, response: { 200: candidatePage, ...errorResponses } },
    handler: async (request) => service.unitCandidates(request.actor, request.params.meetingId, request.query.kind, request.query),
  });

  app.get('/api/result-confirmations/:meetingId/candidates/:dossierId', {
    schema: { tags, summary: '申报人的申报材料和评委会评审结果（只读）', params: candidateParams, response: { 200: candidateDetail, ...errorResponses } },
    handler: async (request) => service.candidateDetail(request.actor, request.params.meetingId, request.params.dossierId),
  });

  app.post('/api/result-confirmations/:meetingId/candidates/:dossierId/review', {
    schema: { tags, summary: '材料审阅：审阅无误（进入结果确认）或退回评委会补充材料（须填原因）', params: candidateParams, body: reviewBody, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.review(request.actor, request.params.meetingId, request.params.dossierId, request.body);
      return { ok: true as const };
    },
  });

  app.post('/api/result-confirmations/:meetingId/candidates/:dossierId/decision', {
    schema: { tags, summary: '结果确认：通过，或不通过（须填原因）', params: candidateParams, body: decisionBody, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.decide(request.actor, request.params.meetingId, request.params.dossierId, request.body);
      return { ok: true as const };
    },
  });

  app.post('/api/result-confirmations/:meetingId/pass-all', {
    schema: {
      tags,
      summary: '一键通过：本单位在该会议中确认中的人员全部审阅无误并确认通过',
      params: meetingParams,
      querystring: optionalKindQuery,
      response: { 200: z.object({ passed: z.number(), remaining: z.number() }), ...errorResponses },
    },
    handler: async (request) => service.passAll(request.actor, request.params.meetingId, request.query.kind ?? null),
  });

  app.put('/api/result-confirmations/:meetingId/qualification-file', {
    schema: { tags, summary: '上传任职资格文件（先通过 /api/files 上传）', params: meetingParams, body: fileBody, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.uploadQualification(request.actor, request.params.meetingId, request.body.fileId);
      return { ok: true as const };
    },
  });

  app.get('/api/result-confirmations/:meetingId/export', {
    schema: { tags, summary: '数据导出：本单位在该会议中的人员名册及评审、确认结果（Excel）', params: meetingParams, querystring: optionalKindQuery },
    handler: async (request, reply) => {
      const { buffer, filename } = await service.exportUnitList(request.actor, request.params.meetingId, request.query.kind ?? null);
      return sendXlsx(reply, filename, buffer);
    },
  });

  app.get('/api/meetings/:meetingId/confirmation', {
    schema: { tags, summary: '评委会：本次会议评审结果确认的进度（确认中 / 补充材料 / 确认通过 / 不通过）和人员（分页）', params: meetingParams, querystring: pageQuery, response: { 200: organiserView, ...errorResponses } },
    handler: async (request) => service.organiserView(request.actor, request.params.meetingId, request.query),
  });

  app.post('/api/meetings/:meetingId/confirmation/supplements/:dossierId', {
    schema: { tags, summary: '补充材料完成，重新提交确认单位', params: candidateParams, body: supplementBody, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.supplement(request.actor, request.params.meetingId, request.params.dossierId, request.body.note);
      return { ok: true as const };
    },
  });

  app.put('/api/meetings/:meetingId/confirmation/document-numbers', {
    schema: { tags, summary: '批量设置职称文件文号（X〔YYYY〕N号，年份与批准日期一致）', params: meetingParams, body: documentNoBody, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.setDocumentNo(request.actor, request.params.meetingId, request.body);
      return { ok: true as const };
    },
  });

  app.post('/api/meetings/:meetingId/confirmation/handover', {
    schema: { tags, summary: '提交发证信息：确认通过且已设置文号的人员移交证书发放', params: meetingParams, response: { 200: z.object({ handedOver: z.number() }), ...errorResponses } },
    handler: async (request) => service.handOver(request.actor, request.params.meetingId),
  });

  app.put('/api/meetings/:meetingId/confirmation/report', {
    schema: { tags, summary: '上传评审工作报告（先通过 /api/files 上传）', params: meetingParams, body: fileBody, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.uploadReport(request.actor, request.params.meetingId, request.body.fileId);
      return { ok: true as const };
    },
  });

  app.post('/api/meetings/:meetingId/confirmation/close', {
    schema: { tags, summary: '办结：确认通过人员的证书全部发放后办结', params: meetingParams, response: { 200: ok, ...errorResponses } },
    handler: async (request) => {
      await service.close(request.actor, request.params.meetingId);
      return { ok: true as const };
    },
  });
};

export default resultConfirmationRoutes;
