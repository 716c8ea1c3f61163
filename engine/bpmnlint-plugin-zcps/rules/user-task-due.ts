import { isFeel } from '../feel.ts';
import { isChecked, isIsoInterval, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** A literal due date is an ISO 8601 duration the scheduler adds to the task's creation. */
export default function userTaskDue(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:UserTask' || !isChecked(node)) return;
      const dueDate = str(zcps(node, 'dueDate'));
      if (dueDate && !isFeel(dueDate) && !isIsoInterval(dueDate)) {
        reporter.report(node.id, `期限“${dueDate}”不是有效的 ISO 8601 时长（如 P3D）或 FEEL 表达式`);
      }
    },
  };
}
