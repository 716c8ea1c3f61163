import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { moddleOptions, type SourceContext } from './compile.ts';
import { createFeelExpressions, dataVariables } from './expressions.ts';
import { createDurableTimers, fireTimer, liveTimers, type DurableTimers, type LiveTimer } from './timers.ts';
import type { MessageElementMeta, ProcessDefinitionRecord } from './types.ts';
import { elidedJoinsOf, type ElidedJoins } from './runtime-graph.ts';

/** A deployed version with its runtime context, cached per definition id. */
export interface LoadedDefinition {
  record: ProcessDefinitionRecord;
  sourceContext: SourceContext;
}

export interface ServiceJob {
  elementId: string;
  executionId: string;
  handler: string;
  complete(output: Record<string, unknown>): void;
}

export interface WaitInfo {
  elementId: string;
  executionId: string;
  /** loop item and index of a multi-instance iteration */
  content: Record<string, unknown>;
}

/** Receives what an instance does while a step runs on it. */
export interface StepSink {
  taskWaiting(live: LiveInstance, wait: WaitInfo): void;
  taskLeft(live: LiveInstance, elementId: string, executionId: string): void;
  callRequested(live: LiveInstance, wait: WaitInfo & { calledElement: string }): void;
  callLeft(live: LiveInstance, elementId: string, executionId: string): void;
  timerFired(live: LiveInstance, elementId: string, executionId: string): void;
  serviceRequested(live: LiveInstance, job: ServiceJob): void;
  ended(live: LiveInstance): void;
  failed(live: LiveInstance, error: Error, elementId?: string): void;
  /** a message catch event, receive task or message start event waits */
  messageWaiting(live: LiveInstance, wait: WaitInfo): void;
  /** it stopped waiting: caught, discarded (another way out of an event-based gateway), ended with its instance */
  messageWaitLeft(live: LiveInstance, elementId: string, executionId: string): void;
  /** a throw event, message end event or send task (one iteration of a multi-instance one) posts a message */
  messageThrown(live: LiveInstance, thrown: ThrownMessage): void;
}

export interface ThrownMessage {
  elementId: string;
  executionId: string;
  /** the loop item and index of a multi-instance send task's iteration */
  content: Record<string, unknown>;
}

const expressions = createFeelExpressions();

// Diagrams never run scripts: this handler knows no language.
const noScripts = {
  register() {
    return undefined;
  },
  getScript() {
    return undefined;
  },
};

const silentLogger = () => ({ debug() {}, error() {}, warn() {} });

interface ElementApi {
  id: string;
  type: string;
  executionId: string;
  content: Record<string, unknown> & { isRecovered?: boolean; calledElement?: string; parent?: { id?: string } };
}

export interface InstanceIdentity {
  id: string;
  rootId: string;
  parentId: string | null;
  parentExecutionId: string | null;
  parentElementId: string | null;
  /** the calling steps from the case's flow down, as `process:element` */
  callPath: string[];
  businessKey: string | null;
  startedBy: number | null;
  startedAt: Date;
}

/**
 * One process instance held in memory: a bpmn-engine Engine with durable timers and the
 * listeners that report to the step currently running on it. Kept in the instance cache between
 * steps, guarded by `version` (the database row version this state corresponds to).
 */
export class LiveInstance {
  readonly id: string;
  readonly rootId: string;
  readonly parentId: string | null;
  readonly parentExecutionId: string | null;
  readonly parentElementId: string | null;
  readonly callPath: string[];
  readonly businessKey: string | null;
  readonly startedBy: number | null;
  readonly startedAt: Date;
  readonly definition: LoadedDefinition;
  readonly timers: DurableTimers;
  readonly engine: Engine;
  version = 0;
  isNew = false;
  ended = false;
  sink: StepSink | null = null;
  /** user-task executions the engine waits on */
  readonly waiting = new Set<string>();
  /** service executions parked by an open incident; they run again only on an explicit retry */
  readonly parkedServices = new Set<string>();
  readonly retrying = new Set<string>();
  /** timer executions that have rows in the database */
  knownTimers = new Set<string>();
  /** executions of message catches waiting (their subscription rows exist or are written by this step) */
  readonly messageWaits = new Map<string, { elementId: string; signalId: string }>();
  private readonly thrownExecutions = new Set<string>();
  private readonly messageElements: ReadonlyMap<string, MessageElementMeta>;
  readonly trail: string[] = [];
  private readonly trailSet = new Set<string>();
  private readonly listener = new EventEmitter();
  private lastEnv: { variables: Record<string, unknown> } | null = null;
  private summaryKey: string | null = null;
  private summaryValue: unknown = null;
  private readonly elided: ElidedJoins;

