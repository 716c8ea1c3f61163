import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../src/schemas.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ACQUISITIONS, applicationBody, batchResult, idParams, listQuery, passManyBody, piiQuery, piiResult, recognition, returnManyBody, reviewBody } from './title-recognition.schemas.ts';
import type { RecognitionService } from './title-recognition.service.ts';

const option = z.array(z.object({ value: z.string(), label: z.string() }));
const options = z.object({ series: option, levels: option, acquisitions: option });
const pairs = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));

/**
 * 职称确认 (manual §1.2.14): the person's 我的职称确认 (apply, resubmit) and the units'
 * 职称确认审核 (pending at my unit, pass / return / 不通过, batch). Scope before state.
 */
const recognitionRoutes: FastifyPluginAsyncZod<{ service: RecognitionService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['职称确认'];

  // ---- 我的职称确认 ----
  app.get('/api/title-recognitions/options', {
    schema: { tags, summary: '申请表的选项：职称系列、层级、取得方式', response: { 200: options, ...errorResponses } },
    handler: async () => ({ series: pairs(SERIES), levels: pairs(LEVELS), acquisitions: pairs(ACQUISITIONS) }),
  });
  app.get('/api/my/title-recognitions', {
    schema: { tags, summary: '我的职称确认申请', response: { 200: z.array(recognition), ...errorResponses } },
    handler: async (request) => service.mine(request.actor),
  });
  app.post('/api/my/title-recognitions', {
    schema: { tags, summary: '提交职称确认申请（沿单位链逐级审核至人社部门确认）', body: applicationBody, response: { 201: recognition, ...errorResponses } },
    handler: async (request, reply) => {
      reply.code(201);
      return service.apply(request.actor, request.body);
    },
  });
  app.get('/api/my/title-recognitions/:id', {
    schema: { tags, summary: '我的职称确认申请详情', params: idParams, response: { 200: recognition, ...errorResponses } },
    handler: async (request) => service.myOne(request.actor, request.params.id),
  });
  app.put('/api/my/title-recognitions/:id', {
    schema: { tags, summary: '修改被退回的申请并重新提交', params: idParams, body: applicationBody, response: { 200: recognition, ...errorResponses } },
    handler: async (request) => service.resubmit(request.actor, request.params.id, request.body),
  });
  app.delete('/api/my/title-recognitions/:id', {
    schema: { tags, summary: '删除申请（职称确认记录不能删除：409）', params: idParams, response: errorResponses },
    handler: async (request) => service.remove(request.actor, request.params.id),
  });

  // ---- 职称确认审核 ----
  app.get('/api/title-recognitions', {
    schema: { tags, summary: '职称确认审核列表（默认：待本单位审核的）', querystring: listQuery, response: { 200: z.array(recognition), ...errorResponses } },
    handler: async (request) => {
      const { pending, ...filter } = request.query;
      return service.reviewList(request.actor, { ...filter, pending: pending === 'true' });
    },
  });
  app.get('/api/title-recognitions/:id', {
    schema: { tags, summary: '职称确认申请详情（审核单位）', params: idParams, response: { 200: recognition, ...errorResponses } },
    handler: async (request) => service.reviewOne(request.actor, request.params.id),
  });
  app.get('/api/title-recognitions/:id/pii', {
    schema: { tags, summary: '查看完整身份证号码（审核列表与详情中为脱敏显示；每次查看记入操作审计；不在本单位审核范围内：404）', params: idParams, querystring: piiQuery, response: { 200: piiResult, ...errorResponses } },
    handler: async (request) => service.revealPii(request.actor, request.params.id, request.query.field),
  });
  app.delete('/api/title-recognitions/:id', {
    schema: { tags, summary: '删除申请（职称确认记录不能删除：409）', params: idParams, response: errorResponses },
    handler: async (request) => service.remove(request.actor, request.params.id),
  });
  app.post('/api/title-recognitions/:id/review', {
    schema: { tags, summary: '审核：通过（确认单位须填批准时间和文号）、退回申请人（须填原因）或不通过', params: idParams, body: reviewBody, response: { 200: recognition, ...errorResponses } },
    handler: async (request) => service.review(request.actor, request.params.id, request.body),
  });
  app.post('/api/title-recognitions/pass', {
    schema: { tags, summary: '批量通过（确认单位的通过须逐条填写文号，不在此批量）', body: passManyBody, response: { 200: batchResult, ...errorResponses } },
    handler: async (request) => service.batch(request.actor, request.body.ids, { action: 'pass', taskIds: request.body.taskIds }),
  });
  app.post('/api/title-recognitions/return', {
    schema: { tags, summary: '批量退回申请人', body: returnManyBody, response: { 200: batchResult, ...errorResponses } },
    handler: async (request) => service.batch(request.actor, request.body.ids, { action: 'return', reason: request.body.reason, taskIds: request.body.taskIds }),
  });
};

export default recognitionRoutes;
