import { isFeel } from '../feel.ts';
import { mainProcess, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/**
 * The start form of the flow (`zcps:formKey` on its blank start event) decides what a caller may set
 * when starting it, so it is a literal key of forms/. `formKeys`: null or absent skips the existence check.
 */
export default function startForm(config: { formKeys?: readonly string[] | null } = {}): Rule {
  const known = config.formKeys ? new Set(config.formKeys) : null;
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:StartEvent' || ((node.eventDefinitions as unknown[] | undefined)?.length ?? 0) > 0) return;
      const parent = node.$parent;
      if (!parent?.$parent || parent !== mainProcess(parent.$parent)) return;
      const formKey = str(zcps(node, 'formKey'));
      if (!formKey) return;
      if (isFeel(formKey) || formKey.includes('${')) reporter.report(node.id, '发起表单（zcps:formKey）必须是固定的表单键，不能是表达式');
      else if (known && !known.has(formKey)) reporter.report(node.id, `发起表单“${formKey}”不存在（forms/ 中未定义）`);
    },
  };
}
