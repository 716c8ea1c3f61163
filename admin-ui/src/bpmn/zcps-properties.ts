/**
 * Properties-panel group "职称系统" for the attributes our engine reads (see docs/diagrams.md):
 * forms, candidates, due dates, actions, handlers, call-activity inputs, multi-instance
 * collections, messages between flows and FEEL conditions. A small didi module, as in bpmn-js-examples.
 */
import { h } from '@bpmn-io/properties-panel/preact';
import { SelectEntry, TextAreaEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

interface Element {
  id: string;
  type: string;
  businessObject: BusinessObject;
}

interface BusinessObject {
  $type: string;
  $parent?: BusinessObject;
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  [key: string]: unknown;
}

interface Modeling {
  updateProperties(element: Element, props: Record<string, unknown>): void;
  updateModdleProperties(element: Element, moddleElement: unknown, props: Record<string, unknown>): void;
}

interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): unknown;
}

interface FieldSpec {
  attr: string;
  label: string;
  description: string;
  /** where the attribute lives: on the element's business object, or on its loop characteristics */
  on?: 'element' | 'loop';
}

const USER_TASK: FieldSpec[] = [
  { attr: 'zcps:formKey', label: '表单', description: 'forms/ 中定义的表单键，如 review、dossier-submit' },
  { attr: 'zcps:taskName', label: '待办名称', description: '可选；FEEL 或文字，默认为元素名称' },
  { attr: 'zcps:candidateRoles', label: '候选权限', description: '持有这些权限的人员可办理，逗号分隔，如 dossier.review.own' },
  { attr: 'zcps:candidateUnit', label: '候选单位', description: 'FEEL，计算出单位编号，如 =chain.employer' },
  { attr: 'zcps:candidateUsers', label: '候选人员', description: 'FEEL，人员编号列表，如 =post.userIds' },
  { attr: 'zcps:assignee', label: '指定办理人', description: 'FEEL，人员编号，如 =initiator（发起人）' },
  { attr: 'zcps:dueDate', label: '办理期限', description: 'P3D 即 3 个工作日；也可写“3 自然日”“12 小时”，或 FEEL；运行配置中可另行调整' },
  { attr: 'zcps:actions', label: '办理动作', description: '按钮，逗号分隔：submit、pass、return、reject' },
];

const MULTI_INSTANCE: FieldSpec[] = [
  { attr: 'zcps:collection', label: '多实例集合', description: 'FEEL 列表，每项生成一个任务，如 =reviewers', on: 'loop' },
  { attr: 'zcps:elementVariable', label: '集合元素变量', description: '每个任务中当前项的变量名，如 reviewer', on: 'loop' },
];

const START_EVENT: FieldSpec[] = [
  { attr: 'zcps:formKey', label: '发起表单', description: '通过接口发起时可填写的项目，forms/ 中的表单键，如 dossier-start；不设则发起时不能填写任何变量' },
];

const SERVICE_TASK: FieldSpec[] = [{ attr: 'zcps:handler', label: '处理器', description: '服务端注册的业务处理器名称，如 dossier.submitted' }];

const CALL_ACTIVITY: FieldSpec[] = [
  { attr: 'calledElement', label: '被调用的流程', description: '已部署流程的标识，如 multi-post-review' },
  { attr: 'zcps:inputs', label: '传入变量', description: 'FEEL 上下文，如 ={unitId: chain.employer, title: "单位审核"}' },
  { attr: 'zcps:resultVariable', label: '结果变量', description: '子流程结束时其变量存入此变量，如 review' },
  { attr: 'zcps:outputs', label: '传出变量', description: 'FEEL 上下文，子流程结束时按其变量计算并写入本流程，如 ={action: action, decision: decision}' },
];

const CHOICE_GATEWAY: FieldSpec[] = [
  {
    attr: 'zcps:choice',
    label: '由办理人选择出口',
    description: '办理人在表单中选择的变量，如 decision.returnTo；每个出口须有名称（即选项）且条件以 decision.returnTo = "取值" 开头，其余条件决定该选项是否可选',
  },
];

const MESSAGE_CATCH: FieldSpec[] = [
  { attr: 'zcps:correlationKey', label: '关联键', description: '等待关联键相同的消息；不填即本实例的业务键（如 dossier:12）；FEEL 或文字' },
];

const MESSAGE_THROW: FieldSpec[] = [
  { attr: 'zcps:correlationKey', label: '关联键（发给谁）', description: '必填；接收实例的关联键，FEEL 或文字，如 ="dossier:" + string(item.dossierId)' },
  { attr: 'zcps:payload', label: '消息内容', description: 'FEEL 上下文，成为接收实例的变量，如 ={reviewPassed: item.passed}' },
  { attr: 'zcps:timeToLive', label: '保留期限', description: '无实例等待时消息保留的时长（ISO 8601），默认 P30D' },
];

