import { isFeel } from '../feel.ts';
import { isChecked, isIsoInterval, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** A literal due date is an ISO 8601 duration (`P3D`: 3 working days) or an amount in words (`3 自然日`, `12 小时`). */
export default function userTaskDue(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:UserTask' || !isChecked(node)) return;
      const dueDate = str(zcps(node, 'dueDate'));
      if (dueDate && !isFeel(dueDate) && !isIsoInterval(dueDate) && !/^\d{1,4}\s*(工作日|自然日|小时)$/.test(dueDate.trim())) {
        reporter.report(node.id, `期限“${dueDate}”不是有效的期限：应为 ISO 8601 时长（P3D 即 3 个工作日）、“3 自然日”“12 小时”这样的数值和单位，或 FEEL 表达式`);
      }
    },
  };
}
