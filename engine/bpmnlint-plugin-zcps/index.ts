// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- bpmnlint's untyped modules: their types travel with the plugin into every program that imports it
/// <reference path="./types.d.ts" />
/**
 * bpmnlint-plugin-zcps: every check a diagram must pass to be deployed, as bpmnlint rules, so that
 * deploy (engine/compile.ts) and the flow editor (bpmn-js-bpmnlint) judge a diagram alike and word
 * each problem the same. One file per rule in rules/; docs/diagrams.md says how to add one.
 *
 * The rules are TypeScript and resolved statically (no build step, the same in node and in the
 * console's bundle), so both sides lint with `createLintConfig(installation)`.
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
import { labelled } from './labels.ts';
import type { RuleFactory } from './support.ts';
import callActivity from './rules/call-activity.ts';
import choice from './rules/choice.ts';
import conditionFeel from './rules/condition-feel.ts';
import executable from './rules/executable.ts';
import expressionLanguage from './rules/expression-language.ts';
import feel from './rules/feel.ts';
import inclusiveJoin from './rules/inclusive-join.ts';
import processKey from './rules/process-key.ts';
import processStarter from './rules/process-starter.ts';
import startForm from './rules/start-form.ts';
import scriptCondition from './rules/script-condition.ts';
import serviceHandler from './rules/service-handler.ts';
import timer from './rules/timer.ts';
import unsupportedElement from './rules/unsupported-element.ts';
import unsupportedEvent from './rules/unsupported-event.ts';
import userTaskActions from './rules/user-task-actions.ts';
import userTaskCandidates from './rules/user-task-candidates.ts';
import userTaskDue from './rules/user-task-due.ts';
import userTaskForm from './rules/user-task-form.ts';
import userTaskName from './rules/user-task-name.ts';
import message from './rules/message.ts';
import eventGateway from './rules/event-gateway.ts';

export { LINT_RULE_LABELS } from './labels.ts';
export { choiceValue } from './rules/choice.ts';

/** The plugin's rules by name: `zcps/<name>` in a config, `<name>` as the rule of a deploy problem. */
export const rules: Record<string, RuleFactory> = {
  executable,
  'process-key': processKey,
  'process-starter': processStarter,
  'start-form': startForm,
  'unsupported-element': unsupportedElement,
  'unsupported-event': unsupportedEvent,
  timer,
  feel,
  'expression-language': expressionLanguage,
  'inclusive-join': inclusiveJoin,
  'script-condition': scriptCondition,
  'condition-feel': conditionFeel,
  'user-task-name': userTaskName,
  'user-task-form': userTaskForm,
  'user-task-candidates': userTaskCandidates,
  'user-task-due': userTaskDue,
  'user-task-actions': userTaskActions,
  'service-handler': serviceHandler,
  'call-activity': callActivity,
  choice,
  message,
  'event-gateway': eventGateway,
};

const standardRules: Record<string, (config?: unknown) => unknown> = {
  'ad-hoc-sub-process': adHocSubProcess,
  'conditional-flows': conditionalFlows,
  'end-event-required': endEventRequired,
  'event-based-gateway': eventBasedGateway,
  'event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
  'fake-join': fakeJoin,
  global,
  'label-required': labelRequired,
  'link-event': linkEvent,
  'no-bpmndi': noBpmndi,
  'no-complex-gateway': noComplexGateway,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'no-gateway-join-fork': noGatewayJoinFork,
  'no-implicit-split': noImplicitSplit,
  'no-implicit-end': noImplicitEnd,
  'no-implicit-start': noImplicitStart,
  'no-inclusive-gateway': noInclusiveGateway,
  'no-overlapping-elements': noOverlappingElements,
  'single-blank-start-event': singleBlankStartEvent,
  'single-event-definition': singleEventDefinition,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
  'superfluous-label': superfluousLabel,
  'superfluous-termination': superfluousTermination,
};

type Severity = 'error' | 'warn' | 'off';

export const configs: { all: { extends: string; rules: Record<string, Severity> } } = {
  /** bpmnlint's recommended rules and all of ours: what deploy refuses (error) or reports (warn). */
  all: {
    extends: 'bpmnlint:recommended',
    rules: {
      // user tasks must be named (zcps/user-task-name); an unnamed gateway is not worth refusing a deploy
      'bpmnlint/label-required': 'warn',
      // inclusive splits run; inclusive joins are zcps/inclusive-join's
      'bpmnlint/no-inclusive-gateway': 'off',
      ...Object.fromEntries(Object.keys(rules).map((name) => [`zcps/${name}`, 'error' as const])),
    },
  },
};

const cache: Record<string, unknown> = {
  'config:bpmnlint/recommended': recommended,
  'config:bpmnlint-plugin-zcps/all': configs.all,
  ...Object.fromEntries(Object.entries(standardRules).map(([name, factory]) => [`rule:bpmnlint/${name}`, labelled(name, factory)])),
  ...Object.fromEntries(Object.entries(rules).map(([name, factory]) => [`rule:bpmnlint-plugin-zcps/${name}`, factory])),
};

/** What the installation knows; deploy passes the server's sets, the editor what the API publishes. Null: unknown, the check is skipped. */
export interface Installation {
  /** registered service-task handlers */
  handlers: readonly string[] | null;
  /** forms defined in forms/ */
  formKeys: readonly string[] | null;
  /** keys of deployed flows */
  deployedKeys: readonly string[] | null;
}

/** The bpmnlint options (config and resolver) deploy and the editor lint with. */
export function createLintConfig(installation: Installation | null) {
  const severity = (name: string) => configs.all.rules[`zcps/${name}`] as Severity;
  return {
    config: {
      extends: 'plugin:zcps/all',
      rules: {
        'zcps/service-handler': [severity('service-handler'), { handlers: installation?.handlers ?? null }],
        'zcps/user-task-form': [severity('user-task-form'), { formKeys: installation?.formKeys ?? null }],
        'zcps/start-form': [severity('start-form'), { formKeys: installation?.formKeys ?? null }],
        'zcps/call-activity': [severity('call-activity'), { deployedKeys: installation?.deployedKeys ?? null }],
      },
    },
    resolver: new StaticResolver(cache),
  };
}

/** The rule a deploy problem names for a lint result: `zcps/user-task-form` → `user-task-form`. */
export function problemRule(resultName: string): string {
  return resultName.startsWith('zcps/') ? resultName.slice('zcps/'.length) : resultName;
}
