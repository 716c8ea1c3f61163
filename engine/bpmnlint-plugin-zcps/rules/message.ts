import { isFeel } from '../feel.ts';
import { isChecked, isIsoInterval, messageOf, receivesMessage, str, zcps, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/**
 * Messages between flows (docs/diagrams.md#messages): every message element names a bpmn:message
 * with a name (what throws and catches are matched by); a catch's key is its instance's business
 * key or a declared `zcps:correlationKey`; a throw says whom it is for (`zcps:correlationKey`), what
 * it carries (`zcps:payload`, a FEEL context) and how long it is kept (`zcps:timeToLive`).
 */
export default function message(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (!isChecked(node)) return;
      const found = messageOf(node);
      if (!found) return;
      if (!found.ref) reporter.report(node.id, '消息事件未指定消息（bpmn:message）');
      else if (!str(found.ref.name)) reporter.report(node.id, `消息 ${found.ref.id ?? ''} 没有名称：收发双方按消息名称匹配`);
      const key = zcps(node, 'correlationKey');
      if (typeof key === 'string' && !key.trim()) reporter.report(node.id, 'zcps:correlationKey 为空：删除该属性（按业务键关联）或填写关联键');
      else if (typeof key === 'string' && key.trim() === '=') reporter.report(node.id, 'zcps:correlationKey 不是有效的 FEEL 表达式');
      if (receivesMessage(node)) {
        if (str(zcps(node, 'payload'))) reporter.report(node.id, '接收消息的元素不能设置 zcps:payload（消息内容由发送方决定）');
        return;
      }
      if (node.$type !== 'bpmn:StartEvent' && !str(key)) reporter.report(node.id, '发送消息须指定关联键（zcps:correlationKey），说明发给哪个实例');
      const payload = str(zcps(node, 'payload'));
      if (payload && !isFeel(payload)) reporter.report(node.id, 'zcps:payload 必须是以“=”开头的 FEEL 上下文表达式');
      const ttl = str(zcps(node, 'timeToLive'));
      if (ttl && !isFeel(ttl) && !isIsoInterval(ttl.toUpperCase())) reporter.report(node.id, `zcps:timeToLive “${ttl}”不是 ISO 8601 时长（如 P30D）`);
    },
  };
}
