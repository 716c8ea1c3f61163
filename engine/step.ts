import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { EngineError, ExecutionError, isDatabaseUnavailable, StaleStateError } from './errors.ts';
import { choiceRefusal } from './choices.ts';
import { evaluateFeel, isFeel, pickFor, resolveValue } from './expressions.ts';
import { LiveInstance, type LoadedDefinition, type ServiceJob, type StepSink, type ThrownMessage, type WaitInfo } from './live-instance.ts';
import { addDuration, type WorkingDayCalendar } from './durations.ts';
import { messageRow, subscriptionRow, type NewMessageRow, type SubscriptionRow } from './messages.ts';
import type { Actor, Clock, ServiceHandler, UserTaskMeta } from './types.ts';
import type { InstanceRow } from './repository.ts';

/** What a step needs from the engine around it (kept narrow so the step can be reasoned about). */
export interface StepRuntime {
  readonly clock: Clock;
  readonly handlers: Readonly<Record<string, ServiceHandler>>;
  definitionById(id: number, db: Knex | Knex.Transaction): Promise<LoadedDefinition>;
  latestDefinition(key: string, db: Knex | Knex.Transaction): Promise<LoadedDefinition>;
  dueDateOverride?(processKey: string, elementId: string, callPath: readonly string[]): string | null | undefined;
  /** the days due dates count (Monday to Friday when absent) */
  readonly calendar?: WorkingDayCalendar;
  /** the forms that exist, for a form key a diagram computes (null: not checked) */
  formKeys?(): ReadonlySet<string> | null;
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
  /** the name shown in the history; the element's name in the diagram when absent */
  elementName?: string | null;
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

/** New task rows from a JSON array (one parameter), for a single statement. */
const INSERT_TASKS = `insert into tasks (id, instance_id, root_instance_id, definition_id, process_key, element_id, execution_id, name,
                            form_key, candidate_roles, candidate_unit_id, candidate_scope, candidate_user_ids, assignee_id,
                            actions, status, created_at, due_at)
         select x.id, x.instance_id, x.root_instance_id, x.definition_id, x.process_key, x.element_id, x.execution_id, x.name,
                x.form_key, x.candidate_roles, x.candidate_unit_id, x.candidate_scope, x.candidate_user_ids, x.assignee_id,
                x.actions, x.status, x.created_at, x.due_at
           from jsonb_to_recordset(?::jsonb) as x(id uuid, instance_id uuid, root_instance_id uuid, definition_id bigint,
                process_key text, element_id text, execution_id text, name text, form_key text, candidate_roles text[],
                candidate_unit_id bigint, candidate_scope text, candidate_user_ids bigint[], assignee_id bigint,
                actions text[], status text, created_at timestamptz, due_at timestamptz)`;

/** History rows from a JSON array (one parameter), for a single statement. */
const INSERT_HISTORY = `insert into history_events (instance_id, root_instance_id, type, element_id, element_name, task_id, actor_id,
                                     actor_name, action, opinion, data, created_at)
         select h.instance_id, h.root_instance_id, h.type, h.element_id, h.element_name, h.task_id, h.actor_id,
                h.actor_name, h.action, h.opinion, h.data, h.created_at
           from jsonb_to_recordset(?::jsonb) as h(instance_id uuid, root_instance_id uuid, type text, element_id text,
                element_name text, task_id uuid, actor_id bigint, actor_name text, action text, opinion text,
                data jsonb, created_at timestamptz)`;

/**
 * One step: everything that happens between a trigger (start, task completion, timer, retry)
 * and the moment every touched instance waits again, written in one transaction.
 */
export class Step implements StepSink {
  readonly touched = new Map<string, LiveInstance>();
  private readonly loadedVersion = new Map<string, number>();
  readonly newTasks: NewTaskRow[] = [];
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
  /** instances this step ends before their end event: terminated (their caller moved on) or cancelled */
  private readonly terminated = new Map<string, 'terminated' | 'cancelled'>();
  private readonly cancelledInstances = new Set<string>();
  /** instances whose in-memory engine must not be reused after this step */
  readonly dirty = new Set<string>();
  completed: CompletedTask | null = null;
  /** messages thrown in this step: rows written with it */
  readonly newMessages: NewMessageRow[] = [];
  /** message catches that began waiting in this step */
  readonly newSubscriptions: SubscriptionRow[] = [];
  private readonly leftSubscriptions: Array<{ instanceId: string; executionId: string }> = [];
  /** message start events waiting in instances this step started (a message start signals them at once) */
  readonly startWaits: Array<{ live: LiveInstance; elementId: string; executionId: string }> = [];
  /** whether the step delivered a message (a catch was signalled by one) */
  deliveredMessage = false;
  /** whether the step was written as one statement, without a transaction */
  singleStatement = false;
  readonly now: Date;

