import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import BpmnModdle from 'bpmn-moddle';
import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { ISOInterval } from '@0dep/piso';
import { checkFeelSyntax, isFeel } from './expressions.ts';
import { zcpsModdle } from './moddle-extension.ts';
import { ZcpsSequenceFlow } from './sequence-flow.ts';
import { DeployError, type DeployProblem } from './errors.ts';
import type { CallActivityMeta, DefinitionMeta, ServiceTaskMeta, UserTaskMeta } from './types.ts';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint') as { Linter: new (opts: unknown) => { lint(root: unknown): Promise<LintResults> } };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new () => unknown;

type LintResults = Record<string, Array<{ id?: string; message: string; category: string }>>;

/** A parsed moddle element; moddle objects are dynamic, so only what we read is typed. */
interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  [key: string]: unknown;
}

export type SourceContext = ReturnType<typeof Serializer>;

export interface CompiledDefinition {
  key: string;
  name: string;
  xml: string;
  contentHash: string;
  sourceContext: SourceContext;
  meta: DefinitionMeta;
  warnings: DeployProblem[];
}

export interface CompileOptions {
  /** names of registered service-task handlers; null skips the check */
  handlers: ReadonlySet<string> | null;
  /** known form keys; null skips the check */
  formKeys: ReadonlySet<string> | null;
  /** whether a called process key is deployed */
  isDeployed: (processKey: string) => boolean;
}

export const moddleOptions = { zcps: zcpsModdle };

const typeResolver = () => TypeResolver({ ...elements, SequenceFlow: ZcpsSequenceFlow } as never);

/** The runtime context bpmn-engine runs from, with our element behaviours. */
function serialize(parsed: unknown): SourceContext {
  return Serializer(parsed as never, typeResolver());
}

const LINT_CONFIG = {
  extends: 'bpmnlint:recommended',
  rules: {
    // user tasks must be named (checked below); an unnamed gateway is not worth refusing a deploy
    'label-required': 'warn',
    'no-inclusive-gateway': 'off',
  },
};

const LINT_RULE_LABELS: Record<string, string> = {
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
  'no-overlapping-elements': '元素图形重叠',
  'single-blank-start-event': '只能有一个空开始事件',
  'single-event-definition': '一个事件只能有一个事件定义',
  'start-event-required': '缺少开始事件',
  'sub-process-blank-start-event': '子流程必须使用空开始事件',
  'superfluous-gateway': '多余的网关',
  'superfluous-label': '多余的标签',
  'superfluous-termination': '多余的终止结束事件',
};

const SUPPORTED_FLOW_NODES = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:IntermediateCatchEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:BoundaryEvent',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:CallActivity',
  'bpmn:SubProcess',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:SequenceFlow',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

const UNSUPPORTED_REASONS: Record<string, string> = {
  'bpmn:ScriptTask': '不支持脚本任务：流程图不能执行脚本，请改用服务任务（zcps:handler）',
  'bpmn:BusinessRuleTask': '暂不支持业务规则任务',
  'bpmn:SendTask': '暂不支持发送任务',
  'bpmn:ReceiveTask': '暂不支持接收任务',
  'bpmn:ComplexGateway': '不支持复杂网关',
  'bpmn:EventBasedGateway': '暂不支持事件网关',
  'bpmn:Transaction': '暂不支持事务子流程',
  'bpmn:AdHocSubProcess': '暂不支持自由子流程',
};

const SUPPORTED_EVENT_DEFINITIONS = new Set([
  'bpmn:TimerEventDefinition',
  'bpmn:ErrorEventDefinition',
  'bpmn:TerminateEventDefinition',
]);

const ACTION_PATTERN = /^[a-z][a-z_]*$/;
const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

const silentLogger = () => ({ debug() {}, error() {}, warn() {} });

export function contentHash(xml: string): string {
  return createHash('sha256').update(normalizeXml(xml)).digest('hex');
}

function normalizeXml(xml: string): string {
  return xml.replace(/\r\n?/g, '\n').trim();
}

