import { KEY_PATTERN, mainProcess, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** The executable process's id is the flow's key in URLs, tables and call activities. */
export default function processKey(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:Process' || !node.$parent || node !== mainProcess(node.$parent)) return;
      const key = node.id ?? '';
      if (!KEY_PATTERN.test(key)) reporter.report(node.id, `流程标识“${key}”不合法：须以字母开头，只含字母、数字、下划线、点和短横线`);
    },
  };
}
