import { isFeel } from '../feel.ts';
import { formKeyLiterals, isChecked, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/**
 * A user task names a form of forms/, or gives one by FEEL (every form named in it must exist).
 * `formKeys`: the forms the installation defines; null or absent skips the existence check.
 */
export default function userTaskForm(config: { formKeys?: readonly string[] | null } = {}): Rule {
  const known = config.formKeys ? new Set(config.formKeys) : null;
  const unknown = (key: string) => known !== null && !known.has(key);
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:UserTask' || !isChecked(node)) return;
      const formKey = str(zcps(node, 'formKey'));
      if (!formKey) {
        reporter.report(node.id, '用户任务缺少表单（zcps:formKey）');
        return;
      }
      // a form chosen by the caller (e.g. a sub-flow's posts): the forms it can name must exist
      const named = isFeel(formKey) ? formKeyLiterals(formKey) : [formKey];
      for (const key of named) if (unknown(key)) reporter.report(node.id, `表单“${key}”不存在（forms/ 中未定义）`);
    },
  };
}
