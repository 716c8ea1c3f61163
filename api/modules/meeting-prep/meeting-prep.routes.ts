import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx } from '../../src/xlsx.ts';
import type { PrepImportKind } from './meeting-prep.import.ts';
import { activityScoring, dossierNotice, importSummary, objectionBody, preparationQuery, preparationView, scoringBody, scoringStandard } from './meeting-prep.schemas.ts';
import { createMeetingPrepService } from './meeting-prep.service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive('编号不正确') });
const objectionParams = idParams.extend({ dossierId: z.coerce.number().int().positive('申报编号不正确') });
const importParams = idParams.extend({ importId: z.uuid({ error: '导入记录编号格式不正确' }) });

const KIND_NAME: Record<PrepImportKind, string> = { exam: '笔试成绩', defense: '答辩安排' };

/**
 * 评审会议准备 (manual §1.2.5.2–1.2.5.4): 设置评分标准, 导入笔试成绩, 导入答辩安排, and 公示有异议人员.
 * Every meeting route checks the meeting's scope first (404 for anyone outside).
 */
const meetingPrepRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const service = createMeetingPrepService({ db: app.db, now: () => app.engine.clock.now(), cipher: app.pii });
  const manage = app.requirePermission('meeting.manage');
  const tags = ['评审会议准备'];

  // ---------------------------------------------------------------- 评分标准

  app.get('/api/activities/:id/scoring', {
    schema: { tags, summary: '评分标准（评审活动的评分项、满分和总分）', params: idParams, response: { 200: activityScoring, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => service.scoring(request.actor, request.params.id),
  });

  app.put('/api/activities/:id/scoring', {
    schema: { tags, summary: '设置评分标准（整体保存评分项，按给出的顺序）', params: idParams, body: scoringBody, response: { 200: activityScoring, ...errorResponses } },
    preValidation: manage,
    handler: async (request) => service.saveScoring(request.actor, request.params.id, request.body.items),
  });

  // the expert portal reads the same standard (its own scope check) through meetingScoring()
  app.get('/api/meetings/:id/scoring', {
    schema: { tags, summary: '评审会议的评分标准（专家打分时展示）', params: idParams, response: { 200: scoringStandard, ...errorResponses } },
    handler: async (request) => service.meetingScoring(request.actor, request.params.id),
  });

  // ---------------------------------------------------------------- 参评人员

  app.get('/api/meetings/:id/preparation', {
    schema: {
      tags,
      summary: '评审会议准备：活动选项（笔试、答辩、专业组、破格）、参评人员（按顺序分页，可按姓名开头、公示有异议筛选）及其笔试成绩、答辩安排、公示有异议标记',
      params: idParams,
      querystring: preparationQuery,
      response: { 200: preparationView, ...errorResponses },
    },
    preValidation: manage,
    handler: async (request) => service.overview(request.actor, request.params.id, request.query),
  });

  app.put('/api/meetings/:id/objections/:dossierId', {
    schema: {
      tags,
      summary: '标记或取消公示有异议（单位公示期间投诉经核实的参评人员）',
      params: objectionParams,
      body: objectionBody,
      response: { 200: preparationView.shape.candidates.element, ...errorResponses },
    },
    preValidation: manage,
    handler: async (request) => service.setObjection(request.actor, request.params.id, request.params.dossierId, request.body.objection, request.body.note),
  });

  // ---------------------------------------------------------------- 导入笔试成绩 / 导入答辩安排

  for (const kind of ['exam', 'defense'] as const) {
    const name = KIND_NAME[kind];
    app.get(`/api/meetings/:id/${kind}/template`, {
      schema: { tags, summary: `下载${name}导入模板（预填参评人员的姓名、证件号码、工作单位）`, params: idParams },
      preValidation: manage,
      handler: async (request, reply) => {
        const file = await service.template(request.actor, request.params.id, kind);
        return sendXlsx(reply, file.name, file.content);
      },
    });

    app.post(`/api/meetings/:id/${kind}/imports`, {
      schema: {
        tags,
        summary: `检验${name}导入文件（已上传到 /api/files）：逐个单元格列出错误；确认前不导入`,
        params: idParams,
        body: z.object({ fileId: z.uuid({ error: '请先上传导入文件' }) }),
        response: { 201: importSummary, ...errorResponses },
      },
      preValidation: manage,
      handler: async (request, reply) => {
        const summary = await service.checkImport(request.actor, request.params.id, kind, request.body.fileId);
        reply.code(201);
        return summary;
      },
    });

    app.get(`/api/meetings/:id/${kind}/imports/:importId`, {
      schema: { tags, summary: `${name}检验结果`, params: importParams, response: { 200: importSummary, ...errorResponses } },
      preValidation: manage,
      handler: async (request) => service.importSummary(request.actor, request.params.id, kind, request.params.importId),
    });

    app.get(`/api/meetings/:id/${kind}/imports/:importId/errors`, {
      schema: { tags, summary: `下载${name}错误数据（出错的单元格标红并批注原因）`, params: importParams },
      preValidation: manage,
      handler: async (request, reply) => sendXlsx(reply, `${name}错误数据.xlsx`, await service.errorWorkbook(request.actor, request.params.id, kind, request.params.importId)),
    });

    app.post(`/api/meetings/:id/${kind}/imports/:importId/confirm`, {
      schema: {
        tags,
        summary:
          kind === 'exam'
            ? '确认导入笔试成绩：替换此前导入的成绩，不合格的参评人员以“笔试不通过”办结'
            : '确认导入答辩安排：新的或变更的安排向申报人及其审核链上的单位发送答辩通知',
        params: importParams,
        response: { 200: importSummary, ...errorResponses },
      },
      preValidation: manage,
      handler: async (request) => service.confirmImport(request.actor, request.params.id, kind, request.params.importId),
    });
  }

  // ---------------------------------------------------------------- 我的申报: 答辩通知, 笔试结果

  app.get('/api/dossiers/mine/meeting-notices', {
    schema: { tags, summary: '我的申报的答辩通知和笔试结果', response: { 200: z.array(dossierNotice), ...errorResponses } },
    handler: async (request) => service.myNotices(request.actor),
  });

  app.get('/api/dossiers/:id/meeting-notices', {
    schema: { tags, summary: '申报的答辩通知和笔试结果（申报人、审核链上的单位、评委会）', params: idParams, response: { 200: z.array(dossierNotice), ...errorResponses } },
    handler: async (request) => service.dossierNotices(request.actor, request.params.id),
  });
};

export default meetingPrepRoutes;
