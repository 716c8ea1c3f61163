import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { zcpsModdle } from '../../../engine/moddle-extension.ts';
import { audit } from '../../src/audit.ts';
import { NotFoundError } from '../../src/errors.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { createProcessesRepository } from './processes.repository.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 500: errorSchema };

const userTaskSchema = z.object({
  id: z.string(),
  name: z.string(),
  formKey: z.string().nullable(),
  candidateRoles: z.string().nullable(),
  candidateUnit: z.string().nullable(),
  candidateScope: z.string(),
  candidateUsers: z.string().nullable(),
  assignee: z.string().nullable(),
  dueDate: z.string().nullable(),
  actions: z.array(z.string()),
  multiInstance: z.boolean(),
});

const versionSchema = z.object({
  id: z.number(),
  key: z.string(),
  version: z.number(),
  name: z.string(),
  contentHash: z.string(),
  deployedAt: z.string(),
  deployedBy: z.number().nullable(),
  running: z.number(),
  starterRoles: z.array(z.string()),
  userTasks: z.array(userTaskSchema),
});

const deployProblem = z.object({
  elementId: z.string().nullable(),
  elementType: z.string().optional(),
  rule: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});

/** Process definitions: keys, versions, the tasks each version declares, and deployment. */
const processesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const drafts = createProcessesRepository(app.db);

  app.get('/api/process-definitions', {
    schema: {
      tags: ['流程定义'],
      summary: '全部流程及其版本（含每个版本的用户任务、表单与候选人，以及运行中的实例数）',
      response: { 200: z.array(z.object({ id: z.string(), key: z.string(), name: z.string(), latestVersion: z.number(), versions: z.array(versionSchema) })), ...errors },
    },
    handler: async (_request, reply) => {
      const rows = await app.engine.repo.listDefinitions();
      const byKey = new Map<string, z.infer<typeof versionSchema>[]>();
      for (const r of rows) {
        const list = byKey.get(r.key) ?? [];
        list.push({
          id: r.id,
          key: r.key,
          version: r.version,
          name: r.name,
          contentHash: r.contentHash,
          deployedAt: r.deployedAt.toISOString(),
          deployedBy: r.deployedBy,
          running: r.running,
          starterRoles: r.meta.starterRoles,
          userTasks: r.meta.userTasks,
        });
        byKey.set(r.key, list);
      }
      const list = [...byKey.entries()].map(([key, versions]) => ({
        id: key,
        key,
        name: versions[0]?.name ?? key,
        latestVersion: versions[0]?.version ?? 0,
        versions,
      }));
      reply.header('Content-Range', `process-definitions 0-${Math.max(0, list.length - 1)}/${list.length}`);
      return list;
    },
  });

  app.get('/api/process-definitions/:key/versions/:version', {
    schema: {
      tags: ['流程定义'],
      summary: '某个版本的流程图（BPMN XML）与元数据',
      params: z.object({ key: z.string().min(1), version: z.coerce.number().int().min(1).max(2_147_483_647) }),
      response: { 200: versionSchema.extend({ xml: z.string() }), ...errors },
    },
    preValidation: app.requirePermission('process.manage'),
    handler: async (request) => {
      const record = await app.engine.repo.definitionByVersion(request.params.key, request.params.version);
      if (!record) throw new NotFoundError(`流程“${request.params.key}”没有第 ${request.params.version} 版`);
      const running = await app.engine.repo.runningCount(record.id);
      return {
        id: record.id,
        key: record.key,
        version: record.version,
        name: record.name,
        contentHash: record.contentHash,
        deployedAt: record.deployedAt.toISOString(),
        deployedBy: record.deployedBy,
        running,
        starterRoles: record.meta.starterRoles,
        userTasks: record.meta.userTasks,
        xml: record.xml,
      };
    },
  });

  app.post('/api/process-definitions', {
    schema: {
      tags: ['流程定义'],
      summary: '部署流程图：检查通过且内容有变化时保存为新版本；否则返回每个问题及其元素',
      body: z.object({ xml: z.string().min(1).max(5_000_000) }),
      response: {
        200: z.object({ created: z.literal(false), key: z.string(), version: z.number(), warnings: z.array(deployProblem) }),
        201: z.object({ created: z.literal(true), key: z.string(), version: z.number(), warnings: z.array(deployProblem) }),
        ...errors,
      },
    },
    preValidation: app.requirePermission('process.manage'),
    handler: async (request, reply) => {
      const result = await app.engine.deploy(request.body.xml, { deployedBy: request.actor.userId });
      const body = { key: result.definition.key, version: result.definition.version, warnings: result.warnings };
      if (result.created) {
        const { key, version } = result.definition;
        await audit(app.db, request.actor, { action: 'process.deploy', targetType: 'process_definition', targetId: key, data: { before: version > 1 ? { version: version - 1 } : null, after: { version, name: result.definition.name } } }, app.engine.clock.now());
        await app.flows.reportUnusedKeys();
        reply.code(201);
        return { created: true as const, ...body };
      }
      return { created: false as const, ...body };
    },
  });

  const draftSchema = z.object({ key: z.string(), xml: z.string(), baseVersion: z.number().nullable(), updatedBy: z.number().nullable(), updatedAt: z.string() });

  app.get('/api/process-definitions/:key/draft', {
    schema: { tags: ['流程定义'], summary: '流程图草稿', params: z.object({ key: z.string().min(1) }), response: { 200: draftSchema, ...errors } },
    preValidation: app.requirePermission('process.manage'),
    handler: async (request) => {
      const row = await drafts.draft(request.params.key);
      if (!row) throw new NotFoundError(`流程“${request.params.key}”没有草稿`);
      return { ...row, updatedAt: row.updatedAt.toISOString() };
    },
  });

  app.put('/api/process-definitions/:key/draft', {
    schema: {
      tags: ['流程定义'],
      summary: '保存流程图草稿（不检查、不部署）',
      params: z.object({ key: z.string().min(1).max(100) }),
      body: z.object({ xml: z.string().min(1).max(5_000_000), baseVersion: z.number().int().min(1).max(2_147_483_647).nullable().optional() }),
      response: { 200: draftSchema, ...errors },
    },
    preValidation: app.requirePermission('process.manage'),
    handler: async (request) => {
      const now = app.engine.clock.now();
      await drafts.saveDraft({ key: request.params.key, xml: request.body.xml, baseVersion: request.body.baseVersion ?? null, updatedBy: request.actor.userId, updatedAt: now });
      await audit(app.db, request.actor, { action: 'process.draft_save', targetType: 'process_definition', targetId: request.params.key, data: { after: { baseVersion: request.body.baseVersion ?? null, size: request.body.xml.length } } }, now);
      return { key: request.params.key, xml: request.body.xml, baseVersion: request.body.baseVersion ?? null, updatedBy: request.actor.userId, updatedAt: now.toISOString() };
    },
  });

  app.delete('/api/process-definitions/:key/draft', {
    schema: { tags: ['流程定义'], summary: '丢弃草稿', params: z.object({ key: z.string().min(1) }), response: { 200: z.object({ key: z.string(), deleted: z.boolean() }), ...errors } },
    preValidation: app.requirePermission('process.manage'),
    handler: async (request) => {
      return { key: request.params.key, deleted: await drafts.discardDraft(request.params.key) };
    },
  });

  app.get('/api/engine/stats', {
    schema: {
      tags: ['流程定义'],
      summary: '本进程的流程引擎统计：步骤数、内存命中、从存储恢复、单语句写入、冲突重试',
      response: {
        200: z.object({
          pid: z.number(),
          cachedInstances: z.number(),
          steps: z.number(),
          cacheHits: z.number(),
          recovers: z.number(),
          singleStatementSteps: z.number(),
          staleRetries: z.number(),
        }),
        ...errors,
      },
    },
    preValidation: app.requirePermission('process.monitor'),
    handler: async () => ({ pid: process.pid, cachedInstances: app.engine.cachedInstances, ...app.engine.stats }),
  });

  const keyList = z.array(z.string()).nullable();

  app.get('/api/process-definitions/lint-options', {
    schema: {
      tags: ['流程定义'],
      summary: '部署时检查流程图所依据的本系统信息：已注册的服务任务处理器、已定义的表单、已部署的流程（流程编辑器用它按同样的规则检查；null 表示不检查该项）',
      response: { 200: z.object({ handlers: keyList, formKeys: keyList, deployedKeys: keyList }), ...errors },
    },
    preValidation: app.requirePermission('process.manage'),
    handler: async () => {
      const options = await app.engine.compileOptions();
      const sorted = (keys: ReadonlySet<string> | null) => (keys ? [...keys].sort() : null);
      return { handlers: sorted(options.handlers), formKeys: sorted(options.formKeys), deployedKeys: sorted(options.deployedKeys) };
    },
  });

  app.get('/api/process-definitions/moddle', {
    schema: { tags: ['流程定义'], summary: 'zcps 扩展属性的 moddle 描述（流程编辑器用）', response: { 200: z.record(z.string(), z.unknown()), ...errors } },
    handler: async () => zcpsModdle as unknown as Record<string, unknown>,
  });
};

export default processesRoutes;
