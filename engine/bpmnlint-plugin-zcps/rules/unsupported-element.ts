import { isChecked, isSupportedFlowNode, UNSUPPORTED_REASONS, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** Only the elements the engine runs; a script task in particular would run code from a diagram. */
export default function unsupportedElement(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (isSupportedFlowNode(node.$type) || !isChecked(node)) return;
      reporter.report(node.id, UNSUPPORTED_REASONS[node.$type] ?? `不支持的元素类型 ${node.$type}`);
    },
  };
}
