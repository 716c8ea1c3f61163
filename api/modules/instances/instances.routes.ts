import { maskIdNumber } from '../../src/pii.ts';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { InstanceRecord } from '../../../engine/types.ts';
import { NotFoundError } from '../../src/errors.ts';
import { iso, listQuerySchema, pageOf, sendPage, sortOf } from '../../src/list-query.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { LEVELS as LEVEL_LABELS, SERIES } from '../../../forms/catalog.ts';
import { inboxKeysOf } from '../tasks/tasks.repository.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { createTasksRepository } from '../tasks/tasks.repository.ts';
import { labelledHistory } from '../tasks/tasks.service.ts';
import { canViewInstance } from './instances.access.ts';
import { progressOf, progressView } from './instances.progress.ts';
import { createInstancesRepository } from './instances.repository.ts';
import { cancelBody, instanceListItem, instanceParams, instanceView, startBody } from './instances.schemas.ts';

/** Who may search 流程实例: monitors every case, reviewing clerks the cases they may open. */
const SEARCHERS = ['process.monitor', 'dossier.review.own', 'dossier.review.subordinate', 'dossier.receive'] as const;

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const label = (labels: Record<string, string>, v: unknown) => (typeof v === 'string' ? (labels[v] ?? v) : null);
/** An ID number in a list: enough to tell people apart, not enough to copy (GB 11643: region, then the check digit). */
const masked = maskIdNumber;

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 500: errorSchema };

