/**
 * The `zcps:` moddle extension: the attributes our engine reads from a diagram.
 * Kept small on purpose so the bpmn-js properties panel can edit every one of them.
 */
export const ZCPS_NS = 'http://zcps.gov.cn/schema/bpmn/1.0';

export const zcpsModdle = {
  name: 'zcps',
  prefix: 'zcps',
  uri: ZCPS_NS,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'ProcessProps',
      extends: ['bpmn:Process'],
      properties: [
        // permission keys whose holders may start the flow through the API, comma separated
        { name: 'starterRoles', isAttr: true, type: 'String' },
        // "system": only the system starts the flow (a module's own endpoint, a call activity);
        // a process declares this or starterRoles, never neither
        { name: 'startedBy', isAttr: true, type: 'String' },
        // FEEL context expression evaluated after each step; shown in inboxes and lists
        { name: 'summary', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'StartEventProps',
      extends: ['bpmn:StartEvent'],
      properties: [
        // the start form: the only variables a start through the API may give (the process's blank start event)
        { name: 'formKey', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'UserTaskProps',
      extends: ['bpmn:UserTask'],
      properties: [
        { name: 'formKey', isAttr: true, type: 'String' },
        // FEEL or literal display name of the task in inboxes (the element name when absent)
        { name: 'taskName', isAttr: true, type: 'String' },
        { name: 'candidateRoles', isAttr: true, type: 'String' },
        { name: 'candidateUnit', isAttr: true, type: 'String' },
        { name: 'candidateScope', isAttr: true, type: 'String' },
        { name: 'candidateUsers', isAttr: true, type: 'String' },
        { name: 'assignee', isAttr: true, type: 'String' },
        { name: 'dueDate', isAttr: true, type: 'String' },
        { name: 'actions', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'ServiceTaskProps',
      extends: ['bpmn:ServiceTask'],
      properties: [
        { name: 'handler', isAttr: true, type: 'String' },
        // FEEL context handed to the handler as its input
        { name: 'inputs', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'MultiInstanceProps',
      extends: ['bpmn:MultiInstanceLoopCharacteristics'],
      properties: [
        // FEEL list to iterate over, and the variable name each iteration sees
        { name: 'collection', isAttr: true, type: 'String' },
        { name: 'elementVariable', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'CallActivityProps',
      extends: ['bpmn:CallActivity'],
      properties: [
        { name: 'inputs', isAttr: true, type: 'String' },
        { name: 'resultVariable', isAttr: true, type: 'String' },
        // FEEL context evaluated against the called flow's variables when it ends, merged into the caller's
        { name: 'outputs', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'MessageProps',
      extends: ['bpmn:IntermediateCatchEvent', 'bpmn:IntermediateThrowEvent', 'bpmn:EndEvent', 'bpmn:ReceiveTask', 'bpmn:SendTask', 'bpmn:BoundaryEvent'],
      properties: [
        // FEEL or literal: on a catch, the key it waits for (the instance's business key when absent);
        // on a throw, the key of the instance it is for (e.g. ="dossier:" + string(item.dossierId))
        { name: 'correlationKey', isAttr: true, type: 'String' },
        // FEEL context: the variables a thrown message carries to its receiver
        { name: 'payload', isAttr: true, type: 'String' },
        // ISO 8601 duration a thrown message is kept while nobody waits for it (P30D when absent)
        { name: 'timeToLive', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'GatewayProps',
      extends: ['bpmn:ExclusiveGateway'],
      properties: [
        // the variable a person sets to choose one of the gateway's outgoing flows (e.g. 退回至: decision.returnTo)
        { name: 'choice', isAttr: true, type: 'String' },
      ],
    },
  ],
};
