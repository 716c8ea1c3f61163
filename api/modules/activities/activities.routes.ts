import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ACTIVITY_KINDS, DEFENSES, REVIEW_METHODS, WRITTEN_EXAMS } from '../../../forms/activity.ts';
import { LEVELS } from '../../../forms/catalog.ts';
import { ACTIVITY_STATUS } from '../../../forms/labels.ts';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { listQuerySchema, pageOf, sendPage, sortOf, type ListQuery } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import type { ActivityRecord } from './activities.repository.ts';
import { createFilesRepository } from '../files/files.repository.ts';
import { PHASE_LABELS, phaseOf } from './activities.rules.ts';
import {
  activitySchema,
  committeeOption,
  createBody,
  deadlineChangeBody,
  deadlineChangeSchemaOut,
  defaultsBody,
  defaultsResponse,
  deleteQuery,
  idParams,
  managedListItem,
  noticeListItem,
  noticeSchema,
  submitBody,
  updateBody,
} from './activities.schemas.ts';
import type { ActivityService } from './activities.service.ts';

const errors = errorResponses;
const TAGS = ['评审活动'];
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const label = <T extends Record<string, string>>(labels: T, key: string) => labels[key as keyof T] ?? key;

/** A published activity's notice: what anybody may read (no internal plan, no flow state). */
export function noticeOf(a: ActivityRecord, now: Date) {
  const phase = phaseOf(a, now);
  return {
    id: a.id,
    name: a.name,
    scope: a.scope,
    year: a.year,
    kind: a.kind,
    kindLabel: label(ACTIVITY_KINDS, a.kind),
    committeeId: a.committeeId,
    committeeName: a.committeeName,
    organiserUnitName: a.organiserUnitName,
    reviewMethod: a.reviewMethod,
    reviewMethodLabel: label(REVIEW_METHODS, a.reviewMethod),
    writtenExam: a.writtenExam,
    writtenExamLabel: label(WRITTEN_EXAMS, a.writtenExam),
    defense: a.defense,
    defenseLabel: label(DEFENSES, a.defense),
    startsAt: iso(a.startsAt),
    firstDeadline: iso(a.firstDeadline),
    revisionDeadline: iso(a.revisionDeadline),
    receiptDeadline: iso(a.receiptDeadline),
    unitReviewDeadline: iso(a.unitReviewDeadline),
    departmentReviewDeadline: iso(a.departmentReviewDeadline),
    departmentRevisionDeadline: iso(a.departmentRevisionDeadline),
    healthPage: a.healthPage,
    schoolPage: a.schoolPage,
    vocationalPage: a.vocationalPage,
    policyFiles: a.policyFiles,
    documentNumber: a.documentNumber,
    levels: a.levels,
    levelLabels: a.levels.map((l) => label(LEVELS, l)),
    specialties: a.specialties,
    minContinuingEducationHours: a.minContinuingEducationHours,
    achievements: a.achievements,
    breakthroughConditions: a.breakthroughConditions,
    materials: a.materials,
    publishedAt: iso(a.publishedAt),
    phase,
    phaseLabel: phase ? (PHASE_LABELS[phase] ?? phase) : null,
  };
}

/** One of the files a notice publishes (评审政策文件), never the internal plan. */
export async function sendPolicyFile(db: FastifyInstance['db'], a: ActivityRecord, fileId: string, reply: FastifyReply) {
  if (!a.policyFiles.some((f) => f.id === fileId)) throw new NotFoundError('附件不存在');
  const file = await createFilesRepository(db).withContent(fileId);
  if (!file) throw new NotFoundError('附件不存在');
  reply.header('Content-Type', file.mime);
  reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  return reply.send(file.content);
}

/** Published activities, newest first, filtered by name, year, level or committee (simple-rest). */
export async function listPublished(repo: ActivityService['repo'], query: ListQuery, options: { publicOnly: boolean }) {
  const page = pageOf(query);
  const filter = query.filter ?? {};
  let year: number | undefined;
  if (filter.year !== undefined && filter.year !== '') {
    year = Number(filter.year);
    if (!Number.isInteger(year)) throw new ValidationError('筛选条件“年份”应为整数', [{ field: 'filter.year', message: '应为整数' }]);
  }
  const sort = sortOf(query, { publishedAt: 'a.published_at', startsAt: 'a.starts_at', firstDeadline: 'a.first_deadline', year: 'a.year', name: 'a.name' }, ['a.published_at', 'desc']);
  const { rows, total } = await repo.published(
    {
      publicOnly: options.publicOnly,
      q: typeof filter.q === 'string' && filter.q.trim() ? filter.q : undefined,
      year,
      level: typeof filter.level === 'string' && filter.level ? filter.level : undefined,
      committeeId: filter.committeeId !== undefined && filter.committeeId !== '' ? Number(filter.committeeId) || 0 : undefined,
    },
    sort,
    page,
  );
  return { page, total, rows };
}

