import { createHash } from 'node:crypto';
import BpmnModdle from 'bpmn-moddle';
import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { Linter } from 'bpmnlint';
export { formKeyLiterals } from './bpmnlint-plugin-zcps/support.ts';
import { choiceValue, createLintConfig, problemRule } from 'bpmnlint-plugin-zcps';
import { zcpsModdle } from './moddle-extension.ts';
import { ZcpsSequenceFlow } from './sequence-flow.ts';
import { elideJoins, rememberElidedJoins, type ParsedContext } from './runtime-graph.ts';
import { DeployError, type DeployProblem } from './errors.ts';
import type { CallActivityMeta, ChoiceMeta, DefinitionMeta, MessageElementMeta, ReachMeta, ServiceTaskMeta, UserTaskMeta } from './types.ts';

/** A parsed moddle element; moddle objects are dynamic, so only what we read is typed. */
interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  [key: string]: unknown;
}

export type SourceContext = ReturnType<typeof Serializer>;

export interface CompiledDefinition {
  key: string;
  name: string;
  xml: string;
  contentHash: string;
  sourceContext: SourceContext;
  meta: DefinitionMeta;
  warnings: DeployProblem[];
}

export interface CompileOptions {
  /** names of registered service-task handlers; null skips the check */
  handlers: ReadonlySet<string> | null;
  /** known form keys; null skips the check */
  formKeys: ReadonlySet<string> | null;
  /** keys of deployed flows, which a call activity may call; null skips the check */
  deployedKeys: ReadonlySet<string> | null;
}

export const moddleOptions = { zcps: zcpsModdle };

const typeResolver = () => TypeResolver({ ...elements, SequenceFlow: ZcpsSequenceFlow } as never);

/**
 * The runtime context bpmn-engine runs from, with our element behaviours and without the pure
 * joins (`runtime-graph.ts`). It changes the parsed tree: give it a parse of its own.
 */
function serialize(parsed: unknown): SourceContext {
  const joins = elideJoins(parsed as ParsedContext);
  const context = Serializer(parsed as never, typeResolver());
  rememberElidedJoins(context, joins);
  return context;
}

const silentLogger = () => ({ debug() {}, error() {}, warn() {} });

export function contentHash(xml: string): string {
  return createHash('sha256').update(normalizeXml(xml)).digest('hex');
}

function normalizeXml(xml: string): string {
  return xml.replace(/\r\n?/g, '\n').trim();
}

