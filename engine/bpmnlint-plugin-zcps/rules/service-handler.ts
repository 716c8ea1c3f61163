import { isFeel } from '../feel.ts';
import { isChecked, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/**
 * A service task names a handler the API registers, and hands it a FEEL context.
 * `handlers`: the registered names; null or absent skips the registration check.
 */
export default function serviceHandler(config: { handlers?: readonly string[] | null } = {}): Rule {
  const registered = config.handlers ? new Set(config.handlers) : null;
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:ServiceTask' || !isChecked(node)) return;
      const handler = str(zcps(node, 'handler'));
      if (!handler) reporter.report(node.id, '服务任务未配置处理器（zcps:handler）');
      else if (registered && !registered.has(handler)) reporter.report(node.id, `服务任务处理器“${handler}”未注册`);
      const inputs = str(zcps(node, 'inputs'));
      if (inputs && !isFeel(inputs)) reporter.report(node.id, 'zcps:inputs 必须是以“=”开头的 FEEL 上下文表达式');
    },
  };
}
