import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx } from '../../src/xlsx.ts';
import {
  activityMeetingsView,
  assignmentBody,
  candidatePage,
  candidateQuery,
  importBody,
  leaderBody,
  meetingCreateBody,
  meetingDetail,
  meetingParams,
  meetingView,
  panelBody,
  panelMembersBody,
  panelParams,
  planBody,
  supervisorOption,
} from './meetings.schemas.ts';
import type { MeetingService } from './meetings.service.ts';

const ok = z.object({ ok: z.boolean() });

/**
 * 评审会议管理 (manual §1.2.5–1.2.6): meetings per activity, the meeting page, 专家分组, 人员分配
 * and 评审方案. Every route of one meeting checks its scope first (meetingInScope: 404 outside).
 */
const meetingsRoutes: FastifyPluginAsyncZod<{ service: MeetingService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const manage = app.requirePermission('meeting.manage');
  const tags = ['评审会议'];

  app.get('/api/meeting-activities', {
    schema: { tags, summary: '评审会议管理：本单位组建的评委会已发布的评审活动，各自的评审会议和可召开的会议', response: { 200: z.array(activityMeetingsView), ...errorResponses } },
    preValidation: manage,
    handler: async (request) => service.activities(request.actor),
  });

  app.get('/api/meetings', {
    schema: {
      tags,
      summary: '本单位组建或监督的评审会议',
      querystring: z.object({ activityId: z.coerce.number().int().positive().optional() }),
      response: { 200: z.array(meetingView), ...errorResponses },
    },
    preValidation: manage,
    handler: async (request) => service.list(request.actor, request.query.activityId),
  });

  app.post('/api/meetings', {
    schema: { tags, summary: '召开评审会议（破格评审会议或普通评审会议），启动会议流程', body: meetingCreateBody, response: { 201: meetingView, ...errorResponses } },
    preValidation: manage,
    handler: async (request, reply) => {
      const meeting = await service.create(request.actor, request.body);
      reply.code(201);
      return meeting;
    },
  });

  app.get('/api/meetings/:id', {
    schema: { tags, summary: '评审会议详情：环节、参评人员统计、专家、专业组、评审方案（参评人员分页见 …/candidates）', params: meetingParams, response: { 200: meetingDetail, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => service.detail(request.actor, request.params.id),
  });
  app.get('/api/meetings/:id/candidates', {
    schema: { tags, summary: '参评人员：按顺序分页，可按姓名（开头）、状态、专业组、是否已分配主审筛选', params: meetingParams, querystring: candidateQuery, response: { 200: candidatePage, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => service.candidatePage(request.actor, request.params.id, request.query),
  });

  // ---- 专家分组
  app.post('/api/meetings/:id/panels', {
    schema: { tags, summary: '新增专业组', params: meetingParams, body: panelBody, response: { 201: z.object({ id: z.number() }), ...errorResponses } },
    preValidation: manage,
    handler: async (request, reply) => {
      const created = await service.createPanel(request.actor, request.params.id, request.body);
      reply.code(201);
      return created;
    },
  });

  app.put('/api/meetings/:id/panels/:panelId', {
    schema: { tags, summary: '修改专业组', params: panelParams, body: panelBody, response: { 200: ok, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => {
      await service.updatePanel(request.actor, request.params.id, request.params.panelId, request.body);
      return { ok: true };
    },
  });

  app.delete('/api/meetings/:id/panels/:panelId', {
    schema: { tags, summary: '删除专业组（组内专家和参评人员回到未分组）', params: panelParams, response: { 200: ok, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => {
      await service.deletePanel(request.actor, request.params.id, request.params.panelId);
      return { ok: true };
    },
  });

  app.put('/api/meetings/:id/panel-members', {
    schema: { tags, summary: '把确认出席的专家分到专业组（panelId 为 null 时移出）', params: meetingParams, body: panelMembersBody, response: { 200: ok, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => {
      await service.setMembers(request.actor, request.params.id, request.body.expertIds, request.body.panelId);
      return { ok: true };
    },
  });

  app.put('/api/meetings/:id/panels/:panelId/leader', {
    schema: { tags, summary: '指定组长（每组一名）', params: panelParams, body: leaderBody, response: { 200: ok, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => {
      await service.setLeader(request.actor, request.params.id, request.params.panelId, request.body.expertId);
      return { ok: true };
    },
  });

  // ---- 人员分配
  app.put('/api/meetings/:id/assignments', {
    schema: { tags, summary: '批量分配主审、辅审专家（及专业组）；开启投票前可调整', params: meetingParams, body: assignmentBody, response: { 200: ok, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => {
      await service.assign(request.actor, request.params.id, request.body);
      return { ok: true };
    },
  });

  app.get('/api/meetings/:id/order-template', {
    schema: { tags, summary: '下载调整顺序模板（预填参评人员及当前顺序）', params: meetingParams },
    preValidation: manage,
    handler: async (request, reply) => sendXlsx(reply, '参评人员顺序.xlsx', await service.orderTemplate(request.actor, request.params.id)),
  });

  app.post('/api/meetings/:id/order-import', {
    schema: {
      tags,
      summary: '导入调整后的顺序（已上传到 /api/files 的模板）；有错误时 400，details 逐格列出',
      params: meetingParams,
      body: importBody,
      response: { 200: z.object({ count: z.number() }), ...errorResponses },
    },
    preValidation: manage,
    handler: async (request) => service.importOrder(request.actor, request.params.id, request.body.fileId),
  });

  // ---- 评审方案
  app.get('/api/meetings/:id/supervisor-options', {
    schema: { tags, summary: '可选的监督评委会', params: meetingParams, response: { 200: z.array(supervisorOption), ...errorResponses } },
    preValidation: manage,
    handler: async (request) => service.supervisorOptions(request.actor, request.params.id),
  });

  app.put('/api/meetings/:id/plan', {
    schema: { tags, summary: '评审方案：监督评委会和评审材料', params: meetingParams, body: planBody, response: { 200: meetingView, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => service.updatePlan(request.actor, request.params.id, request.body),
  });

  const exportsOf = { roster: service.roster, summary: service.summary, experts: service.expertSheet } as const;
  app.get('/api/meetings/:id/exports/:sheet', {
    schema: {
      tags,
      summary: '导出：roster 报评人员名册，summary 申报人员汇总表，experts 参评专家信息（Excel）',
      params: meetingParams.extend({ sheet: z.enum(['roster', 'summary', 'experts'], { error: '导出类型应为 roster、summary 或 experts' }) }),
    },
    preValidation: manage,
    handler: async (request, reply) => {
      const file = await exportsOf[request.params.sheet](request.actor, request.params.id);
      return sendXlsx(reply, file.name, file.content);
    },
  });
};

export default meetingsRoutes;
