import { z } from 'zod';

export { errorSchema } from '../../src/schemas.ts';

export const taskIdParams = z.object({ id: z.uuid({ error: '任务编号格式不正确' }) });

export const taskListItem = z.object({
  id: z.string(),
  name: z.string(),
  processKey: z.string(),
  processName: z.string(),
  processVersion: z.number(),
  /** the (sub-)flow the task belongs to, when it is not the case's own flow */
  stepProcessKey: z.string(),
  elementId: z.string(),
  stepElementId: z.string(),
  formKey: z.string().nullable(),
  instanceId: z.string(),
  rootInstanceId: z.string(),
  businessKey: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()).nullable(),
  candidateUnitId: z.number().nullable(),
  candidateRoles: z.array(z.string()),
  assigneeId: z.number().nullable(),
  actions: z.array(z.string()),
  status: z.string(),
  createdAt: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  /** the inbox's reading of the due date by the server's clock: overdue (已超期 N 天), or due within a day (今日到期 / 明日到期) */
  dueState: z.object({ level: z.enum(['overdue', 'soon']), label: z.string() }).nullable().optional(),
  completedAt: z.string().nullable(),
  action: z.string().nullable(),
  /** what the action is called at this task's own step (接收 at 评委会接收) */
  actionLabel: z.string().nullable(),
  opinion: z.string().nullable(),
});

export const completeBody = z.object({
  action: z.string().trim().min(1).max(40),
  opinion: z.string().max(2000).nullish(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const batchBody = z.object({
  taskIds: z.array(z.uuid({ error: '任务编号格式不正确' })).min(1).max(1000),
  action: z.string().trim().min(1).max(40),
  opinion: z.string().max(2000).nullish(),
  /** the form data every task of the batch is completed with: the fields the batch form offers (退回至, shared uploads); only the action's own fields are kept */
  data: z.record(z.string(), z.unknown()).optional(),
});

export const batchFormBody = z.object({
  taskIds: z.array(z.uuid({ error: '任务编号格式不正确' })).min(1).max(1000),
  action: z.string().trim().min(1).max(40),
});

/** A field a batch asks once for all its tasks. */
export const batchField = z.object({
  name: z.string(),
  title: z.string(),
  widget: z.enum(['select', 'file', 'date']),
  required: z.boolean(),
  description: z.string().optional(),
  /** select: the options every task of the batch allows */
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  default: z.string().optional(),
  /** file: accepted extensions, how many, how large */
  accept: z.array(z.string()).optional(),
  maxFiles: z.number().optional(),
  maxSizeMb: z.number().optional(),
});

export const batchFormResult = z.object({ fields: z.array(batchField) });

export const batchResult = z.object({
  results: z.array(
    z.object({
      taskId: z.string(),
      ok: z.boolean(),
      status: z.number(),
      error: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  succeeded: z.number(),
  failed: z.number(),
});

export const historyItem = z.object({
  id: z.number(),
  instanceId: z.string(),
  type: z.string(),
  elementId: z.string().nullable(),
  elementName: z.string().nullable(),
  taskId: z.string().nullable(),
  actorId: z.number().nullable(),
  actorName: z.string().nullable(),
  action: z.string().nullable(),
  opinion: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  /** the action as its own step called it (the entry's task's form), not as the current step does */
  actionLabel: z.string().nullable(),
  /** the unit the entry's task acted for (a 多岗审核 post: the unit whose posts ran) */
  unitName: z.string().nullable(),
});

export const taskDetail = z.object({
  task: taskListItem,
  canAct: z.boolean(),
  form: z.record(z.string(), z.unknown()).nullable(),
  actions: z.array(z.object({ key: z.string(), label: z.string(), opinionRequired: z.boolean() })),
  instance: z.object({
    id: z.string(),
    processKey: z.string(),
    processName: z.string(),
    processVersion: z.number(),
    status: z.string(),
    businessKey: z.string().nullable(),
    variables: z.record(z.string(), z.unknown()),
    summary: z.record(z.string(), z.unknown()).nullable(),
  }),
  /** the case (root instance) the task belongs to */
  case: z.object({
    id: z.string(),
    processKey: z.string(),
    processName: z.string(),
    status: z.string(),
    businessKey: z.string().nullable(),
    summary: z.record(z.string(), z.unknown()).nullable(),
    variables: z.record(z.string(), z.unknown()),
  }),
  /** what the form starts with: this form's last submission, else the case's data under the form's variable */
  initialData: z.record(z.string(), z.unknown()),
  /** the latest data submitted with each form in this case, with the form's schema for labels */
  submissions: z.array(
    z.object({
      formKey: z.string(),
      title: z.string(),
      schema: z.record(z.string(), z.unknown()).nullable(),
      data: z.record(z.string(), z.unknown()),
      elementName: z.string().nullable(),
      actorName: z.string().nullable(),
      at: z.string(),
    }),
  ),
  history: z.array(historyItem),
});

export const countsResult = z.array(
  z.object({ id: z.string(), processKey: z.string(), processName: z.string(), elementId: z.string(), name: z.string(), count: z.number() }),
);

export const completeResult = z.object({
  task: z.object({ id: z.string(), status: z.string(), action: z.string().nullable(), actionLabel: z.string().nullable() }),
  instance: z.object({ id: z.string(), status: z.string() }),
  /** where the case went: the tasks this completion opened */
  nextTasks: z.array(
    z.object({
      id: z.string(),
      instanceId: z.string(),
      elementId: z.string(),
      name: z.string(),
      candidateUnitId: z.number().nullable(),
      assigneeId: z.number().nullable(),
    }),
  ),
  /** the case (root instance) after the step; `endedAt` names where it ended */
  case: z.object({
    id: z.string(),
    status: z.string(),
    endedAt: z.string().nullable(),
    /** the messages a running case waits for (its catch events' names, e.g. 评审结果) */
    waitingFor: z.array(z.string()),
  }),
  /** what is next for the case: its open tasks and who holds them (unit, or the person it is assigned to) */
  next: z.array(z.object({ taskId: z.string(), name: z.string(), elementId: z.string(), holder: z.string().nullable() })),
});