/** Whether an element sends or receives a message (docs/diagrams.md#messages); the message itself is the library's 消息 group. */
function messageRole(element: Element): 'catch' | 'throw' | null {
  const bo = getBusinessObject(element);
  const hasMessage = is(element, 'bpmn:ReceiveTask') || is(element, 'bpmn:SendTask') || ((bo.eventDefinitions as BusinessObject[] | undefined) ?? []).some((d) => d.$type === 'bpmn:MessageEventDefinition');
  if (!hasMessage) return null;
  if (is(element, 'bpmn:IntermediateCatchEvent') || is(element, 'bpmn:BoundaryEvent') || is(element, 'bpmn:ReceiveTask')) return 'catch';
  if (is(element, 'bpmn:IntermediateThrowEvent') || is(element, 'bpmn:EndEvent') || is(element, 'bpmn:SendTask')) return 'throw';
  return null;
}

const PROCESS: FieldSpec[] = [
  { attr: 'zcps:starterRoles', label: '发起权限', description: '持有这些权限的用户可发起本流程，逗号分隔，如 dossier.apply；仅由系统发起的流程不填' },
  { attr: 'zcps:summary', label: '列表摘要', description: 'FEEL 上下文，显示在待办中，如 ={applicantName: applicant.name}' },
];

function loopOf(element: Element): BusinessObject | undefined {
  return getBusinessObject(element).loopCharacteristics as BusinessObject | undefined;
}

function AttrEntry(props: { element: Element; id: string; spec: FieldSpec }) {
  const { element, id, spec } = props;
  const modeling = useService('modeling') as Modeling;
  const debounce = useService('debounceInput');
  const target = () => (spec.on === 'loop' ? loopOf(element) : getBusinessObject(element));
  const getValue = () => (target()?.get(spec.attr) as string | undefined) ?? '';
  const setValue = (value: string) => {
    const bo = target();
    if (!bo) return;
    const next = value === '' ? undefined : value;
    if (spec.on === 'loop') modeling.updateModdleProperties(element, bo, { [spec.attr]: next });
    else modeling.updateProperties(element, { [spec.attr]: next });
  };
  return h(TextFieldEntry, { element, id, label: spec.label, description: spec.description, getValue, setValue, debounce });
}

function ScopeEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  return h(SelectEntry, {
    element,
    id,
    label: '候选范围',
    getValue: () => (getBusinessObject(element).get('zcps:candidateScope') as string | undefined) ?? 'unit',
    setValue: (value: string) => modeling.updateProperties(element, { 'zcps:candidateScope': value === 'unit' ? undefined : value }),
    getOptions: () => [
      { value: 'unit', label: '仅候选单位' },
      { value: 'subtree', label: '候选单位及其上级单位' },
    ],
  });
}

/** Who starts the flow: a process declares starter permissions or that only the system starts it. */
function StartedByEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  return h(SelectEntry, {
    element,
    id,
    label: '发起方式',
    getValue: () => (getBusinessObject(element).get('zcps:startedBy') as string | undefined) ?? '',
    setValue: (value: string) => modeling.updateProperties(element, { 'zcps:startedBy': value === '' ? undefined : value }),
    getOptions: () => [
      { value: '', label: '持有发起权限的用户（须填写发起权限）' },
      { value: 'system', label: '仅由系统或其他流程发起' },
    ],
  });
}

function ConditionEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  const bpmnFactory = useService('bpmnFactory') as BpmnFactory;
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  return h(TextFieldEntry, {
    element,
    id,
    label: '条件（FEEL）',
    description: '以“=”开头，如 =action = "pass"；留空为无条件',
    debounce,
    getValue: () => ((bo.conditionExpression as BusinessObject | undefined)?.body as string | undefined) ?? '',
    setValue: (value: string) => {
      const conditionExpression = value ? bpmnFactory.create('bpmn:FormalExpression', { body: value }) : undefined;
      modeling.updateProperties(element, { conditionExpression });
    },
  });
}

function entries(element: Element, specs: FieldSpec[]) {
  return specs.map((spec) => ({
    id: `zcps-${spec.attr.replace(/[^a-zA-Z]/g, '-')}`,
    element,
    component: (p: { element: Element; id: string }) => h(AttrEntry, { ...p, spec }),
    isEdited: isTextFieldEntryEdited,
  }));
}