function list(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * Parses a diagram, checks it with bpmnlint-plugin-zcps and by loading it into the engine, and
 * reads what the engine needs; throws DeployError listing every problem. Stores nothing.
 */
export async function compileDefinition(xml: string, options: CompileOptions): Promise<CompiledDefinition> {
  const problems: DeployProblem[] = [];
  const error = (elementId: string | null, rule: string, message: string) => problems.push({ elementId, rule, message, severity: 'error' });
  const warn = (elementId: string | null, rule: string, message: string) =>
    problems.push({ elementId, rule, message, severity: 'warning' });

  if (typeof xml !== 'string' || !xml.trim()) {
    throw new DeployError([{ elementId: null, rule: 'xml', message: '流程图内容为空', severity: 'error' }]);
  }
  const source = normalizeXml(xml);

  const moddle = new BpmnModdle(moddleOptions);
  let parsed: Awaited<ReturnType<typeof moddle.fromXML>>;
  try {
    parsed = await moddle.fromXML(source);
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? '';
    throw new DeployError([{ elementId: null, rule: 'xml', message: `无法解析 BPMN XML：${message}`, severity: 'error' }]);
  }
  const root = parsed.rootElement as unknown as ModdleElement;
  if (root.$type !== 'bpmn:Definitions') {
    throw new DeployError([{ elementId: null, rule: 'xml', message: '根元素不是 bpmn:definitions', severity: 'error' }]);
  }
  for (const w of (parsed.warnings ?? []) as Array<{ message: string; element?: ModdleElement; property?: string }>) {
    const elementId = w.element?.id ?? null;
    if (/unresolved reference/i.test(w.message)) {
      error(elementId, 'reference', `引用的元素不存在：${w.message}`);
    } else {
      warn(elementId, 'xml', `无法识别的内容已保留但不会执行：${w.message.split('\n')[0]}`);
    }
  }

  // serialize before linting: bpmnlint annotates the moddle tree, and an engine built from the
  // annotated tree stalls at its start event
  let sourceContext: SourceContext | null = null;
  try {
    sourceContext = serialize(await new BpmnModdle(moddleOptions).fromXML(source));
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown activity type (\S+)/.exec(message);
    error(null, 'engine-load', unknown ? `流程引擎不支持元素类型 ${unknown[1]}` : `流程引擎无法读取该流程图（${message}）`);
  }

  // every check of the diagram is a rule of bpmnlint-plugin-zcps, run here as the editor runs it
  const lintProblems: DeployProblem[] = [];
  try {
    const linter = new Linter(
      createLintConfig({
        handlers: options.handlers && [...options.handlers],
        formKeys: options.formKeys && [...options.formKeys],
        deployedKeys: options.deployedKeys && [...options.deployedKeys],
      }),
    );
    const results = await linter.lint(root);
    const byId = parsed.elementsById as Record<string, ModdleElement>;
    for (const [name, reports] of Object.entries(results)) {
      const rule = problemRule(name);
      // a zcps rule's problem names its element's type, as deploy's checks always have; bpmnlint's never did
      const typed = rule !== name;
      for (const report of reports) {
        const elementId = report.id ?? null;
        const elementType = typed && elementId ? byId[elementId]?.$type : undefined;
        if (report.category === 'rule-error') {
          lintProblems.push({ elementId, rule: 'lint', message: `规则 ${name} 检查失败：${report.message}`, severity: 'error' });
        } else if (report.category === 'error' || report.category === 'warn') {
          const severity = report.category === 'error' ? 'error' : 'warning';
          lintProblems.push({ elementId, rule, message: report.message, severity, ...(elementType ? { elementType } : {}) });
        }
      }
    }
    // in the order of the diagram, so a refusal reads from top to bottom
    const position = new Map(Object.keys(byId).map((id, i) => [id, i]));
    const at = (p: DeployProblem) => (p.elementId === null ? -1 : (position.get(p.elementId) ?? -1));
    lintProblems.sort((a, b) => at(a) - at(b));
  } catch (err) {
    lintProblems.push({ elementId: null, rule: 'lint', message: `规则检查失败：${(err as Error).message}`, severity: 'error' });
  }
  problems.push(...lintProblems);

  const rootElements = (root.rootElements as ModdleElement[] | undefined) ?? [];
  const processes = rootElements.filter((e) => e.$type === 'bpmn:Process');
  const processEl = processes.find((p) => p.isExecutable === true);
  if (!processEl) throw new DeployError(problems);
  const key = processEl.id ?? '';

  // who starts the flow and with which form (checked by zcps/process-starter and zcps/start-form)
  const starterRoles = list(processEl.starterRoles);
  const startedBy = str(processEl.startedBy);
  const blankStart = ((processEl.flowElements as ModdleElement[] | undefined) ?? []).find(
    (e) => e.$type === 'bpmn:StartEvent' && !((e.eventDefinitions as unknown[] | undefined)?.length),
  );
  const startFormKey = blankStart ? str(blankStart.formKey) : null;

  if (sourceContext && !problems.some((p) => p.severity === 'error')) {
    try {
      const engine = new Engine({ name: key, sourceContext, moddleOptions, Logger: silentLogger } as never);
      const [definition] = await engine.getDefinitions();
      const runnable = definition?.getExecutableProcesses() ?? [];
      if (runnable.length !== 1) error(processEl.id ?? null, 'engine-load', '流程引擎未能识别可执行流程');
      for (const bp of runnable) bp.getActivities();
    } catch (err) {
      error(null, 'engine-load', `流程引擎无法加载该流程图：${(err as Error).message}`);
    }
  }

  if (problems.some((p) => p.severity === 'error') || !sourceContext) throw new DeployError(problems);

  const meta: DefinitionMeta = {
    key,
    name: str(processEl.name) ?? key,
    starterRoles,
    systemStart: startedBy === 'system',
    startFormKey,
    summary: str(processEl.summary),
    ...readElements(processEl, processes),
  };
  return {
    key,
    name: meta.name,
    xml: source,
    contentHash: contentHash(source),
    sourceContext,
    meta,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

/** What the engine and the console read from the elements of a diagram that passed the checks. */
function readElements(processEl: ModdleElement, processes: ModdleElement[]): Pick<DefinitionMeta, 'userTasks' | 'serviceTasks' | 'callActivities' | 'choices' | 'elementNames' | 'messages'> {
  const userTasks: UserTaskMeta[] = [];
  const messages: MessageElementMeta[] = [];
  const serviceTasks: ServiceTaskMeta[] = [];
  const callActivities: CallActivityMeta[] = [];
  const choices: ChoiceMeta[] = [];
  const elementNames: Record<string, string> = {};

  const walk = (container: ModdleElement) => {
    for (const el of (container.flowElements as ModdleElement[] | undefined) ?? []) {
      const id = el.id ?? null;
      if (id && typeof el.name === 'string' && el.name.trim()) elementNames[id] = el.name.trim();
      const loop = el.loopCharacteristics as ModdleElement | undefined;
      const message = id ? messageElementOf(el, id) : null;
      if (message) messages.push({ ...message, loopVariable: loop ? (str(loop.elementVariable) ?? 'item') : null });
      switch (el.$type) {
        case 'bpmn:UserTask': {
          if (!id) break;
          const scope = str(el.candidateScope);
          const actions = list(el.actions);
          userTasks.push({
            id,
            name: str(el.name) ?? id,
            taskName: str(el.taskName),
            formKey: str(el.formKey),
            candidateRoles: str(el.candidateRoles),
            candidateUnit: str(el.candidateUnit),
            candidateScope: scope === 'subtree' ? 'subtree' : 'unit',
            candidateUsers: str(el.candidateUsers),
            assignee: str(el.assignee),
            dueDate: str(el.dueDate),
            actions: actions.length ? actions : ['complete'],
            multiInstance: Boolean(loop),
            loopVariable: loop ? (str(loop.elementVariable) ?? 'item') : null,
          });
          break;
        }
        case 'bpmn:ServiceTask': {
          const handler = str(el.handler);
          if (id && handler) serviceTasks.push({ id, name: str(el.name) ?? id, handler, inputs: str(el.inputs) });
          break;
        }
        case 'bpmn:CallActivity': {
          const called = str(el.calledElement);
          if (id && called)
            callActivities.push({
              id,
              name: str(el.name) ?? id,
              calledElement: called,
              inputs: str(el.inputs),
              resultVariable: str(el.resultVariable),
              outputs: str(el.outputs),
              ...(loop ? { loopVariable: str(loop.elementVariable) ?? 'item' } : {}),
            });
          break;
        }
        case 'bpmn:ExclusiveGateway': {
          const variable = str(el.choice);
          if (!id || !variable) break;
          const options = ((container.flowElements as ModdleElement[] | undefined) ?? [])
            .filter((f) => f.$type === 'bpmn:SequenceFlow' && f.sourceRef === el && f.id)
            .map((f) => {
              const condition = String((f.conditionExpression as ModdleElement | undefined)?.body ?? '').trim();
              return { flowId: f.id as string, value: choiceValue(variable, condition) ?? '', label: str(f.name) ?? '', condition };
            });
          choices.push({ id, name: str(el.name) ?? id, variable, options });
          break;
        }
        case 'bpmn:SubProcess':
          walk(el);
          break;
        default:
          break;
      }
    }
  };
  walk(processEl);
  for (const p of processes) {
    // called in-file processes run inside the same instance
    if (p !== processEl && p.id && p.isExecutable !== true && callActivities.some((c) => c.calledElement === p.id)) walk(p);
  }
  const reachOf = reachability(processEl, new Set(choices.map((c) => c.id)));
  for (const task of userTasks) task.reach = reachOf(task.id);
  for (const call of callActivities) call.reach = reachOf(call.id);
  return { userTasks, serviceTasks, callActivities, choices, elementNames, messages };
}

const MESSAGE_KINDS: Record<string, MessageElementMeta['kind']> = {
  'bpmn:IntermediateCatchEvent': 'catch',
  'bpmn:BoundaryEvent': 'catch',
  'bpmn:StartEvent': 'start',
  'bpmn:IntermediateThrowEvent': 'throw',
  'bpmn:EndEvent': 'end',
  'bpmn:ReceiveTask': 'receive',
  'bpmn:SendTask': 'send',
};

/** What a message event, receive task or send task declares (zcps/message checked it has a named message). */
function messageElementOf(el: ModdleElement, id: string): Omit<MessageElementMeta, 'loopVariable'> | null {
  const kind = MESSAGE_KINDS[el.$type];
  if (!kind) return null;
  let ref: ModdleElement | undefined;
  if (kind === 'receive' || kind === 'send') ref = el.messageRef as ModdleElement | undefined;
  else {
    const definition = ((el.eventDefinitions as ModdleElement[] | undefined) ?? []).find((d) => d.$type === 'bpmn:MessageEventDefinition');
    if (!definition) return null;
    ref = definition.messageRef as ModdleElement | undefined;
  }
  const messageName = str(ref?.name);
  if (!messageName) return null;
  return {
    id,
    name: str(el.name) ?? id,
    kind,
    messageName,
    correlationKey: str(el.correlationKey),
    payload: str(el.payload),
    timeToLive: str(el.timeToLive),
  };
}

/**
 * For each element, where its way out leads through gateways alone: the choice gateways on the
 * way (their options are what the person completing it may choose) and whether the process ends.
 */
function reachability(processEl: ModdleElement, choiceIds: ReadonlySet<string>): (id: string) => ReachMeta {
  const byId = new Map<string, ModdleElement>();
  const out = new Map<string, string[]>();
  const collect = (container: ModdleElement) => {
    for (const el of (container.flowElements as ModdleElement[] | undefined) ?? []) {
      if (el.id) byId.set(el.id, el);
      if (el.$type === 'bpmn:SubProcess') collect(el);
      const from = (el.sourceRef as ModdleElement | undefined)?.id;
      const to = (el.targetRef as ModdleElement | undefined)?.id;
      if (el.$type === 'bpmn:SequenceFlow' && from && to) out.set(from, [...(out.get(from) ?? []), to]);
    }
  };
  collect(processEl);
  return (id) => {
    const reach: ReachMeta = { choices: [], end: false };
    const seen = new Set<string>();
    const queue = [...(out.get(id) ?? [])];
    while (queue.length) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      const el = byId.get(next);
      if (!el) continue;
      if (el.$type === 'bpmn:EndEvent') reach.end = true;
      if (!el.$type.endsWith('Gateway')) continue;
      if (choiceIds.has(next)) reach.choices.push(next);
      queue.push(...(out.get(next) ?? []));
    }
    return reach;
  };
}

/** Rebuilds the runtime context of a stored version (cheap compared with a full compile). */
export async function loadSourceContext(xml: string): Promise<SourceContext> {
  const moddle = new BpmnModdle(moddleOptions);
  const parsed = await moddle.fromXML(normalizeXml(xml));
  return serialize(parsed);
}
