import { isChecked, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

const VARIABLE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The value a choice flow's condition gives its variable (`=decision.returnTo = "employer" and …` → employer), or null. */
export function choiceValue(variable: string, condition: string): string | null {
  const escaped = variable.replace(/\./g, '\\.');
  return new RegExp(`^=\\s*${escaped}\\s*=\\s*"([^"\\\\]+)"`).exec(condition)?.[1] ?? null;
}

/**
 * A choice gateway (`zcps:choice`): the person completing the task before it picks the way out by
 * setting one variable, and the console offers the ways out as the options. So each outgoing flow
 * is named (its label is the option) and its condition starts with `<variable> = "<value>"` (the
 * rest of the condition says when the option exists for a case); there is no default flow.
 */
export default function choice(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:ExclusiveGateway' || !isChecked(node)) return;
      const variable = str(zcps(node, 'choice'));
      if (variable === null) return;
      if (!VARIABLE_PATH.test(variable)) {
        reporter.report(node.id, `zcps:choice“${variable}”不是变量路径（如 decision.returnTo）`);
        return;
      }
      if (node.default) reporter.report(node.id, '由办理人选择出口的网关（zcps:choice）不能有默认流转');
      const parent = node.$parent;
      const outgoing = ((parent?.flowElements as ModdleNode[] | undefined) ?? []).filter((f) => f.$type === 'bpmn:SequenceFlow' && f.sourceRef === node);
      if (!outgoing.length) reporter.report(node.id, '由办理人选择出口的网关（zcps:choice）没有可选的出口');
      for (const flow of outgoing) {
        const condition = flow.conditionExpression as ModdleNode | undefined;
        const body = typeof condition?.body === 'string' ? condition.body.trim() : '';
        if (!str(flow.name)) reporter.report(node.id, `出口“${flow.id}”须有名称（办理人看到的选项）`);
        if (!choiceValue(variable, body)) reporter.report(node.id, `出口“${flow.id}”的条件须以 ${variable} = "取值" 开头`);
      }
    },
  };
}
