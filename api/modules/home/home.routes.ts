import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../src/schemas.ts';
import type { HomeService } from './home.service.ts';

const tags = ['首页'];

const unit = z.object({
  id: z.number(),
  name: z.string(),
  unitType: z.string(),
  unitTypeName: z.string(),
  adminLevelName: z.string().nullable(),
  creditCode: z.string().nullable(),
  region: z.string().nullable(),
  parentName: z.string().nullable(),
  status: z.string(),
  staffCount: z.number(),
});

const activity = z.object({
  id: z.number(),
  name: z.string(),
  year: z.number(),
  startsAt: z.string().nullable(),
  firstDeadline: z.string().nullable(),
  stage: z.enum(['upcoming', 'applying', 'reviewing', 'meeting', 'publicity', 'confirming', 'issuing', 'done']),
  /** 未开始 申报中 审核中 评审会议 公示中 确认中 发证中 已办结 */
  stageName: z.string(),
});

const homeAnswer = z.object({
  unit: unit.nullable(),
  messages: z.object({
    unread: z.number(),
    latest: z.array(z.object({ id: z.number(), title: z.string(), kind: z.string(), createdAt: z.string(), read: z.boolean() })),
  }),
  supervision: z
    .object({
      /** own: the committees the unit organises; subtree: also those organised below a province or city bureau */
      scope: z.enum(['own', 'subtree']),
      tiles: z.object({ committees: z.number(), filed: z.number(), unfiled: z.number(), runningActivities: z.number() }),
      committees: z.array(
        z.object({
          id: z.number(),
          name: z.string(),
          organizerName: z.string(),
          region: z.string().nullable(),
          filingStatus: z.enum(['unfiled', 'filed', 'expired']),
          filingStatusName: z.string(),
          validFrom: z.string().nullable(),
          validTo: z.string().nullable(),
          activities: z.array(activity),
        }),
      ),
    })
    .nullable(),
});

const adminAnswer = z.object({
  counts: z.object({ running: z.number(), incidents: z.number(), overdue: z.number() }),
  runningByProcess: z.array(z.object({ processKey: z.string(), name: z.string(), count: z.number() })),
  incidents: z.array(z.object({ id: z.number(), rootInstanceId: z.string(), elementId: z.string(), message: z.string(), createdAt: z.string() })),
  overdueTasks: z.array(z.object({ id: z.string(), name: z.string(), processName: z.string().nullable(), unitName: z.string().nullable(), dueAt: z.string() })),
  deployments: z.array(z.object({ key: z.string(), version: z.number(), name: z.string(), deployedAt: z.string(), deployedBy: z.string().nullable() })),
});

/** 首页 (manual §1.2.1): 单位信息, 消息, 评审工作监督; the administrator's 运行概况. 待办 counts are /api/tasks/counts, the inbox's own. */
const homeRoutes: FastifyPluginAsyncZod<{ service: HomeService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/home', {
    schema: { tags, summary: '首页：单位信息、消息、评审工作监督', response: { 200: homeAnswer, ...errorResponses } },
    handler: async (request) => {
      const actor = request.actor;
      const staff = !actor.roles.includes('dossier.apply');
      const [unitInfo, messages, supervision] = await Promise.all([
        service.unit(actor),
        service.messages(actor),
        staff ? service.supervision(actor) : Promise.resolve(null),
      ]);
      return { unit: unitInfo, messages, supervision };
    },
  });

  app.get('/api/home/admin', {
    preValidation: app.requirePermission('process.monitor', 'incident.manage', 'process.manage'),
    schema: { tags, summary: '系统管理员首页：运行中的流程、未处理异常、超期待办、最近部署', response: { 200: adminAnswer, ...errorResponses } },
    handler: async () => service.admin(),
  });
};

export default homeRoutes;
