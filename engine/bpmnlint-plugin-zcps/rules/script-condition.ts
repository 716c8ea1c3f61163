import { isCheckedSupported, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** A condition with a `language` would be run as a script. */
export default function scriptCondition(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      const condition = node.conditionExpression as ModdleNode | undefined;
      if (node.$type !== 'bpmn:SequenceFlow' || !condition?.language || !isCheckedSupported(node)) return;
      reporter.report(node.id, `条件表达式不能使用脚本语言（${String(condition.language)}），请使用 FEEL`);
    },
  };
}
