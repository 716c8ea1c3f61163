import { auditPiiView, maskIdNumber, maskPhone } from '../../src/pii.ts';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idFacts, SEXES } from '../../../forms/expert.ts';
import { checkIdNumber } from '../../../forms/validators.ts';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { listQuerySchema, pageOf, sendPage, sortOf } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx } from '../../src/xlsx.ts';
import type { Regions } from '../regions/regions.service.ts';
import { buildImportTemplate, regionOptions } from './experts.import.ts';
import {
  badRow,
  decisionBody,
  expertBody,
  expertDetail,
  expertUpdateBody,
  expertView,
  flagsBody,
  goodRow,
  idInfo,
  idsBody,
  importSummary,
  poolView,
  reviewBody,
} from './experts.schemas.ts';
import { createExpertService, type ExpertView } from './experts.service.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';

const committeeParams = z.object({ committeeId: z.coerce.number().int().positive('评委会编号不正确') });
const expertParams = z.object({ id: z.coerce.number().int().positive('专家编号不正确') });
const importParams = z.object({ id: z.uuid({ error: '导入记录编号格式不正确' }) });
const countAnswer = z.object({ count: z.number() });

const poolFilter = z.object({
  purpose: z.enum(['manage', 'review', 'recommend'], { error: '用途应为 manage、review 或 recommend' }).optional(),
  q: z.string().max(100).optional(),
});
const expertFilter = z.object({
  status: z.enum(['draft', 'recommended', 'pending', 'in_pool', 'returned'], { error: '状态应为 draft、recommended、pending、in_pool 或 returned' }).optional(),
  returnedStage: z.enum(['organizer', 'registrar'], { error: '退回环节应为 organizer 或 registrar' }).optional(),
  active: z.boolean({ error: '是否活跃应为 true 或 false' }).optional(),
  q: z.string().max(100).optional(),
});

function parseFilter<T extends z.ZodType>(schema: T, filter: Record<string, unknown> | undefined): z.output<T> {
  const result = schema.safeParse(filter ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ field: `filter.${i.path.join('.')}`, message: i.message }));
  throw new ValidationError(`筛选条件有误：${details.map((d) => d.message).join('；')}`, details);
}

/**
 * 专家库管理 and 专家库审核 (manual §1.2.2.3–4): the organiser's experts of each committee, the
 * recommendations of units below it, submission to the registrar and its review, the Excel import.
 */