/** Starting flows and reading an instance with its tasks and history. */
const instancesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const engine = app.engine;
  const tasks = createTasksRepository(app.db);

  const canView = (actor: RequestActor, instance: InstanceRecord) => canViewInstance(app.db, engine, actor, instance);

  async function view(id: string) {
    const instance = await engine.getInstance(id);
    const [history, children, waiting] = await Promise.all([engine.history(instance.rootInstanceId), engine.repo.childInstances(id), engine.waitingMessages(instance.rootInstanceId)]);
    return {
      id: instance.id,
      processKey: instance.processKey,
      processName: instance.processName,
      processVersion: instance.processVersion,
      definitionId: instance.definitionId,
      businessKey: instance.businessKey,
      parentInstanceId: instance.parentInstanceId,
      rootInstanceId: instance.rootInstanceId,
      status: instance.status,
      revision: instance.version,
      variables: instance.variables,
      summary: instance.summary,
      trail: instance.trail,
      openIncidents: instance.openIncidents,
      startedBy: instance.startedBy,
      startedAt: instance.startedAt.toISOString(),
      endedAt: iso(instance.endedAt),
      waitingMessages: waiting.map((w) => ({ ...w, since: w.since.toISOString() })),
      tasks: instance.tasks.map((t) => ({
        id: t.id,
        instanceId: t.instanceId,
        elementId: t.elementId,
        name: t.name,
        formKey: t.formKey,
        candidateRoles: t.candidateRoles,
        candidateUnitId: t.candidateUnitId,
        candidateUserIds: t.candidateUserIds,
        assigneeId: t.assigneeId,
        createdAt: t.createdAt.toISOString(),
        dueAt: iso(t.dueAt),
      })),
      history: await labelledHistory(
        tasks,
        history.filter((h) => instance.rootInstanceId === id || h.instanceId === id),
      ),
      children: children.map((c) => ({ id: c.id, processKey: c.processKey, status: c.status, startedAt: c.startedAt.toISOString() })),
    };
  }

  app.post('/api/process-instances', {
    schema: {
      tags: ['流程实例'],
      summary: '发起流程（最新版本）',
      body: startBody,
      response: { 201: instanceView, ...errors },
    },
    handler: async (request, reply) => {
      const { processKey } = request.body;
      const hook = app.flows.startHooks[processKey];
      const input = { businessKey: request.body.businessKey ?? null, variables: request.body.variables ?? {} };
      // the engine checks the starter role and keeps only the start form's variables; a hook adds
      // the flow's own rules and records, committed in the same transaction as the start
      const id = await engine.startInstance({
        processKey,
        ...input,
        actor: request.actor,
        ...(hook ? { prepare: (trx, variables) => hook({ trx, actor: request.actor, businessKey: input.businessKey, variables }) } : {}),
      });
      reply.code(201);
      return view(id);
    },
  });

  const instances = createInstancesRepository(app.db);

  app.get('/api/process-instances', {
    schema: {
      tags: ['流程实例'],
      summary: '流程实例列表（流程监控看全部；审核经办人看本人可查看的）：按流程、状态、申报人、身份证号、单位查找',
      querystring: listQuerySchema,
      response: { 200: z.array(instanceListItem), ...errors },
    },
    preValidation: app.requirePermission(...SEARCHERS),
    handler: async (request, reply) => {
      const actor = request.actor;
      const page = pageOf(request.query);
      const [column, order] = sortOf(request.query, { startedAt: 'started_at', processKey: 'process_key', status: 'status' }, ['started_at', 'desc']);
      const filter = (request.query.filter ?? {}) as Record<string, unknown>;
      const { rows, total } = await instances.search(
        {
          processKey: text(filter.processKey),
          status: text(filter.status),
          processVersion: typeof filter.processVersion === 'number' ? filter.processVersion : undefined,
          businessKey: text(filter.businessKey),
          applicant: text(filter.applicant),
          idNumber: text(filter.idNumber),
          unit: text(filter.unit),
        },
        actor.roles.includes('process.monitor') ? { all: true } : { all: false, userId: actor.userId, inboxKeys: inboxKeysOf(actor) },
        { column, order },
        page,
      );
      sendPage(reply, 'process-instances', page, rows.length, total);
      return rows.map(({ starterName, starterIdNumber, starterUnitName, ...r }) => {
        const summary = r.summary ?? {};
        return {
          ...r,
          applicantName: text(summary.applicantName) ?? starterName,
          idNumber: masked(starterIdNumber),
          unitName: text(summary.unitName) ?? starterUnitName,
          activityName: text(summary.activityName) ?? null,
          seriesLabel: label(SERIES, summary.series),
          levelLabel: label(LEVEL_LABELS, summary.level),
          startedAt: r.startedAt.toISOString(),
          endedAt: iso(r.endedAt),
        };
      });
    },
  });

  app.get('/api/process-instances/:id/progress', {
    schema: {
      tags: ['流程实例'],
      summary: '查看进度：审核链（申报人 → 申报单位 → 主管部门 → 人社部门 → 评委会，未经过的层级不列出）、当前办理单位与办理期限',
      params: instanceParams,
      response: { 200: progressView, ...errors },
    },
    handler: async (request) => {
      const instance = await engine.repo.getInstance(request.params.id);
      if (!instance || !(await canView(request.actor, instance))) throw new NotFoundError('流程实例不存在');
      const root = instance.rootInstanceId === instance.id ? instance : await engine.repo.getInstance(instance.rootInstanceId);
      if (!root) throw new NotFoundError('流程实例不存在');
      const [open, history] = await Promise.all([engine.repo.openTasksOfRoot(root.id), engine.history(root.id)]);
      const receipts = history.filter((h) => h.type === 'task.complete' && h.elementId === 'committee_receipt');
      const received = receipts.at(-1)?.action === 'pass';
      // a 多岗审核 post's task lives in a called flow: the step that called it tells its level
      const called = [...new Set(open.map((t) => t.instanceId).filter((i) => i !== root.id))];
      const calledFrom = new Map<string, string[]>();
      for (const sub of await Promise.all(called.map((i) => engine.repo.getInstance(i)))) if (sub) calledFrom.set(sub.id, sub.callPath);
      return progressOf(root, open, received, request.actor.userId, calledFrom);
    },
  });

  app.get('/api/process-instances/:id/diagram', {
    schema: {
      tags: ['流程实例'],
      summary: '流程实例所用版本的流程图（BPMN XML）',
      params: instanceParams,
      response: { 200: z.object({ key: z.string(), version: z.number(), name: z.string(), xml: z.string() }), ...errors },
    },
    handler: async (request) => {
      const instance = await engine.repo.getInstance(request.params.id);
      if (!instance || !(await canView(request.actor, instance))) throw new NotFoundError('流程实例不存在');
      const definition = await engine.definitionById(instance.definitionId);
      return { key: definition.record.key, version: definition.record.version, name: definition.record.name, xml: definition.record.xml };
    },
  });

  app.get('/api/process-instances/:id', {
    schema: {
      tags: ['流程实例'],
      summary: '流程实例：版本、状态、当前任务与历史',
      params: instanceParams,
      response: { 200: instanceView, ...errors },
    },
    handler: async (request) => {
      // a case the caller may not read answers exactly as one that does not exist
      const instance = await engine.repo.getInstance(request.params.id);
      if (!instance || !(await canView(request.actor, instance))) throw new NotFoundError('流程实例不存在');
      return view(request.params.id);
    },
  });

  app.post('/api/process-instances/:id/cancel', {
    schema: {
      tags: ['流程实例'],
      summary: '取消流程实例（待办取消、子流程一并取消，记录原因）',
      params: instanceParams,
      body: cancelBody,
      response: { 200: instanceView, ...errors },
    },
    preValidation: app.requirePermission('incident.manage'),
    handler: async (request) => {
      const { reason, revision } = request.body;
      const instance = await engine.repo.getInstance(request.params.id);
      const hook = instance ? app.flows.cancelHooks[instance.processKey] : undefined;
      await engine.cancelInstance(request.params.id, {
        reason,
        actor: request.actor,
        ...(revision !== undefined ? { expectedVersion: revision } : {}),
        ...(hook ? { withTransaction: (trx) => hook({ trx, instanceId: request.params.id, reason: reason.trim(), now: engine.clock.now() }) } : {}),
      });
      return view(request.params.id);
    },
  });
};

export default instancesRoutes;
