import { isCheckedSupported, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** bpmn-elements lets an inclusive join through on its first token. */
export default function inclusiveJoin(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:InclusiveGateway' || ((node.incoming as unknown[] | undefined)?.length ?? 0) <= 1 || !isCheckedSupported(node)) return;
      reporter.report(node.id, '暂不支持包含网关汇合（引擎不会等待所有已激活的分支），请改用并行网关汇合');
    },
  };
}