function list(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The string literals of a FEEL form key (`=if formKey = null then "review" else formKey`): forms it may name. */
export function formKeyLiterals(expression: string): string[] {
  return [...expression.matchAll(/"([^"\\]*)"/g)].map((m) => m[1] as string).filter((k) => KEY_PATTERN.test(k));
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Parses, lints and checks a diagram; throws DeployError listing every problem. Stores nothing. */
export async function compileDefinition(xml: string, options: CompileOptions): Promise<CompiledDefinition> {
  const problems: DeployProblem[] = [];
  const error = (elementId: string | null, rule: string, message: string, elementType?: string) =>
    problems.push({ elementId, rule, message, severity: 'error', ...(elementType ? { elementType } : {}) });
  const warn = (elementId: string | null, rule: string, message: string) =>
    problems.push({ elementId, rule, message, severity: 'warning' });

  if (typeof xml !== 'string' || !xml.trim()) {
    throw new DeployError([{ elementId: null, rule: 'xml', message: '流程图内容为空', severity: 'error' }]);
  }
  const source = normalizeXml(xml);

  const moddle = new BpmnModdle(moddleOptions);
  let parsed: Awaited<ReturnType<typeof moddle.fromXML>>;
  try {
    parsed = await moddle.fromXML(source);
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? '';
    throw new DeployError([{ elementId: null, rule: 'xml', message: `无法解析 BPMN XML：${message}`, severity: 'error' }]);
  }
  const root = parsed.rootElement as unknown as ModdleElement;
  if (root.$type !== 'bpmn:Definitions') {
    throw new DeployError([{ elementId: null, rule: 'xml', message: '根元素不是 bpmn:definitions', severity: 'error' }]);
  }
  for (const w of (parsed.warnings ?? []) as Array<{ message: string; element?: ModdleElement; property?: string }>) {
    const elementId = w.element?.id ?? null;
    if (/unresolved reference/i.test(w.message)) {
      error(elementId, 'reference', `引用的元素不存在：${w.message}`);
    } else {
      warn(elementId, 'xml', `无法识别的内容已保留但不会执行：${w.message.split('\n')[0]}`);
    }
  }

  // serialize before linting: bpmnlint annotates the moddle tree, and an engine built from the
  // annotated tree stalls at its start event
  let sourceContext: SourceContext | null = null;
  try {
    sourceContext = serialize(parsed);
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown activity type (\S+)/.exec(message);
    error(null, 'engine-load', unknown ? `流程引擎不支持元素类型 ${unknown[1]}` : `流程引擎无法读取该流程图（${message}）`);
  }

  const rootElements = (root.rootElements as ModdleElement[] | undefined) ?? [];
  const processes = rootElements.filter((e) => e.$type === 'bpmn:Process');
  const executable = processes.filter((p) => p.isExecutable === true);
  if (executable.length === 0) {
    const ids = processes.map((p) => p.id).join('、') || '无';
    throw new DeployError([
      ...problems.filter((p) => p.severity === 'error'),
      {
        elementId: processes[0]?.id ?? null,
        rule: 'executable',
        message: `流程图中没有可执行的流程（需设置 isExecutable="true"；现有流程：${ids}）`,
        severity: 'error',
      },
    ]);
  }
  if (executable.length > 1) {
    for (const p of executable.slice(1)) {
      error(p.id ?? null, 'executable', '一个流程图只能包含一个可执行流程，请拆分为多个文件并用调用活动连接');
    }
  }
  const processEl = executable[0] as ModdleElement;
  const key = processEl.id ?? '';
  if (!KEY_PATTERN.test(key)) {
    error(processEl.id ?? null, 'process-key', `流程标识“${key}”不合法：须以字母开头，只含字母、数字、下划线、点和短横线`);
  }
  const localProcessIds = new Set(processes.map((p) => p.id).filter(Boolean) as string[]);

  // bpmnlint
  try {
    const linter = new Linter({ config: LINT_CONFIG, resolver: new NodeResolver() });
    const results = await linter.lint(root);
    for (const [rule, reports] of Object.entries(results)) {
      for (const report of reports) {
        const label = LINT_RULE_LABELS[rule] ?? rule;
        const message = `${label}（${rule}：${report.message}）`;
        if (report.category === 'error' || report.category === 'rule-error') error(report.id ?? null, rule, message);
        else if (report.category === 'warn') warn(report.id ?? null, rule, message);
      }
    }
  } catch (err) {
    error(null, 'lint', `规则检查失败：${(err as Error).message}`);
  }

  const userTasks: UserTaskMeta[] = [];
  const serviceTasks: ServiceTaskMeta[] = [];
  const callActivities: CallActivityMeta[] = [];
  const elementNames: Record<string, string> = {};

  const checkFeel = (el: ModdleElement, attr: string, value: unknown) => {
    if (typeof value !== 'string' || !isFeel(value)) return;
    const problem = checkFeelSyntax(value);
    if (problem) error(el.id ?? null, 'feel', `${attr}：${problem}`, el.$type);
  };
  const checkExpressionValue = (el: ModdleElement, attr: string, value: unknown) => {
    if (typeof value !== 'string') return;
    if (value.includes('${') || value.includes('#{')) {
      error(el.id ?? null, 'expression-language', `${attr} 使用了非 FEEL 表达式“${value}”，请改为以“=”开头的 FEEL 表达式`, el.$type);
      return;
    }
    checkFeel(el, attr, value);
  };

  const checkTimer = (owner: ModdleElement, def: ModdleElement) => {
    const kinds = ['timeDuration', 'timeDate', 'timeCycle'] as const;
    const present = kinds.filter((k) => def[k]);
    if (present.length === 0) {
      error(owner.id ?? null, 'timer', '定时事件缺少时间设置（timeDuration / timeDate / timeCycle）', owner.$type);
      return;
    }
    for (const kind of present) {
      const expr = def[kind] as ModdleElement;
      const body = typeof expr.body === 'string' ? expr.body.trim() : '';
      if (!body) {
        error(owner.id ?? null, 'timer', `定时事件的 ${kind} 为空`, owner.$type);
      } else if (isFeel(body)) {
        checkFeel(owner, kind, body);
      } else if (body.includes('${')) {
        checkExpressionValue(owner, kind, body);
      } else {
        try {
          if (kind === 'timeDate') {
            if (Number.isNaN(Date.parse(body))) throw new Error('invalid date');
          } else {
            new ISOInterval(body).parse();
          }
        } catch {
          error(owner.id ?? null, 'timer', `定时事件的 ${kind}“${body}”不是有效的 ISO 8601 时间`, owner.$type);
        }
      }
    }
  };

  const walk = (container: ModdleElement) => {
    const flowElements = (container.flowElements as ModdleElement[] | undefined) ?? [];
    for (const el of flowElements) {
      const id = el.id ?? null;
      const type = el.$type;
      if (id && typeof el.name === 'string' && el.name.trim()) elementNames[id] = el.name.trim();
      if (UNSUPPORTED_REASONS[type]) {
        error(id, 'unsupported-element', UNSUPPORTED_REASONS[type] as string, type);
        continue;
      }
      if (!SUPPORTED_FLOW_NODES.has(type)) {
        error(id, 'unsupported-element', `不支持的元素类型 ${type}`, type);
        continue;
      }
      for (const def of (el.eventDefinitions as ModdleElement[] | undefined) ?? []) {
        if (!SUPPORTED_EVENT_DEFINITIONS.has(def.$type)) {
          error(id, 'unsupported-event', `暂不支持的事件类型 ${def.$type.replace('bpmn:', '')}`, type);
        } else if (def.$type === 'bpmn:TimerEventDefinition') {
          checkTimer(el, def);
        }
      }
      const loop = el.loopCharacteristics as ModdleElement | undefined;
      if (loop) {
        checkExpressionValue(el, 'collection', loop.collection);
        const completion = loop.completionCondition as ModdleElement | undefined;
        if (completion) checkExpressionValue(el, 'completionCondition', completion.body);
        const cardinality = loop.loopCardinality as ModdleElement | undefined;
        if (cardinality) checkExpressionValue(el, 'loopCardinality', cardinality.body);
      }

      if (type === 'bpmn:InclusiveGateway' && ((el.incoming as unknown[] | undefined)?.length ?? 0) > 1) {
        // bpmn-elements lets an inclusive join through on its first token
        error(id, 'inclusive-join', '暂不支持包含网关汇合（引擎不会等待所有已激活的分支），请改用并行网关汇合', type);
      }

      switch (type) {
        case 'bpmn:SequenceFlow': {
          const cond = el.conditionExpression as ModdleElement | undefined;
          if (cond) {
            if (cond.language) {
              error(id, 'script-condition', `条件表达式不能使用脚本语言（${String(cond.language)}），请使用 FEEL`, type);
            } else {
              const body = typeof cond.body === 'string' ? cond.body.trim() : '';
              if (!isFeel(body)) {
                error(id, 'condition-feel', `条件表达式“${body}”必须是以“=”开头的 FEEL 表达式`, type);
              } else {
                checkFeel(el, 'conditionExpression', body);
              }
            }
          }
          break;
        }
        case 'bpmn:UserTask': {
          const name = str(el.name);
          if (!name) error(id, 'user-task-name', '用户任务必须有名称（显示在待办事项中）', type);
          const formKey = str(el.formKey);
          if (!formKey) {
            error(id, 'user-task-form', '用户任务缺少表单（zcps:formKey）', type);
          } else if (isFeel(formKey)) {
            // a form chosen by the caller (e.g. a sub-flow's posts): the forms it can name must exist
            checkExpressionValue(el, 'formKey', formKey);
            for (const named of formKeyLiterals(formKey)) {
              if (options.formKeys && !options.formKeys.has(named)) error(id, 'user-task-form', `表单“${named}”不存在（forms/ 中未定义）`, type);
            }
          } else if (options.formKeys && !options.formKeys.has(formKey)) {
            error(id, 'user-task-form', `表单“${formKey}”不存在（forms/ 中未定义）`, type);
          }
          const candidateRoles = str(el.candidateRoles);
          const candidateUnit = str(el.candidateUnit);
          const candidateUsers = str(el.candidateUsers);
          const assignee = str(el.assignee);
          if (!assignee && !candidateUsers && !(candidateRoles && candidateUnit)) {
            error(
              id,
              'user-task-candidates',
              candidateRoles
                ? '设置了候选角色但缺少候选单位（zcps:candidateUnit）'
                : '用户任务未配置办理人：需设置 zcps:assignee、zcps:candidateUsers，或同时设置 zcps:candidateRoles 与 zcps:candidateUnit',
              type,
            );
          }
          const scope = str(el.candidateScope) ?? 'unit';
          if (scope !== 'unit' && scope !== 'subtree') {
            error(id, 'user-task-candidates', `zcps:candidateScope 只能是 unit 或 subtree，而不是“${scope}”`, type);
          }
          const taskName = str(el.taskName);
          for (const [attr, value] of [
            ['taskName', taskName],
            ['candidateRoles', candidateRoles],
            ['candidateUnit', candidateUnit],
            ['candidateUsers', candidateUsers],
            ['assignee', assignee],
            ['dueDate', str(el.dueDate)],
          ] as const) {
            checkExpressionValue(el, attr, value);
          }
          const dueDate = str(el.dueDate);
          if (dueDate && !isFeel(dueDate)) {
            try {
              new ISOInterval(dueDate).parse();
            } catch {
              error(id, 'user-task-due', `期限“${dueDate}”不是有效的 ISO 8601 时长（如 P3D）或 FEEL 表达式`, type);
            }
          }
          const actions = list(el.actions);
          for (const a of actions) {
            if (!ACTION_PATTERN.test(a)) error(id, 'user-task-actions', `办理动作“${a}”不合法（只能用小写字母和下划线）`, type);
          }
          if (id) {
            userTasks.push({
              id,
              name: name ?? id,
              taskName,
              formKey,
              candidateRoles,
              candidateUnit,
              candidateScope: scope === 'subtree' ? 'subtree' : 'unit',
              candidateUsers,
              assignee,
              dueDate,
              actions: actions.length ? actions : ['complete'],
              multiInstance: Boolean(loop),
              loopVariable: loop ? (str(loop.elementVariable) ?? 'item') : null,
            });
          }
          break;
        }
        case 'bpmn:ServiceTask': {
          const handler = str(el.handler);
          if (!handler) {
            error(id, 'service-handler', '服务任务未配置处理器（zcps:handler）', type);
          } else if (options.handlers && !options.handlers.has(handler)) {
            error(id, 'service-handler', `服务任务处理器“${handler}”未注册`, type);
          }
          const serviceInputs = str(el.inputs);
          checkExpressionValue(el, 'inputs', serviceInputs);
          if (serviceInputs && !isFeel(serviceInputs)) error(id, 'service-handler', 'zcps:inputs 必须是以“=”开头的 FEEL 上下文表达式', type);
          if (id && handler) serviceTasks.push({ id, name: str(el.name) ?? id, handler, inputs: serviceInputs });
          break;
        }
        case 'bpmn:CallActivity': {
          const called = str(el.calledElement);
          if (!called) {
            error(id, 'call-activity', '调用活动未设置被调用的流程（calledElement）', type);
          } else if (isFeel(called) || called.includes('${')) {
            error(id, 'call-activity', '被调用的流程必须是固定的流程标识，不能是表达式', type);
          } else if (called === key) {
            error(id, 'call-activity', '调用活动不能调用自身所在的流程', type);
          } else if (!localProcessIds.has(called) && !options.isDeployed(called)) {
            error(id, 'call-activity', `被调用的流程“${called}”尚未部署，请先部署它`, type);
          }
          const inputs = str(el.inputs);
          checkExpressionValue(el, 'inputs', inputs);
          if (inputs && !isFeel(inputs)) error(id, 'call-activity', 'zcps:inputs 必须是以“=”开头的 FEEL 上下文表达式', type);
          const resultVariable = str(el.resultVariable);
          if (id && called) callActivities.push({ id, name: str(el.name) ?? id, calledElement: called, inputs, resultVariable });
          break;
        }
        case 'bpmn:SubProcess':
          walk(el);
          break;
        default:
          break;
      }
    }
  };
  walk(processEl);
  for (const p of processes) {
    if (p !== processEl && localProcessIds.has(p.id ?? '') && p.isExecutable !== true) {
      // called in-file processes run inside the same instance; check them like the main one
      if (callActivities.some((c) => c.calledElement === p.id)) walk(p);
    }
  }
  checkExpressionValue(processEl, 'zcps:summary', str(processEl.summary));

  // who starts the flow, said explicitly: a forgotten attribute must not leave a flow that
  // anybody logged in can start through the API
  const starterRoles = list(processEl.starterRoles);
  const startedBy = str(processEl.startedBy);
  if (startedBy !== null && startedBy !== 'system') {
    error(processEl.id ?? null, 'process-starter', `zcps:startedBy 只能是 system（仅由系统或其他流程发起），而不是“${startedBy}”`, processEl.$type);
  } else if (startedBy && starterRoles.length) {
    error(processEl.id ?? null, 'process-starter', '不能同时设置 zcps:starterRoles 和 zcps:startedBy="system"：请决定本流程由持有权限的用户发起，还是仅由系统发起', processEl.$type);
  } else if (!startedBy && !starterRoles.length) {
    error(
      processEl.id ?? null,
      'process-starter',
      '流程未声明由谁发起：请设置 zcps:starterRoles（可通过接口发起本流程的权限，逗号分隔，如 dossier.apply），或设置 zcps:startedBy="system"（仅由系统或其他流程的调用活动发起）',
      processEl.$type,
    );
  }
  // the start form: a literal key of forms/, since it decides what a caller may set
  const blankStart = ((processEl.flowElements as ModdleElement[] | undefined) ?? []).find(
    (e) => e.$type === 'bpmn:StartEvent' && !((e.eventDefinitions as unknown[] | undefined)?.length),
  );
  const startFormKey = blankStart ? str(blankStart.formKey) : null;
  if (startFormKey && (isFeel(startFormKey) || startFormKey.includes('${'))) {
    error(blankStart?.id ?? null, 'start-form', '发起表单（zcps:formKey）必须是固定的表单键，不能是表达式', 'bpmn:StartEvent');
  } else if (startFormKey && options.formKeys && !options.formKeys.has(startFormKey)) {
    error(blankStart?.id ?? null, 'start-form', `发起表单“${startFormKey}”不存在（forms/ 中未定义）`, 'bpmn:StartEvent');
  }

  if (sourceContext && !problems.some((p) => p.severity === 'error')) {
    try {
      const engine = new Engine({ name: key, sourceContext, moddleOptions, Logger: silentLogger } as never);
      const [definition] = await engine.getDefinitions();
      const runnable = definition?.getExecutableProcesses() ?? [];
      if (runnable.length !== 1) error(processEl.id ?? null, 'engine-load', '流程引擎未能识别可执行流程');
      for (const bp of runnable) bp.getActivities();
    } catch (err) {
      error(null, 'engine-load', `流程引擎无法加载该流程图：${(err as Error).message}`);
    }
  }

  if (problems.some((p) => p.severity === 'error') || !sourceContext) throw new DeployError(problems);

  const meta: DefinitionMeta = {
    key,
    name: str(processEl.name) ?? key,
    starterRoles,
    systemStart: startedBy === 'system',
    startFormKey,
    summary: str(processEl.summary),
    userTasks,
    serviceTasks,
    callActivities,
    elementNames,
  };
  return {
    key,
    name: meta.name,
    xml: source,
    contentHash: contentHash(source),
    sourceContext,
    meta,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

/** Rebuilds the runtime context of a stored version (cheap compared with a full compile). */
export async function loadSourceContext(xml: string): Promise<SourceContext> {
  const moddle = new BpmnModdle(moddleOptions);
  const parsed = await moddle.fromXML(normalizeXml(xml));
  return serialize(parsed);
}