  constructor(identity: InstanceIdentity, definition: LoadedDefinition, trail: string[] = []) {
    this.id = identity.id;
    this.rootId = identity.rootId;
    this.parentId = identity.parentId;
    this.parentExecutionId = identity.parentExecutionId;
    this.parentElementId = identity.parentElementId;
    this.callPath = identity.callPath;
    this.businessKey = identity.businessKey;
    this.startedBy = identity.startedBy;
    this.startedAt = identity.startedAt;
    this.definition = definition;
    this.elided = elidedJoinsOf(definition.sourceContext);
    this.messageElements = new Map((definition.record.meta.messages ?? []).map((m) => [m.id, m]));
    for (const step of trail) this.addTrail(step);
    this.timers = createDurableTimers();
    this.engine = new Engine({
      name: `${definition.record.key}:${identity.id}`,
      sourceContext: definition.sourceContext,
      // only running elements are kept in the state: smaller rows, same behaviour
      settings: { disableTrackState: true },
      moddleOptions,
      Logger: silentLogger,
      timers: this.timers,
      expressions,
      scripts: noScripts,
      extensions: { zcps: (activity: { type: string; id: string; behaviour: Record<string, unknown> }) => this.extend(activity) },
    } as never);
    this.engine.on('end', () => {
      this.ended = true;
      this.sink?.ended(this);
    });
    this.engine.on('error', (err: Error & { source?: { content?: { id?: string } } }) => {
      this.sink?.failed(this, err, err.source?.content?.id);
    });
    this.wire();
  }

  get processKey(): string {
    return this.definition.record.key;
  }

  private extend(activity: { type: string; id: string; behaviour: Record<string, unknown> }) {
    if (activity.type === 'bpmn:SendTask') {
      // a send task posts its message (one per iteration of a multi-instance one) and goes on
      const post = (thrown: ThrownMessage) => this.throwMessage(thrown);
      activity.behaviour.Service = class ZcpsSend {
        execute(message: { content: Record<string, unknown> & { executionId: string } }, callback: (err: Error | null, output?: unknown) => void) {
          post({ elementId: activity.id, executionId: message.content.executionId, content: message.content });
          callback(null, {});
        }
      };
      return undefined;
    }
    if (activity.type !== 'bpmn:ServiceTask') return undefined;
    const handler = activity.behaviour.handler;
    if (typeof handler !== 'string' || !handler) return undefined;
    // bpmn-elements builds `new Service(activity, message)` when the task executes
    const reportTo = (job: Omit<ServiceJob, 'handler'>) => this.requestService(activity.id, job, handler);
    activity.behaviour.Service = class ZcpsService {
      execute(message: { content: { executionId: string } }, callback: (err: Error | null, output?: unknown) => void) {
        reportTo({ elementId: activity.id, executionId: message.content.executionId, complete: (output) => callback(null, output) });
      }
    };
    return undefined;
  }

  private requestService(elementId: string, job: Omit<ServiceJob, 'handler'>, handler: string) {
    // a service parked by an open incident runs again only when an administrator retries it
    if (this.parkedServices.has(job.executionId) && !this.retrying.has(job.executionId)) return;
    if (!this.sink) throw new Error(`服务任务 ${elementId} 在步骤之外被执行`);
    this.sink.serviceRequested(this, { ...job, handler });
  }

  private throwMessage(thrown: ThrownMessage) {
    if (this.thrownExecutions.has(thrown.executionId)) return;
    this.thrownExecutions.add(thrown.executionId);
    if (!this.sink) throw new Error(`消息 ${thrown.elementId} 在步骤之外发送`);
    this.sink.messageThrown(this, thrown);
  }

  /** Forgets the throws of the last step (an execution id is thrown once within a step). */
  clearThrown(): void {
    this.thrownExecutions.clear();
  }

