import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConflictError } from '../../src/errors.ts';
import { auditPiiView } from '../../src/pii.ts';
import { errorResponses } from '../../src/schemas.ts';
import { meetingInScope } from '../meetings/meetings.scope.ts';
import type { MeetingAccessRow } from '../meetings/meetings.repository.ts';
import { DRAW_LEVELS, MULTIPLIERS } from './expert-draw.draw.ts';
import {
  attendanceAnswer,
  attendanceBody,
  attendanceView,
  drawBody,
  drawPage,
  drawParams,
  drawView,
  executiveChairBody,
  groupBody,
  groupParams,
  groupView,
  matchQuery,
  meetingParams,
  replayView,
  snapshotQuery,
  snapshotView,
} from './expert-draw.schemas.ts';
import type { ExpertDrawService } from './expert-draw.service.ts';

const meetingSummary = (m: MeetingAccessRow) => ({ id: Number(m.id), name: m.name, kind: m.kind, status: m.status });

/**
 * 专家抽选 (manual §1.2.5.5 (1)–(2)) and 确认出席 ((3)) of a meeting. Scope comes first: anyone
 * but the organiser's 评审会议管理 staff (and, to read, the supervising committee's) gets 404
 * before the body or the meeting's state is looked at.
 */
const expertDrawRoutes: FastifyPluginAsyncZod<{ service: ExpertDrawService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['专家抽选'];
  // the meeting the scope check read, for the handler (kept here rather than on every request's type)
  const meetings = new WeakMap<FastifyRequest, MeetingAccessRow>();
  const meetingOf = (request: FastifyRequest) => meetings.get(request)!;
  const scope = (mode: 'manage' | 'read') => async (request: FastifyRequest) => {
    const raw = (request.params as { meetingId?: string }).meetingId;
    meetings.set(request, await meetingInScope(app.db, request.actor, Number(raw), mode));
  };
  const canManage = (request: FastifyRequest) => request.actor.unitId === Number(meetingOf(request).organizer_unit_id);
  // a closed or cancelled meeting's draw and attendance are a record, no longer changed
  const open = (request: FastifyRequest) => {
    const status = meetingOf(request).status;
    if (status === 'closed' || status === 'cancelled') throw new ConflictError(`评审会议${status === 'closed' ? '已结束' : '已取消'}，不能再修改专家抽选或出席情况`);
  };

  app.get('/api/meetings/:meetingId/draw', {
    schema: { tags, summary: '专家抽选页：抽选小组（含符合条件的在库活跃专家人数）和本会议的抽选记录', params: meetingParams, response: { 200: drawPage, ...errorResponses } },
    preValidation: scope('read'),
    handler: async (request) => {
      const { meetingId } = request.params;
      const [groups, draws, accepted] = await Promise.all([service.groupsView(meetingId), service.draws(meetingId), service.repo.acceptedDraw(meetingId)]);
      return {
        meeting: meetingSummary(meetingOf(request)),
        groups,
        draws,
        acceptedDrawId: accepted ? Number(accepted.id) : null,
        canManage: canManage(request),
        multipliers: [...MULTIPLIERS],
        levels: Object.entries(DRAW_LEVELS).map(([value, label]) => ({ value, label })),
      };
    },
  });

  app.get('/api/meetings/:meetingId/draw-groups/matching', {
    schema: { tags, summary: '符合从事专业和职称层级、尚未分到其他小组的在库活跃专家人数', params: meetingParams, querystring: matchQuery, response: { 200: z.object({ matching: z.number() }), ...errorResponses } },
    preValidation: scope('manage'),
    handler: async (request) => ({ matching: await service.matchingCount(request.params.meetingId, request.query.specialty, request.query.level) }),
  });

  app.post('/api/meetings/:meetingId/draw-groups', {
    schema: { tags, summary: '新增抽选小组（从事专业、职称层级、抽取人数）', params: meetingParams, body: groupBody, response: { 201: z.array(groupView), ...errorResponses } },
    preValidation: scope('manage'),
    handler: async (request, reply) => {
      open(request);
      const groups = await service.addGroup(request.params.meetingId, request.actor, request.body);
      reply.code(201);
      return groups;
    },
  });

  app.delete('/api/meetings/:meetingId/draw-groups/:groupId', {
    schema: { tags, summary: '删除抽选小组（采用抽选结果前）', params: groupParams, response: { 204: z.null(), ...errorResponses } },
    preValidation: scope('manage'),
    handler: async (request, reply) => {
      open(request);
      await service.removeGroup(request.params.meetingId, request.params.groupId);
      reply.code(204);
      return null;
    },
  });

  app.post('/api/meetings/:meetingId/draws', {
    schema: {
      tags,
      summary: '开始抽选：按抽选倍数从各小组随机抽选（密码学随机种子，可重放）；不满足抽选规则时拒绝并说明规则和差额（409）',
      params: meetingParams,
      body: drawBody,
      response: { 201: drawView, ...errorResponses },
    },
    preValidation: scope('manage'),
    handler: async (request, reply) => {
      open(request);
      const view = await service.run(request.params.meetingId, request.actor, request.body.multiplier);
      reply.code(201);
      return view;
    },
  });

  app.get('/api/meetings/:meetingId/draws/:drawId', {
    schema: { tags, summary: '一次抽选的记录：输入、专家库快照概况、随机种子、抽选人和时间、抽选名单', params: drawParams, response: { 200: drawView, ...errorResponses } },
    preValidation: scope('read'),
    handler: async (request) => service.draw(request.params.meetingId, request.params.drawId),
  });

  app.get('/api/meetings/:meetingId/draws/:drawId/pool', {
    schema: { tags, summary: '一次抽选保存的专家库快照（规则读取的字段及抽选结果），分页', params: drawParams, querystring: snapshotQuery, response: { 200: snapshotView, ...errorResponses } },
    preValidation: scope('read'),
    handler: async (request) => service.snapshot(request.params.meetingId, request.params.drawId, request.query),
  });

  app.post('/api/meetings/:meetingId/draws/:drawId/replay', {
    schema: { tags, summary: '重放抽选：用保存的输入、专家库快照和随机种子重新计算，核对名单是否一致', params: drawParams, response: { 200: replayView, ...errorResponses } },
    preValidation: scope('read'),
    handler: async (request) => service.replay(request.params.meetingId, request.params.drawId),
  });

  app.post('/api/meetings/:meetingId/draws/:drawId/accept', {
    schema: { tags, summary: '采用抽选结果：名单中的专家成为本会议的正选和候补专家，并记录回避关系', params: drawParams, response: { 200: drawView, ...errorResponses } },
    preValidation: scope('manage'),
    handler: async (request) => {
      open(request);
      return service.accept(request.params.meetingId, request.actor, request.params.drawId);
    },
  });

  app.get('/api/meetings/:meetingId/attendance', {
    schema: { tags, summary: '确认出席：抽选出的专家、出席情况、回避关系、尚未满足的要求和办理记录', params: meetingParams, response: { 200: attendanceView, ...errorResponses } },
    preValidation: scope('read'),
    handler: async (request) => {
      // the call list: the organiser's clerk phones each drawn expert, so sees the numbers in full
      // (each expert's number shown is recorded in the audit); other readers see them masked
      const fullPhones = canManage(request);
      const view = await service.attendanceView(request.params.meetingId, { fullPhones });
      if (fullPhones) {
        const at = app.engine.clock.now();
        for (const e of view.experts) await auditPiiView(app.db, request.actor, { subject: 'expert', id: e.expertId, fields: ['phone1'], unitId: request.actor.unitId, personName: e.name }, at);
      }
      return { meeting: meetingSummary(meetingOf(request)), canManage: fullPhones, ...view };
    },
  });

  app.post('/api/meetings/:meetingId/attendance', {
    schema: {
      tags,
      summary: '确认出席或取消出席（可多选；取消须填原因，取消正选专家时由该组下一名候补专家递补）',
      params: meetingParams,
      body: attendanceBody,
      response: { 200: attendanceAnswer, ...errorResponses },
    },
    preValidation: scope('manage'),
    handler: async (request) => {
      open(request);
      return service.setAttendance(request.params.meetingId, request.actor, request.body);
    },
  });

  app.post('/api/meetings/:meetingId/executive-chair', {
    schema: { tags, summary: '指定执行主任（确认出席的主任委员不止一名时）', params: meetingParams, body: executiveChairBody, response: { 204: z.null(), ...errorResponses } },
    preValidation: scope('manage'),
    handler: async (request, reply) => {
      open(request);
      await service.executiveChair(request.params.meetingId, request.actor, request.body.expertId);
      reply.code(204);
      return null;
    },
  });
};

export default expertDrawRoutes;
