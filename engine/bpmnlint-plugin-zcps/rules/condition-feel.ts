import { isFeel } from '../feel.ts';
import { isCheckedSupported, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** A condition is FEEL: a literal would be a non-empty string, always true. */
export default function conditionFeel(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      const condition = node.conditionExpression as ModdleNode | undefined;
      if (node.$type !== 'bpmn:SequenceFlow' || !condition || condition.language || !isCheckedSupported(node)) return;
      const body = typeof condition.body === 'string' ? condition.body.trim() : '';
      if (!isFeel(body)) reporter.report(node.id, `条件表达式“${body}”必须是以“=”开头的 FEEL 表达式`);
    },
  };
}