/** 评审活动发布 for the organiser, the flows' reviewers, the committee's achievement defaults, and the logged-in notice list. */
const activitiesRoutes: FastifyPluginAsyncZod<{ service: ActivityService }> = async (app, opts) => {
  const { service } = opts;
  const { repo } = service;
  app.addHook('onRequest', app.authenticate);
  const manage = app.requirePermission('activity.manage');

  async function detailOf(a: ActivityRecord, actor: Parameters<ActivityService['forReader']>[0]) {
    const now = service.now();
    const organiser = service.isOrganiser(actor, a);
    const task = organiser ? await service.openSubmitTask(a.instanceId) : null;
    const pending = await repo.pendingDeadlineChange(a.id);
    return {
      ...noticeOf(a, now),
      organiserUnitId: a.organiserUnitId,
      status: a.status,
      statusLabel: ACTIVITY_STATUS[a.status as keyof typeof ACTIVITY_STATUS] ?? a.status,
      breakthrough: a.breakthrough,
      panels: a.panels,
      panelMethod: a.panelMethod,
      planFiles: a.planFiles,
      public: a.public,
      instanceId: a.instanceId,
      submittedAt: iso(a.submittedAt),
      firstClosedAt: iso(a.firstClosedAt),
      revisionClosedAt: iso(a.revisionClosedAt),
      reviewOpinion: a.reviewOpinion,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
      version: a.version,
      openTaskId: task?.id ?? null,
      pendingDeadlineChangeId: pending,
      canEdit: organiser && a.status === 'draft',
      canSubmit: organiser && (a.status === 'draft' || a.status === 'returned'),
      canDelete: organiser && a.status === 'draft' && !a.instanceId,
      canRequestDeadlineChange: organiser && a.status === 'published' && pending == null,
    };
  }

  app.get('/api/activities/committee-options', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '可发布评审活动的评委会（本单位组建；已备案且在有效期内的可选）', response: { 200: z.array(committeeOption), ...errors } },
    handler: async (request) => service.committeeOptions(request.actor),
  });

  app.get('/api/activities/managed', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '评审活动发布：本单位评委会的评审活动（分页、筛选：q、status、year、committeeId）', querystring: listQuerySchema, response: { 200: z.array(managedListItem), ...errors } },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const filter = request.query.filter ?? {};
      const sort = sortOf(request.query, { id: 'a.id', year: 'a.year', name: 'a.name', startsAt: 'a.starts_at', updatedAt: 'a.updated_at', status: 'a.status' }, ['a.id', 'desc']);
      const { rows, total } = await repo.managed(
        request.actor.unitId ?? 0,
        {
          q: typeof filter.q === 'string' && filter.q.trim() ? filter.q : undefined,
          status: typeof filter.status === 'string' && filter.status ? filter.status : undefined,
          year: filter.year !== undefined && filter.year !== '' ? Number(filter.year) || 0 : undefined,
          committeeId: filter.committeeId !== undefined && filter.committeeId !== '' ? Number(filter.committeeId) || 0 : undefined,
        },
        sort,
        page,
      );
      const now = service.now();
      const items = rows.map((a) => {
        const phase = phaseOf(a, now);
        return {
          id: a.id,
          name: a.name,
          year: a.year,
          kind: a.kind,
          kindLabel: label(ACTIVITY_KINDS, a.kind),
          committeeId: a.committeeId,
          committeeName: a.committeeName,
          status: a.status,
          statusLabel: ACTIVITY_STATUS[a.status as keyof typeof ACTIVITY_STATUS] ?? a.status,
          phase,
          phaseLabel: phase ? (PHASE_LABELS[phase] ?? phase) : null,
          startsAt: iso(a.startsAt),
          firstDeadline: iso(a.firstDeadline),
          revisionDeadline: iso(a.revisionDeadline),
          receiptDeadline: iso(a.receiptDeadline),
          submittedAt: iso(a.submittedAt),
          publishedAt: iso(a.publishedAt),
          updatedAt: a.updatedAt.toISOString(),
          reviewOpinion: a.reviewOpinion,
          version: a.version,
        };
      });
      sendPage(reply, 'activities', page, items.length, total);
      return items;
    },
  });

  app.post('/api/activities', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '新增评审活动（草稿；带入评委会的业绩成果默认配置）', body: createBody, response: { 201: activitySchema, ...errors } },
    handler: async (request, reply) => {
      const a = await service.create(request.actor, request.body);
      reply.code(201);
      return detailOf(a, request.actor);
    },
  });

  app.get('/api/activities/:id', {
    schema: { tags: TAGS, summary: '评审活动信息（组建单位；审核单位通过其待办查看）', params: idParams, response: { 200: activitySchema, ...errors } },
    handler: async (request) => detailOf(await service.forReader(request.actor, request.params.id), request.actor),
  });

  app.put('/api/activities/:id', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '保存评审活动（仅草稿；version 防止覆盖他人的修改）', params: idParams, body: updateBody, response: { 200: activitySchema, ...errors } },
    handler: async (request) => detailOf(await service.update(request.actor, request.params.id, request.body), request.actor),
  });

  app.delete('/api/activities/:id', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '删除从未提交审核的草稿', params: idParams, querystring: deleteQuery, response: { 204: z.null(), ...errors } },
    handler: async (request, reply) => {
      await service.remove(request.actor, request.params.id, request.query.version);
      reply.code(204);
      return null;
    },
  });

  app.post('/api/activities/:id/submit', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '提交发布审核（草稿或被退回的评审活动）', params: idParams, body: submitBody, response: { 200: activitySchema, ...errors } },
    handler: async (request) => detailOf(await service.submit(request.actor, request.params.id, request.body ?? {}), request.actor),
  });

  app.get('/api/activities/:id/deadline-changes', {
    schema: { tags: TAGS, summary: '申报时间调整申请及审核结果', params: idParams, response: { 200: z.array(deadlineChangeSchemaOut), ...errors } },
    handler: async (request) => service.deadlineChanges(request.actor, request.params.id),
  });

  app.post('/api/activities/:id/deadline-changes', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '申请调整申报时间（已发布的活动；只能延后，经核准备案单位同意后生效）', params: idParams, body: deadlineChangeBody, response: { 201: deadlineChangeSchemaOut, ...errors } },
    handler: async (request, reply) => {
      const change = await service.requestDeadlineChange(request.actor, request.params.id, request.body);
      if (!change) throw new NotFoundError('时间调整申请不存在');
      reply.code(201);
      return change;
    },
  });

  app.get('/api/committees/:id/achievement-defaults', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '评委会的业绩成果默认配置（新增评审活动时带入）', params: idParams, response: { 200: defaultsResponse, ...errors } },
    handler: async (request) => service.achievementDefaults(request.actor, request.params.id),
  });

  app.put('/api/committees/:id/achievement-defaults', {
    onRequest: manage,
    schema: { tags: TAGS, summary: '保存评委会的业绩成果默认配置', params: idParams, body: defaultsBody, response: { 200: defaultsResponse, ...errors } },
    handler: async (request) => service.saveAchievementDefaults(request.actor, request.params.id, request.body.achievements),
  });

  app.get('/api/published-activities', {
    schema: { tags: TAGS, summary: '评审活动公告：已发布的评审活动（含不对外公开的；分页、筛选：q、year、level、committeeId）', querystring: listQuerySchema, response: { 200: z.array(noticeListItem), ...errors } },
    handler: async (request, reply) => {
      const { page, total, rows } = await listPublished(repo, request.query, { publicOnly: false });
      const now = service.now();
      sendPage(reply, 'published-activities', page, rows.length, total);
      return rows.map((a) => noticeOf(a, now));
    },
  });

  app.get('/api/published-activities/:id', {
    schema: { tags: TAGS, summary: '评审活动通知（已发布）', params: idParams, response: { 200: noticeSchema, ...errors } },
    handler: async (request) => {
      const a = await repo.get(request.params.id);
      if (!a || a.status !== 'published') throw new NotFoundError('评审活动不存在或尚未发布');
      return noticeOf(a, service.now());
    },
  });

  app.get('/api/published-activities/:id/files/:fileId', {
    schema: { tags: TAGS, summary: '下载评审政策文件', params: idParams.extend({ fileId: z.uuid({ error: '附件编号格式不正确' }) }) },
    handler: async (request, reply) => {
      const a = await repo.get(request.params.id);
      if (!a || a.status !== 'published') throw new NotFoundError('评审活动不存在或尚未发布');
      return sendPolicyFile(app.db, a, request.params.fileId, reply);
    },
  });
};

export default activitiesRoutes;
