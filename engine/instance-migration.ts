import type { SourceContext } from './compile.ts';

/**
 * Migrating running instances from one version of a flow to another (迁移运行中实例): the pure
 * part — where each running element of a saved state would land, and the state rewritten to the
 * new version's element ids. The engine (`engine.ts`) reads and writes the rows.
 */

/** What an administrator asks for: old element id → new element id, for renamed elements. */
export type ElementMapping = Record<string, string>;

export interface MigrationInput {
  processKey: string;
  fromVersion: number;
  toVersion: number;
  /** manual mapping for renamed elements; an element not named maps to the element with its own id */
  mapping?: ElementMapping;
}

/** One element an instance is at (a waiting user task, a timer, a message catch, a call, a parked service…). */
export interface PlannedElement {
  elementId: string;
  elementName: string | null;
  type: string;
  targetId: string | null;
  targetName: string | null;
  targetType: string | null;
  ok: boolean;
  reason: string | null;
}

export interface PlannedInstance {
  instanceId: string;
  rootInstanceId: string;
  businessKey: string | null;
  /** ok: would migrate; refused: some element has no target (reason); migrated: already on the target version */
  status: 'ok' | 'refused' | 'migrated';
  reason: string | null;
  elements: PlannedElement[];
}

export interface TargetElement {
  id: string;
  name: string | null;
  type: string;
}

export interface MigrationPlan {
  processKey: string;
  fromVersion: number;
  toVersion: number;
  mapping: ElementMapping;
  /** elements of the target version an element may be mapped to (for the console's dropdown) */
  targets: TargetElement[];
  instances: PlannedInstance[];
  counts: { total: number; ok: number; refused: number; migrated: number };
}

interface StateChild {
  id: string;
  type: string;
  status?: string | null;
  execution?: { children?: StateChild[] };
}

/** A running element of a saved state; `parentId`: the embedded sub-process it runs in, null at the top. */
export interface RunningElement {
  id: string;
  type: string;
  parentId: string | null;
}

/** Elements of a saved state that are running (a token, a wait, a timer, a parked service), nested ones included. */
export function runningElements(state: unknown): RunningElement[] {
  const out: RunningElement[] = [];
  const visit = (children: StateChild[] | undefined, parentId: string | null) => {
    for (const child of children ?? []) {
      if (!child || typeof child !== 'object') continue;
      if (child.status) out.push({ id: child.id, type: child.type, parentId });
      visit(child.execution?.children, child.id);
    }
  };
  const definitions = (state as { definitions?: Array<{ execution?: { processes?: Array<{ execution?: { children?: StateChild[] } }> } }> } | null)?.definitions ?? [];
  for (const d of definitions) for (const p of d.execution?.processes ?? []) visit(p.execution?.children, null);
  return out;
}

/** The activities (events, tasks, gateways, sub-processes) of a runtime context, by id. */
export function activitiesOf(context: SourceContext): Map<string, TargetElement> {
  const out = new Map<string, TargetElement>();
  const api = context as unknown as { getActivities(): Array<{ id: string; type: string; name?: string | null }> };
  for (const a of api.getActivities()) out.set(a.id, { id: a.id, name: a.name ?? null, type: a.type });
  return out;
}

/** For each activity of a runtime context, the embedded sub-process it lies in (null: the process itself). */
export function parentsOf(context: SourceContext): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const api = context as unknown as { getActivities(): Array<{ id: string; parent?: { id?: string; type?: string } }> };
  for (const a of api.getActivities()) out.set(a.id, a.parent?.type === 'bpmn:SubProcess' ? (a.parent.id ?? null) : null);
  return out;
}

/** The `id` of the diagram's `<definitions>` element (bpmn-engine finds a saved definition's source by it). */
export function definitionsIdOf(xml: string): string | null {
  const match = /<(?:[\w-]+:)?definitions\b[^>]*?\sid="([^"]+)"/.exec(xml);
  return match?.[1] ?? null;
}

const GATEWAY_JOINS = new Set(['bpmn:ParallelGateway', 'bpmn:InclusiveGateway', 'bpmn:ComplexGateway']);

