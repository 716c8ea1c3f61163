/**
 * bpmnlint in the editor: the recommended rules (as the server applies them at deploy) plus the
 * checks our engine makes, so most refusals show on the canvas before anyone presses 部署.
 */
import StaticResolver from 'bpmnlint/lib/resolver/static-resolver';
import recommended from 'bpmnlint/config/recommended';
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process';
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event';
import fakeJoin from 'bpmnlint/rules/fake-join';
import global from 'bpmnlint/rules/global';
import labelRequired from 'bpmnlint/rules/label-required';
import linkEvent from 'bpmnlint/rules/link-event';
import noBpmndi from 'bpmnlint/rules/no-bpmndi';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start';
import noInclusiveGateway from 'bpmnlint/rules/no-inclusive-gateway';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import superfluousLabel from 'bpmnlint/rules/superfluous-label';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination';

interface Node {
  $type: string;
  id?: string;
  name?: string;
  get?(name: string): unknown;
  [key: string]: unknown;
}

interface Reporter {
  report(id: string | undefined, message: string): void;
}

const attr = (node: Node, name: string) => (typeof node.get === 'function' ? (node.get(name) as string | undefined) : undefined);

function zcpsUserTask() {
  return {
    check(node: Node, reporter: Reporter) {
      if (node.$type !== 'bpmn:UserTask') return;
      if (!node.name) reporter.report(node.id, '用户任务必须有名称（显示在待办事项中）');
      if (!attr(node, 'zcps:formKey')) reporter.report(node.id, '用户任务缺少表单（职称系统 › 表单）');
      const roles = attr(node, 'zcps:candidateRoles');
      const unit = attr(node, 'zcps:candidateUnit');
      if (!attr(node, 'zcps:assignee') && !attr(node, 'zcps:candidateUsers') && !(roles && unit)) {
        reporter.report(node.id, roles ? '设置了候选权限但缺少候选单位' : '用户任务未配置办理人（指定办理人、候选人员，或候选权限加候选单位）');
      }
    },
  };
}

function zcpsServiceTask() {
  return {
    check(node: Node, reporter: Reporter) {
      if (node.$type === 'bpmn:ServiceTask' && !attr(node, 'zcps:handler')) reporter.report(node.id, '服务任务未配置处理器（职称系统 › 处理器）');
      if (node.$type === 'bpmn:ScriptTask') reporter.report(node.id, '不支持脚本任务，请改用服务任务');
    },
  };
}

function zcpsFeelCondition() {
  return {
    check(node: Node, reporter: Reporter) {
      if (node.$type !== 'bpmn:SequenceFlow') return;
      const condition = node.conditionExpression as Node | undefined;
      const body = typeof condition?.body === 'string' ? condition.body.trim() : '';
      if (condition && !body.startsWith('=')) reporter.report(node.id, '条件必须是以“=”开头的 FEEL 表达式');
    },
  };
}

const cache = {
  'config:bpmnlint/recommended': recommended,
  'rule:bpmnlint/ad-hoc-sub-process': adHocSubProcess,
  'rule:bpmnlint/conditional-flows': conditionalFlows,
  'rule:bpmnlint/end-event-required': endEventRequired,
  'rule:bpmnlint/event-based-gateway': eventBasedGateway,
  'rule:bpmnlint/event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
  'rule:bpmnlint/fake-join': fakeJoin,
  'rule:bpmnlint/global': global,
  'rule:bpmnlint/label-required': labelRequired,
  'rule:bpmnlint/link-event': linkEvent,
  'rule:bpmnlint/no-bpmndi': noBpmndi,
  'rule:bpmnlint/no-complex-gateway': noComplexGateway,
  'rule:bpmnlint/no-disconnected': noDisconnected,
  'rule:bpmnlint/no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'rule:bpmnlint/no-gateway-join-fork': noGatewayJoinFork,
  'rule:bpmnlint/no-implicit-split': noImplicitSplit,
  'rule:bpmnlint/no-implicit-end': noImplicitEnd,
  'rule:bpmnlint/no-implicit-start': noImplicitStart,
  'rule:bpmnlint/no-inclusive-gateway': noInclusiveGateway,
  'rule:bpmnlint/no-overlapping-elements': noOverlappingElements,
  'rule:bpmnlint/single-blank-start-event': singleBlankStartEvent,
  'rule:bpmnlint/single-event-definition': singleEventDefinition,
  'rule:bpmnlint/start-event-required': startEventRequired,
  'rule:bpmnlint/sub-process-blank-start-event': subProcessBlankStartEvent,
  'rule:bpmnlint/superfluous-gateway': superfluousGateway,
  'rule:bpmnlint/superfluous-label': superfluousLabel,
  'rule:bpmnlint/superfluous-termination': superfluousTermination,
  'rule:bpmnlint-plugin-zcps/user-task': zcpsUserTask,
  'rule:bpmnlint-plugin-zcps/service-task': zcpsServiceTask,
  'rule:bpmnlint-plugin-zcps/feel-condition': zcpsFeelCondition,
};

export const lintConfig = {
  config: {
    extends: 'bpmnlint:recommended',
    rules: {
      'label-required': 'warn',
      'no-inclusive-gateway': 'off',
      'zcps/user-task': 'error',
      'zcps/service-task': 'error',
      'zcps/feel-condition': 'error',
    },
  },
  resolver: new StaticResolver(cache),
};