  private wire() {
    const l = this.listener;
    l.on('wait', (api: ElementApi & { environment?: { variables: Record<string, unknown> } }) => {
      if (api.environment) this.lastEnv = api.environment;
      const message = this.messageElements.get(api.id);
      if (message && (message.kind === 'catch' || message.kind === 'receive' || message.kind === 'start')) {
        // a receive task is signalled by its own id; a message event definition listens for its bpmn:message's id
        const messageId = (api.content.message as { id?: unknown } | undefined)?.id;
        const signalId = message.kind === 'receive' || typeof messageId !== 'string' ? api.id : messageId;
        this.messageWaits.set(api.executionId, { elementId: api.id, signalId });
        if (!api.content.isRecovered) this.sink?.messageWaiting(this, { elementId: api.id, executionId: api.executionId, content: api.content });
        return;
      }
      if (api.type !== 'bpmn:UserTask') return;
      this.waiting.add(api.executionId);
      if (api.content.isRecovered) return;
      this.sink?.taskWaiting(this, { elementId: api.id, executionId: api.executionId, content: api.content });
    });
    l.on('activity.call', (api: ElementApi) => {
      if (api.content.isRecovered) return;
      this.sink?.callRequested(this, {
        elementId: api.id,
        executionId: api.executionId,
        content: api.content,
        calledElement: String(api.content.calledElement ?? ''),
      });
    });
    l.on('activity.message', (api: ElementApi) => {
      const message = this.messageElements.get(api.id);
      if (message && (message.kind === 'throw' || message.kind === 'end')) this.throwMessage({ elementId: api.id, executionId: api.executionId, content: {} });
    });
    l.on('activity.timeout', (api: ElementApi) => {
      this.sink?.timerFired(this, api.id, api.executionId);
    });
    l.on('activity.end', (api: ElementApi & { environment?: { variables: Record<string, unknown> } }) => {
      if (api.environment) this.lastEnv = api.environment;
      this.addTrail(api.id);
    });
    l.on('flow.take', (api: { id: string }) => {
      this.addTrail(api.id);
      // the joins the runtime graph leaves out were passed too: the viewer shows them taken
      for (const step of this.elided.get(api.id) ?? []) this.addTrail(step);
    });
    l.on('activity.leave', (api: ElementApi) => {
      if (this.messageWaits.has(api.executionId)) {
        this.messageWaits.delete(api.executionId);
        this.sink?.messageWaitLeft(this, api.id, api.executionId);
      }
      if (api.type === 'bpmn:UserTask') {
        for (const executionId of [...this.waiting]) {
          if (executionId === api.executionId || executionId.startsWith(`${api.executionId}_`)) this.waiting.delete(executionId);
        }
        this.sink?.taskLeft(this, api.id, api.executionId);
      } else if (api.type === 'bpmn:CallActivity') {
        this.sink?.callLeft(this, api.id, api.executionId);
      }
    });
  }

  private addTrail(id: string) {
    if (this.trailSet.has(id)) return;
    this.trailSet.add(id);
    this.trail.push(id);
  }

  async start(variables: Record<string, unknown>): Promise<void> {
    await this.engine.execute({ listener: this.listener, variables } as never);
  }

  async resume(state: unknown): Promise<void> {
    this.engine.recover(state as never);
    await this.engine.resume({ listener: this.listener } as never);
  }

  /** The main process' environment; variables live there. */
  private env(): { variables: Record<string, unknown> } | null {
    const definition = this.engine.execution?.definitions?.[0];
    const running = definition?.getRunningProcesses?.() ?? [];
    const main = running.find((p) => p.id === this.processKey) ?? running[0];
    if (main) return main.environment as unknown as { variables: Record<string, unknown> };
    const all = definition?.getProcesses?.() ?? [];
    const proc = all.find((p) => p.id === this.processKey);
    if (proc) return proc.environment as unknown as { variables: Record<string, unknown> };
    return this.lastEnv;
  }

  variables(): Record<string, unknown> {
    return dataVariables(this.env()?.variables);
  }

  setVariables(values: Record<string, unknown>): void {
    const env = this.env();
    if (!env) throw new Error(`实例 ${this.id} 没有运行中的流程，无法写入变量`);
    Object.assign(env.variables, values);
  }

  signal(elementId: string, executionId: string, output?: Record<string, unknown>): void {
    this.waiting.delete(executionId);
    this.engine.execution.signal({ id: elementId, executionId, ...(output ? { output } : {}) } as never);
  }

  /** Hands a delivered message's payload to a waiting catch; false when it no longer waits. */
  receiveMessage(executionId: string, payload: Record<string, unknown>): boolean {
    const wait = this.messageWaits.get(executionId);
    if (!wait) return false;
    this.engine.execution.signal({ ...payload, id: wait.signalId, executionId } as never);
    return true;
  }

  fireTimer(executionId: string): boolean {
    return fireTimer(this.timers, executionId);
  }

  liveTimers(): LiveTimer[] {
    return liveTimers(this.timers);
  }

  /**
   * Serializable state, shaped as bpmn-engine's getState() but without the diagram source
   * (which getState() re-serializes on every call; we rebuild it from the stored version).
   */
  state(): unknown {
    const execution = this.engine.execution as unknown as {
      state: string;
      stopped: boolean;
      environment: { getState(): unknown };
      definitions: Array<{ getState(): unknown }>;
    };
    return {
      name: this.engine.name,
      state: execution.state,
      stopped: execution.stopped,
      environment: execution.environment.getState(),
      definitions: execution.definitions.map((d) => d.getState()),
    };
  }

  /** Summary (zcps:summary) of the current variables, re-evaluated only when its inputs change. */
  summary(evaluate: (expression: string, variables: Record<string, unknown>) => unknown, pick: (expression: string, variables: Record<string, unknown>) => Record<string, unknown>): unknown {
    const expression = this.definition.record.meta.summary;
    if (!expression) return null;
    const variables = this.variables();
    const key = JSON.stringify(pick(expression, variables));
    if (key !== this.summaryKey) {
      this.summaryValue = evaluate(expression, variables);
      this.summaryKey = key;
    }
    return this.summaryValue;
  }
}