/** Where each running element of one instance lands on the target version, or why it cannot. */
export function planElements(
  running: Array<{ id: string; type: string; parentId?: string | null }>,
  mapping: ElementMapping,
  oldNames: Record<string, string>,
  targets: Map<string, TargetElement>,
  newNames: Record<string, string>,
  targetParents: ReadonlyMap<string, string | null> = new Map(),
): PlannedElement[] {
  const nameOf = (elementId: string) => newNames[elementId] ?? targets.get(elementId)?.name ?? elementId;
  return running.map(({ id, type, parentId = null }) => {
    const targetId = mapping[id] ?? id;
    const target = targets.get(targetId) ?? null;
    // an element inside an embedded sub-process lands inside the sub-process its own one lands on
    const expectedParent = parentId === null ? null : (mapping[parentId] ?? parentId);
    const targetParent = targetParents.get(targetId) ?? null;
    let reason: string | null = null;
    if (GATEWAY_JOINS.has(type)) reason = '实例正等在汇合网关，迁移会丢失已到达的分支';
    else if (!target) reason = mapping[id] ? `目标版本没有元素“${targetId}”` : `目标版本没有元素“${id}”，请指定对应的元素`;
    else if (target.type !== type) reason = `目标元素“${newNames[targetId] ?? targetId}”的类型（${typeLabel(target.type)}）与当前元素（${typeLabel(type)}）不同`;
    else if (expectedParent !== null && !targets.has(expectedParent)) reason = `所在的子流程“${oldNames[parentId ?? ''] ?? parentId}”在目标版本中没有对应的元素`;
    else if (targetParents.size && targetParent !== expectedParent) {
      reason = expectedParent === null
        ? `目标元素“${nameOf(targetId)}”在子流程“${nameOf(targetParent ?? '')}”中，当前元素不在子流程中`
        : `目标元素“${nameOf(targetId)}”不在子流程“${nameOf(expectedParent)}”中`;
    }
    return {
      elementId: id,
      elementName: oldNames[id] ?? null,
      type,
      targetId: target ? targetId : mapping[id] ?? null,
      targetName: target ? (newNames[targetId] ?? target.name ?? null) : null,
      targetType: target?.type ?? null,
      ok: reason === null,
      reason,
    };
  });
}

const TYPE_LABELS: Record<string, string> = {
  'bpmn:UserTask': '用户任务',
  'bpmn:ServiceTask': '服务任务',
  'bpmn:SendTask': '发送任务',
  'bpmn:ReceiveTask': '接收任务',
  'bpmn:CallActivity': '调用活动',
  'bpmn:SubProcess': '子流程',
  'bpmn:IntermediateCatchEvent': '中间捕获事件',
  'bpmn:BoundaryEvent': '边界事件',
  'bpmn:ExclusiveGateway': '排他网关',
  'bpmn:EventBasedGateway': '事件网关',
  'bpmn:ParallelGateway': '并行网关',
  'bpmn:InclusiveGateway': '包容网关',
  'bpmn:StartEvent': '开始事件',
  'bpmn:EndEvent': '结束事件',
};

export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type.replace(/^bpmn:/, '');
}

/** Keys whose values are element references in a bpmn-engine state (never inside variables or outputs). */
const REFERENCE_KEYS = new Set(['id', 'targetId', 'sourceId', 'attachedToId']);
const OPAQUE_KEYS = new Set(['environment', 'variables', 'output', 'result']);

/**
 * A saved state with every reference to a renamed element (and the `<definitions>` id) rewritten.
 * Execution ids stay as they are: task, timer, incident and subscription rows keep pointing at them.
 */
export function rewriteState(state: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (!renames.size) return state;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (OPAQUE_KEYS.has(k)) out[k] = v;
      else if (REFERENCE_KEYS.has(k) && typeof v === 'string') out[k] = renames.get(v) ?? v;
      else out[k] = walk(v);
    }
    return out;
  };
  const root = state as { environment?: unknown; definitions?: unknown[] };
  return { ...root, definitions: (root.definitions ?? []).map(walk) };
}
