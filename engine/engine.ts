import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { compileDefinition, loadSourceContext, type CompileOptions } from './compile.ts';
import {
  ConflictError,
  DeployError,
  ExecutionError,
  ForbiddenError,
  NotFoundError,
  StaleStateError,
  ValidationError,
  type DeployProblem,
} from './errors.ts';
import { LiveInstance, type LoadedDefinition } from './live-instance.ts';
import { availableOptions, ChoiceRefusal, type AvailableChoice } from './choices.ts';
import { KeyedMutex } from './mutex.ts';
import {
  activitiesOf,
  definitionsIdOf,
  planElements,
  parentsOf,
  rewriteState,
  runningElements,
  type ElementMapping,
  type MigrationInput,
  type MigrationPlan,
  type PlannedInstance,
  type TargetElement,
} from './instance-migration.ts';
import type { WorkingDayCalendar } from './durations.ts';
import { createEngineRepository, mapTask, type InstanceRow } from './repository.ts';
import { Step, type HistoryInput, type LoadOptions } from './step.ts';
import {
  DEFAULT_MESSAGE_TTL,
  deliveryCandidates,
  expiresAt,
  mapMessage,
  messageStarts,
  startCandidates,
  type MessageRecord,
  type PublishInput,
  type WaitingMessage,
} from './messages.ts';
import {
  systemClock,
  type Actor,
  type Clock,
  type FormValidator,
  type HistoryEventRecord,
  type IncidentRecord,
  type InstanceRecord,
  type ProcessDefinitionRecord,
  type ServiceHandler,
  type StartFormValidator,
  type TaskAuthorizer,
  type TaskRecord,
} from './types.ts';

export interface EngineLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

const quietLogger: EngineLogger = { info() {}, warn() {}, error() {} };

export interface EngineOptions {
  db: Knex;
  handlers?: Record<string, ServiceHandler>;
  clock?: Clock;
  validateForm?: FormValidator;
  /** checks the variables of a start through the API against the flow's start form */
  validateStartForm?: StartFormValidator;
  /** form keys that exist; deploy refuses user tasks pointing elsewhere */
  formKeys?: () => ReadonlySet<string> | null;
  authorize?: TaskAuthorizer;
  /** operator-set due date (ISO duration or FEEL) for a process step, overriding the diagram */
  /** an operator's due date for a task, by its own step or a step that called its sub-flow */
  dueDateOverride?: (processKey: string, elementId: string, callPath: readonly string[]) => string | null | undefined;
  /** the working days due dates count (`P3D` is 3 of them); Monday to Friday when absent */
  calendar?: WorkingDayCalendar;
  /** how many idle instances stay in memory between steps */
  cacheSize?: number;
  log?: EngineLogger;
}

export interface DeployResult {
  definition: ProcessDefinitionRecord;
  created: boolean;
  warnings: DeployProblem[];
}

export interface StartPreparation {
  businessKey?: string | null;
  variables?: Record<string, unknown>;
  /** runs in the same transaction once the instance exists */
  afterStart?: (trx: Knex.Transaction, instanceId: string) => Promise<void>;
}

export interface StartInput {
  processKey: string;
  businessKey?: string | null;
  variables?: Record<string, unknown>;
  actor: Actor | null;
  /**
   * A start through the API (the default): only a flow that names its starters (`zcps:starterRoles`),
   * only by an actor holding one of them. Off for system starts: a module's own endpoint, tests.
   */
  checkStarter?: boolean;
  /**
   * Domain work that must commit together with the start (e.g. the dossier record and its
   * one-per-activity rule), run in the step's transaction; it may supply key and variables. It
   * gets the start's variables as checked (only the start form's, on a start through the API).
   */
  prepare?: (trx: Knex.Transaction, variables: Record<string, unknown>) => Promise<StartPreparation>;
}

export interface CompleteInput {
  action: string;
  opinion?: string | null;
  data?: unknown;
  /** domain writes that must commit with the completion (e.g. linking uploaded files to the case) */
  withTransaction?: (trx: Knex.Transaction, task: TaskRecord) => Promise<void>;
  /** domain checks of the validated form data before the step (e.g. a unique code); they throw to refuse */
  check?: (task: TaskRecord, validated: { action: string; data: Record<string, unknown> }) => Promise<void>;
  /**
   * Keep the instance in memory after the step (default). A batch hands many cases on to people
   * who will not touch them for a while: keeping them would only grow the heap the garbage
   * collector walks (≈ 0.7 MB per dossier instance), which slows every step of the process.
   */
  keepInMemory?: boolean;
  /** the task and its instance's row as a batch read them ahead (`prefetchTasks`); used on the first attempt only */
  prefetched?: PrefetchedTask;
  /** who else may know of the task (see `knowsOf`) */
  witness?: TaskWitness;
  /**
   * The caller has authorised this completion itself, for someone who is not the task's candidate
   * (the committee marking an expert 缺席 on the expert's own ballot task): the candidate check is
   * skipped; state, actions, form and checks still apply, and history names the real actor.
   */
  onBehalf?: boolean;
}

/**
 * Whether an actor who may not act on a task may still know of it (a monitor, someone who took
 * part in its case): they are told why they may not act; anybody else, that it does not exist.
 */
export type TaskWitness = (actor: Actor, task: TaskRecord) => boolean | Promise<boolean>;

/** A task as `prefetchTasks` read it, with its instance's row when the engine had no copy at its version. */
export interface PrefetchedTask {
  task: TaskRecord;
  instanceVersion: number;
  row: InstanceRow | null;
}

export interface CompleteResult {
  task: TaskRecord;
  instanceId: string;
  /** status of the task's instance after the step */
  instanceStatus: InstanceRecord['status'];
  /** tasks this completion opened, anywhere in the instance tree */
  nextTasks: Array<{ id: string; instanceId: string; elementId: string; name: string; candidateUnitId: number | null; assigneeId: number | null }>;
}

export interface CancelInput {
  /** why the case ends: kept in the history event */
  reason: string;
  actor: Actor | null;
  /**
   * The instance version the caller decided on (`revision` of the instance view). When given, any
   * step in between (a completion) makes the cancel a 409 instead of cancelling the newer state.
   */
  expectedVersion?: number;
  /** domain writes that must commit with the cancel (e.g. the dossier marked not delivered); they throw to abort it */
  withTransaction?: (trx: Knex.Transaction) => Promise<void>;
}

export interface CancelResult {
  instanceId: string;
  /** the instance and the sub-flows cancelled with it */
  cancelledInstanceIds: string[];
}

export interface InstanceView extends InstanceRecord {
  processName: string;
  tasks: TaskRecord[];
}

const STALE_RETRIES = 3;

/** The first user-facing reason an actor may not act on a task, or null when they may. */
export function defaultAuthorize(actor: Actor, task: TaskRecord): boolean {
  if (task.assigneeId != null) return task.assigneeId === actor.userId;
  if (task.candidateUserIds.includes(actor.userId)) return true;
  return task.candidateRoles.some((r) => actor.roles.includes(r)) && task.candidateUnitId === actor.unitId;
}

/**
 * The workflow engine: deploys versioned diagrams and runs their instances durably in
 * PostgreSQL. Knows nothing of HTTP; domain work arrives as named service-task handlers.
 */
export class WorkflowEngine {
  readonly repo;
  readonly clock: Clock;
  private readonly db: Knex;
  private readonly handlers: Record<string, ServiceHandler>;
  private readonly validateForm?: FormValidator;
  private readonly validateStartForm?: StartFormValidator;
  private readonly formKeys?: () => ReadonlySet<string> | null;
  private readonly authorize: TaskAuthorizer;
  private readonly dueDateOverride?: EngineOptions['dueDateOverride'];
  private readonly calendar?: WorkingDayCalendar;
  private readonly log: EngineLogger;
  private readonly definitions = new Map<number, Promise<LoadedDefinition>>();
  private readonly cache: LRUCache<string, LiveInstance>;
  private readonly mutex = new KeyedMutex();
  /** how steps found their instances: in memory, or rebuilt from the stored state */
  readonly stats = { cacheHits: 0, recovers: 0, steps: 0, singleStatementSteps: 0, staleRetries: 0 };

