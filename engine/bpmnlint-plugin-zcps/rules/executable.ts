import { processesOf, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** A file holds exactly one executable process: the flow deploy stores under its key. */
export default function executable(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:Definitions') return;
      const processes = processesOf(node);
      const runnable = processes.filter((p) => p.isExecutable === true);
      if (runnable.length === 0) {
        const ids = processes.map((p) => p.id).join('、') || '无';
        reporter.report(processes[0]?.id ?? node.id, `流程图中没有可执行的流程（需设置 isExecutable="true"；现有流程：${ids}）`);
      }
      for (const extra of runnable.slice(1)) reporter.report(extra.id, '一个流程图只能包含一个可执行流程，请拆分为多个文件并用调用活动连接');
    },
  };
}
