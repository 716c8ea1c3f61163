import { ISOInterval } from '@0dep/piso';
import { isFeel } from './feel.ts';

/** A moddle element as bpmnlint hands it to a rule; only what the rules read is typed. */
export interface ModdleNode {
  $type: string;
  $parent?: ModdleNode;
  id?: string;
  name?: string;
  get?(name: string): unknown;
  [key: string]: unknown;
}

export interface Reporter {
  report(id: string | undefined, message: string, path?: unknown): void;
}

/** A bpmnlint rule: `check` is called for every element of the diagram. */
export interface Rule {
  meta?: unknown;
  check: ((node: ModdleNode, reporter: Reporter) => boolean | void) | { enter?: (node: ModdleNode, reporter: Reporter) => boolean | void; leave?: (node: ModdleNode, reporter: Reporter) => void };
}

export type RuleFactory = (config?: never) => Rule;

export const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

const SUPPORTED_FLOW_NODES = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:IntermediateCatchEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:BoundaryEvent',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:CallActivity',
  'bpmn:SendTask',
  'bpmn:ReceiveTask',
  'bpmn:SubProcess',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:SequenceFlow',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

export const UNSUPPORTED_REASONS: Record<string, string> = {
  'bpmn:ScriptTask': '不支持脚本任务：流程图不能执行脚本，请改用服务任务（zcps:handler）',
  'bpmn:BusinessRuleTask': '暂不支持业务规则任务',
  'bpmn:ComplexGateway': '不支持复杂网关',
  'bpmn:Transaction': '暂不支持事务子流程',
  'bpmn:AdHocSubProcess': '暂不支持自由子流程',
};

export const SUPPORTED_EVENT_DEFINITIONS = new Set(['bpmn:TimerEventDefinition', 'bpmn:ErrorEventDefinition', 'bpmn:TerminateEventDefinition', 'bpmn:MessageEventDefinition']);

/** The message an event, receive task or send task names (its bpmn:message), or undefined when it is no message element. */
export function messageOf(node: ModdleNode): { ref: ModdleNode | null } | undefined {
  if (node.$type === 'bpmn:ReceiveTask' || node.$type === 'bpmn:SendTask') return { ref: (node.messageRef as ModdleNode | undefined) ?? null };
  const definition = ((node.eventDefinitions as ModdleNode[] | undefined) ?? []).find((d) => d.$type === 'bpmn:MessageEventDefinition');
  return definition ? { ref: (definition.messageRef as ModdleNode | undefined) ?? null } : undefined;
}

/** Whether a message element receives (a catch, boundary or start event, a receive task) rather than sends. */
export function receivesMessage(node: ModdleNode): boolean {
  return ['bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent', 'bpmn:StartEvent', 'bpmn:ReceiveTask'].includes(node.$type);
}