function groupFor(element: Element) {
  const bo = getBusinessObject(element) as BusinessObject;
  const list: Array<Record<string, unknown>> = [];
  if (is(element, 'bpmn:UserTask')) {
    list.push(...entries(element, USER_TASK));
    list.push({ id: 'zcps-candidate-scope', element, component: ScopeEntry, isEdited: isSelectEntryEdited });
  }
  if (is(element, 'bpmn:StartEvent') && bo.$parent && is(bo.$parent as unknown as Element, 'bpmn:Process')) list.push(...entries(element, START_EVENT));
  if (is(element, 'bpmn:ServiceTask')) list.push(...entries(element, SERVICE_TASK));
  if (is(element, 'bpmn:CallActivity')) list.push(...entries(element, CALL_ACTIVITY));
  if (is(element, 'bpmn:ExclusiveGateway')) list.push(...entries(element, CHOICE_GATEWAY));
  const role = messageRole(element);
  if (role) list.push(...entries(element, role === 'catch' ? MESSAGE_CATCH : MESSAGE_THROW));
  if (is(element, 'bpmn:Process') || (is(element, 'bpmn:Participant') && bo.processRef)) {
    list.push(...entries(element, PROCESS));
    list.push({ id: 'zcps-started-by', element, component: StartedByEntry, isEdited: isSelectEntryEdited });
  }
  if (loopOf(element) && is(loopOf(element) as unknown as Element, 'bpmn:MultiInstanceLoopCharacteristics')) {
    list.push(...entries(element, MULTI_INSTANCE));
  }
  if (is(element, 'bpmn:SequenceFlow')) {
    const source = bo.sourceRef as BusinessObject | undefined;
    if (source && !['bpmn:ParallelGateway', 'bpmn:EventBasedGateway'].includes(source.$type)) {
      list.push({ id: 'zcps-condition', element, component: ConditionEntry, isEdited: isTextFieldEntryEdited });
    }
  }
  return list.length ? { id: 'zcps', label: '职称系统（引擎属性）', entries: list } : null;
}

type Translate = (template: string, replacements?: Record<string, string>) => string;

const plainText = (d: BusinessObject) => ((d.textFormat as string | undefined) ?? 'text/plain') === 'text/plain';

/**
 * The element's (or the pool's process's) 说明, as bpmn-js-properties-panel's own entry keeps it,
 * but handing the text area our translate: the library's entry does not, so its 「在弹出窗口中编辑」
 * button stayed in English.
 */
function DocumentationEntry(props: { element: Element; id: string; label: string; ofProcess: boolean }) {
  const { element, id, label, ofProcess } = props;
  const modeling = useService('modeling') as Modeling;
  const bpmnFactory = useService('bpmnFactory') as BpmnFactory;
  const translate = useService('translate') as Translate;
  const debounce = useService('debounceInput');
  const owner = () => {
    const bo = getBusinessObject(element);
    return ofProcess ? (bo.processRef as BusinessObject) : bo;
  };
  const documentation = () => (owner().get('documentation') as BusinessObject[] | undefined) ?? [];
  return h(TextAreaEntry, {
    element,
    id,
    label,
    debounce,
    translate,
    getValue: () => (documentation().find(plainText)?.text as string | undefined) ?? '',
    setValue: (value: string) => {
      const others = documentation().filter((d) => !plainText(d));
      modeling.updateModdleProperties(element, owner(), { documentation: value ? [...others, bpmnFactory.create('bpmn:Documentation', { text: value })] : others });
    },
  });
}

/** 名称 of an element or pool, as the library's entry keeps it, with our translate (see DocumentationEntry). */
function NameEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const modeling = useService('modeling') as Modeling;
  const translate = useService('translate') as Translate;
  const debounce = useService('debounceInput');
  return h(TextAreaEntry, {
    element,
    id,
    label: translate(is(element, 'bpmn:Participant') ? 'Participant Name' : 'Name'),
    debounce,
    translate,
    autoResize: true,
    getValue: () => (getBusinessObject(element).name as string | undefined) ?? '',
    setValue: (value: string) => modeling.updateProperties(element, { name: value }),
  });
}

/** The library's entries that render a text area without passing translate on, and ours in their place. */
function translatedEntry(groupId: string, entry: Record<string, unknown>, element: Element, translate: Translate): Record<string, unknown> {
  if (groupId === 'general' && entry.id === 'name' && !is(element, 'bpmn:TextAnnotation') && !is(element, 'bpmn:Group')) {
    return { ...entry, component: NameEntry };
  }
  if (groupId === 'documentation' && (entry.id === 'documentation' || entry.id === 'processDocumentation')) {
    const ofProcess = entry.id === 'processDocumentation';
    return {
      ...entry,
      component: (p: { element: Element; id: string }) => h(DocumentationEntry, { ...p, label: translate(ofProcess ? 'Process documentation' : 'Element documentation'), ofProcess }),
    };
  }
  return entry;
}

interface PanelGroup {
  id: string;
  entries?: Array<Record<string, unknown>>;
  translate?: Translate;
}

function ZcpsPropertiesProvider(this: { getGroups: unknown }, propertiesPanel: { registerProvider(priority: number, provider: unknown): void }, translate: Translate) {
  this.getGroups = (element: Element) => (groups: PanelGroup[]) => {
    const group = groupFor(element);
    if (group) groups.splice(1, 0, group);
    for (const g of groups) {
      // a group's own controls (展开/收起, 此部分已填写) speak through the translate it is given
      g.translate = translate;
      g.entries = g.entries?.map((entry) => translatedEntry(g.id, entry, element, translate));
    }
    return groups;
  };
  propertiesPanel.registerProvider(500, this);
}
ZcpsPropertiesProvider.$inject = ['propertiesPanel', 'translate'];

export const ZcpsPropertiesProviderModule = {
  __init__: ['zcpsPropertiesProvider'],
  zcpsPropertiesProvider: ['type', ZcpsPropertiesProvider],
};
