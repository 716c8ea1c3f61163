import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx } from '../../src/xlsx.ts';
import { idParams, listQuery, listResult, mineResult, optionsResult, passManyBody, passManyResult, piiQuery, piiResult, reviewBody, statsResult, talent, talentInput } from './talents.schemas.ts';
import type { TalentsService } from './talents.service.ts';

/**
 * 专技人才 (manual §1.2.13): 我的专技人才信息 (the applicant), 专技人才审核 (talent.review) and
 * 专技人才统计 (talent.stats). Scope is checked before any state.
 */
const talentsRoutes: FastifyPluginAsyncZod<{ service: TalentsService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['专技人才'];

  app.get('/api/talents/options', {
    schema: { tags, summary: '专技人才信息的选项：民族、政治面貌、人员身份、学历、专业技术人员类别、职称情况、层级、系列', response: { 200: optionsResult, ...errorResponses } },
    handler: async () => service.optionLists(),
  });

  // ---- 我的专技人才信息 ----
  app.get('/api/talents/mine', {
    schema: { tags, summary: '我的专技人才信息（未登记时为空）', response: { 200: mineResult, ...errorResponses } },
    handler: async (request) => service.mine(request.actor),
  });
  app.put('/api/talents/mine', {
    schema: { tags, summary: '保存我的专技人才信息（首次保存即登记，待提交或已退回时可修改）', body: talentInput, response: { 200: mineResult, ...errorResponses } },
    handler: async (request) => service.saveMine(request.actor, request.body),
  });
  app.post('/api/talents/mine/submit', {
    schema: { tags, summary: '提交审核（由本单位审核，逐级到本地人社部门）', response: { 200: mineResult, ...errorResponses } },
    handler: async (request) => service.submitMine(request.actor),
  });

  // ---- 专技人才审核 ----
  app.get('/api/talents', {
    schema: { tags, summary: '专技人才审核列表：待本单位审核的（pending），或本单位及下级单位已提交的（all）', querystring: listQuery, response: { 200: listResult, ...errorResponses } },
    handler: async (request) => service.list(request.actor, request.query),
  });
  app.post('/api/talents/pass', {
    schema: { tags, summary: '批量审核通过（所选的待本单位审核的人员）', body: passManyBody, response: { 200: passManyResult, ...errorResponses } },
    handler: async (request) => service.passMany(request.actor, request.body.ids),
  });
  app.get('/api/talents/:id', {
    schema: { tags, summary: '专技人才信息详情', params: idParams, response: { 200: talent, ...errorResponses } },
    handler: async (request) => service.detail(request.actor, request.params.id),
  });
  app.get('/api/talents/:id/pii', {
    schema: { tags, summary: '查看完整证件号码（列表与详情中为脱敏显示；工作人员每次查看记入操作审计）', params: idParams, querystring: piiQuery, response: { 200: piiResult, ...errorResponses } },
    handler: async (request) => service.revealPii(request.actor, request.params.id, request.query.field),
  });
  app.post('/api/talents/:id/review', {
    schema: { tags, summary: '审核：审核通过（移交上级单位）、退回修改或审核不通过（须填写意见）', params: idParams, body: reviewBody, response: { 200: talent, ...errorResponses } },
    handler: async (request) => service.review(request.actor, request.params.id, request.body),
  });

  // ---- 专技人才统计 ----
  app.get('/api/talent-stats', {
    schema: { tags, summary: '专技人才统计（本单位及下级单位审核通过的人员，按专业技术人员类别）', response: { 200: statsResult, ...errorResponses } },
    handler: async (request) => service.stats(request.actor),
  });
  app.get('/api/talent-stats/export', {
    schema: { tags, summary: '专技人才统计导出 Excel（与页面相同的表头）' },
    handler: async (request, reply) => {
      const { filename, buffer } = await service.exportStats(request.actor);
      return sendXlsx(reply, filename, buffer);
    },
  });
};

export default talentsRoutes;