  private trxRef: Knex.Transaction | null = null;

  constructor(
    private readonly rt: StepRuntime,
    private readonly db: Knex,
    readonly actor: Actor | null,
    private readonly loader: (step: Step, id: string, opts: LoadOptions) => Promise<LiveInstance>,
  ) {
    this.now = rt.clock.now();
  }

  /**
   * The step's transaction, begun on first need (a service handler, a lock, a multi-statement
   * write). A plain task completion never needs one: its write is a single atomic statement.
   */
  async tx(): Promise<Knex.Transaction> {
    this.trxRef ??= await this.db.transaction();
    return this.trxRef;
  }

  /** Where reads go: into the transaction once one is open (PGlite has a single connection). */
  get reader(): Knex | Knex.Transaction {
    return this.trxRef ?? this.db;
  }

  private readonly flushHooks: Array<(trx: Knex.Transaction) => Promise<void>> = [];

  /** Work to run in the transaction after the step's own writes (rows that reference the instance). */
  async afterFlush(hook: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
    await this.tx();
    this.flushHooks.push(hook);
  }

  async commit(): Promise<void> {
    if (!this.trxRef) return;
    for (const hook of this.flushHooks) await hook(this.trxRef);
    if (!this.trxRef.isCompleted()) await this.trxRef.commit();
  }

  async rollback(): Promise<void> {
    if (this.trxRef && !this.trxRef.isCompleted()) await this.trxRef.rollback();
  }

