import { isChecked, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** Somebody must be able to do the task: an assignee, candidate users, or roles within a unit. */
export default function userTaskCandidates(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:UserTask' || !isChecked(node)) return;
      const roles = str(zcps(node, 'candidateRoles'));
      if (!str(zcps(node, 'assignee')) && !str(zcps(node, 'candidateUsers')) && !(roles && str(zcps(node, 'candidateUnit')))) {
        reporter.report(
          node.id,
          roles
            ? '设置了候选角色但缺少候选单位（zcps:candidateUnit）'
            : '用户任务未配置办理人：需设置 zcps:assignee、zcps:candidateUsers，或同时设置 zcps:candidateRoles 与 zcps:candidateUnit',
        );
      }
      const scope = str(zcps(node, 'candidateScope')) ?? 'unit';
      if (scope !== 'unit' && scope !== 'subtree') reporter.report(node.id, `zcps:candidateScope 只能是 unit 或 subtree，而不是“${scope}”`);
    },
  };
}
