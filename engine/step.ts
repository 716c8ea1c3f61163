import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ExecutionError, StaleStateError } from './errors.ts';
import { evaluateFeel, resolveValue } from './expressions.ts';
import { LiveInstance, type LoadedDefinition, type ServiceJob, type StepSink, type WaitInfo } from './live-instance.ts';
import { addDuration } from './durations.ts';
import type { Actor, Clock, ServiceHandler, UserTaskMeta } from './types.ts';

/** What a step needs from the engine around it (kept narrow so the step can be reasoned about). */
export interface StepRuntime {
  readonly clock: Clock;
  readonly handlers: Readonly<Record<string, ServiceHandler>>;
  definitionById(id: number, trx: Knex.Transaction): Promise<LoadedDefinition>;
  latestDefinition(key: string, trx: Knex.Transaction): Promise<LoadedDefinition>;
  cachedInstance(id: string): LiveInstance | undefined;
  dueDateOverride?(processKey: string, elementId: string): string | null | undefined;
  log: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}

interface NewTaskRow {
  id: string;
  instance_id: string;
  root_instance_id: string;
  definition_id: number;
  process_key: string;
  element_id: string;
  execution_id: string;
  name: string;
  form_key: string | null;
  candidate_roles: string[];
  candidate_unit_id: number | null;
  candidate_scope: string;
  candidate_user_ids: number[];
  assignee_id: number | null;
  actions: string[];
  status: string;
  created_at: Date;
  due_at: Date | null;
}

interface HistoryRow {
  instance_id: string;
  root_instance_id: string;
  type: string;
  element_id: string | null;
  element_name: string | null;
  task_id: string | null;
  actor_id: number | null;
  actor_name: string | null;
  action: string | null;
  opinion: string | null;
  data: string | null;
  created_at: Date;
}

export interface CompletedTask {
  id: string;
  instanceId: string;
  executionId: string;
  action: string;
  opinion: string | null;
}

export interface HistoryInput {
  type: string;
  elementId?: string | null;
  taskId?: string | null;
  action?: string | null;
  opinion?: string | null;
  data?: Record<string, unknown> | null;
  actor?: Actor | null;
}

export interface StartSpec {
  definition: LoadedDefinition;
  id?: string;
  businessKey: string | null;
  variables: Record<string, unknown>;
  startedBy: number | null;
  parent?: { instance: LiveInstance; executionId: string; elementId: string };
}

