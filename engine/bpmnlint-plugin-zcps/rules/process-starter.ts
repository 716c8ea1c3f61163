import { list, mainProcess, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/**
 * Who starts the flow, said explicitly: people holding a permission (`zcps:starterRoles`) or only
 * the system and other flows (`zcps:startedBy="system"`). A forgotten attribute must not leave a
 * flow that anybody logged in can start through the API.
 */
export default function processStarter(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:Process' || !node.$parent || node !== mainProcess(node.$parent)) return;
      const starterRoles = list(zcps(node, 'starterRoles'));
      const startedBy = str(zcps(node, 'startedBy'));
      if (startedBy !== null && startedBy !== 'system') {
        reporter.report(node.id, `zcps:startedBy 只能是 system（仅由系统或其他流程发起），而不是“${startedBy}”`);
      } else if (startedBy && starterRoles.length) {
        reporter.report(node.id, '不能同时设置 zcps:starterRoles 和 zcps:startedBy="system"：请决定本流程由持有权限的用户发起，还是仅由系统发起');
      } else if (!startedBy && !starterRoles.length) {
        reporter.report(
          node.id,
          '流程未声明由谁发起：请设置 zcps:starterRoles（可通过接口发起本流程的权限，逗号分隔，如 dossier.apply），或设置 zcps:startedBy="system"（仅由系统或其他流程的调用活动发起）',
        );
      }
    },
  };
}
