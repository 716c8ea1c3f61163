/**
 * The graph the engine runs, derived from the diagram as drawn. An exclusive gateway that only
 * joins — any number of flows in, one unconditional flow out — decides nothing: a token passes
 * through it as if the flows went on to its target. Diagrams drawn as the business have many of
 * them (every level of the dossier flow has two: where the dossier arrives from below or on a
 * return, and where its single review and its posts meet), and bpmn-elements builds message
 * brokers for each element and walks each with a full lifecycle. So the runtime context leaves
 * them out and points the flows into such a join at what follows it; the diagram, its element ids
 * and what the instance viewer shows are unchanged (the trail records the join and its outgoing
 * flow whenever a flow into it is taken).
 */

interface ModdleNode {
  $type: string;
  id?: string;
  default?: unknown;
  flowElements?: ModdleNode[];
  rootElements?: ModdleNode[];
  sourceRef?: ModdleNode;
  targetRef?: ModdleNode;
  conditionExpression?: unknown;
  [key: string]: unknown;
}

interface Reference {
  element: ModdleNode;
  property: string;
  id: string;
}

export interface ParsedContext {
  rootElement: unknown;
  references: Reference[];
  elementsById: Record<string, ModdleNode>;
}

/** For each flow into a left-out join: the join and the join's outgoing flow, which the trail records with it. */
export type ElidedJoins = ReadonlyMap<string, readonly string[]>;

const elided = new WeakMap<object, ElidedJoins>();

/** The joins left out of a runtime context (empty for a context built otherwise). */
export function elidedJoinsOf(sourceContext: object): ElidedJoins {
  return elided.get(sourceContext) ?? new Map();
}

export function rememberElidedJoins(sourceContext: object, joins: ElidedJoins): void {
  elided.set(sourceContext, joins);
}

/** Leaves pure joins out of a freshly parsed context (it is changed in place; parse a copy for anything else). */
export function elideJoins(parsed: ParsedContext): Map<string, string[]> {
  const trail = new Map<string, string[]>();
  const root = parsed.rootElement as ModdleNode;
  const containers: ModdleNode[] = [];
  const collect = (container: ModdleNode) => {
    containers.push(container);
    for (const el of container.flowElements ?? []) if (el.flowElements) collect(el);
  };
  for (const p of root.rootElements ?? []) if (p.$type === 'bpmn:Process') collect(p);

  for (const container of containers) {
    const flows = (container.flowElements ?? []).filter((e) => e.$type === 'bpmn:SequenceFlow');
    for (const gateway of [...(container.flowElements ?? [])]) {
      if (gateway.$type !== 'bpmn:ExclusiveGateway' || !gateway.id || gateway.default || gateway.choice) continue;
      const incoming = flows.filter((f) => f.targetRef === gateway);
      const outgoing = flows.filter((f) => f.sourceRef === gateway);
      const out = outgoing[0];
      if (outgoing.length !== 1 || !out?.id || out.conditionExpression || !incoming.length) continue;
      const target = out.targetRef;
      if (!target?.id || target === gateway) continue;
      // a flow into the join now goes where the join's flow went
      for (const flow of incoming) {
        flow.targetRef = target;
        const before = trail.get(flow.id as string) ?? [];
        trail.set(flow.id as string, [...before, gateway.id, out.id]);
      }
      for (const r of parsed.references) {
        if (r.property === 'bpmn:targetRef' && r.id === gateway.id) r.id = target.id;
      }
      parsed.references = parsed.references.filter((r) => r.element !== out && r.element !== gateway && !(r.id === out.id && (r.property === 'bpmn:incoming' || r.property === 'bpmn:outgoing')));
      container.flowElements = (container.flowElements ?? []).filter((e) => e !== gateway && e !== out);
      flows.splice(flows.indexOf(out), 1);
      delete parsed.elementsById[gateway.id];
      delete parsed.elementsById[out.id];
    }
  }
  return trail;
}
