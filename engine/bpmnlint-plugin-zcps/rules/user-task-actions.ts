import { isChecked, list, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

const ACTION_PATTERN = /^[a-z][a-z_]*$/;

/** Actions become the `action` variable conditions test, and the buttons' keys. */
export default function userTaskActions(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:UserTask' || !isChecked(node)) return;
      for (const action of list(zcps(node, 'actions'))) {
        if (!ACTION_PATTERN.test(action)) reporter.report(node.id, `办理动作“${action}”不合法（只能用小写字母和下划线）`);
      }
    },
  };
}
