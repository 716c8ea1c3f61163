import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { meetingInScope } from '../meetings/meetings.scope.ts';
import { errorResponses } from '../../src/schemas.ts';
import { piiQuerySchema, piiValueSchema } from '../../src/pii.ts';
import { complaintSchema, idParams, meetingPublicitySchema, offlineComplaintBody, onlineComplaintBody } from './result-publicity.schemas.ts';
import type { PublicityService } from './result-publicity.service.ts';

/**
 * 评审结果公示 (manual §1.2.6 step 6): the committee's page per meeting (meetingInScope first: a
 * clerk of another committee or an applicant gets 403 before any state is read), 录入线下投诉结果,
 * and 我要反馈 / 我的反馈 for everyone logged in.
 */
const publicityRoutes: FastifyPluginAsyncZod<{ service: PublicityService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['评审结果公示'];
  // scope before the body or any state is read (params are not validated yet here)
  const scope = (mode: 'manage' | 'read') => async (request: FastifyRequest) => {
    await meetingInScope(app.db, request.actor, Number((request.params as { id?: string }).id), mode);
  };

  app.get('/api/meetings/:id/publicity', {
    schema: { tags, summary: '评审结果公示：公示公告、公示名单、投诉及办理状态', params: idParams, response: { 200: meetingPublicitySchema, ...errorResponses } },
    preValidation: scope('read'),
    handler: async (request) => service.meetingPublicity(request.actor, request.params.id),
  });

  app.post('/api/meetings/:id/publicity/complaints', {
    schema: { tags, summary: '录入线下投诉结果（投诉人、事由、证明材料），进入调查核实', params: idParams, body: offlineComplaintBody, response: { 201: complaintSchema, ...errorResponses } },
    preValidation: scope('manage'),
    handler: async (request, reply) => {
      const complaint = await service.offlineComplaint(request.actor, request.params.id, request.body);
      reply.code(201);
      return complaint;
    },
  });

  app.post('/api/publicity/:id/complaints', {
    schema: { tags, summary: '我要反馈：对公示中的参评人员提出投诉（事由、证明材料）', params: idParams, body: onlineComplaintBody, response: { 201: complaintSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const complaint = await service.onlineComplaint(request.actor, request.params.id, request.body);
      reply.code(201);
      return complaint;
    },
  });

  app.get('/api/meetings/:id/publicity/complaints/:complaintId/pii', {
    schema: {
      tags,
      summary: '查看完整：投诉人的手机号码（phone）或身份证号/单位（idNumber）（公示页为脱敏显示；组织评审的经办人回访用，每次查看记入操作审计）',
      params: z.object({ id: idParams.shape.id, complaintId: z.coerce.number().int().positive({ error: '投诉编号不正确' }) }),
      querystring: piiQuerySchema,
      response: { 200: piiValueSchema, ...errorResponses },
    },
    preValidation: scope('manage'),
    handler: async (request) => service.complainantPii(request.actor, request.params.id, request.params.complaintId, request.query.field),
  });

  app.get('/api/publicity/complaints/mine', {
    schema: { tags, summary: '我的反馈：本人提出的投诉及核实结论', response: { 200: z.array(complaintSchema), ...errorResponses } },
    handler: async (request) => service.mine(request.actor),
  });
};

export default publicityRoutes;
