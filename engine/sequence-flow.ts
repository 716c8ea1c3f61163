import { SequenceFlow } from 'bpmn-elements';

/**
 * bpmn-elements passes a "discard" down every untaken sequence flow, through everything behind
 * it, so that a parallel or inclusive join later on knows not to wait for that branch. Our review
 * flows have loops and no such joins: each decision walked the whole graph again (≈ 15 ms a
 * step). This flow only passes a discard on when a join that needs it can be reached; otherwise
 * it ends the dead path where bpmn-elements itself ends one that loops ("looped").
 */

interface FlowDef {
  targetId: string;
}

interface SerializedActivity {
  id: string;
  type: string;
  behaviour?: { attachedTo?: { id?: string } };
}

interface DefinitionContext {
  getActivityById(id: string): SerializedActivity | undefined;
  getActivities(scopeId?: string): SerializedActivity[];
  getOutboundSequenceFlows(activityId: string): FlowDef[];
  getInboundSequenceFlows(activityId: string): FlowDef[];
}

const JOIN_TYPES = new Set(['bpmn:InclusiveGateway', 'bpmn:ComplexGateway']);
const cache = new WeakMap<DefinitionContext, Map<string, boolean>>();
const attachments = new WeakMap<DefinitionContext, Map<string, string[]>>();

function boundaryEventsOf(ctx: DefinitionContext, activityId: string): string[] {
  let map = attachments.get(ctx);
  if (!map) {
    map = new Map();
    for (const activity of ctx.getActivities()) {
      const host = activity.behaviour?.attachedTo?.id;
      if (!host) continue;
      map.set(host, [...(map.get(host) ?? []), activity.id]);
    }
    attachments.set(ctx, map);
  }
  return map.get(activityId) ?? [];
}

/** Whether a discard reaching `targetId` can matter to some join downstream. */
export function joinReachable(ctx: DefinitionContext, targetId: string): boolean {
  let known = cache.get(ctx);
  if (!known) {
    known = new Map();
    cache.set(ctx, known);
  }
  const hit = known.get(targetId);
  if (hit !== undefined) return hit;
  const seen = new Set<string>();
  const queue = [targetId];
  let found = false;
  while (queue.length && !found) {
    const id = queue.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const activity = ctx.getActivityById(id);
    if (!activity) continue;
    if (JOIN_TYPES.has(activity.type)) found = true;
    else if (activity.type === 'bpmn:ParallelGateway' && ctx.getInboundSequenceFlows(id).length > 1) found = true;
    for (const flow of ctx.getOutboundSequenceFlows(id)) queue.push(flow.targetId);
    queue.push(...boundaryEventsOf(ctx, id));
  }
  known.set(targetId, found);
  return found;
}

type SequenceFlowInstance = InstanceType<typeof SequenceFlow> & {
  targetId: string;
  _publishEvent(state: string, content: unknown): void;
};

const kContext = Symbol('definitionContext');

export function ZcpsSequenceFlow(this: SequenceFlowInstance & { [kContext]: DefinitionContext }, flowDef: unknown, context: { definitionContext: DefinitionContext }) {
  (SequenceFlow as unknown as (this: unknown, def: unknown, ctx: unknown) => void).call(this, flowDef, context);
  this[kContext] = context.definitionContext;
}

ZcpsSequenceFlow.prototype = Object.create(SequenceFlow.prototype);
ZcpsSequenceFlow.prototype.constructor = ZcpsSequenceFlow;
ZcpsSequenceFlow.prototype.discard = function discard(this: SequenceFlowInstance & { [kContext]: DefinitionContext }, content: Record<string, unknown> = {}) {
  if (!joinReachable(this[kContext], this.targetId)) return this._publishEvent('looped', content);
  return (SequenceFlow.prototype as unknown as { discard(c: unknown): unknown }).discard.call(this, content);
};
