import { isChecked, str, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** The name is what an inbox shows. */
export default function userTaskName(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:UserTask' || !isChecked(node)) return;
      if (!str(node.name)) reporter.report(node.id, '用户任务必须有名称（显示在待办事项中）');
    },
  };
}
