import type { ModdleNode, Reporter, Rule, RuleFactory } from './support.ts';

/** Chinese names of bpmnlint's own rules; a report reads `名称（rule：bpmnlint's message）`. */
export const LINT_RULE_LABELS: Record<string, string> = {
  'ad-hoc-sub-process': '自由子流程写法不正确',
  'conditional-flows': '条件顺序流缺少条件表达式',
  'end-event-required': '缺少结束事件',
  'event-based-gateway': '事件网关配置错误',
  'event-sub-process-typed-start-event': '事件子流程的开始事件必须有类型',
  'fake-join': '隐式汇合，请使用并行网关汇合',
  global: '全局元素定义重复',
  'label-required': '元素缺少名称',
  'link-event': '链接事件未成对',
  'no-bpmndi': '元素缺少图形信息（BPMNDI），无法在编辑器中显示',
  'no-complex-gateway': '不支持复杂网关',
  'no-disconnected': '元素未与流程连通',
  'no-duplicate-sequence-flows': '存在重复的顺序流',
  'no-gateway-join-fork': '同一网关不能既汇合又分支',
  'no-implicit-split': '隐式分支，请使用网关',
  'no-implicit-end': '隐式结束，请使用结束事件',
  'no-implicit-start': '隐式开始，请使用开始事件',
  'no-inclusive-gateway': '不建议使用包含网关',
  'no-overlapping-elements': '元素图形重叠',
  'single-blank-start-event': '只能有一个空开始事件',
  'single-event-definition': '一个事件只能有一个事件定义',
  'start-event-required': '缺少开始事件',
  'sub-process-blank-start-event': '子流程必须使用空开始事件',
  'superfluous-gateway': '多余的网关',
  'superfluous-label': '多余的标签',
  'superfluous-termination': '多余的终止结束事件',
};

/** A bpmnlint rule whose reports carry its Chinese label, so deploy and editor word them alike. */
export function labelled(name: string, factory: (config?: unknown) => unknown): RuleFactory {
  const label = LINT_RULE_LABELS[name] ?? name;
  return (config) => {
    const rule = factory(config) as Rule;
    // bpmnlint hands one reporter to every check of a run: wrap it once, not once per element
    let wrapped: { of: Reporter; as: Reporter } | null = null;
    const relabel = (reporter: Reporter): Reporter => {
      if (wrapped?.of !== reporter) wrapped = { of: reporter, as: { report: (id, message, path) => reporter.report(id, `${label}（${name}：${message}）`, path) } };
      return wrapped.as;
    };
    const { check } = rule;
    if (typeof check === 'function') return { ...rule, check: (node: ModdleNode, reporter: Reporter) => check(node, relabel(reporter)) };
    // bpmnlint tells the two forms apart by the keys present, so only the present ones are copied
    const both: Exclude<Rule['check'], (...args: never[]) => unknown> = {};
    if (check.enter) {
      const enter = check.enter;
      both.enter = (node, reporter) => enter(node, relabel(reporter));
    }
    if (check.leave) {
      const leave = check.leave;
      both.leave = (node, reporter) => leave(node, relabel(reporter));
    }
    return { ...rule, check: both };
  };
}
