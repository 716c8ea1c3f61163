import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { keysetListQuerySchema, keysetSortOf, listQuerySchema, pageOf, sendCursor, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { ValidationError } from '../../src/errors.ts';
import { sendXlsx, workbookOf } from '../../src/xlsx.ts';
import { DOSSIER_STATUS, EVALUATION_METHODS, FORWARDED_SORT, QUERY_DEFAULT_SORT, QUERY_SORT, parseQueryFilter, type DossierQueryService, type DossierRow } from './dossier-queries.service.ts';

const countsSchema = z.object({ declared: z.number(), reviewing: z.number(), returned: z.number(), rejected: z.number(), received: z.number(), passed: z.number() });

const dossierSchema = z.object({
  id: z.number(),
  applicantName: z.string(),
  employerName: z.string().nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  committeeId: z.number().nullable(),
  committeeName: z.string().nullable(),
  activityId: z.number(),
  activityName: z.string(),
  year: z.number(),
  series: z.string().nullable(),
  seriesName: z.string().nullable(),
  level: z.string().nullable(),
  levelName: z.string().nullable(),
  specialty: z.string().nullable(),
  evaluationMethod: z.string(),
  evaluationMethodName: z.string(),
  status: z.string(),
  statusName: z.string(),
  instanceId: z.string().nullable(),
  submittedAt: z.string().nullable(),
});

const changeValue = z.object({ evaluationMethod: z.string(), evaluationMethodName: z.string(), level: z.string().nullable(), levelName: z.string().nullable() });

const choice = z.object({ id: z.string(), name: z.string() });
const choices = (labels: Record<string, string>) => Object.entries(labels).map(([id, name]) => ({ id, name }));

const idParams = z.object({ id: z.coerce.number().int().positive('申报编号不正确') });

const EXPORT_LIMIT = 20_000;

/** 申报材料综合查询 (organisers of committees) and 评审人员统计 (units that forward dossiers). */
const dossierQueriesRoutes: FastifyPluginAsyncZod<{ service: DossierQueryService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/dossier-queries/options', {
    schema: {
      tags: ['申报材料综合查询'],
      summary: '筛选项：本单位组建的评委会及其评审活动，评价方式、系列、层级、状态',
      response: {
        200: z.object({
          committees: z.array(z.object({ id: z.number(), name: z.string(), activities: z.array(z.object({ id: z.number(), name: z.string(), year: z.number() })) })),
          evaluationMethods: z.array(choice),
          series: z.array(choice),
          levels: z.array(choice),
          statuses: z.array(choice),
        }),
        ...errorResponses,
      },
    },
    preValidation: app.requirePermission('dossier.query', 'dossier.review.own', 'dossier.review.subordinate'),
    handler: async (request) => ({
      committees: request.actor.roles.includes('dossier.query') ? await service.options(request.actor) : [],
      evaluationMethods: choices(EVALUATION_METHODS),
      series: choices(SERIES),
      levels: choices(LEVELS),
      statuses: choices(DOSSIER_STATUS).filter((c) => c.id !== 'draft'),
    }),
  });

  app.get('/api/dossier-queries/summary', {
    schema: {
      tags: ['申报材料综合查询'],
      summary: '本单位组建的评委会的申报、接收、通过人数（按评委会，可筛选）',
      querystring: listQuerySchema,
      response: { 200: z.object({ totals: countsSchema, committees: z.array(countsSchema.extend({ id: z.number(), committeeName: z.string() })) }), ...errorResponses },
    },
    preValidation: app.requirePermission('dossier.query'),
    handler: async (request) => service.summary(request.actor, parseQueryFilter(request.query.filter)),
  });

  app.get('/api/dossier-queries', {
    schema: {
      tags: ['申报材料综合查询'],
      summary: '计数背后的申报材料（分页、筛选、排序；第 10000 条之后用 X-Next-Cursor 的 cursor 续翻，总数超过 10000 时为 *）',
      querystring: keysetListQuerySchema,
      response: { 200: z.array(dossierSchema), ...errorResponses },
    },
    preValidation: app.requirePermission('dossier.query'),
    handler: async (request, reply) => {
      const page = { ...pageOf(request.query), cursor: request.query.cursor };
      const sort = keysetSortOf(request.query, QUERY_SORT, QUERY_DEFAULT_SORT);
      const { rows, nextCursor, total } = await service.list(request.actor, parseQueryFilter(request.query.filter), page, sort);
      sendPage(reply, 'dossier-queries', page, rows.length, total);
      sendCursor(reply, nextCursor);
      return rows;
    },
  });

  app.get('/api/dossier-queries/export', {
    schema: { tags: ['申报材料综合查询'], summary: `导出申报材料（Excel，最多 ${EXPORT_LIMIT} 条）`, querystring: listQuerySchema },
    preValidation: app.requirePermission('dossier.query'),
    handler: async (request, reply) => {
      const sort = keysetSortOf({ ...request.query, cursor: undefined }, QUERY_SORT, QUERY_DEFAULT_SORT);
      const { rows, total } = await service.exportRows(request.actor, parseQueryFilter(request.query.filter), EXPORT_LIMIT, sort);
      if (total === null) {
        throw new ValidationError(`符合条件的申报超过 ${EXPORT_LIMIT} 条，一次最多导出 ${EXPORT_LIMIT} 条，请缩小筛选范围`, [{ field: 'filter', message: '导出条数过多' }]);
      }
      const content = await workbookOf<DossierRow>(
        '申报材料',
        [
          { header: '申报编号', value: (r) => r.id },
          { header: '姓名', value: (r) => r.applicantName },
          { header: '工作单位', width: 30, value: (r) => r.employerName },
          { header: '地区', width: 28, value: (r) => r.regionName },
          { header: '评委会', width: 36, value: (r) => r.committeeName },
          { header: '评审活动', width: 36, value: (r) => r.activityName },
          { header: '年度', value: (r) => r.year },
          { header: '申报系列', value: (r) => r.seriesName },
          { header: '申报层级', value: (r) => r.levelName },
          { header: '申报专业', value: (r) => r.specialty },
          { header: '评价方式', value: (r) => r.evaluationMethodName },
          { header: '状态', value: (r) => r.statusName },
          { header: '提交时间', width: 22, value: (r) => (r.submittedAt ? new Date(r.submittedAt) : null) },
        ],
        rows,
      );
      return sendXlsx(reply, '申报材料综合查询.xlsx', content);
    },
  });

  app.get('/api/forwarded-dossiers', {
    schema: {
      tags: ['评审人员统计'],
      summary: '本单位审核通过并报送的申报人（分页、筛选、排序；可用 X-Next-Cursor 的 cursor 续翻）',
      querystring: keysetListQuerySchema,
      response: { 200: z.array(dossierSchema), ...errorResponses },
    },
    preValidation: app.requirePermission('dossier.review.own', 'dossier.review.subordinate'),
    handler: async (request, reply) => {
      const page = { ...pageOf(request.query), cursor: request.query.cursor };
      const sort = keysetSortOf(request.query, FORWARDED_SORT, QUERY_DEFAULT_SORT);
      const { rows, nextCursor, total } = await service.listForwarded(request.actor, parseQueryFilter(request.query.filter), page, sort);
      sendPage(reply, 'forwarded-dossiers', page, rows.length, total);
      sendCursor(reply, nextCursor);
      return rows;
    },
  });

  app.post('/api/forwarded-dossiers/:id/changes', {
    schema: {
      tags: ['评审人员统计'],
      summary: '修改评价方式与申报层级（记录在修改记录和经办流程中）',
      params: idParams,
      body: z
        .object({
          evaluationMethod: z.enum(Object.keys(EVALUATION_METHODS) as [string, ...string[]], { error: '请选择评价方式' }).optional(),
          level: z.enum(Object.keys(LEVELS) as [string, ...string[]], { error: '请选择申报层级' }).optional(),
          reason: z.string().trim().max(500, '修改原因最多 500 字').nullish(),
        })
        .refine((b) => b.evaluationMethod !== undefined || b.level !== undefined, { message: '请选择要修改的评价方式或层级', path: ['evaluationMethod'] }),
      response: { 200: dossierSchema, ...errorResponses },
    },
    preValidation: app.requirePermission('dossier.review.own', 'dossier.review.subordinate'),
    handler: async (request) => service.change(request.actor, request.params.id, request.body),
  });

  app.get('/api/forwarded-dossiers/:id/changes', {
    schema: {
      tags: ['评审人员统计'],
      summary: '评价方式与层级的修改记录',
      params: idParams,
      response: {
        200: z.array(z.object({ id: z.number(), unitName: z.string().nullable(), actorName: z.string(), before: changeValue, after: changeValue, reason: z.string().nullable(), createdAt: z.string() })),
        ...errorResponses,
      },
    },
    preValidation: app.requirePermission('dossier.query', 'dossier.review.own', 'dossier.review.subordinate'),
    handler: async (request) => service.changes(request.actor, request.params.id),
  });
};

export default dossierQueriesRoutes;