const expertsRoutes: FastifyPluginAsyncZod<{ regions: Regions; checks: Record<string, CompletionCheck> }> = async (app, { regions, checks }) => {
  app.addHook('onRequest', app.authenticate);
  const regionChoices = regionOptions(regions.list);
  const service = createExpertService({ db: app.db, pii: app.pii, regions: regionChoices, now: () => app.engine.clock.now(), engine: app.engine, checks });
  const anyExpertPermission = app.requirePermission('expert.manage', 'expert.recommend', 'expert.review');
  const tags = ['专家库'];

  app.get('/api/expert-pools', {
    schema: {
      tags,
      summary: '专家库列表：本单位组建（管理）、备案（审核）或可推荐专家的评委会，含在库、待审等人数',
      querystring: listQuerySchema,
      response: { 200: z.array(poolView), ...errorResponses },
    },
    preValidation: anyExpertPermission,
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const f = parseFilter(poolFilter, request.query.filter);
      const { rows, total } = await service.committees(request.actor, { purpose: f.purpose, q: f.q }, page);
      sendPage(reply, 'expert-pools', page, rows.length, total);
      return rows;
    },
  });

  app.get('/api/expert-pools/:committeeId', {
    schema: { tags, summary: '一个评委会的专家库概况', params: committeeParams, response: { 200: poolView, ...errorResponses } },
    preValidation: anyExpertPermission,
    handler: async (request) => {
      const c = await service.committee(request.params.committeeId);
      const roles = service.rolesOn(request.actor, c);
      const purpose = roles.manage ? 'manage' : roles.review ? 'review' : roles.recommend ? 'recommend' : null;
      if (!purpose) throw new NotFoundError('评委会不存在');
      const { rows } = await service.committees(request.actor, { purpose, committeeId: c.id }, { offset: 0, limit: 1 });
      const found = rows[0];
      if (!found) throw new NotFoundError('评委会不存在或不在您的专家库范围内');
      return found;
    },
  });

  app.get('/api/expert-pools/:committeeId/experts', {
    schema: {
      tags,
      summary: '评委会的专家：组建单位看全部，备案单位看提交审核的，推荐单位看本单位推荐的（filter.status 按状态）',
      params: committeeParams,
      querystring: listQuerySchema,
      response: { 200: z.array(expertView), ...errorResponses },
    },
    preValidation: anyExpertPermission,
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const filter = parseFilter(expertFilter, request.query.filter);
      const sort = sortOf(
        request.query,
        { id: 'e.id', name: 'e.name', birthMonth: 'e.birth_month', age: 'e.birth_month', specialty: 'e.specialty', employer: 'e.employer', createdAt: 'e.created_at', updatedAt: 'e.updated_at' },
        ['e.id', 'asc'],
      );
      // older first when sorting by age
      const order: [string, 'asc' | 'desc'] = request.query.sort?.[0] === 'age' ? [sort[0], sort[1] === 'asc' ? 'desc' : 'asc'] : sort;
      const { rows, total } = await service.list(request.actor, request.params.committeeId, filter, order, page);
      sendPage(reply, 'experts', page, rows.length, total);
      // the list shows ID and phone numbers masked; 查看 (the detail, audited) shows them in full
      return rows.map((r: ExpertView) => ({ ...r, idNumber: maskIdNumber(r.idNumber)!, phone1: maskPhone(r.phone1)!, phone2: maskPhone(r.phone2) }));
    },
  });

  app.post('/api/expert-pools/:committeeId/experts', {
    schema: { tags, summary: '新增专家（新增待提交）', params: committeeParams, body: expertBody, response: { 201: expertView, ...errorResponses } },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request, reply) => {
      const created = await service.create(request.actor, request.params.committeeId, request.body);
      reply.code(201);
      return created;
    },
  });

  app.post('/api/expert-pools/:committeeId/recommendations', {
    schema: { tags, summary: '推荐专家（下级单位向上级单位组建的评委会推荐）', params: committeeParams, body: expertBody, response: { 201: expertView, ...errorResponses } },
    preValidation: app.requirePermission('expert.recommend'),
    handler: async (request, reply) => {
      const created = await service.recommend(request.actor, request.params.committeeId, request.body);
      reply.code(201);
      return created;
    },
  });

  app.post('/api/expert-pools/:committeeId/recommendations/review', {
    schema: {
      tags,
      summary: '审核下级推荐的专家（批量）：通过后进入新增待提交，退回须填原因',
      params: committeeParams,
      body: decisionBody,
      response: { 200: countAnswer, ...errorResponses },
    },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request) => service.reviewRecommendations(request.actor, request.params.committeeId, request.body.ids, request.body.action, request.body.opinion),
  });

  app.post('/api/expert-pools/:committeeId/recommendations/resubmit', {
    schema: { tags, summary: '重新推荐被组建单位退回的专家（批量）', params: committeeParams, body: idsBody, response: { 200: countAnswer, ...errorResponses } },
    preValidation: app.requirePermission('expert.recommend'),
    handler: async (request) => service.resubmitRecommendations(request.actor, request.params.committeeId, request.body.ids),
  });

  app.post('/api/expert-pools/:committeeId/submit', {
    schema: {
      tags,
      summary: '提交专家（批量）：新增待提交和备案单位退回的专家提交备案单位审核',
      params: committeeParams,
      body: idsBody,
      response: { 200: countAnswer, ...errorResponses },
    },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request) => service.submit(request.actor, request.params.committeeId, request.body.ids),
  });

  app.post('/api/expert-pools/:committeeId/review', {
    schema: {
      tags,
      summary: '专家库审核（备案单位，批量）：通过入库，退回须填原因；stepIds 为列表显示的审核环节，环节已变化时 409',
      params: committeeParams,
      body: reviewBody,
      response: { 200: countAnswer, ...errorResponses },
    },
    preValidation: app.requirePermission('expert.review'),
    handler: async (request) => service.review(request.actor, request.params.committeeId, request.body.ids, request.body.action, request.body.opinion, request.body.stepIds),
  });

  // ---------------------------------------------------------------- 批量新增

  app.get('/api/expert-imports/template', {
    schema: { tags, summary: '下载专家导入模板（Excel：表头说明、下拉选项、示例行）' },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (_request, reply) => sendXlsx(reply, '专家导入模板.xlsx', await buildImportTemplate(regionChoices)),
  });

  app.post('/api/expert-pools/:committeeId/imports', {
    schema: {
      tags,
      summary: '数据检验：检验已上传（/api/files）的导入文件，返回正确和错误的行数；确认前不导入',
      params: committeeParams,
      body: z.object({ fileId: z.uuid({ error: '请先上传导入文件' }) }),
      response: { 201: importSummary, ...errorResponses },
    },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request, reply) => {
      const summary = await service.checkImport(request.actor, request.params.committeeId, request.body.fileId);
      reply.code(201);
      return summary;
    },
  });

  app.get('/api/expert-imports/:id', {
    schema: { tags, summary: '检验结果概况', params: importParams, response: { 200: importSummary, ...errorResponses } },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request) => service.importSummary(request.actor, request.params.id),
  });

  app.get('/api/expert-imports/:id/good', {
    schema: { tags, summary: '检验正确的数据（分页）', params: importParams, querystring: listQuerySchema, response: { 200: z.array(goodRow), ...errorResponses } },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request, reply) => {
      const page = pageOf(request.query, 50);
      const { rows, total } = await service.importGoodRows(request.actor, request.params.id, page);
      sendPage(reply, 'good-rows', page, rows.length, total);
      return rows;
    },
  });

  app.get('/api/expert-imports/:id/bad', {
    schema: { tags, summary: '检验错误的数据（分页，每行列出出错的单元格和原因）', params: importParams, querystring: listQuerySchema, response: { 200: z.array(badRow), ...errorResponses } },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request, reply) => {
      const page = pageOf(request.query, 50);
      const { rows, total } = await service.importBadRows(request.actor, request.params.id, page);
      sendPage(reply, 'bad-rows', page, rows.length, total);
      return rows;
    },
  });

  app.get('/api/expert-imports/:id/errors', {
    schema: { tags, summary: '下载错误数据（出错的单元格标红并批注原因，修改后可重新导入）', params: importParams },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request, reply) => sendXlsx(reply, '专家导入错误数据.xlsx', await service.errorWorkbook(request.actor, request.params.id)),
  });

  app.post('/api/expert-imports/:id/confirm', {
    schema: {
      tags,
      summary: '导入正确数据：确认后把检验正确的行导入为新增待提交（一次，整体成功或失败）',
      params: importParams,
      body: z.object({ importGoodRows: z.literal(true, { error: '请确认导入检验正确的数据（importGoodRows: true）' }) }),
      response: { 200: importSummary, ...errorResponses },
    },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request) => service.confirmImport(request.actor, request.params.id),
  });

  // ---------------------------------------------------------------- one expert

  app.get('/api/experts/id-info', {
    schema: {
      tags,
      summary: '由证件号码得出性别、出生日期和年龄（填写专家信息时显示）',
      querystring: z.object({ idNumber: z.string().trim().max(30, '证件号码过长') }),
      response: { 200: idInfo, ...errorResponses },
    },
    preValidation: anyExpertPermission,
    handler: async (request) => {
      const today = app.engine.clock.now();
      const check = checkIdNumber(request.query.idNumber, today);
      const facts = idFacts(request.query.idNumber, today);
      if (!check.ok || !facts) return { valid: false, reason: check.ok ? null : check.reason, sex: null, sexName: null, birthMonth: null, age: null };
      return { valid: true, reason: null, sex: facts.sex, sexName: SEXES[facts.sex], birthMonth: facts.birthMonth, age: facts.age };
    },
  });

  app.get('/api/experts/:id', {
    schema: { tags, summary: '查看专家信息（含办理记录）', params: expertParams, response: { 200: expertDetail, ...errorResponses } },
    preValidation: anyExpertPermission,
    handler: async (request) => {
      const detail = await service.detail(request.actor, request.params.id);
      await auditPiiView(app.db, request.actor, { subject: 'expert', id: detail.id, fields: ['idNumber', 'phone1', 'phone2'], unitId: request.actor.unitId, personName: detail.name }, app.engine.clock.now());
      return detail;
    },
  });

  app.put('/api/experts/:id', {
    schema: { tags, summary: '修改专家信息（组建单位：新增待提交、备案单位退回的；推荐单位：本单位推荐且未通过的）', params: expertParams, body: expertUpdateBody, response: { 200: expertView, ...errorResponses } },
    preValidation: app.requirePermission('expert.manage', 'expert.recommend'),
    handler: async (request) => {
      const { version, ...data } = request.body;
      return service.update(request.actor, request.params.id, version, data);
    },
  });

  app.post('/api/experts/:id/flags', {
    schema: { tags, summary: '修改在库专家的活跃、主任委员、副主任委员标记', params: expertParams, body: flagsBody, response: { 200: expertView, ...errorResponses } },
    preValidation: app.requirePermission('expert.manage'),
    handler: async (request) => service.setFlags(request.actor, request.params.id, request.body),
  });

  app.post('/api/experts/:id/remove', {
    schema: {
      tags,
      summary: '删除未提交（或被退回）的专家；记录保留',
      params: expertParams,
      body: z.object({ version: z.number().int().min(-2_147_483_648).max(2_147_483_647) }),
      response: { 204: z.null(), ...errorResponses },
    },
    preValidation: app.requirePermission('expert.manage', 'expert.recommend'),
    handler: async (request, reply) => {
      await service.remove(request.actor, request.params.id, request.body.version);
      return reply.code(204).send(null);
    },
  });
};

export default expertsRoutes;
