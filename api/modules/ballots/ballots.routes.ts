import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx } from '../../src/xlsx.ts';
import { renderCredentialSheet, renderTallyPdf, tallyWorkbook } from './ballots.export.ts';
import { ballotSaved, credentialsBody, expertActionBody, expertMeetingList, expertMeetingView, meetingParams, passBody, resultsPage, resultsQuery, roundParams, submitBody, tallyView, votesBody } from './ballots.schemas.ts';
import type { BallotsService } from './ballots.service.ts';

const pdfName = (name: string) => `attachment; filename="export.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * 专家端 (the expert's meeting, ballot, 保存 and 提交) and the committee's side of the vote: the
 * credential sheet, the 计票 screen (回退, 缺席, 计票完成) and the 表决票结果 exports. Every meeting
 * route checks the meeting's scope first (organiser: meetingInScope; expert: the credential).
 */
const ballotsRoutes: FastifyPluginAsyncZod<{ service: BallotsService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['评审会议：专家投票与计票'];

  app.post('/api/meetings/:meetingId/credentials', {
    schema: {
      tags,
      summary: '发放专家评审账号并打印账号单（PDF）：默认为尚无账号的确认出席专家；指定 expertIds 时为其重置初始密码',
      params: meetingParams,
      body: credentialsBody,
    },
    handler: async (request, reply) => {
      const sheet = await service.issueCredentials(request.actor, request.params.meetingId, request.body.expertIds);
      reply.header('Content-Type', 'application/pdf').header('Content-Disposition', pdfName(`${sheet.meeting.name}-专家账号单.pdf`)).header('Cache-Control', 'no-store');
      return reply.send(await renderCredentialSheet(sheet));
    },
  });

  app.get('/api/expert/meetings', {
    schema: { tags, summary: '专家端：本账号可参加的评审会议', response: { 200: expertMeetingList, ...errorResponses } },
    handler: async (request) => (await service.meetingsOf(request.actor)).map((m) => ({ ...m, id: Number(m.id) })),
  });

  app.get('/api/expert/meetings/:meetingId', {
    schema: { tags, summary: '专家端：本轮参评人员（按会议顺序）、我的表决票、评分标准和评审材料', params: meetingParams, response: { 200: expertMeetingView, ...errorResponses } },
    handler: async (request) => service.expertView(request.actor, request.params.meetingId),
  });

  app.put('/api/expert/meetings/:meetingId/ballot', {
    schema: { tags, summary: '专家端：保存表决（草稿，可多次保存）', params: meetingParams, body: votesBody, response: { 200: ballotSaved, ...errorResponses } },
    handler: async (request) => service.saveDraft(request.actor, request.params.meetingId, request.body.votes),
  });

  app.post('/api/expert/meetings/:meetingId/ballot/submit', {
    schema: {
      tags,
      summary: '专家端：提交表决票（可同时带上未保存的表决）；每名参评人员都须表决，只能提交一次',
      params: meetingParams,
      body: submitBody,
      response: { 200: ballotSaved, ...errorResponses },
    },
    handler: async (request) => service.submit(request.actor, request.params.meetingId, request.body.votes ?? []),
  });

  app.get('/api/meetings/:meetingId/tally', {
    schema: { tags, summary: '计票：各轮专家进度和参评人数（结果分页见 …/tally/rounds/:roundId/results；监督评委会只读）', params: meetingParams, response: { 200: tallyView, ...errorResponses } },
    handler: async (request) => service.tallyView(request.actor, request.params.meetingId),
  });

  app.get('/api/meetings/:meetingId/tally/rounds/:roundId/results', {
    schema: { tags, summary: '计票：某一轮参评人员的表决结果，按会议顺序分页（可按姓名开头筛选）', params: roundParams, querystring: resultsQuery, response: { 200: resultsPage, ...errorResponses } },
    handler: async (request) => service.resultsPage(request.actor, request.params.meetingId, request.params.roundId, request.query),
  });

  app.post('/api/meetings/:meetingId/tally/return', {
    schema: { tags, summary: '回退：把某位专家已提交的表决票退回本人修改（计票完成前）', params: meetingParams, body: expertActionBody, response: { 200: tallyView, ...errorResponses } },
    handler: async (request) => service.handBackBallot(request.actor, request.params.meetingId, request.body.expertId, request.body.opinion),
  });

  app.post('/api/meetings/:meetingId/tally/absent', {
    schema: { tags, summary: '标记缺席：代专家结束其本轮表决票（不计入实到人数）', params: meetingParams, body: expertActionBody, response: { 200: tallyView, ...errorResponses } },
    handler: async (request) => service.markAbsent(request.actor, request.params.meetingId, request.body.expertId, request.body.opinion),
  });

  app.post('/api/meetings/:meetingId/tally/pass', {
    schema: { tags, summary: '计票完成：全部出席专家提交后关闭本轮并计算结果', params: meetingParams, body: passBody, response: { 200: tallyView, ...errorResponses } },
    handler: async (request) => service.passTally(request.actor, request.params.meetingId, request.body.opinion),
  });

  app.get('/api/meetings/:meetingId/tally.xlsx', {
    schema: { tags, summary: '导出表决票结果（Excel）', params: meetingParams },
    handler: async (request, reply) => {
      const data = await service.exportData(request.actor, request.params.meetingId);
      return sendXlsx(reply, `${data.meeting.name}-表决票结果.xlsx`, await tallyWorkbook(data));
    },
  });

  app.get('/api/meetings/:meetingId/tally.pdf', {
    schema: { tags, summary: '导出表决票结果（PDF）', params: meetingParams },
    handler: async (request, reply) => {
      const data = await service.exportData(request.actor, request.params.meetingId);
      reply.header('Content-Type', 'application/pdf').header('Content-Disposition', pdfName(`${data.meeting.name}-表决票结果.pdf`));
      return reply.send(await renderTallyPdf(data));
    },
  });
};

export default ballotsRoutes;