function toIntOrNull(value: unknown): number | null {
  if (value == null || value === '') return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

function toIntList(value: unknown): number[] {
  if (value == null || value === '') return [];
  const items = Array.isArray(value) ? value : String(value).split(/[,，\s]+/);
  return items.map((v) => toIntOrNull(v)).filter((v): v is number => v !== null);
}

function toStringList(value: unknown): string[] {
  if (value == null || value === '') return [];
  const items = Array.isArray(value) ? value : String(value).split(/[,，\s]+/);
  return items.map((v) => String(v).trim()).filter(Boolean);
}

/**
 * One step: everything that happens between a trigger (start, task completion, timer, retry)
 * and the moment every touched instance waits again, written in one transaction.
 */
export class Step implements StepSink {
  readonly touched = new Map<string, LiveInstance>();
  private readonly loadedVersion = new Map<string, number>();
  private readonly newTasks: NewTaskRow[] = [];
  private readonly cancelledTasks: Array<{ instanceId: string; executionId: string }> = [];
  private readonly history: HistoryRow[] = [];
  private readonly services: Array<{ live: LiveInstance; job: ServiceJob }> = [];
  private readonly calls: Array<{ live: LiveInstance; wait: WaitInfo & { calledElement: string } }> = [];
  private readonly endedChildren: LiveInstance[] = [];
  private readonly signaledCalls = new Set<string>();
  private readonly leftCalls: Array<{ live: LiveInstance; executionId: string }> = [];
  private readonly errors: Array<{ live: LiveInstance; error: Error; elementId?: string }> = [];
  private readonly firedTimers: Array<{ instanceId: string; executionId: string }> = [];
  private readonly newIncidents: Array<{
    live: LiveInstance;
    elementId: string;
    executionId: string;
    handler: string;
    error: Error;
    /** a failed retry: the incident already exists and is counted */
    existing: boolean;
  }> = [];
  private readonly resolvedIncidents: Array<{ live: LiveInstance; executionId: string }> = [];
  private readonly terminated = new Set<string>();
  /** instances whose in-memory engine must not be reused after this step */
  readonly dirty = new Set<string>();
  completed: CompletedTask | null = null;
  readonly now: Date;

  constructor(
    private readonly rt: StepRuntime,
    readonly trx: Knex.Transaction,
    readonly actor: Actor | null,
    private readonly loader: (step: Step, id: string, opts: LoadOptions) => Promise<LiveInstance>,
  ) {
    this.now = rt.clock.now();
  }

  attach(live: LiveInstance): void {
    live.sink = this;
    this.touched.set(live.id, live);
    if (!live.isNew && !this.loadedVersion.has(live.id)) this.loadedVersion.set(live.id, live.version);
  }

  /** The row version this step's write of an instance will produce. */
  committedVersion(live: LiveInstance): number {
    return live.isNew ? 1 : (this.loadedVersion.get(live.id) ?? live.version) + 1;
  }

  isTerminated(id: string): boolean {
    return this.terminated.has(id);
  }

  async load(id: string, opts: LoadOptions = {}): Promise<LiveInstance> {
    const existing = this.touched.get(id);
    if (existing) return existing;
    return this.loader(this, id, opts);
  }

  addHistory(live: LiveInstance, input: HistoryInput): void {
    const actor = input.actor === undefined ? this.actor : input.actor;
    const elementId = input.elementId ?? null;
    this.history.push({
      instance_id: live.id,
      root_instance_id: live.rootId,
      type: input.type,
      element_id: elementId,
      element_name: elementId ? (live.definition.record.meta.elementNames[elementId] ?? null) : null,
      task_id: input.taskId ?? null,
      actor_id: actor?.userId ?? null,
      actor_name: actor?.displayName ?? null,
      action: input.action ?? null,
      opinion: input.opinion ?? null,
      data: input.data ? JSON.stringify(input.data) : null,
      created_at: this.now,
    });
  }

  async startInstance(spec: StartSpec): Promise<LiveInstance> {
    const id = spec.id ?? randomUUID();
    const parent = spec.parent;
    const live = new LiveInstance(
      {
        id,
        rootId: parent ? parent.instance.rootId : id,
        parentId: parent ? parent.instance.id : null,
        parentExecutionId: parent ? parent.executionId : null,
        parentElementId: parent ? parent.elementId : null,
        businessKey: spec.businessKey,
        startedBy: spec.startedBy,
        startedAt: this.now,
      },
      spec.definition,
    );
    live.isNew = true;
    this.attach(live);
    this.addHistory(live, {
      type: 'instance.start',
      data: { processKey: live.processKey, version: spec.definition.record.version, parentInstanceId: live.parentId },
    });
    await live.start(spec.variables);
    return live;
  }

  // ---- StepSink: what instances report while the engine runs ----

  taskWaiting(live: LiveInstance, wait: WaitInfo): void {
    const meta = live.definition.record.meta.userTasks.find((t) => t.id === wait.elementId);
    if (!meta) {
      this.errors.push({ live, error: new Error(`用户任务 ${wait.elementId} 没有定义`), elementId: wait.elementId });
      return;
    }
    try {
      this.newTasks.push(this.taskRow(live, meta, wait));
    } catch (err) {
      this.errors.push({ live, error: err as Error, elementId: wait.elementId });
    }
  }

  private taskRow(live: LiveInstance, meta: UserTaskMeta, wait: WaitInfo): NewTaskRow {
    const context: Record<string, unknown> = { ...live.variables() };
    if (meta.loopVariable) {
      context[meta.loopVariable] = wait.content[meta.loopVariable];
      context.loopCounter = wait.content.index;
    }
    const candidateRoles = toStringList(resolveValue(meta.candidateRoles ?? undefined, context));
    const candidateUnitId = toIntOrNull(resolveValue(meta.candidateUnit ?? undefined, context));
    const candidateUserIds = toIntList(resolveValue(meta.candidateUsers ?? undefined, context));
    const assigneeId = toIntOrNull(resolveValue(meta.assignee ?? undefined, context));
    if (assigneeId === null && candidateUserIds.length === 0 && !(candidateRoles.length && candidateUnitId !== null)) {
      throw new Error(`任务“${meta.name}”没有可办理的人：候选单位或办理人计算结果为空`);
    }
    const dueSpec = this.rt.dueDateOverride?.(live.processKey, meta.id) ?? meta.dueDate;
    let dueAt: Date | null = null;
    if (dueSpec) {
      const due = resolveValue(dueSpec, context);
      dueAt = due == null || due === '' ? null : addDuration(this.now, String(due));
    }
    return {
      id: randomUUID(),
      instance_id: live.id,
      root_instance_id: live.rootId,
      definition_id: live.definition.record.id,
      process_key: live.processKey,
      element_id: meta.id,
      execution_id: wait.executionId,
      name: meta.name,
      form_key: meta.formKey,
      candidate_roles: candidateRoles,
      candidate_unit_id: candidateUnitId,
      candidate_scope: meta.candidateScope,
      candidate_user_ids: candidateUserIds,
      assignee_id: assigneeId,
      actions: meta.actions,
      status: 'open',
      created_at: this.now,
      due_at: dueAt,
    };
  }

  taskLeft(live: LiveInstance, _elementId: string, executionId: string): void {
    if (this.completed && this.completed.instanceId === live.id && this.completed.executionId === executionId) return;
    const pending = this.newTasks.filter(
      (t) => t.instance_id === live.id && (t.execution_id === executionId || t.execution_id.startsWith(`${executionId}_`)),
    );
    for (const t of pending) t.status = 'cancelled';
    this.cancelledTasks.push({ instanceId: live.id, executionId });
  }

  callRequested(live: LiveInstance, wait: WaitInfo & { calledElement: string }): void {
    // a process defined in the same file runs inside this instance (bpmn-elements does it)
    if (live.definition.sourceContext.getProcessById(wait.calledElement)) return;
    this.calls.push({ live, wait });
  }

  callLeft(live: LiveInstance, _elementId: string, executionId: string): void {
    if (this.signaledCalls.has(executionId)) return;
    this.leftCalls.push({ live, executionId });
  }

  timerFired(live: LiveInstance, elementId: string, executionId: string): void {
    this.firedTimers.push({ instanceId: live.id, executionId });
    this.addHistory(live, { type: 'timer.fire', elementId, actor: null });
  }

  serviceRequested(live: LiveInstance, job: ServiceJob): void {
    this.services.push({ live, job });
  }

  ended(live: LiveInstance): void {
    this.addHistory(live, { type: 'instance.end', actor: null });
    if (live.parentId) this.endedChildren.push(live);
  }

  failed(live: LiveInstance, error: Error, elementId?: string): void {
    this.errors.push({ live, error, ...(elementId ? { elementId } : {}) });
  }

  // ---- running until every touched instance waits ----

  /** Runs queued service handlers, call activities and child completions until nothing is left. */
  async settle(): Promise<void> {
    for (;;) {
      this.throwIfFailed();
      const service = this.services.shift();
      if (service) {
        await this.runService(service.live, service.job);
        continue;
      }
      const call = this.calls.shift();
      if (call) {
        await this.startCall(call.live, call.wait);
        continue;
      }
      const child = this.endedChildren.shift();
      if (child) {
        await this.completeCall(child);
        continue;
      }
      const left = this.leftCalls.shift();
      if (left) {
        await this.terminateChildren(left.live, left.executionId);
        continue;
      }
      break;
    }
    this.throwIfFailed();
  }

  private throwIfFailed() {
    const failure = this.errors[0];
    if (!failure) return;
    const elementId = failure.elementId;
    const name = elementId ? (failure.live.definition.record.meta.elementNames[elementId] ?? elementId) : failure.live.processKey;
    throw new ExecutionError(`流程执行出错（${name}）：${failure.error.message}`, elementId);
  }

  private async runService(live: LiveInstance, job: ServiceJob) {
    const handler = this.rt.handlers[job.handler];
    const retrying = live.retrying.has(job.executionId);
    try {
      if (!handler) throw new Error(`服务任务处理器“${job.handler}”未注册`);
      // a savepoint: a failing handler's writes are undone, the rest of the step is kept
      const output = await this.trx.transaction(async (sp) =>
        handler({
          trx: sp,
          instanceId: live.id,
          rootInstanceId: live.rootId,
          processKey: live.processKey,
          businessKey: live.businessKey,
          elementId: job.elementId,
          variables: live.variables(),
          clock: this.rt.clock,
        }),
      );
      if (output && typeof output === 'object') live.setVariables(output);
      if (retrying || live.parkedServices.has(job.executionId)) {
        live.parkedServices.delete(job.executionId);
        live.retrying.delete(job.executionId);
        this.resolvedIncidents.push({ live, executionId: job.executionId });
        this.addHistory(live, { type: 'incident.resolve', elementId: job.elementId });
      }
      job.complete(output && typeof output === 'object' ? output : {});
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.rt.log.warn({ err: error, instanceId: live.id, elementId: job.elementId }, 'service task failed; incident recorded');
      const existing = retrying || live.parkedServices.has(job.executionId);
      live.parkedServices.add(job.executionId);
      live.retrying.delete(job.executionId);
      this.dirty.add(live.id);
      this.newIncidents.push({ live, elementId: job.elementId, executionId: job.executionId, handler: job.handler, error, existing });
      this.addHistory(live, { type: 'incident.create', elementId: job.elementId, data: { message: error.message } });
    }
  }

  private async startCall(parent: LiveInstance, wait: WaitInfo & { calledElement: string }) {
    const meta = parent.definition.record.meta.callActivities.find((c) => c.id === wait.elementId);
    const parentVars = parent.variables();
    let inputs: Record<string, unknown> = {};
    if (meta?.inputs) {
      const value = evaluateFeel(meta.inputs, parentVars);
      if (value && typeof value === 'object' && !Array.isArray(value)) inputs = value as Record<string, unknown>;
      else throw new ExecutionError(`调用活动“${meta.name}”的输入（zcps:inputs）必须计算为 FEEL 上下文`, wait.elementId);
    }
    const definition = await this.rt.latestDefinition(wait.calledElement, this.trx);
    const variables = { initiator: parentVars.initiator ?? null, initiatorUnit: parentVars.initiatorUnit ?? null, ...inputs };
    this.addHistory(parent, { type: 'call.start', elementId: wait.elementId, data: { processKey: wait.calledElement } });
    await this.startInstance({
      definition,
      businessKey: parent.businessKey,
      variables,
      startedBy: parent.startedBy,
      parent: { instance: parent, executionId: wait.executionId, elementId: wait.elementId },
    });
  }

  private async completeCall(child: LiveInstance) {
    if (!child.parentId || !child.parentExecutionId || !child.parentElementId) return;
    const parent = await this.load(child.parentId);
    const meta = parent.definition.record.meta.callActivities.find((c) => c.id === child.parentElementId);
    if (meta?.resultVariable) parent.setVariables({ [meta.resultVariable]: child.variables() });
    this.signaledCalls.add(child.parentExecutionId);
    this.addHistory(parent, { type: 'call.end', elementId: child.parentElementId, data: { childInstanceId: child.id } });
    parent.signal(child.parentElementId, child.parentExecutionId, { childInstanceId: child.id });
  }

  private async terminateChildren(parent: LiveInstance, executionId: string) {
    const rows = await this.trx('process_instances')
      .select('id')
      .where({ parent_instance_id: parent.id, parent_execution_id: executionId, status: 'running' });
    for (const row of rows as Array<{ id: string }>) {
      const child = await this.load(row.id);
      await this.terminate(child, '调用活动被中断');
    }
  }

  /** Stops an instance and everything it waits on; used when its caller moved on. */
  async terminate(live: LiveInstance, reason: string): Promise<void> {
    this.terminated.add(live.id);
    this.dirty.add(live.id);
    for (const executionId of live.waiting) this.cancelledTasks.push({ instanceId: live.id, executionId });
    this.addHistory(live, { type: 'instance.terminate', data: { reason } });
    const children = await this.trx('process_instances').select('id').where({ parent_instance_id: live.id, status: 'running' });
    for (const row of children as Array<{ id: string }>) {
      await this.terminate(await this.load(row.id), reason);
    }
    await live.engine.stop();
  }

  // ---- writing it all down ----

  /** Guarded writes of every touched instance; throws StaleStateError if another step won. */
  async flush(): Promise<void> {
    const trx = this.trx;
    const now = this.now;
    for (const live of this.touched.values()) {
      const state = await live.state();
      const variables = live.variables();
      const meta = live.definition.record.meta;
      let summary: unknown = null;
      if (meta.summary) {
        try {
          summary = evaluateFeel(meta.summary, variables);
        } catch (err) {
          this.rt.log.warn({ err, instanceId: live.id }, 'summary expression failed');
        }
      }
      const status = this.terminated.has(live.id) ? 'terminated' : live.ended ? 'completed' : 'running';
      const pendingTimers = status === 'running' ? live.liveTimers().length : 0;
      const endedAt = status === 'running' ? null : now;
      const incidentDelta =
        this.newIncidents.filter((i) => i.live === live && !i.existing).length -
        this.resolvedIncidents.filter((i) => i.live === live).length;
      if (live.isNew) {
        await trx('process_instances').insert({
          id: live.id,
          definition_id: live.definition.record.id,
          process_key: live.processKey,
          process_version: live.definition.record.version,
          business_key: live.businessKey,
          parent_instance_id: live.parentId,
          parent_execution_id: live.parentExecutionId,
          parent_element_id: live.parentElementId,
          root_instance_id: live.rootId,
          status,
          state: JSON.stringify(state),
          variables: JSON.stringify(variables),
          summary: summary == null ? null : JSON.stringify(summary),
          trail: JSON.stringify(live.trail),
          version: 1,
          open_incidents: Math.max(0, incidentDelta),
          pending_timers: pendingTimers,
          started_by: live.startedBy,
          started_at: live.startedAt,
          ended_at: endedAt,
          updated_at: now,
        });
      } else {
        const expected = this.loadedVersion.get(live.id) ?? live.version;
        const count = await trx('process_instances')
          .where({ id: live.id, version: expected })
          .update({
            status,
            state: JSON.stringify(state),
            variables: JSON.stringify(variables),
            summary: summary == null ? null : JSON.stringify(summary),
            trail: JSON.stringify(live.trail),
            version: expected + 1,
            pending_timers: pendingTimers,
            ended_at: endedAt,
            updated_at: now,
            ...(incidentDelta ? { open_incidents: trx.raw('greatest(0, open_incidents + ?)', [incidentDelta]) } : {}),
          });
        if (count !== 1) throw new StaleStateError();
      }
    }

    if (this.completed) {
      const c = this.completed;
      const count = await trx('tasks')
        .where({ id: c.id, status: 'open' })
        .update({ status: 'completed', completed_at: now, completed_by: this.actor?.userId ?? null, action: c.action, opinion: c.opinion });
      if (count !== 1) throw new StaleStateError('该任务已被处理');
    }
    if (this.newTasks.length) await trx('tasks').insert(this.newTasks);
    for (const c of this.cancelledTasks) {
      await trx('tasks')
        .where({ instance_id: c.instanceId, status: 'open' })
        .andWhere((w) => w.where('execution_id', c.executionId).orWhere('execution_id', 'like', `${c.executionId}\\_%`))
        .update({ status: 'cancelled', completed_at: now });
    }
    await this.flushTimers();
    await this.flushIncidents();
    if (this.history.length) await trx('history_events').insert(this.history);
  }

  private async flushTimers() {
    const trx = this.trx;
    const now = this.now;
    const fired = new Set(this.firedTimers.map((f) => `${f.instanceId}|${f.executionId}`));
    for (const f of this.firedTimers) {
      await trx('timers')
        .where({ instance_id: f.instanceId, execution_id: f.executionId, status: 'pending' })
        .update({ status: 'fired', fired_at: now });
    }
    for (const live of this.touched.values()) {
      const timers = this.terminated.has(live.id) ? [] : live.liveTimers();
      const liveIds = new Set(timers.map((t) => t.executionId));
      const before = live.knownTimers;
      const fresh = timers.filter((t) => !before.has(t.executionId));
      if (fresh.length) {
        await trx('timers')
          .insert(
            fresh.map((t) => ({
              instance_id: live.id,
              root_instance_id: live.rootId,
              element_id: t.elementId,
              execution_id: t.executionId,
              due_at: new Date(now.getTime() + t.delayMs),
              status: 'pending',
              created_at: now,
            })),
          )
          .onConflict(['instance_id', 'execution_id'])
          .ignore();
      }
      const gone = [...before].filter((id) => !liveIds.has(id) && !fired.has(`${live.id}|${id}`));
      if (gone.length || this.terminated.has(live.id)) {
        const q = trx('timers').where({ instance_id: live.id, status: 'pending' });
        if (!this.terminated.has(live.id)) q.whereIn('execution_id', gone);
        await q.update({ status: 'cancelled' });
      }
    }
  }

  private async flushIncidents() {
    const trx = this.trx;
    const now = this.now;
    for (const i of this.newIncidents) {
      const updated = await trx('incidents')
        .where({ instance_id: i.live.id, execution_id: i.executionId, status: 'open' })
        .update({ attempts: trx.raw('attempts + 1'), message: i.error.message, stack: i.error.stack ?? null, updated_at: now });
      if (updated === 0) {
        await trx('incidents').insert({
          instance_id: i.live.id,
          root_instance_id: i.live.rootId,
          element_id: i.elementId,
          execution_id: i.executionId,
          handler: i.handler,
          message: i.error.message,
          stack: i.error.stack ?? null,
          attempts: 1,
          status: 'open',
          created_at: now,
          updated_at: now,
        });
      }
    }
    for (const r of this.resolvedIncidents) {
      await trx('incidents')
        .where({ instance_id: r.live.id, execution_id: r.executionId, status: 'open' })
        .update({ status: 'resolved', resolved_at: now, resolved_by: this.actor?.userId ?? null, updated_at: now });
    }
  }
}

export interface LoadOptions {
  /** the row version the caller already knows; a cached engine at this version is reused without a read */
  knownVersion?: number;
  /** ignore the cache and rebuild from the stored state */
  forceRecover?: boolean;
  /** parked service executions to run again on resume */
  retry?: string[];
}
