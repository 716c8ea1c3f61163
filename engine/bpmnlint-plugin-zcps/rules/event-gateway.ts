import { isChecked, messageOf, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** An event-based gateway waits for whichever comes first: only message or timer catch events and receive tasks may follow it. */
export default function eventGateway(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:EventBasedGateway' || !isChecked(node)) return;
      for (const flow of (node.outgoing as ModdleNode[] | undefined) ?? []) {
        const target = flow.targetRef as ModdleNode | undefined;
        if (!target) continue;
        const definitions = (target.eventDefinitions as ModdleNode[] | undefined) ?? [];
        const catches =
          target.$type === 'bpmn:ReceiveTask' ||
          (target.$type === 'bpmn:IntermediateCatchEvent' && definitions.length === 1 && (messageOf(target) !== undefined || definitions[0]?.$type === 'bpmn:TimerEventDefinition'));
        if (!catches) reporter.report(node.id, `事件网关之后只能是消息或定时中间捕获事件、接收任务：${target.name ?? target.id ?? ''} 不是`);
      }
    },
  };
}
