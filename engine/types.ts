import type { Knex } from 'knex';

/** Who is acting: a user with the permission keys of their roles, in one unit. */
export interface Actor {
  userId: number;
  unitId: number | null;
  /** permission keys the user holds (from their roles) */
  roles: string[];
  displayName?: string;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface UserTaskMeta {
  id: string;
  name: string;
  /** FEEL or literal inbox name; the element name when null */
  taskName: string | null;
  formKey: string | null;
  candidateRoles: string | null;
  candidateUnit: string | null;
  candidateScope: 'unit' | 'subtree';
  candidateUsers: string | null;
  assignee: string | null;
  dueDate: string | null;
  actions: string[];
  multiInstance: boolean;
  /** name of the loop variable each iteration sees (multi-instance only) */
  loopVariable: string | null;
  /** what the task leads to without another activity in between (see `ReachMeta`); absent in versions deployed before it */
  reach?: ReachMeta;
}

/** Where a path from an element goes through gateways only: the choices it meets, and whether it ends the process. */
export interface ReachMeta {
  /** ids of the choice gateways (`zcps:choice`) reached */
  choices: string[];
  /** an end event is reached: the caller's call activity continues the path */
  end: boolean;
}

/** An exclusive gateway whose way out a person chooses: each outgoing flow is one option. */
export interface ChoiceMeta {
  id: string;
  name: string;
  /** the variable the person sets, as a path (`decision.returnTo`) */
  variable: string;
  options: Array<{ flowId: string; value: string; label: string; condition: string }>;
}

export interface ServiceTaskMeta {
  id: string;
  name: string;
  handler: string;
  /** FEEL context expression evaluated against the variables and handed to the handler */
  inputs: string | null;
}

export interface CallActivityMeta {
  id: string;
  name: string;
  calledElement: string;
  inputs: string | null;
  resultVariable: string | null;
  /** FEEL context over the called flow's variables, merged into the caller's when it ends */
  outputs?: string | null;
  /** a multi-instance call's element variable: each iteration's inputs see its own item */
  loopVariable?: string | null;
  reach?: ReachMeta;
}

/**
 * An element that sends or receives a message between flows (`engine/messages.ts`):
 * `catch` (intermediate catch event, boundary event), `receive` (receive task), `start` (message
 * start event), `throw` (intermediate throw event), `end` (message end event), `send` (send task).
 */
export interface MessageElementMeta {
  id: string;
  name: string;
  kind: 'catch' | 'receive' | 'start' | 'throw' | 'end' | 'send';
  /** the bpmn:message's name: what throws and catches are matched by */
  messageName: string;
  /** FEEL or literal; a catch without one waits for its instance's business key */
  correlationKey: string | null;
  /** FEEL context of a throw: the variables the message carries */
  payload: string | null;
  /** ISO 8601 duration a thrown message waits for a receiver */
  timeToLive: string | null;
  /** a multi-instance send task's loop variable */
  loopVariable: string | null;
}

/** What the engine read from a diagram, stored with each version. */
export interface DefinitionMeta {
  key: string;
  name: string;
  /** permission keys whose holders may start the flow through the API */
  starterRoles: string[];
  /** only the system starts it (`zcps:startedBy="system"`); absent in versions deployed before it was declared */
  systemStart?: boolean;
  /** the blank start event's form: the variables a start through the API may give (none without one) */
  startFormKey?: string | null;
  summary: string | null;
  userTasks: UserTaskMeta[];
  serviceTasks: ServiceTaskMeta[];
  callActivities: CallActivityMeta[];
  /** choice gateways (`zcps:choice`); absent in versions deployed before them */
  choices?: ChoiceMeta[];
  /** element id → display name, for history and the instance viewer */
  elementNames: Record<string, string>;
  /** elements that send or receive messages; absent in versions deployed before them */
  messages?: MessageElementMeta[];
}

export interface ProcessDefinitionRecord {
  id: number;
  key: string;
  version: number;
  name: string;
  xml: string;
  contentHash: string;
  meta: DefinitionMeta;
  deployedBy: number | null;
  deployedAt: Date;
}

export interface ServiceHandlerContext {
  /** the step's transaction; a handler's writes commit or roll back with the step */
  trx: Knex.Transaction;
  instanceId: string;
  rootInstanceId: string;
  processKey: string;
  businessKey: string | null;
  elementId: string;
  variables: Readonly<Record<string, unknown>>;
  /** the service task's `zcps:inputs`, evaluated; empty when it has none */
  input: Readonly<Record<string, unknown>>;
  clock: Clock;
}

/**
 * A named piece of domain work referenced from a diagram (`zcps:handler`). Returns variables to
 * merge. A handler marked `readOnly` only reads: it runs on the step's reader (no transaction of
 * its own, no savepoint), so a step that only reads keeps the one-statement write path.
 */
export type ServiceHandler = ((ctx: ServiceHandlerContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void) & { readOnly?: boolean };

export interface FormValidationInput {
  formKey: string;
  action: string;
  opinion: string | null;
  data: unknown;
}

export interface FormValidationResult {
  /** cleaned form data, kept in the task's history event */
  data: Record<string, unknown>;
  /** what the completion writes into the instance's variables */
  variables: Record<string, unknown>;
}

/** Validates submitted task data against its form; returns the cleaned data or throws ValidationError. */
export type FormValidator = (input: FormValidationInput) => FormValidationResult;

/**
 * Validates the variables of a start through the API against the start form: returns the
 * variables to start with, or throws ValidationError naming each field (`variables.<name>`),
 * including every variable the form does not declare.
 */
export type StartFormValidator = (input: { formKey: string; variables: Record<string, unknown> }) => Record<string, unknown>;

export interface TaskRecord {
  id: string;
  instanceId: string;
  rootInstanceId: string;
  processKey: string;
  processVersion: number;
  definitionId: number;
  businessKey: string | null;
  elementId: string;
  executionId: string;
  name: string;
  formKey: string | null;
  candidateRoles: string[];
  candidateUnitId: number | null;
  candidateScope: 'unit' | 'subtree';
  candidateUserIds: number[];
  assigneeId: number | null;
  actions: string[];
  status: 'open' | 'completed' | 'cancelled';
  createdAt: Date;
  dueAt: Date | null;
  overdueAt: Date | null;
  completedAt: Date | null;
  completedBy: number | null;
  action: string | null;
  opinion: string | null;
}

/** Decides whether an actor may act on a task; the API supplies one that knows the unit tree. */
export type TaskAuthorizer = (actor: Actor, task: TaskRecord) => boolean | Promise<boolean>;

export interface HistoryEventRecord {
  id: number;
  instanceId: string;
  rootInstanceId: string;
  type: string;
  elementId: string | null;
  elementName: string | null;
  taskId: string | null;
  actorId: number | null;
  actorName: string | null;
  action: string | null;
  opinion: string | null;
  data: Record<string, unknown> | null;
  createdAt: Date;
}

export interface InstanceRecord {
  id: string;
  definitionId: number;
  processKey: string;
  processVersion: number;
  businessKey: string | null;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
  parentElementId: string | null;
  callPath: string[];
  rootInstanceId: string;
  /** terminated: its caller moved on; cancelled: ended on purpose (`cancelInstance`) */
  status: 'running' | 'completed' | 'terminated' | 'cancelled';
  variables: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  trail: string[];
  version: number;
  openIncidents: number;
  startedBy: number | null;
  startedAt: Date;
  endedAt: Date | null;
  updatedAt: Date;
}

export interface IncidentRecord {
  id: number;
  instanceId: string;
  rootInstanceId: string;
  elementId: string;
  executionId: string;
  handler: string | null;
  message: string;
  attempts: number;
  status: 'open' | 'resolved';
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
}