/** A `zcps:` attribute; the editor's and the server's moddle both answer `get('zcps:…')`. */
export function zcps(node: ModdleNode, name: string): unknown {
  return typeof node.get === 'function' ? node.get(`zcps:${name}`) : node[name];
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function list(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The string literals of a FEEL form key (`=if formKey = null then "review" else formKey`): forms it may name. */
export function formKeyLiterals(expression: string): string[] {
  return [...expression.matchAll(/"([^"\\]*)"/g)].map((m) => m[1] as string).filter((k) => KEY_PATTERN.test(k));
}

/** Whether a literal parses as an ISO 8601 duration, repeating interval or interval. */
export function isIsoInterval(text: string): boolean {
  try {
    new ISOInterval(text).parse();
    return true;
  } catch {
    return false;
  }
}

export const processesOf = (definitions: ModdleNode): ModdleNode[] =>
  ((definitions.rootElements as ModdleNode[] | undefined) ?? []).filter((e) => e.$type === 'bpmn:Process');

/** The process a deploy stores: the first executable one of the file. */
export function mainProcess(definitions: ModdleNode): ModdleNode | undefined {
  return processesOf(definitions).find((p) => p.isExecutable === true);
}

export function definitionsOf(node: ModdleNode): ModdleNode | undefined {
  let current: ModdleNode | undefined = node;
  while (current && current.$type !== 'bpmn:Definitions') current = current.$parent;
  return current;
}

function callActivitiesIn(container: ModdleNode, found: ModdleNode[] = []): ModdleNode[] {
  for (const el of (container.flowElements as ModdleNode[] | undefined) ?? []) {
    if (el.$type === 'bpmn:CallActivity') found.push(el);
    if (el.flowElements) callActivitiesIn(el, found);
  }
  return found;
}

/**
 * Whether deploy checks this flow element: it belongs to the main process (through sub-processes,
 * not through the unsupported kinds), or to a non-executable process of the same file that a
 * checked call activity calls, which then runs inside the same instance.
 */
export function isChecked(node: ModdleNode, seen: Set<ModdleNode> = new Set()): boolean {
  const parent = node.$parent;
  if (!parent || !((parent.flowElements as ModdleNode[] | undefined) ?? []).includes(node)) return false;
  if (parent.$type === 'bpmn:SubProcess') return isChecked(parent, seen);
  if (parent.$type !== 'bpmn:Process' || !parent.$parent) return false;
  const definitions = parent.$parent;
  if (parent === mainProcess(definitions)) return true;
  if (parent.isExecutable === true || seen.has(parent)) return false;
  seen.add(parent);
  return processesOf(definitions)
    .flatMap((p) => callActivitiesIn(p))
    .some((call) => str(call.calledElement) === parent.id && isChecked(call, seen));
}

/** A checked flow element of a kind the engine runs (unsupported ones get only `unsupported-element`). */
export function isCheckedSupported(node: ModdleNode): boolean {
  return SUPPORTED_FLOW_NODES.has(node.$type) && isChecked(node);
}

export function isSupportedFlowNode(type: string): boolean {
  return SUPPORTED_FLOW_NODES.has(type);
}

/**
 * An expression deploy checks. `literalAllowed`: a literal is fine (it is not FEEL), but one in
 * another expression language (`${…}`, `#{…}`) is refused; otherwise only FEEL text reaches the
 * FEEL check and the owning rule judges the rest.
 */
export interface CheckedExpression {
  attr: string;
  value: unknown;
  literalAllowed: boolean;
}

const TIMER_KINDS = ['timeDuration', 'timeDate', 'timeCycle'] as const;

/** The timer values of an event: each present kind with its trimmed text. */
export function timerValues(definition: ModdleNode): Array<{ kind: (typeof TIMER_KINDS)[number]; body: string }> {
  return TIMER_KINDS.filter((kind) => definition[kind]).map((kind) => {
    const body = (definition[kind] as ModdleNode).body;
    return { kind, body: typeof body === 'string' ? body.trim() : '' };
  });
}

/** Every expression of an element that the `feel` and `expression-language` rules check. */
export function expressionsOf(node: ModdleNode): CheckedExpression[] {
  const out: CheckedExpression[] = [];
  const value = (attr: string, v: unknown) => out.push({ attr, value: v, literalAllowed: true });
  const feel = (attr: string, v: unknown) => out.push({ attr, value: v, literalAllowed: false });

  if (node.$type === 'bpmn:Process') {
    const definitions = node.$parent;
    if (definitions && node === mainProcess(definitions)) value('zcps:summary', str(zcps(node, 'summary')));
    return out;
  }
  if (!isCheckedSupported(node)) return out;

  for (const definition of (node.eventDefinitions as ModdleNode[] | undefined) ?? []) {
    if (definition.$type !== 'bpmn:TimerEventDefinition') continue;
    for (const { kind, body } of timerValues(definition)) {
      if (isFeel(body)) feel(kind, body);
      else if (body.includes('${')) value(kind, body);
    }
  }
  const loop = node.loopCharacteristics as ModdleNode | undefined;
  if (loop) {
    value('collection', zcps(loop, 'collection'));
    const completion = loop.completionCondition as ModdleNode | undefined;
    if (completion) value('completionCondition', completion.body);
    const cardinality = loop.loopCardinality as ModdleNode | undefined;
    if (cardinality) value('loopCardinality', cardinality.body);
  }

  switch (node.$type) {
    case 'bpmn:SequenceFlow': {
      const condition = node.conditionExpression as ModdleNode | undefined;
      const body = typeof condition?.body === 'string' ? condition.body.trim() : '';
      if (condition && !condition.language && isFeel(body)) feel('conditionExpression', body);
      break;
    }
    case 'bpmn:UserTask': {
      const formKey = str(zcps(node, 'formKey'));
      if (isFeel(formKey)) value('formKey', formKey);
      for (const attr of ['taskName', 'candidateRoles', 'candidateUnit', 'candidateUsers', 'assignee', 'dueDate']) value(attr, str(zcps(node, attr)));
      break;
    }
    case 'bpmn:ServiceTask':
      value('inputs', str(zcps(node, 'inputs')));
      break;
    case 'bpmn:CallActivity':
      value('inputs', str(zcps(node, 'inputs')));
      value('outputs', str(zcps(node, 'outputs')));
      break;
    default:
      if (messageOf(node)) for (const attr of ['correlationKey', 'payload', 'timeToLive']) value(attr, str(zcps(node, attr)));
      break;
  }
  return out;
}

/** Whether a value is written in another expression language (JUEL, Camunda's `#{…}`). */
export function isForeignExpression(value: unknown): value is string {
  return typeof value === 'string' && (value.includes('${') || value.includes('#{'));
}
