import { isFeel } from '../feel.ts';
import { definitionsOf, isChecked, mainProcess, processesOf, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/**
 * A call activity calls a fixed, other flow that is deployed or in the same file.
 * `deployedKeys`: the deployed flows; null or absent skips the deployment check.
 */
export default function callActivity(config: { deployedKeys?: readonly string[] | null } = {}): Rule {
  const deployed = config.deployedKeys ? new Set(config.deployedKeys) : null;
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:CallActivity' || !isChecked(node)) return;
      const called = str(node.calledElement);
      const definitions = definitionsOf(node);
      const processes = definitions ? processesOf(definitions) : [];
      if (!called) {
        reporter.report(node.id, '调用活动未设置被调用的流程（calledElement）');
      } else if (isFeel(called) || called.includes('${')) {
        reporter.report(node.id, '被调用的流程必须是固定的流程标识，不能是表达式');
      } else if (definitions && called === mainProcess(definitions)?.id) {
        reporter.report(node.id, '调用活动不能调用自身所在的流程');
      } else if (deployed && !deployed.has(called) && !processes.some((p) => p.id === called)) {
        reporter.report(node.id, `被调用的流程“${called}”尚未部署，请先部署它`);
      }
      const inputs = str(zcps(node, 'inputs'));
      if (inputs && !isFeel(inputs)) reporter.report(node.id, 'zcps:inputs 必须是以“=”开头的 FEEL 上下文表达式');
      const outputs = str(zcps(node, 'outputs'));
      if (outputs && !isFeel(outputs)) reporter.report(node.id, 'zcps:outputs 必须是以“=”开头的 FEEL 上下文表达式');
    },
  };
}