  constructor(options: EngineOptions) {
    this.db = options.db;
    this.handlers = { ...(options.handlers ?? {}) };
    this.clock = options.clock ?? systemClock;
    this.validateForm = options.validateForm;
    this.validateStartForm = options.validateStartForm;
    this.formKeys = options.formKeys;
    this.authorize = options.authorize ?? defaultAuthorize;
    this.dueDateOverride = options.dueDateOverride;
    this.calendar = options.calendar;
    this.log = options.log ?? quietLogger;
    this.cache = new LRUCache({ max: Math.max(1, options.cacheSize ?? 5000) });
    this.repo = createEngineRepository(this.db);
  }

  registerHandler(name: string, handler: ServiceHandler): void {
    this.handlers[name] = handler;
  }

  /** Drops every in-memory instance; the next step rebuilds from the database. */
  clearCache(): void {
    this.cache.clear();
  }

  get cachedInstances(): number {
    return this.cache.size;
  }

  // ---------------------------------------------------------------- definitions

  /** What a diagram is checked against at deploy: registered handlers, known forms, deployed flows. */
  async compileOptions(): Promise<CompileOptions> {
    return {
      handlers: new Set(Object.keys(this.handlers)),
      formKeys: this.formKeys?.() ?? null,
      deployedKeys: await this.repo.deployedKeys(),
    };
  }

