import { isFeel } from '../feel.ts';
import { isCheckedSupported, isIsoInterval, timerValues, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** A timer needs a time the scheduler can store: ISO 8601 (FEEL values are the `feel` rule's). */
export default function timer(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      const definitions = ((node.eventDefinitions as ModdleNode[] | undefined) ?? []).filter((d) => d.$type === 'bpmn:TimerEventDefinition');
      if (!definitions.length || !isCheckedSupported(node)) return;
      for (const definition of definitions) {
        const values = timerValues(definition);
        if (values.length === 0) reporter.report(node.id, '定时事件缺少时间设置（timeDuration / timeDate / timeCycle）');
        for (const { kind, body } of values) {
          if (!body) {
            reporter.report(node.id, `定时事件的 ${kind} 为空`);
          } else if (!isFeel(body) && !body.includes('${')) {
            const valid = kind === 'timeDate' ? !Number.isNaN(Date.parse(body)) : isIsoInterval(body);
            if (!valid) reporter.report(node.id, `定时事件的 ${kind}“${body}”不是有效的 ISO 8601 时间`);
          }
        }
      }
    },
  };
}
