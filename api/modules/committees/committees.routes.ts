import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx, workbookOf } from '../../src/xlsx.ts';
import type { CommitteeService } from './committees.service.ts';
import type { Filing } from './committees.filing.ts';

const committee = z.object({
  id: z.number(),
  name: z.string(),
  officeAgency: z.string().nullable(),
  office: z.string().nullable(),
  organizerUnitId: z.number(),
  organizerName: z.string(),
  reviewType: z.string().nullable(),
  reviewTypeName: z.string().nullable(),
  adminLevel: z.string().nullable(),
  levels: z.array(z.string()),
  levelNames: z.array(z.string()),
  issuerUnitId: z.number().nullable(),
  issuerName: z.string().nullable(),
  registrarUnitId: z.number().nullable(),
  registrarName: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  internal: z.boolean(),
  allowedNatures: z.array(z.string()),
  allowedNatureNames: z.array(z.string()),
  buildBy: z.string(),
  buildByName: z.string(),
  series: z.string().nullable(),
  seriesName: z.string().nullable(),
  specialties: z.array(z.string()),
  reviewRegions: z.array(z.string()),
  reviewRegionNames: z.array(z.string()),
  funded: z.boolean(),
  termYears: z.number(),
  filingStatus: z.string(),
  filingStatusName: z.string(),
  openFiling: z.object({ id: z.number(), status: z.string(), statusName: z.string(), instanceId: z.string().nullable() }).nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  refilingDue: z.boolean(),
  lastApprovedAt: z.string().nullable(),
  expertsInPool: z.number(),
  version: z.number(),
});

const fileRef = z.object({ id: z.string(), name: z.string(), size: z.number(), mime: z.string() });
const filingRow = z.object({
  id: z.number(),
  status: z.string(),
  statusName: z.string(),
  instanceId: z.string().nullable(),
  submittedAt: z.string(),
  submittedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  expertCount: z.number(),
  requestFiles: z.array(fileRef),
  opinion: z.string().nullable(),
});

const idParams = z.object({ id: z.coerce.number().int().positive('评委会编号不正确') });

/** 评委会备案申报 (manual §1.2.2.1): the organiser's committees and their filings. */
const committeesRoutes: FastifyPluginAsyncZod<{ service: CommitteeService; filing: Filing }> = async (app, { service, filing }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/committees', {
    schema: { tags: ['评委会'], summary: '本单位组建的评委会', querystring: listQuerySchema, response: { 200: z.array(committee), ...errorResponses } },
    preValidation: app.requirePermission('committee.manage'),
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const f = request.query.filter ?? {};
      const { rows, total } = await service.list(request.actor, { q: typeof f.q === 'string' ? f.q : undefined, status: typeof f.filingStatus === 'string' ? f.filingStatus : undefined }, page);
      sendPage(reply, 'committees', page, rows.length, total);
      return rows;
    },
  });

  app.get('/api/committees/export', {
    schema: { tags: ['评委会'], summary: '导出本单位组建的评委会（Excel）', querystring: listQuerySchema },
    preValidation: app.requirePermission('committee.manage'),
    handler: async (request, reply) => {
      const { rows } = await service.list(request.actor, {}, { offset: 0, limit: 10000 });
      const content = await workbookOf(
        '评委会',
        [
          { header: '评委会名称', width: 40, value: (r) => r.name },
          { header: '评审系列', value: (r) => r.seriesName },
          { header: '评审级别', value: (r) => r.levelNames.join('、') },
          { header: '备案状态', value: (r) => r.filingStatusName + (r.openFiling ? `（${r.openFiling.statusName}）` : '') },
          { header: '有效期起', value: (r) => r.validFrom },
          { header: '有效期止', value: (r) => r.validTo },
          { header: '授权管理单位', width: 30, value: (r) => r.issuerName },
          { header: '备案单位', width: 30, value: (r) => r.registrarName },
          { header: '评审区域', width: 40, value: (r) => r.reviewRegionNames.join('、') },
          { header: '在库专家', value: (r) => r.expertsInPool },
        ],
        rows,
      );
      return sendXlsx(reply, '评委会备案申报.xlsx', content);
    },
  });

  app.get('/api/committees/usable', {
    schema: { tags: ['评委会'], summary: '本单位已备案且在有效期内的评委会（发布评审活动用）', response: { 200: z.array(committee), ...errorResponses } },
    preValidation: app.requirePermission('committee.manage', 'activity.manage'),
    handler: async (request) => service.usable(request.actor.unitId ?? -1),
  });

  app.get('/api/committees/:id', {
    schema: { tags: ['评委会'], summary: '评委会详情与备案记录', params: idParams, response: { 200: committee.extend({ filings: z.array(filingRow) }), ...errorResponses } },
    handler: async (request) => service.detail(request.actor, request.params.id),
  });

  app.post('/api/committees', {
    schema: { tags: ['评委会'], summary: '新增评委会（组建单位为本单位）', body: z.record(z.string(), z.unknown()), response: { 201: committee, ...errorResponses } },
    preValidation: app.requirePermission('committee.manage'),
    handler: async (request, reply) => reply.code(201).send(await service.create(request.actor, request.body)),
  });

  app.put('/api/committees/:id', {
    schema: {
      tags: ['评委会'],
      summary: '编辑评委会（备案审核中不能修改）',
      params: idParams,
      body: z.looseObject({ version: z.number({ error: '缺少版本号，请刷新后重试' }).int() }),
      response: { 200: committee, ...errorResponses },
    },
    preValidation: app.requirePermission('committee.manage'),
    handler: async (request) => service.update(request.actor, request.params.id, request.body, request.body.version),
  });

  app.post('/api/committees/:id/filings', {
    schema: {
      tags: ['评委会'],
      summary: '发起备案申请（在待办中上传核准备案请示并提交）',
      params: idParams,
      response: { 201: z.object({ instanceId: z.string(), filingId: z.number(), taskId: z.string().nullable() }), ...errorResponses },
    },
    preValidation: app.requirePermission('committee.manage'),
    handler: async (request, reply) => reply.code(201).send(await filing.start(request.actor, request.params.id)),
  });
};

export default committeesRoutes;
