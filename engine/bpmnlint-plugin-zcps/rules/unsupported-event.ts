import { isCheckedSupported, SUPPORTED_EVENT_DEFINITIONS, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** Timer, error and terminate events only: messages and signals between flows are not wired up. */
export default function unsupportedEvent(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      const definitions = (node.eventDefinitions as ModdleNode[] | undefined) ?? [];
      if (!definitions.length || !isCheckedSupported(node)) return;
      for (const definition of definitions) {
        if (!SUPPORTED_EVENT_DEFINITIONS.has(definition.$type)) reporter.report(node.id, `暂不支持的事件类型 ${definition.$type.replace('bpmn:', '')}`);
      }
    },
  };
}