  /** Checks a diagram and stores it as the next version of its key if its content changed. */
  async deploy(xml: string, options: { deployedBy?: number | null } = {}): Promise<DeployResult> {
    const compiled = await compileDefinition(xml, await this.compileOptions());
    return this.db.transaction(async (trx) => {
      // one deploy per key at a time, across processes
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`zcps.deploy.${compiled.key}`]);
      const latest = await this.repo.latestDefinition(compiled.key, trx);
      if (latest && latest.contentHash === compiled.contentHash) {
        return { definition: latest, created: false, warnings: compiled.warnings };
      }
      const [row] = await trx('process_definitions')
        .insert({
          key: compiled.key,
          version: (latest?.version ?? 0) + 1,
          name: compiled.name,
          xml: compiled.xml,
          content_hash: compiled.contentHash,
          meta: JSON.stringify(compiled.meta),
          deployed_by: options.deployedBy ?? null,
          deployed_at: this.clock.now(),
        })
        .returning('*');
      const definition = (await this.repo.definitionById(Number(row.id), trx)) as ProcessDefinitionRecord;
      this.definitions.set(definition.id, Promise.resolve({ record: definition, sourceContext: compiled.sourceContext }));
      this.log.info({ key: definition.key, version: definition.version }, 'process deployed');
      return { definition, created: true, warnings: compiled.warnings };
    });
  }

  /**
   * Deploys every `.bpmn` file of a folder; a diagram calling another is retried after the
   * others so the order of files does not matter.
   */
  async deployDirectory(dir: string, options: { deployedBy?: number | null } = {}): Promise<DeployResult[]> {
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.bpmn'))
      .sort()
      .map((f) => ({ file: f, xml: fs.readFileSync(path.join(dir, f), 'utf8') }));
    const results: DeployResult[] = [];
    let pending = files;
    while (pending.length) {
      const next: typeof pending = [];
      let lastError: unknown = null;
      for (const item of pending) {
        try {
          results.push(await this.deploy(item.xml, options));
        } catch (err) {
          const onlyMissingCalls =
            err instanceof DeployError &&
            err.problems.filter((p) => p.severity === 'error').every((p) => p.rule === 'call-activity');
          if (!onlyMissingCalls) throw Object.assign(err as Error, { file: item.file });
          next.push(item);
          lastError = err;
        }
      }
      if (next.length === pending.length) throw lastError;
      pending = next;
    }
    return results;
  }

  async definitionById(id: number, db?: Knex | Knex.Transaction): Promise<LoadedDefinition> {
    let loaded = this.definitions.get(id);
    if (!loaded) {
      loaded = (async () => {
        const record = await this.repo.definitionById(id, db as Knex.Transaction | undefined);
        if (!record) throw new NotFoundError(`流程定义 ${id} 不存在`);
        return { record, sourceContext: await loadSourceContext(record.xml) };
      })();
      this.definitions.set(id, loaded);
      loaded.catch(() => this.definitions.delete(id));
    }
    return loaded;
  }

  async latestDefinition(key: string, db?: Knex | Knex.Transaction): Promise<LoadedDefinition> {
    const row = await (db ?? this.db)('process_definitions').select('id').where({ key }).orderBy('version', 'desc').first();
    if (!row) throw new NotFoundError(`流程“${key}”尚未部署`);
    return this.definitionById(Number(row.id), db);
  }

  // ---------------------------------------------------------------- steps

  private async loadLive(step: Step, id: string, opts: LoadOptions): Promise<LiveInstance> {
    const cached = opts.forceRecover ? undefined : this.cache.get(id);
    if (cached && opts.knownVersion !== undefined && cached.version === opts.knownVersion) {
      this.stats.cacheHits++;
      step.attach(cached);
      return cached;
    }
    // a batch's row read ahead stands in for the read when it carries the state (the write's
    // version guard catches a row that changed since)
    const ahead = opts.row?.id === id && opts.row.state != null ? opts.row : null;
    const row = ahead ?? (await this.repo.instanceRow(id, cached?.version ?? -1, step.reader as Knex.Transaction));
    if (!row) throw new NotFoundError('流程实例不存在');
    if (row.status !== 'running') throw new ConflictError('流程实例已结束');
    if (cached && cached.version === row.version) {
      this.stats.cacheHits++;
      step.attach(cached);
      return cached;
    }
    this.stats.recovers++;
    const definition = await this.definitionById(row.definitionId, step.reader);
    const live = new LiveInstance(
      {
        id: row.id,
        rootId: row.rootInstanceId,
        parentId: row.parentInstanceId,
        parentExecutionId: row.parentExecutionId,
        parentElementId: row.parentElementId,
        callPath: row.callPath,
        businessKey: row.businessKey,
        startedBy: row.startedBy,
        startedAt: row.startedAt,
      },
      definition,
      row.trail,
    );
    live.version = row.version;
    if (row.openIncidents > 0) {
      for (const e of await this.repo.openIncidentExecutions(id, step.reader as Knex.Transaction)) live.parkedServices.add(e);
    }
    if (row.pendingTimers > 0) live.knownTimers = new Set(await this.repo.pendingTimerExecutions(id, step.reader as Knex.Transaction));
    for (const e of opts.retry ?? []) live.retrying.add(e);
    step.attach(live);
    await live.resume(row.state);
    return live;
  }

  private stepRuntime() {
    return {
      clock: this.clock,
      handlers: this.handlers,
      definitionById: (id: number, db: Knex | Knex.Transaction) => this.definitionById(id, db),
      latestDefinition: (key: string, db: Knex | Knex.Transaction) => this.latestDefinition(key, db),
      dueDateOverride: this.dueDateOverride,
      calendar: this.calendar,
      formKeys: this.formKeys,
      log: this.log,
    };
  }

  /**
   * Runs work on one instance tree as a step: serialized per root in this process, settled until
   * every instance waits, written with version guards — all of it or nothing.
   */
  private async withStep<T>(rootId: string, actor: Actor | null, work: (step: Step) => Promise<T>, keepInMemory = true): Promise<T> {
    let opened = false;
    const result = await this.mutex.run(rootId, async () => {
      const step = new Step(this.stepRuntime(), this.db, actor, (s, id, opts) => this.loadLive(s, id, opts));
      try {
        const result = await work(step);
        await step.settle();
        await step.flush();
        await step.commit();
        this.stats.steps++;
        if (step.singleStatement) this.stats.singleStatementSteps++;
        this.afterCommit(step, keepInMemory);
        opened = step.opensDelivery;
        return result;
      } catch (err) {
        await step.rollback().catch((rollbackError) => this.log.error({ err: rollbackError }, 'rollback failed'));
        this.discard(step);
        // PostgreSQL broke a deadlock or a serialization conflict by aborting this step: another step
        // won, exactly as when a version guard finds the row changed
        if (isLostRace(err)) throw new StaleStateError();
        throw err;
      }
    });
    // outside the mutex: the receiver may be this very instance tree
    if (opened) await this.deliverMessages().catch((err: unknown) => this.log.error({ err }, 'message delivery failed; the sweeper retries'));
    return result;
  }

  private afterCommit(step: Step, keepInMemory: boolean) {
    for (const live of step.touched.values()) {
      live.sink = null;
      const keep = keepInMemory && !step.dirty.has(live.id) && !live.ended && !step.isTerminated(live.id);
      if (!keep) {
        this.cache.delete(live.id);
        continue;
      }
      live.version = step.committedVersion(live);
      live.isNew = false;
      live.knownTimers = new Set(live.liveTimers().map((t) => t.executionId));
      this.cache.set(live.id, live);
    }
  }

  private discard(step: Step | null) {
    if (!step) return;
    for (const live of step.touched.values()) {
      live.sink = null;
      this.cache.delete(live.id);
    }
  }

  private async retryStale<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (!(err instanceof StaleStateError) || attempt >= STALE_RETRIES) throw err;
        this.stats.staleRetries++;
      }
    }
  }

  // ---------------------------------------------------------------- instances

  /** Starts the latest version of a process; returns the new instance id. */
  async startInstance(input: StartInput): Promise<string> {
    const { actor } = input;
    const system = input.checkStarter === false;
    const definition = system ? await this.latestDefinition(input.processKey) : await this.startableDefinition(input.processKey, actor);
    const variables = system ? (input.variables ?? {}) : this.startVariables(definition, input.variables ?? {});
    const id = randomUUID();
    await this.withStep(id, actor, async (step) => {
      const prepared = input.prepare ? await input.prepare(await step.tx(), variables) : {};
      await step.startInstance({
        id,
        definition,
        businessKey: prepared.businessKey ?? input.businessKey ?? null,
        variables: {
          ...variables,
          ...(prepared.variables ?? {}),
          initiator: actor?.userId ?? null,
          initiatorUnit: actor?.unitId ?? null,
        },
        startedBy: actor?.userId ?? null,
      });
      if (prepared.afterStart) await step.afterFlush((trx) => (prepared.afterStart as NonNullable<StartPreparation['afterStart']>)(trx, id));
    });
    return id;
  }

  /**
   * The latest version of a flow the actor may start through the API. A flow only the system
   * starts answers like one that does not exist, for every caller: an outsider learns nothing of
   * the flows behind the modules.
   */
  private async startableDefinition(processKey: string, actor: Actor | null): Promise<LoadedDefinition> {
    const notStartable = () => new NotFoundError(`没有可发起的流程“${processKey}”`);
    const definition = await this.latestDefinition(processKey).catch((err) => {
      throw err instanceof NotFoundError ? notStartable() : err;
    });
    const { meta, name } = definition.record;
    if (meta.systemStart || !meta.starterRoles.length) throw notStartable();
    if (!actor || !meta.starterRoles.some((r) => actor.roles.includes(r))) throw new ForbiddenError(`您没有发起“${name}”的权限`);
    return definition;
  }

  /**
   * What a start through the API may set: the fields of the start form and nothing else — a
   * variable the flow computes itself (a route, a chain, the initiator) is refused, naming it.
   */
  private startVariables(definition: LoadedDefinition, variables: Record<string, unknown>): Record<string, unknown> {
    const formKey = definition.record.meta.startFormKey;
    if (formKey) return this.validateStartForm ? this.validateStartForm({ formKey, variables }) : variables;
    const given = Object.keys(variables);
    if (given.length) {
      throw new ValidationError(
        `发起“${definition.record.name}”时不能填写流程变量：${given.join('、')}`,
        given.map((name) => ({ field: `variables.${name}`, message: '发起本流程时不能填写该项' })),
      );
    }
    return {};
  }

  /**
   * Cancels a running case: its open tasks are cancelled (not completed), its timers dropped, its
   * called sub-flows cancelled with it, every instance of it ends as `cancelled`, and one
   * `instance.cancel` history event keeps the reason — one transaction, version-guarded like a
   * completion, so a completion and a cancel never interleave: whichever comes second finds the
   * task cancelled (409) or, with `expectedVersion`, the instance moved on (409).
   */
  async cancelInstance(instanceId: string, input: CancelInput): Promise<CancelResult> {
    const reason = input.reason.trim();
    if (!reason) throw new ValidationError('请填写取消原因', [{ field: 'reason', message: '必填' }]);
    const expected = input.expectedVersion;
    const attempt = async (): Promise<CancelResult> => {
      const found = await this.db('process_instances').select('root_instance_id', 'parent_instance_id', 'status', 'version').where({ id: instanceId }).first();
      if (!found) throw new NotFoundError('流程实例不存在');
      const row = { rootInstanceId: String(found.root_instance_id), parentInstanceId: found.parent_instance_id as string | null, status: String(found.status), version: Number(found.version) };
      if (row.parentInstanceId) throw new ConflictError('子流程不能单独取消，请取消其所属的流程实例');
      if (row.status !== 'running') throw new ConflictError('流程实例已结束，不能取消');
      if (expected !== undefined && row.version !== expected) throw new ConflictError('流程实例已有新的办理，请刷新后再决定是否取消');
      return this.withStep(row.rootInstanceId, input.actor, async (step) => {
        const live = await step.load(instanceId, { knownVersion: row.version });
        if (expected !== undefined && live.version !== expected) throw new ConflictError('流程实例已有新的办理，请刷新后再决定是否取消');
        const ids = await step.cancel(live, reason);
        if (input.withTransaction) await step.afterFlush(input.withTransaction);
        return { instanceId, cancelledInstanceIds: ids };
      });
    };
    // without a version to hold to, a step that slipped in between is simply read and cancelled too
    const run = expected === undefined ? this.retryStale(attempt) : attempt();
    return run.catch((err) => {
      if (err instanceof StaleStateError) throw new ConflictError(expected === undefined ? '流程实例正在办理中，请稍后重试' : '流程实例已有新的办理，请刷新后再决定是否取消');
      throw err;
    });
  }

  async getInstance(id: string, trx?: Knex.Transaction): Promise<InstanceView> {
    const instance = await this.repo.getInstance(id, trx);
    if (!instance) throw new NotFoundError('流程实例不存在');
    const definition = await this.definitionById(instance.definitionId, trx);
    const tasks = (await this.repo.openTasksOfRoot(instance.rootInstanceId, trx)).filter((t) => t.instanceId === id || instance.rootInstanceId === id);
    return { ...instance, processName: definition.record.name, tasks };
  }

  async history(rootInstanceId: string, trx?: Knex.Transaction): Promise<HistoryEventRecord[]> {
    return this.repo.history(rootInstanceId, trx);
  }

  // ---------------------------------------------------------------- tasks

  async canAct(actor: Actor, task: TaskRecord): Promise<boolean> {
    return this.authorize(actor, task);
  }

  /**
   * Whether an actor may know of a task at all: its assignee, whoever completed it, a candidate
   * (as if nobody had claimed it), or whom the witness admits. Checked before anything about the
   * task's state is said, so an outsider cannot learn that another unit's task was done.
   */
  async knowsOf(actor: Actor, task: TaskRecord, witness?: TaskWitness): Promise<boolean> {
    if (task.assigneeId === actor.userId || task.completedBy === actor.userId) return true;
    if (await this.authorize(actor, { ...task, assigneeId: null })) return true;
    return Boolean(witness && (await witness(actor, task)));
  }

  private async assertKnows(actor: Actor, task: TaskRecord, witness?: TaskWitness) {
    if (!(await this.knowsOf(actor, task, witness))) throw new NotFoundError('任务不存在');
  }

  private async assertCanAct(actor: Actor, task: TaskRecord) {
    if (task.assigneeId != null && task.assigneeId !== actor.userId) {
      throw new ForbiddenError('该任务已由他人认领或指定给他人办理');
    }
    if (!(await this.authorize(actor, task))) throw new ForbiddenError('您不是该任务的办理人');
  }

  /**
   * Reads the tasks a batch is about to complete, with the rows of their instances the engine
   * has no copy of, in two statements; each completion then reads nothing before its step.
   */
  async prefetchTasks(taskIds: string[]): Promise<Map<string, PrefetchedTask>> {
    const read = await this.repo.tasksForBatch(taskIds, (instanceId) => this.cache.peek(instanceId)?.version);
    return new Map(read.map((r) => [r.task.id, r]));
  }

  /**
   * Completes a user task: validates the form, advances the instance, closes the task, opens
   * the next ones and writes history — one transaction. A second completion gets 409.
   */
  async completeTask(taskId: string, actor: Actor, input: CompleteInput): Promise<CompleteResult> {
    let ahead = input.prefetched?.task.id === taskId ? input.prefetched : undefined;
    return this.retryStale(async () => {
      // what a batch read ahead serves the first attempt; a retry reads again
      const found = ahead ?? (await this.repo.taskWithInstance(taskId));
      const row = ahead?.row ?? undefined;
      ahead = undefined;
      if (!found) throw new NotFoundError('任务不存在');
      const { task, instanceVersion } = found;
      if (!input.onBehalf) await this.assertKnows(actor, task, input.witness);
      if (task.status !== 'open') {
        throw new ConflictError(task.status === 'completed' ? '该任务已被处理，不能重复提交' : '该任务已取消');
      }
      if (!input.onBehalf) await this.assertCanAct(actor, task);
      const action = input.action;
      if (!task.actions.includes(action)) {
        throw new ValidationError(`此任务不能执行“${action}”，可选：${task.actions.join('、')}`, [
          { field: 'action', message: `可选值：${task.actions.join('、')}` },
        ]);
      }
      const opinion = input.opinion?.trim() ? input.opinion.trim() : null;
      const validated = task.formKey && this.validateForm
        ? this.validateForm({ formKey: task.formKey, action, opinion, data: input.data ?? {} })
        : { data: (input.data ?? {}) as Record<string, unknown>, variables: (input.data ?? {}) as Record<string, unknown> };
      if (input.check) await input.check(task, { action, data: validated.data });

      const outcome = await this.withStep(task.rootInstanceId, actor, async (step) => {
        // a sub-flow that ended under us was finished by the competing completion: retry, and the
        // task is then found completed
        const live = await step.load(task.instanceId, { knownVersion: instanceVersion, row }).catch((err: unknown) => {
          if (err instanceof ConflictError && !(err instanceof StaleStateError)) throw new StaleStateError('该任务已被处理，不能重复提交');
          throw err;
        });
        if (!live.waiting.has(task.executionId)) throw new StaleStateError('该任务已被处理，不能重复提交');
        step.completed = { id: task.id, instanceId: task.instanceId, executionId: task.executionId, action, opinion };
        live.setVariables({ ...validated.variables, action, opinion });
        step.addHistory(live, {
          type: 'task.complete',
          elementId: task.elementId,
          // a task's own name (a sub-flow's task is named for the step that called it)
          elementName: task.name,
          taskId: task.id,
          action,
          opinion,
          data: Object.keys(validated.data).length ? validated.data : null,
        });
        live.signal(task.elementId, task.executionId, { action, opinion });
        if (input.withTransaction) {
          const hook = input.withTransaction;
          await step.afterFlush((trx) => hook(trx, task));
        }
        return { step, live };
      }, input.keepInMemory ?? true).catch((err: unknown) => {
        throw err instanceof ChoiceRefusal ? choiceFieldOf(err, validated.variables) : err;
      });
      const { step, live } = outcome;
      return {
        task: { ...task, status: 'completed' as const, action, opinion, completedBy: actor.userId },
        instanceId: task.instanceId,
        instanceStatus: step.isTerminated(live.id) ? 'terminated' : live.ended ? 'completed' : 'running',
        nextTasks: step.newTasks
          .filter((t) => t.status === 'open')
          .map((t) => ({ id: t.id, instanceId: t.instance_id, elementId: t.element_id, name: t.name, candidateUnitId: t.candidate_unit_id, assigneeId: t.assignee_id })),
      } satisfies CompleteResult;
    }).catch((err) => {
      if (err instanceof StaleStateError) throw new ConflictError(err.message);
      throw err;
    });
  }

  /**
   * The choices (choice gateways) completing this task leads to, with the options that exist for
   * its case now — in its own flow, and past its end in the flows that called it.
   */
  async choicesFor(task: TaskRecord): Promise<AvailableChoice[]> {
    const found: AvailableChoice[] = [];
    let definition = (await this.definitionById(task.definitionId)).record;
    let reach = definition.meta.userTasks.find((t) => t.id === task.elementId)?.reach;
    let instanceId: string | null = task.instanceId;
    for (let depth = 0; reach && instanceId && depth < 20; depth++) {
      const instance = await this.repo.getInstance(instanceId);
      if (!instance) break;
      for (const id of reach.choices) {
        const choice = definition.meta.choices?.find((c) => c.id === id);
        if (choice) found.push({ gatewayId: choice.id, name: choice.name, variable: choice.variable, options: availableOptions(choice, instance.variables) });
      }
      if (!reach.end || !instance.parentInstanceId || !instance.parentElementId) break;
      const parent = await this.repo.getInstance(instance.parentInstanceId);
      if (!parent) break;
      definition = (await this.definitionById(parent.definitionId)).record;
      reach = definition.meta.callActivities.find((c) => c.id === instance.parentElementId)?.reach;
      instanceId = parent.id;
    }
    return found;
  }

  async getTask(taskId: string): Promise<TaskRecord> {
    const task = await this.repo.getTask(taskId);
    if (!task) throw new NotFoundError('任务不存在');
    return task;
  }

  /** A candidate takes a task so colleagues see it is being handled. */
  async claimTask(taskId: string, actor: Actor, options: { witness?: TaskWitness } = {}): Promise<TaskRecord> {
    const task = await this.getTask(taskId);
    await this.assertKnows(actor, task, options.witness);
    if (task.status !== 'open') throw new ConflictError('该任务已办结，不能认领');
    if (task.assigneeId === actor.userId) return task;
    await this.assertCanAct(actor, task);
    return this.db.transaction(async (trx) => {
      const now = this.clock.now();
      const count = await trx('tasks')
        .where({ id: taskId, status: 'open' })
        .whereNull('assignee_id')
        .update({ assignee_id: actor.userId, claimed_at: now });
      if (count !== 1) throw new ConflictError('该任务已被他人认领');
      await this.taskHistory(trx, task, actor, 'task.claim');
      return { ...task, assigneeId: actor.userId };
    });
  }

  /** Gives a claimed task back to its candidates. */
  async unclaimTask(taskId: string, actor: Actor, options: { admin?: boolean; witness?: TaskWitness } = {}): Promise<TaskRecord> {
    const task = await this.getTask(taskId);
    if (!options.admin) await this.assertKnows(actor, task, options.witness);
    if (task.status !== 'open') throw new ConflictError('该任务已办结');
    return this.db.transaction(async (trx) => {
      const q = trx('tasks').where({ id: taskId, status: 'open' }).whereNotNull('claimed_at');
      if (!options.admin) q.andWhere({ assignee_id: actor.userId });
      const count = await q.update({ assignee_id: null, claimed_at: null });
      if (count !== 1) throw new ConflictError('只能退回自己认领的任务');
      await this.taskHistory(trx, task, actor, 'task.unclaim');
      return { ...task, assigneeId: null };
    });
  }

  private async taskHistory(trx: Knex.Transaction, task: TaskRecord, actor: Actor, type: string) {
    await trx('history_events').insert({
      instance_id: task.instanceId,
      root_instance_id: task.rootInstanceId,
      type,
      element_id: task.elementId,
      element_name: task.name,
      task_id: task.id,
      actor_id: actor.userId,
      actor_name: actor.displayName ?? null,
      created_at: this.clock.now(),
    });
  }

  // ---------------------------------------------------------------- time

  /**
   * Fires timers that are due by the engine's clock. Each timer is claimed with
   * FOR UPDATE SKIP LOCKED inside its own step, so several processes never fire one twice.
   */
  async fireDueTimers(limit = 50): Promise<number> {
    const now = this.clock.now();
    const candidates = (await this.db('timers')
      .select('id', 'instance_id', 'root_instance_id', 'execution_id', 'element_id')
      .where('status', 'pending')
      .andWhere('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit)) as Array<{ id: number; instance_id: string; root_instance_id: string; execution_id: string }>;
    let fired = 0;
    for (const timer of candidates) {
      try {
        const done = await this.withStep(timer.root_instance_id, null, async (step) => {
          const trx = await step.tx();
          const claimed = await trx('timers')
            .where({ id: timer.id, status: 'pending' })
            .forUpdate()
            .skipLocked()
            .first();
          if (!claimed) return false;
          const live = await step.load(timer.instance_id);
          if (!live.fireTimer(timer.execution_id) && !live.knownTimers.has(timer.execution_id)) {
            await trx('timers').where({ id: timer.id }).update({ status: 'cancelled' });
          }
          return true;
        });
        if (done) fired++;
      } catch (err) {
        this.log.error({ err, timerId: timer.id }, 'timer firing failed; will retry');
        await this.db('timers')
          .where({ id: timer.id, status: 'pending' })
          .update({ attempts: this.db.raw('attempts + 1'), last_error: (err as Error).message });
      }
    }
    return fired;
  }

  /** Marks open tasks past their due date (once each) and records it in history. */
  async markOverdueTasks(limit = 200): Promise<TaskRecord[]> {
    const now = this.clock.now();
    return this.db.transaction(async (trx) => {
      const rows = await trx.raw(
        `update tasks set overdue_at = ? where id in (
           select id from tasks where status = 'open' and overdue_at is null and due_at <= ?
           order by due_at limit ? for update skip locked)
         returning *`,
        [now, now, limit],
      );
      const tasks = (rows.rows as Record<string, unknown>[]).map(mapTask);
      if (tasks.length) {
        await trx('history_events').insert(
          tasks.map((t) => ({
            instance_id: t.instanceId,
            root_instance_id: t.rootInstanceId,
            type: 'task.overdue',
            element_id: t.elementId,
            element_name: t.name,
            task_id: t.id,
            data: JSON.stringify({ dueAt: t.dueAt }),
            created_at: now,
          })),
        );
      }
      return tasks;
    });
  }

  /**
   * Marks open tasks overdue that a rule of the caller closed before their own due date would
   * (an activity's submission deadline), once each, in the caller's transaction: a task without a
   * due date gets the one given, and the history says why. Tasks another sweeper holds are
   * skipped (it marks them); returns the tasks marked.
   */
  async markTasksOverdue(trx: Knex.Transaction, tasks: ReadonlyArray<{ id: string; dueAt: Date }>, reason: string): Promise<TaskRecord[]> {
    if (!tasks.length) return [];
    const now = this.clock.now();
    const result = await trx.raw(
      `update tasks t set overdue_at = ?, due_at = coalesce(t.due_at, c.due_at)
         from jsonb_to_recordset(?::jsonb) as c(id uuid, due_at timestamptz)
        where t.id = c.id
          and t.id in (select id from tasks where id = any(?::uuid[]) and status = 'open' and overdue_at is null for update skip locked)
      returning t.*`,
      [now, JSON.stringify(tasks.map((t) => ({ id: t.id, due_at: t.dueAt }))), tasks.map((t) => t.id)],
    );
    const marked = (result.rows as Record<string, unknown>[]).map(mapTask);
    if (marked.length) {
      await trx('history_events').insert(
        marked.map((t) => ({
          instance_id: t.instanceId,
          root_instance_id: t.rootInstanceId,
          type: 'task.overdue',
          element_id: t.elementId,
          element_name: t.name,
          task_id: t.id,
          data: JSON.stringify({ dueAt: t.dueAt, reason }),
          created_at: now,
        })),
      );
    }
    return marked;
  }

  /**
   * Takes back the overdue mark `markTasksOverdue` set with `dueAt` (a deadline since extended):
   * the open tasks among `taskIds` still due then are open again, without a due date.
   */
  async clearOverdue(trx: Knex.Transaction, taskIds: readonly string[], dueAt: Date): Promise<number> {
    if (!taskIds.length) return 0;
    return trx('tasks').whereIn('id', taskIds).where({ status: 'open', due_at: dueAt }).whereNotNull('overdue_at').update({ overdue_at: null, due_at: null });
  }

  /**
   * Records a module's own event on an instance's history (a changed evaluation method, a
   * dossier not delivered) in the caller's transaction, so that one writer keeps the trail.
   */
  async recordHistory(trx: Knex.Transaction, instanceId: string, event: Omit<HistoryInput, 'taskId'> & { at?: Date }): Promise<void> {
    const actor = event.actor ?? null;
    const result = await trx.raw(
      `insert into history_events (instance_id, root_instance_id, type, element_id, element_name, actor_id, actor_name, action, opinion, data, created_at)
       select i.id, i.root_instance_id, ?::text, ?::text, ?::text, ?::bigint, ?::text, ?::text, ?::text, ?::jsonb, ?::timestamptz
         from process_instances i where i.id = ?
       returning id`,
      [
        event.type,
        event.elementId ?? null,
        event.elementName ?? null,
        actor?.userId ?? null,
        actor?.displayName ?? null,
        event.action ?? null,
        event.opinion ?? null,
        event.data ? JSON.stringify(event.data) : null,
        event.at ?? this.clock.now(),
        instanceId,
      ],
    );
    if ((result.rows as unknown[]).length !== 1) throw new NotFoundError('流程实例不存在');
  }

  // ---------------------------------------------------------------- messages

  private delivering: Promise<number> | null = null;
  private deliverAgain = false;

  /**
   * Posts a message from a module's code in the caller's transaction: it exists only if that
   * commits. Call `deliverMessages()` after the commit (the sweeper does it anyway).
   */
  async publishMessage(trx: Knex.Transaction, input: PublishInput): Promise<number> {
    const name = input.name.trim();
    if (!name) throw new ValidationError('消息名称不能为空', [{ field: 'name', message: '必填' }]);
    const now = this.clock.now();
    const [row] = await trx('process_messages')
      .insert({
        name,
        correlation_key: input.correlationKey ?? null,
        payload: JSON.stringify(input.payload ?? {}),
        status: 'pending',
        created_at: now,
        expires_at: expiresAt(now, input.timeToLive ?? DEFAULT_MESSAGE_TTL),
      })
      .returning('id');
    return Number((row as { id: string }).id);
  }

  /**
   * Delivers pending messages to the catches waiting for them (and starts the flows a message
   * starts), each in a step of the receiver; marks expired ones. Safe on any number of processes:
   * a message and its subscription are claimed with FOR UPDATE SKIP LOCKED in the receiver's step,
   * and the step's version guard decides a race. Returns how many were delivered.
   */
  async deliverMessages(limit = 100): Promise<number> {
    // a delivery's own step may throw or wait again (or another step did meanwhile): the running
    // pass goes round once more instead (awaiting it from inside its own step would never end)
    if (this.delivering) {
      this.deliverAgain = true;
      return 0;
    }
    this.delivering = (async () => {
      let total = 0;
      for (let pass = 0; pass < 50; pass++) {
        this.deliverAgain = false;
        const delivered = await this.deliveryPass(limit);
        total += delivered;
        if (!this.deliverAgain && delivered === 0) break;
      }
      return total;
    })().finally(() => {
      this.delivering = null;
    });
    return this.delivering;
  }

  private async deliveryPass(limit: number): Promise<number> {
    const now = this.clock.now();
    await this.db('process_messages').where('status', 'pending').andWhere('expires_at', '<=', now).update({ status: 'expired' });
    let delivered = 0;
    for (const candidate of await deliveryCandidates(this.db, now, limit)) {
      if (await this.attemptDelivery(candidate.messageId, () => this.deliverTo(candidate.messageId, candidate.subscriptionId, candidate.rootInstanceId))) delivered++;
    }
    const starts = await messageStarts(this.db);
    for (const candidate of await startCandidates(this.db, now, [...starts.keys()], limit)) {
      const start = starts.get(candidate.name);
      if (start && (await this.attemptDelivery(candidate.messageId, () => this.startByMessage(candidate.messageId, start.processKey, start.elementId)))) delivered++;
    }
    return delivered;
  }

  private async attemptDelivery(messageId: number, deliver: () => Promise<boolean>): Promise<boolean> {
    try {
      return await this.retryStale(deliver);
    } catch (err) {
      this.log.error({ err, messageId }, 'message delivery failed; will retry');
      await this.db('process_messages')
        .where({ id: messageId, status: 'pending' })
        .update({ attempts: this.db.raw('attempts + 1'), last_error: (err as Error).message });
      return false;
    }
  }

  /** One delivery: a step of the receiving instance that claims the message and the subscription. */
  private async deliverTo(messageId: number, subscriptionId: number, rootId: string): Promise<boolean> {
    return this.withStep(rootId, null, async (step) => {
      const trx = await step.tx();
      const message = await trx('process_messages').where({ id: messageId, status: 'pending' }).forUpdate().skipLocked().first();
      if (!message) return false;
      const subscription = await trx('message_subscriptions').where({ id: subscriptionId }).forUpdate().skipLocked().first();
      if (!subscription) return false;
      const live = await step.load(String(subscription.instance_id)).catch((err: unknown) => {
        if (err instanceof ConflictError && !(err instanceof StaleStateError)) return null;
        throw err;
      });
      if (!live || !live.messageWaits.has(String(subscription.execution_id))) {
        // the catch no longer waits (its instance ended): the subscription is stale
        await trx('message_subscriptions').where({ id: subscriptionId }).del();
        return false;
      }
      const payload = (message.payload ?? {}) as Record<string, unknown>;
      const elementId = String(subscription.element_id);
      live.setVariables(payload);
      step.addHistory(live, { type: 'message.receive', elementId, data: { messageId, name: message.name, correlationKey: message.correlation_key, payload } });
      step.deliveredMessage = true;
      live.receiveMessage(String(subscription.execution_id), payload);
      await trx('process_messages')
        .where({ id: messageId })
        .update({ status: 'delivered', delivered_at: step.now, target_instance_id: live.id, target_element_id: elementId });
      return true;
    });
  }

  /** A message start: a new instance of the flow, its business key the message's key, its variables the payload. */
  private async startByMessage(messageId: number, processKey: string, elementId: string): Promise<boolean> {
    const id = randomUUID();
    return this.withStep(id, null, async (step) => {
      const trx = await step.tx();
      const message = await trx('process_messages').where({ id: messageId, status: 'pending' }).forUpdate().skipLocked().first();
      if (!message) return false;
      const definition = await this.latestDefinition(processKey, trx);
      const payload = (message.payload ?? {}) as Record<string, unknown>;
      const live = await step.startInstance({
        id,
        definition,
        businessKey: (message.correlation_key as string | null) ?? null,
        variables: { ...payload, initiator: null, initiatorUnit: null },
        startedBy: null,
      });
      const wait = step.startWaits.find((w) => w.live === live && w.elementId === elementId);
      if (!wait) throw new ExecutionError(`流程“${processKey}”的消息开始事件没有等待消息`, elementId);
      step.addHistory(live, { type: 'message.receive', elementId, data: { messageId, name: message.name, correlationKey: message.correlation_key, payload } });
      live.receiveMessage(wait.executionId, payload);
      await step.afterFlush(async (t) => {
        await t('process_messages').where({ id: messageId }).update({ status: 'delivered', delivered_at: step.now, target_instance_id: id, target_element_id: elementId });
      });
      return true;
    });
  }

  /** Messages for the administrators' list (流程消息), newest first. */
  async listMessages(filter: { status?: MessageRecord['status']; name?: string; correlationKey?: string; limit?: number; offset?: number } = {}): Promise<{ items: MessageRecord[]; total: number }> {
    const q = this.db('process_messages as m');
    if (filter.status) q.where('m.status', filter.status);
    if (filter.name) q.where('m.name', filter.name);
    if (filter.correlationKey) q.where('m.correlation_key', 'like', `${filter.correlationKey.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const [counted] = (await q.clone().count({ count: '*' })) as Array<{ count: string }>;
    const rows = (await q
      .leftJoin('process_instances as s', 's.id', 'm.source_instance_id')
      .select('m.*', 's.process_key as source_process_key')
      .orderBy('m.id', 'desc')
      .limit(Math.min(filter.limit ?? 50, 200))
      .offset(filter.offset ?? 0)) as Array<Record<string, unknown>>;
    return { items: rows.map(mapMessage), total: Number(counted?.count ?? 0) };
  }

  /** What the instances of a case wait for: message name, key and since when. */
  async waitingMessages(rootInstanceId: string, trx?: Knex.Transaction): Promise<WaitingMessage[]> {
    const rows = (await (trx ?? this.db)('message_subscriptions as s')
      .join('process_instances as i', 'i.id', 's.instance_id')
      .where('s.root_instance_id', rootInstanceId)
      .select('s.*', 'i.definition_id')
      .orderBy('s.id')) as Array<Record<string, unknown>>;
    const out: WaitingMessage[] = [];
    for (const r of rows) {
      const definition = await this.definitionById(Number(r.definition_id), trx);
      out.push({
        instanceId: String(r.instance_id),
        elementId: String(r.element_id),
        elementName: definition.record.meta.elementNames[String(r.element_id)] ?? null,
        name: String(r.message_name),
        correlationKey: (r.correlation_key as string | null) ?? null,
        since: new Date(r.created_at as string),
      });
    }
    return out;
  }

  // ---------------------------------------------------------------- incidents

  async listIncidents(filter: { status?: 'open' | 'resolved'; instanceId?: string } = {}): Promise<IncidentRecord[]> {
    return this.repo.incidents(filter);
  }

  /** Runs a failed service task again; it either completes (incident resolved) or counts one more attempt. */
  async retryIncident(id: number, actor: Actor | null): Promise<IncidentRecord> {
    const incident = await this.repo.incident(id);
    if (!incident) throw new NotFoundError('异常记录不存在');
    if (incident.status !== 'open') throw new ConflictError('该异常已处理');
    await this.withStep(incident.rootInstanceId, actor, async (step) => {
      const live = await step.load(incident.instanceId, { forceRecover: true, retry: [incident.executionId] });
      step.addHistory(live, { type: 'incident.retry', elementId: incident.elementId });
    });
    return (await this.repo.incident(id)) as IncidentRecord;
  }
  // ---------------------------------------------------------------- moving and migrating instances

  /**
   * Resolves an open incident by moving its instance on to another element of the same version:
   * the failed activity is discarded (not run again) and the chosen user task, service task or
   * gateway starts, in one step with history `instance.move`; `withTransaction` writes with it.
   */
  async moveIncidentToElement(
    incidentId: number,
    input: { targetElementId: string; reason: string; actor: Actor | null; withTransaction?: (trx: Knex.Transaction) => Promise<void> },
  ): Promise<IncidentRecord> {
    const incident = await this.repo.incident(incidentId);
    if (!incident) throw new NotFoundError('异常记录不存在');
    if (incident.status !== 'open') throw new ConflictError('该异常已处理');
    const reason = input.reason.trim();
    if (!reason) throw new ValidationError('请填写处理说明', [{ field: 'reason', message: '必填' }]);
    await this.withStep(incident.rootInstanceId, input.actor, async (step) => {
      const live = await step.load(incident.instanceId, { forceRecover: true });
      const target = moveTargetsOf(live.definition).find((t) => t.id === input.targetElementId);
      if (!target) {
        throw new ValidationError(`不能移至“${input.targetElementId}”：只能选本版本流程中的用户任务、服务任务或排他网关`, [
          { field: 'targetElementId', message: '请选择本流程的用户任务、服务任务或网关' },
        ]);
      }
      const execution = live.engine.execution as unknown as {
        definitions: Array<{ getRunningProcesses(): Array<RunnableScope & { id: string }> }>;
        getPostponed(): PostponedApi[];
      };
      const failed = findPostponed(execution.getPostponed(), incident.executionId);
      if (!failed) throw new ConflictError('失败的步骤已不在运行，请刷新后再处理');
      const process = execution.definitions[0]?.getRunningProcesses().find((p) => p.id === live.processKey);
      const activity = process ? activityToMoveTo(process, parentsOf(live.definition.sourceContext), incident.elementId, target.id) : null;
      if (!activity) {
        throw new ValidationError(`不能移至“${target.name ?? target.id}”：只能移至失败步骤所在的流程层级（主流程，或同一个内嵌子流程）中的元素`, [
          { field: 'targetElementId', message: '请选择与失败步骤同一层级的元素' },
        ]);
      }
      const names = live.definition.record.meta.elementNames;
      step.addHistory(live, {
        type: 'instance.move',
        elementId: target.id,
        elementName: names[target.id] ?? target.name ?? target.id,
        opinion: reason,
        data: { incidentId, fromElementId: incident.elementId, fromElementName: names[incident.elementId] ?? null, toElementId: target.id, reason },
      });
      step.resolveIncident(live, incident.executionId);
      // the new token first: with the failed one discarded first, an instance with nothing else running would end
      activity.run();
      failed.discard();
      if (input.withTransaction) await step.afterFlush(input.withTransaction);
    });
    return (await this.repo.incident(incidentId)) as IncidentRecord;
  }

  /**
   * Elements an incident's instance may be moved to: user tasks, service tasks and gateways the
   * engine runs; given the failed element, only those at its level (main process or its sub-process).
   */
  async moveTargets(definitionId: number, fromElementId?: string): Promise<TargetElement[]> {
    const definition = await this.definitionById(definitionId);
    const targets = moveTargetsOf(definition);
    if (fromElementId === undefined) return targets;
    const parents = parentsOf(definition.sourceContext);
    const level = parents.get(fromElementId) ?? null;
    return targets.filter((t) => (parents.get(t.id) ?? null) === level);
  }

  /**
   * Dry run of a migration: for each running instance of `fromVersion`, the elements it is at and
   * where each would land on `toVersion` (same id, or the manual mapping), refused with the reason
   * when one has no target or a target of another type. Nothing is written.
   */
  async planMigration(input: MigrationInput): Promise<MigrationPlan> {
    const { from, to, mapping } = await this.migrationVersions(input);
    const targets = activitiesOf(to.sourceContext);
    const targetParents = parentsOf(to.sourceContext);
    const instances: PlannedInstance[] = [];
    let after = '';
    for (;;) {
      const rows = (await this.db('process_instances')
        .select('id', 'root_instance_id', 'business_key', 'state')
        .where({ definition_id: from.record.id, status: 'running' })
        .andWhere('id', '>', after || '00000000-0000-0000-0000-000000000000')
        .orderBy('id')
        .limit(500)) as Array<{ id: string; root_instance_id: string; business_key: string | null; state: unknown }>;
      for (const r of rows) {
        const elements = planElements(runningElements(r.state), mapping, from.record.meta.elementNames, targets, to.record.meta.elementNames, targetParents);
        const refused = elements.filter((e) => !e.ok);
        instances.push({
          instanceId: r.id,
          rootInstanceId: r.root_instance_id,
          businessKey: r.business_key,
          status: refused.length ? 'refused' : 'ok',
          reason: refused.length ? refused.map((e) => `${e.elementName ?? e.elementId}：${e.reason}`).join('；') : null,
          elements,
        });
      }
      if (rows.length < 500) break;
      after = rows[rows.length - 1]!.id;
    }
    const ok = instances.filter((i) => i.status === 'ok').length;
    return {
      processKey: input.processKey,
      fromVersion: input.fromVersion,
      toVersion: input.toVersion,
      mapping,
      targets: [...targets.values()].filter((t) => !/StartEvent$/.test(t.type)).map((t) => ({ ...t, name: to.record.meta.elementNames[t.id] ?? t.name })),
      instances,
      counts: { total: instances.length, ok, refused: instances.length - ok, migrated: 0 },
    };
  }

  /**
   * Migrates the running instances of `fromVersion` (or the given ones) to `toVersion` in batches,
   * each instance in its own transaction under its tree's mutex and row lock, with the version guard
   * a concurrent step respects. Instances already on the target are counted, not touched again, so a
   * retry after an interruption finishes the rest.
   */
  async migrateInstances(
    input: MigrationInput & { actor: Actor | null; instanceIds?: string[]; batchSize?: number; onBatch?: (progress: MigrationProgress) => Promise<void> | void },
  ): Promise<MigrationProgress> {
    const { from, to, mapping } = await this.migrationVersions(input);
    const ids = input.instanceIds?.length
      ? input.instanceIds
      : ((await this.db('process_instances').where({ definition_id: from.record.id, status: 'running' }).orderBy('id').pluck('id')) as string[]);
    const progress: MigrationProgress = { total: ids.length, migrated: 0, already: 0, refused: 0, failed: 0, results: [] };
    const size = Math.max(1, Math.min(input.batchSize ?? 100, 1000));
    for (let i = 0; i < ids.length; i += size) {
      for (const id of ids.slice(i, i + size)) {
        let result: MigrationResult;
        try {
          result = await this.retryStale(() => this.migrateOne(id, from, to, mapping, input.actor));
        } catch (err) {
          this.log.error({ err, instanceId: id }, 'instance migration failed');
          result = { instanceId: id, status: 'failed', reason: err instanceof StaleStateError ? '实例正在办理中，请稍后重试' : (err as Error).message };
        }
        progress[result.status]++;
        progress.results.push(result);
      }
      await input.onBatch?.(progress);
    }
    return progress;
  }

  private async migrationVersions(input: MigrationInput): Promise<{ from: LoadedDefinition; to: LoadedDefinition; mapping: ElementMapping }> {
    if (input.fromVersion === input.toVersion) throw new ValidationError('目标版本必须不同于当前版本', [{ field: 'toVersion', message: '必须不同于源版本' }]);
    const [fromRecord, toRecord] = await Promise.all([
      this.repo.definitionByVersion(input.processKey, input.fromVersion),
      this.repo.definitionByVersion(input.processKey, input.toVersion),
    ]);
    if (!fromRecord) throw new NotFoundError(`流程“${input.processKey}”没有第 ${input.fromVersion} 版`);
    if (!toRecord) throw new NotFoundError(`流程“${input.processKey}”没有第 ${input.toVersion} 版`);
    const mapping: ElementMapping = {};
    for (const [k, v] of Object.entries(input.mapping ?? {})) if (k && v) mapping[k] = v;
    return { from: await this.definitionById(fromRecord.id), to: await this.definitionById(toRecord.id), mapping };
  }

  private async migrateOne(id: string, from: LoadedDefinition, to: LoadedDefinition, mapping: ElementMapping, actor: Actor | null): Promise<MigrationResult> {
    const head = await this.db('process_instances').select('root_instance_id').where({ id }).first();
    const relinkedCalls = new Set<string>();
    if (!head) return { instanceId: id, status: 'refused', reason: '流程实例不存在' };
    const result = await this.mutex.run(String(head.root_instance_id), () =>
      this.db.transaction(async (trx): Promise<MigrationResult> => {
        // the row lock: a step of another process on this instance waits, then fails its version guard and reads again
        await trx('process_instances').where({ id }).forUpdate().first();
        const row = await this.repo.instanceRow(id, -1, trx);
        if (!row || row.status !== 'running') return { instanceId: id, status: 'refused', reason: '流程实例已结束' };
        if (row.definitionId === to.record.id) return { instanceId: id, status: 'already', reason: null };
        if (row.definitionId !== from.record.id) return { instanceId: id, status: 'refused', reason: `实例在第 ${row.processVersion} 版上，不在源版本上` };
        const elements = planElements(runningElements(row.state), mapping, from.record.meta.elementNames, activitiesOf(to.sourceContext), to.record.meta.elementNames, parentsOf(to.sourceContext));
        const refused = elements.filter((e) => !e.ok);
        if (refused.length) return { instanceId: id, status: 'refused', reason: refused.map((e) => `${e.elementName ?? e.elementId}：${e.reason}`).join('；') };
        const renames = new Map<string, string>();
        for (const e of elements) if (e.targetId && e.targetId !== e.elementId) renames.set(e.elementId, e.targetId);
        const fromDefs = definitionsIdOf(from.record.xml);
        const toDefs = definitionsIdOf(to.record.xml);
        const stateRenames = new Map(renames);
        if (fromDefs && toDefs && fromDefs !== toDefs) stateRenames.set(fromDefs, toDefs);
        const state = rewriteState(row.state, stateRenames);
        const trail = row.trail.map((step) => renames.get(step) ?? step);
        const openTasks = (await trx('tasks').where({ instance_id: id, status: 'open' }).select('execution_id')) as Array<{ execution_id: string }>;
        const problem = await this.trialResume(row, to, state, trail, openTasks.map((t) => t.execution_id), trx);
        if (problem) return { instanceId: id, status: 'refused', reason: `在第 ${to.record.version} 版上无法恢复：${problem}` };
        const now = this.clock.now();
        const updated = await trx('process_instances')
          .where({ id, version: row.version })
          .update({
            definition_id: to.record.id,
            process_version: to.record.version,
            state: JSON.stringify(state),
            trail: JSON.stringify(trail),
            version: row.version + 1,
            updated_at: now,
          });
        if (updated !== 1) throw new StaleStateError();
        await trx('tasks').where({ instance_id: id, status: 'open' }).update({ definition_id: to.record.id });
        const oldNames = from.record.meta.elementNames;
        const newNames = to.record.meta.elementNames;
        for (const [oldId, newId] of renames) {
          await trx('tasks').where({ instance_id: id, status: 'open', element_id: oldId }).update({ element_id: newId });
          // a task named after its element (no zcps:taskName) takes the element's new name
          if (oldNames[oldId] && newNames[newId] && oldNames[oldId] !== newNames[newId]) {
            await trx('tasks').where({ instance_id: id, status: 'open', element_id: newId, name: oldNames[oldId] }).update({ name: newNames[newId] });
          }
          await trx('timers').where({ instance_id: id, status: 'pending', element_id: oldId }).update({ element_id: newId });
          await trx('incidents').where({ instance_id: id, status: 'open', element_id: oldId }).update({ element_id: newId });
          await trx('message_subscriptions').where({ instance_id: id, element_id: oldId }).update({ element_id: newId });
          await trx('process_instances').where({ parent_instance_id: id, parent_element_id: oldId }).update({ parent_element_id: newId });
          // the sub-flows below a renamed calling element name it in their call path (operator due
          // dates are set per path): the entry just after this instance's own path
          const depth = row.callPath.length + 1;
          const relinked = (await trx('process_instances')
            .where({ root_instance_id: row.rootInstanceId })
            .whereRaw(`call_path[1:${depth - 1}] = ?::text[] and call_path[${depth}] = ?`, [row.callPath, `${row.processKey}:${oldId}`])
            .update({ call_path: trx.raw(`(call_path[1:${depth - 1}] || ?::text || call_path[${depth + 1}:])`, [`${row.processKey}:${newId}`]) })
            .returning('id')) as Array<{ id: string }>;
          for (const r of relinked) relinkedCalls.add(String(r.id));
        }
        await this.recordHistory(trx, id, {
          type: 'instance.migrate',
          actor,
          opinion: `迁移至版本 ${to.record.version}`,
          data: { fromVersion: from.record.version, toVersion: to.record.version, mapping: Object.fromEntries(renames), elements: elements.map((e) => e.elementId) },
          at: now,
        });
        return { instanceId: id, status: 'migrated', reason: null };
      }),
    );
    // whatever copy this process held was of the old version (and its sub-flows' of the old call path)
    this.cache.delete(id);
    for (const child of relinkedCalls) this.cache.delete(child);
    return result;
  }

  /** Rebuilds a rewritten state on the target version without running anything; the reason it fails, or null. */
  private async trialResume(row: InstanceRow, to: LoadedDefinition, state: unknown, trail: string[], openTaskExecutions: string[], trx: Knex.Transaction): Promise<string | null> {
    const live = new LiveInstance(
      {
        id: row.id,
        rootId: row.rootInstanceId,
        parentId: row.parentInstanceId,
        parentExecutionId: row.parentExecutionId,
        parentElementId: row.parentElementId,
        callPath: row.callPath,
        businessKey: row.businessKey,
        startedBy: row.startedBy,
        startedAt: row.startedAt,
      },
      to,
      trail,
    );
    for (const e of await this.repo.openIncidentExecutions(row.id, trx)) live.parkedServices.add(e);
    const problems: string[] = [];
    const note = (message: string) => () => problems.push(message);
    live.sink = {
      taskWaiting: note('出现了新的待办任务'),
      taskLeft: note('有待办任务离开'),
      callRequested: note('调用活动被重新发起'),
      callLeft: () => undefined,
      timerFired: note('定时器被触发'),
      serviceRequested: (_l, job) => problems.push(`服务任务“${job.elementId}”会被重新执行`),
      ended: note('实例会结束'),
      failed: (_l, error) => problems.push(error.message),
      messageWaiting: () => undefined,
      messageWaitLeft: () => undefined,
      messageThrown: note('会发送消息'),
    };
    try {
      await live.resume(structuredClone(state));
      const lost = openTaskExecutions.filter((e) => !live.waiting.has(e));
      if (lost.length) problems.push(`${lost.length} 个待办任务没有恢复`);
    } catch (err) {
      problems.push((err as Error).message);
    } finally {
      live.sink = null;
      await Promise.resolve(live.engine.stop()).catch(() => undefined);
    }
    return problems.length ? problems.join('；') : null;
  }
}

/** A refused choice names the form's field when the form wrote the chosen variable (`decision.returnTo` → `data.returnTo`). */
function choiceFieldOf(err: ChoiceRefusal, written: Record<string, unknown>): ChoiceRefusal {
  const [head, ...rest] = err.choice.variable.split('.') as [string, ...string[]];
  if (!(head in written)) return err;
  const field = rest.length ? `data.${rest.join('.')}` : `data.${head}`;
  const refusal = new ChoiceRefusal(err.message, err.choice, err.options);
  refusal.fields.splice(0, refusal.fields.length, ...err.fields.map((f) => ({ ...f, field })));
  return refusal;
}

/** What a migration run did with each instance. */
export interface MigrationResult {
  instanceId: string;
  status: 'migrated' | 'already' | 'refused' | 'failed';
  reason: string | null;
}

export interface MigrationProgress {
  total: number;
  migrated: number;
  already: number;
  refused: number;
  failed: number;
  results: MigrationResult[];
}

interface PostponedApi {
  id: string;
  executionId: string;
  discard(): void;
  /** a sub-process's API answers the postponed activities inside it (the sub-process itself among them) */
  getPostponed?(): PostponedApi[];
}

/** The postponed activity with this execution id, inside running embedded sub-processes too. */
function findPostponed(apis: PostponedApi[], executionId: string, depth = 0): PostponedApi | null {
  for (const api of apis) {
    if (api.executionId === executionId) return api;
    if (depth < 10 && api.getPostponed) {
      const inner = findPostponed(api.getPostponed().filter((a) => a.executionId !== api.executionId), executionId, depth + 1);
      if (inner) return inner;
    }
  }
  return null;
}

interface RunnableScope {
  getActivityById(id: string): (RunnableActivity & { execution?: { source?: { executions?: RunnableScope[] } } }) | null | undefined;
}
interface RunnableActivity {
  run(): void;
}

/**
 * The activity to start for a move, in the running scope it belongs to: the process itself, or the
 * running embedded sub-process (nested ones included) the failed step runs in. Null when the target
 * lies in another scope than the failed step (a token there would have no sub-process to run in),
 * or the sub-process runs several times at once (multi-instance: which one is not ours to guess).
 */
function activityToMoveTo(process: RunnableScope, parents: ReadonlyMap<string, string | null>, failedId: string, targetId: string): RunnableActivity | null {
  const scopeOf = (id: string) => parents.get(id) ?? null;
  if (scopeOf(failedId) !== scopeOf(targetId)) return null;
  const chain: string[] = [];
  for (let p = scopeOf(targetId); p !== null; p = scopeOf(p)) chain.unshift(p);
  let scope: RunnableScope | undefined = process;
  for (const subId of chain) {
    const executions: RunnableScope[] = scope?.getActivityById(subId)?.execution?.source?.executions ?? [];
    if (executions.length !== 1) return null;
    scope = executions[0];
  }
  return scope?.getActivityById(targetId) ?? null;
}

const MOVE_TARGET_TYPES = new Set(['bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:ExclusiveGateway']);

/** The elements of a version an instance may be moved to (what the engine runs: pure joins are left out). */
function moveTargetsOf(definition: LoadedDefinition): TargetElement[] {
  return [...activitiesOf(definition.sourceContext).values()]
    .filter((t) => MOVE_TARGET_TYPES.has(t.type))
    .map((t) => ({ ...t, name: definition.record.meta.elementNames[t.id] ?? t.name }));
}

export function createEngine(options: EngineOptions): WorkflowEngine {
  return new WorkflowEngine(options);
}

/** PostgreSQL aborted the step to break a deadlock or a serialization conflict (deadlock_detected, serialization_failure). */
function isLostRace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