  attach(live: LiveInstance): void {
    live.sink = this;
    live.clearThrown();
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

  /** Closes an open incident of the instance in this step (an administrator moved the instance past it). */
  resolveIncident(live: LiveInstance, executionId: string): void {
    live.parkedServices.delete(executionId);
    live.retrying.delete(executionId);
    this.resolvedIncidents.push({ live, executionId });
    this.dirty.add(live.id);
  }

  addHistory(live: LiveInstance, input: HistoryInput): void {
    const actor = input.actor === undefined ? this.actor : input.actor;
    const elementId = input.elementId ?? null;
    this.history.push({
      instance_id: live.id,
      root_instance_id: live.rootId,
      type: input.type,
      element_id: elementId,
      element_name: input.elementName ?? (elementId ? (live.definition.record.meta.elementNames[elementId] ?? null) : null),
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
        callPath: parent ? [...parent.instance.callPath, `${parent.instance.processKey}:${parent.elementId}`] : [],
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
    const formKey = this.formKeyOf(meta, context);
    const taskName = meta.taskName ? resolveValue(meta.taskName, context) : null;
    const dueSpec = this.rt.dueDateOverride?.(live.processKey, meta.id, live.callPath) ?? meta.dueDate;
    let dueAt: Date | null = null;
    if (dueSpec) {
      const due = resolveValue(dueSpec, context);
      dueAt = due == null || due === '' ? null : addDuration(this.now, String(due), this.rt.calendar);
    }
    return {
      id: randomUUID(),
      instance_id: live.id,
      root_instance_id: live.rootId,
      definition_id: live.definition.record.id,
      process_key: live.processKey,
      element_id: meta.id,
      execution_id: wait.executionId,
      name: typeof taskName === 'string' && taskName.trim() ? taskName.trim().slice(0, 200) : meta.name,
      form_key: formKey,
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

  /** The task's form: the diagram's key, or what its FEEL expression gives (a caller's choice, e.g. the posts of 多岗审核). */
  private formKeyOf(meta: UserTaskMeta, context: Record<string, unknown>): string | null {
    if (!meta.formKey || !isFeel(meta.formKey)) return meta.formKey;
    const value = resolveValue(meta.formKey, context);
    if (typeof value !== 'string' || !value.trim()) throw new Error(`任务“${meta.name}”的表单（zcps:formKey）计算结果为空`);
    const known = this.rt.formKeys?.();
    if (known && !known.has(value)) throw new Error(`任务“${meta.name}”的表单“${value}”不存在（forms/ 中未定义）`);
    return value;
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

  messageWaiting(live: LiveInstance, wait: WaitInfo): void {
    const meta = live.definition.record.meta.messages?.find((m) => m.id === wait.elementId);
    if (!meta) return;
    if (meta.kind === 'start') {
      this.startWaits.push({ live, elementId: wait.elementId, executionId: wait.executionId });
      return;
    }
    try {
      this.newSubscriptions.push(subscriptionRow(live, meta, wait.executionId, this.now));
      this.addHistory(live, { type: 'message.wait', elementId: meta.id, actor: null, data: { name: meta.messageName, correlationKey: (this.newSubscriptions.at(-1) as SubscriptionRow).correlation_key } });
    } catch (err) {
      this.errors.push({ live, error: err as Error, elementId: wait.elementId });
    }
  }

  messageWaitLeft(live: LiveInstance, _elementId: string, executionId: string): void {
    const fresh = this.newSubscriptions.findIndex((s) => s.instance_id === live.id && s.execution_id === executionId);
    if (fresh >= 0) this.newSubscriptions.splice(fresh, 1);
    else this.leftSubscriptions.push({ instanceId: live.id, executionId });
  }

  messageThrown(live: LiveInstance, thrown: ThrownMessage): void {
    const meta = live.definition.record.meta.messages?.find((m) => m.id === thrown.elementId);
    if (!meta) return;
    try {
      const row = messageRow(live, meta, thrown, this.now);
      this.newMessages.push(row);
      this.addHistory(live, { type: 'message.throw', elementId: meta.id, data: { name: row.name, correlationKey: row.correlation_key } });
    } catch (err) {
      this.errors.push({ live, error: err as Error, elementId: thrown.elementId });
    }
  }

  /** Whether another instance may now receive something: a message was thrown or a catch began waiting. */
  get opensDelivery(): boolean {
    return this.newMessages.length > 0 || this.newSubscriptions.length > 0;
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
    // a lost connection is not the diagram's fault: the step is retried as it is
    if (isDatabaseUnavailable(failure.error)) throw failure.error;
    const elementId = failure.elementId;
    const choice = elementId ? failure.live.definition.record.meta.choices?.find((c) => c.id === elementId) : undefined;
    // nobody chose one of the ways out that exist for this case: the person acting is told which do
    if (choice && this.actor) throw choiceRefusal(choice, failure.live.variables());
    const name = elementId ? (failure.live.definition.record.meta.elementNames[elementId] ?? elementId) : failure.live.processKey;
    throw new ExecutionError(`流程执行出错（${name}）：${failure.error.message}`, elementId);
  }

  private async runService(live: LiveInstance, job: ServiceJob) {
    const handler = this.rt.handlers[job.handler];
    const retrying = live.retrying.has(job.executionId);
    try {
      if (!handler) throw new Error(`服务任务处理器“${job.handler}”未注册`);
      // a savepoint: a failing handler's writes are undone, the rest of the step is kept
      const inputs = live.definition.record.meta.serviceTasks.find((s) => s.id === job.elementId)?.inputs;
      const evaluated = inputs ? resolveValue(inputs, live.variables()) : undefined;
      const input = evaluated && typeof evaluated === 'object' ? (evaluated as Record<string, unknown>) : {};
      const run = async (trx: Knex.Transaction) =>
        handler({
          input,
          trx,
          instanceId: live.id,
          rootInstanceId: live.rootId,
          processKey: live.processKey,
          businessKey: live.businessKey,
          elementId: job.elementId,
          variables: live.variables(),
          clock: this.rt.clock,
        });
      // a writing handler gets a savepoint in the step's transaction: its failure undoes only its
      // own writes. When it is the first to need the transaction, the transaction itself is that
      // savepoint (nothing else in it to keep), which saves SAVEPOINT and RELEASE.
      let output: Awaited<ReturnType<ServiceHandler>>;
      if (handler.readOnly) output = await run(this.reader as Knex.Transaction);
      else if (this.trxRef) output = await this.trxRef.transaction(run);
      else {
        const trx = await this.tx();
        try {
          output = await run(trx);
        } catch (err) {
          this.trxRef = null;
          await trx.rollback().catch((rollbackError: unknown) => this.rt.log.error({ err: rollbackError }, 'rollback failed'));
          throw err;
        }
      }
      if (output && typeof output === 'object') live.setVariables(output);
      if (retrying || live.parkedServices.has(job.executionId)) {
        live.parkedServices.delete(job.executionId);
        live.retrying.delete(job.executionId);
        this.resolvedIncidents.push({ live, executionId: job.executionId });
        this.addHistory(live, { type: 'incident.resolve', elementId: job.elementId });
      }
      job.complete(output && typeof output === 'object' ? output : {});
    } catch (err) {
      // a handler's typed refusal (a 4xx: a taken code, a move into its own subtree) during a step
      // someone is waiting on aborts the whole step and answers them; anything else is an incident
      if (err instanceof EngineError && this.actor) throw err;
      // the database went away mid-step: the whole step rolls back and is tried again (the caller's
      // retry, the next sweep), not parked as an incident an administrator has to clear
      if (isDatabaseUnavailable(err)) throw err;
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
    // a multi-instance call: each iteration's inputs read its own item (one child per item)
    const context = meta?.loopVariable ? { ...parentVars, [meta.loopVariable]: wait.content[meta.loopVariable], loopCounter: wait.content.index } : parentVars;
    let inputs: Record<string, unknown> = {};
    if (meta?.inputs) {
      const value = evaluateFeel(meta.inputs, context);
      if (value && typeof value === 'object' && !Array.isArray(value)) inputs = value as Record<string, unknown>;
      else throw new ExecutionError(`调用活动“${meta.name}”的输入（zcps:inputs）必须计算为 FEEL 上下文`, wait.elementId);
    }
    const definition = await this.rt.latestDefinition(wait.calledElement, this.reader);
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
    if (meta?.outputs) {
      const value = evaluateFeel(meta.outputs, child.variables());
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ExecutionError(`调用活动“${meta.name}”的输出（zcps:outputs）必须计算为 FEEL 上下文`, meta.id);
      parent.setVariables(value as Record<string, unknown>);
    }
    this.signaledCalls.add(child.parentExecutionId);
    this.addHistory(parent, { type: 'call.end', elementId: child.parentElementId, data: { childInstanceId: child.id } });
    parent.signal(child.parentElementId, child.parentExecutionId, { childInstanceId: child.id });
  }

  private async terminateChildren(parent: LiveInstance, executionId: string) {
    const rows = await (await this.tx())('process_instances')
      .select('id')
      .where({ parent_instance_id: parent.id, parent_execution_id: executionId, status: 'running' });
    for (const row of rows as Array<{ id: string }>) {
      const child = await this.load(row.id);
      await this.terminate(child, '调用活动被中断');
    }
  }

  /** Stops an instance and everything it waits on; used when its caller moved on. */
  async terminate(live: LiveInstance, reason: string): Promise<void> {
    if (this.terminated.has(live.id)) return;
    this.terminated.set(live.id, 'terminated');
    this.dirty.add(live.id);
    for (const executionId of live.waiting) this.cancelledTasks.push({ instanceId: live.id, executionId });
    this.addHistory(live, { type: 'instance.terminate', data: { reason } });
    const children = await (await this.tx())('process_instances').select('id').where({ parent_instance_id: live.id, status: 'running' });
    for (const row of children as Array<{ id: string }>) {
      await this.terminate(await this.load(row.id), reason);
    }
    await live.engine.stop();
  }

  /**
   * Ends an instance tree on purpose (the case is over: not delivered in time, an administrator's
   * decision): every open task is cancelled, timers dropped, called sub-flows cancelled with it,
   * open incidents closed. One history event, on the instance itself, carries the reason.
   */
  async cancel(live: LiveInstance, reason: string): Promise<string[]> {
    const ids = await this.stopTree(live);
    this.addHistory(live, { type: 'instance.cancel', opinion: reason, data: { reason, instances: ids } });
    return ids;
  }

  private async stopTree(live: LiveInstance): Promise<string[]> {
    if (this.terminated.get(live.id) === 'cancelled') return [];
    this.terminated.set(live.id, 'cancelled');
    this.cancelledInstances.add(live.id);
    this.dirty.add(live.id);
    const ids = [live.id];
    const children = await (await this.tx())('process_instances').select('id').where({ parent_instance_id: live.id, status: 'running' });
    for (const row of children as Array<{ id: string }>) ids.push(...(await this.stopTree(await this.load(row.id))));
    await live.engine.stop();
    return ids;
  }

  // ---- writing it all down ----

  /** Guarded writes of every touched instance; throws StaleStateError if another step won. */
  async flush(): Promise<void> {
    // existing instances are updated in one order (by id) in every step, so two steps that touch the
    // same parent and child lock their rows alike and wait for each other instead of deadlocking;
    // new ones are inserted as created, a caller before the flow it calls
    const all = this.instanceRows();
    const byId = (a: InstanceWrite, b: InstanceWrite) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const rows = [...all.filter((r) => r.isNew), ...all.filter((r) => !r.isNew).sort(byId)];
    if (this.isSimple(rows)) {
      // without a transaction the statement is the whole step; inside one (a handler wrote) it
      // still saves the separate task, new-task and history round trips
      this.singleStatement = !this.trxRef;
      return this.flushAsOneStatement(rows[0] as InstanceWrite, this.trxRef ?? this.db);
    }
    const trx = await this.tx();
    const now = this.now;
    for (const row of rows) {
      if (row.isNew) {
        await trx('process_instances').insert(row.insert);
      } else {
        const count = await trx('process_instances')
          .where({ id: row.id, version: row.expected })
          .update({
            ...row.update,
            ...(row.incidentDelta ? { open_incidents: trx.raw('greatest(0, open_incidents + ?)', [row.incidentDelta]) } : {}),
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
    // new tasks before the cancellations below, as always; history has no order against the rest
    await this.insertTasksAndHistory(trx);
    for (const c of this.cancelledTasks) {
      await trx('tasks')
        .where({ instance_id: c.instanceId, status: 'open' })
        .andWhere((w) => w.where('execution_id', c.executionId).orWhere('execution_id', 'like', `${c.executionId}\\_%`))
        .update({ status: 'cancelled', completed_at: now });
    }
    if (this.cancelledInstances.size) {
      // every open task of a cancelled instance, whatever the live engine still knew of it
      const ids = [...this.cancelledInstances];
      await trx('tasks').whereIn('instance_id', ids).andWhere({ status: 'open' }).update({ status: 'cancelled', completed_at: now });
      await trx('incidents')
        .whereIn('instance_id', ids)
        .andWhere({ status: 'open' })
        .update({ status: 'resolved', resolved_at: now, resolved_by: this.actor?.userId ?? null, updated_at: now });
    }
    await this.flushTimers(trx);
    await this.flushIncidents(trx);
    await this.flushMessages(trx);
  }

  private async flushMessages(trx: Knex.Transaction) {
    if (this.newMessages.length) {
      await trx('process_messages').insert(this.newMessages.map((m) => ({ ...m, payload: JSON.stringify(m.payload) })));
    }
    for (const left of this.leftSubscriptions) {
      await trx('message_subscriptions').where({ instance_id: left.instanceId, execution_id: left.executionId }).del();
    }
    const ended = [...this.terminated.keys()];
    if (ended.length) await trx('message_subscriptions').whereIn('instance_id', ended).del();
    const fresh = this.newSubscriptions.filter((s) => !this.terminated.has(s.instance_id));
    if (fresh.length) await trx('message_subscriptions').insert(fresh).onConflict(['instance_id', 'execution_id']).ignore();
  }

  private instanceRows(): InstanceWrite[] {
    const now = this.now;
    return [...this.touched.values()].map((live) => {
      const state = live.state();
      const variables = live.variables();
      let summary: unknown = null;
      try {
        summary = live.summary(evaluateFeel, (expression, vars) => pickFor(isFeel(expression) ? expression.trimStart().slice(1) : expression, vars));
      } catch (err) {
        this.rt.log.warn({ err, instanceId: live.id }, 'summary expression failed');
      }
      const status = this.terminated.get(live.id) ?? (live.ended ? 'completed' : 'running');
      const pendingTimers = status === 'running' ? live.liveTimers().length : 0;
      const endedAt = status === 'running' ? null : now;
      const cancelled = this.cancelledInstances.has(live.id);
      // a cancelled instance's open incidents are closed with it
      const incidentDelta = cancelled
        ? 0
        : this.newIncidents.filter((i) => i.live === live && !i.existing).length - this.resolvedIncidents.filter((i) => i.live === live).length;
      const expected = this.loadedVersion.get(live.id) ?? live.version;
      const common = {
        status,
        state: JSON.stringify(state),
        variables: JSON.stringify(variables),
        summary: summary == null ? null : JSON.stringify(summary),
        trail: JSON.stringify(live.trail),
        pending_timers: pendingTimers,
        ended_at: endedAt,
        updated_at: now,
      };
      return {
        id: live.id,
        isNew: live.isNew,
        expected,
        incidentDelta,
        timersChanged: this.timersChanged(live),
        update: { ...common, version: expected + 1, ...(cancelled ? { open_incidents: 0 } : {}) },
        insert: {
          ...common,
          id: live.id,
          definition_id: live.definition.record.id,
          process_key: live.processKey,
          process_version: live.definition.record.version,
          business_key: live.businessKey,
          parent_instance_id: live.parentId,
          parent_execution_id: live.parentExecutionId,
          parent_element_id: live.parentElementId,
          call_path: live.callPath,
          root_instance_id: live.rootId,
          version: 1,
          open_incidents: Math.max(0, incidentDelta),
          started_by: live.startedBy,
          started_at: live.startedAt,
        },
      };
    });
  }

  /** One existing instance, one task completed, new tasks and history: nothing else to write. */
  private isSimple(rows: InstanceWrite[]): boolean {
    const [row] = rows;
    return (
      rows.length === 1 &&
      row !== undefined &&
      !row.isNew &&
      row.incidentDelta === 0 &&
      !row.timersChanged &&
      this.completed !== null &&
      this.cancelledTasks.length === 0 &&
      this.firedTimers.length === 0 &&
      this.newIncidents.length === 0 &&
      this.resolvedIncidents.length === 0 &&
      this.newMessages.length === 0 &&
      this.newSubscriptions.length === 0 &&
      this.leftSubscriptions.length === 0
    );
  }

  /**
   * The common step (a task completed, the instance moved on) as one statement: atomic on its
   * own, so no BEGIN/COMMIT and one round trip (inside the step's transaction when a handler
   * opened one). The instance update is guarded by its version
   * and the task still being open; the rest only happens if it did.
   */
  private async flushAsOneStatement(row: InstanceWrite, db: Knex | Knex.Transaction): Promise<void> {
    const c = this.completed as CompletedTask;
    const u = row.update;
    const newTasks = this.newTasksJson();
    const history = this.historyJson();
    const result = await db.raw(
      `with inst as (
         update process_instances
            set status = ?, state = ?::jsonb, variables = ?::jsonb, summary = ?::jsonb, trail = ?::jsonb,
                version = ?, pending_timers = ?, ended_at = ?, updated_at = ?
          where id = ? and version = ?
            and exists (select 1 from tasks where id = ? and status = 'open')
          returning id
       ), done as (
         update tasks set status = 'completed', completed_at = ?, completed_by = ?, action = ?, opinion = ?
          where id = ? and status = 'open' and exists (select 1 from inst)
          returning id
       ), new_tasks as (
         ${INSERT_TASKS}
          where exists (select 1 from done)
          returning id
       ), hist as (
         ${INSERT_HISTORY}
          where exists (select 1 from done)
          returning id
       )
       select (select count(*) from inst)::int as inst,
              (select count(*) from done)::int as done,
              (select count(*) from new_tasks)::int as new_tasks,
              (select count(*) from hist)::int as hist`,
      [
        u.status, u.state, u.variables, u.summary, u.trail, u.version, u.pending_timers, u.ended_at, u.updated_at,
        row.id, row.expected, c.id,
        this.now, this.actor?.userId ?? null, c.action, c.opinion, c.id,
        JSON.stringify(newTasks),
        JSON.stringify(history),
      ],
    );
    const counts = (result.rows as Array<{ inst: number; done: number; new_tasks: number; hist: number }>)[0];
    if (!counts || counts.inst !== 1 || counts.done !== 1) throw new StaleStateError('该任务已被处理');
    if (counts.new_tasks !== newTasks.length || counts.hist !== history.length) {
      // cannot happen once inst and done succeeded; if it ever did, say so loudly
      throw new Error(`步骤写入不完整：任务 ${counts.new_tasks}/${newTasks.length}，历史 ${counts.hist}/${history.length}`);
    }
  }

  private newTasksJson() {
    return this.newTasks.map((t) => ({ ...t, created_at: t.created_at.toISOString(), due_at: t.due_at ? t.due_at.toISOString() : null }));
  }

  private historyJson() {
    return this.history.map((h) => ({ ...h, data: h.data == null ? null : JSON.parse(h.data), created_at: h.created_at.toISOString() }));
  }

  /** New tasks and history of a multi-statement step, as one statement instead of two. */
  private async insertTasksAndHistory(trx: Knex.Transaction): Promise<void> {
    if (!this.newTasks.length && !this.history.length) return;
    if (!this.newTasks.length) {
      await trx.raw(INSERT_HISTORY, [JSON.stringify(this.historyJson())]);
      return;
    }
    if (!this.history.length) {
      await trx.raw(INSERT_TASKS, [JSON.stringify(this.newTasksJson())]);
      return;
    }
    await trx.raw(`with new_tasks as (${INSERT_TASKS} returning id) ${INSERT_HISTORY}`, [
      JSON.stringify(this.newTasksJson()),
      JSON.stringify(this.historyJson()),
    ]);
  }

  private timersChanged(live: LiveInstance): boolean {
    if (this.terminated.has(live.id)) return live.knownTimers.size > 0;
    const current = live.liveTimers();
    if (current.length !== live.knownTimers.size) return true;
    return current.some((t) => !live.knownTimers.has(t.executionId));
  }

  private async flushTimers(trx: Knex.Transaction) {
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

  private async flushIncidents(trx: Knex.Transaction) {
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

interface InstanceWrite {
  id: string;
  isNew: boolean;
  expected: number;
  incidentDelta: number;
  timersChanged: boolean;
  update: Record<string, unknown> & {
    status: string;
    state: string;
    variables: string;
    summary: string | null;
    trail: string;
    version: number;
    pending_timers: number;
    ended_at: Date | null;
    updated_at: Date;
  };
  insert: Record<string, unknown>;
}

export interface LoadOptions {
  /** the row version the caller already knows; a cached engine at this version is reused without a read */
  knownVersion?: number;
  /** ignore the cache and rebuild from the stored state */
  forceRecover?: boolean;
  /** parked service executions to run again on resume */
  retry?: string[];
  /** the instance's row, read ahead by a batch: used instead of reading it when it carries the state */
  row?: InstanceRow;
}
