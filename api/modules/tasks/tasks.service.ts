import { randomUUID } from 'node:crypto';
import { actionLabelOf, getForm, formJsonSchema, schemaForAction } from '../../../forms/index.ts';
import { ACTION_LABELS } from '../../../forms/labels.ts';
import type { AvailableChoice, ChoiceOption, PrefetchedTask, TaskWitness, WorkflowEngine } from '../../../engine/index.ts';
import type { FormDefinition } from '../../../forms/index.ts';
import type { HistoryEventRecord, TaskRecord } from '../../../engine/types.ts';
import { EngineError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import { fileIdsIn } from '../files/files.service.ts';
import type { FilesRepository } from '../files/files.repository.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import type { Knex } from 'knex';
import type { TasksRepository } from './tasks.repository.ts';

/** A module's checks of a form's data that need the database (unique codes, valid references), keyed by form key. */
export type CompletionCheck = (input: { task: TaskRecord; actor: RequestActor; action: string; data: Record<string, unknown>; batch?: BatchReads }) => Promise<void>;

/**
 * What a check reads per case, shared by the cases of one chunk of a batch: the first case that
 * asks reads for all of them with one statement.
 */
export interface BatchReads {
  load<T>(name: string, rootInstanceId: string, readMany: (rootInstanceIds: string[]) => Promise<Map<string, T>>): Promise<T | undefined>;
}

function batchReads(rootInstanceIds: string[]): BatchReads {
  const known = new Set(rootInstanceIds);
  const reads = new Map<string, Promise<Map<string, unknown>>>();
  return {
    async load<T>(name: string, rootInstanceId: string, readMany: (ids: string[]) => Promise<Map<string, T>>) {
      let read = reads.get(name) as Promise<Map<string, T>> | undefined;
      if (!read) {
        read = readMany(rootInstanceIds);
        reads.set(name, read);
      }
      const found = await read;
      // a case the chunk did not know of reads for itself
      return known.has(rootInstanceId) ? found.get(rootInstanceId) : (await readMany([rootInstanceId])).get(rootInstanceId);
    },
  };
}

/** Several completion checks of one form key, run in order (the first refusal wins). */
export function composeChecks(...checks: CompletionCheck[]): CompletionCheck {
  return async (input) => {
    for (const check of checks) await check(input);
  };
}

/**
 * The form as this task shows it: a field that chooses a way out of a choice gateway (退回至)
 * offers exactly the options the diagram has for this case.
 */
export function formWithChoices(form: FormDefinition, choices: AvailableChoice[]): Record<string, unknown> {
  const schema = formJsonSchema(form);
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const choice of choices) {
    const prefix = form.variable ? `${form.variable}.` : '';
    if (prefix && !choice.variable.startsWith(prefix)) continue;
    const field = properties[choice.variable.slice(prefix.length)];
    if (!field) continue;
    field.options = choice.options;
    field.enum = choice.options.map((o) => o.value);
    if (field.default !== undefined && !choice.options.some((o) => o.value === field.default)) delete field.default;
  }
  return schema;
}

/**
 * A history as people read it: each entry with its own step's action label and its own unit,
 * read from the task the entry records (its form and candidate unit), never from the task being
 * looked at — so old entries read right too.
 */
export async function labelledHistory(repo: Pick<TasksRepository, 'places'>, history: HistoryEventRecord[]) {
  const places = await repo.places(history.flatMap((h) => (h.taskId ? [h.taskId] : [])));
  return history.map((h) => {
    const place = h.taskId ? places.get(h.taskId) : undefined;
    return {
      ...h,
      createdAt: h.createdAt.toISOString(),
      actionLabel: actionLabelOf(place?.formKey, h.action),
      unitName: place?.unitName ?? null,
    };
  });
}

/** A list row with what its action is called at its own step (已办事项). */
export function withActionLabel<T extends { formKey: string | null; action: string | null }>(item: T): T & { actionLabel: string | null } {
  return { ...item, actionLabel: actionLabelOf(item.formKey, item.action) };
}

const DAY = 24 * 60 * 60 * 1000;
const shanghaiDay = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** An open task's due date as the inbox shows it: overdue by how many whole days, or due within a day. */
export function dueStateOf(task: { dueAt: string | null; overdue: boolean; status: string }, now: Date): { level: 'overdue' | 'soon'; label: string } | null {
  if (!task.dueAt || task.status !== 'open') return null;
  const due = new Date(task.dueAt).getTime();
  if (task.overdue || due <= now.getTime()) {
    const days = Math.floor((now.getTime() - due) / DAY);
    return { level: 'overdue', label: days >= 1 ? `已超期 ${days} 天` : '已超期' };
  }
  if (due - now.getTime() > DAY) return null;
  return { level: 'soon', label: shanghaiDay.format(due) === shanghaiDay.format(now) ? '今日到期' : '明日到期' };
}

/** Tasks a batch reads ahead with one statement. */
const BATCH_CHUNK = 50;

/** A field a batch asks once for all its tasks (退回至, an upload or a date every task needs). */
export interface BatchField {
  name: string;
  title: string;
  widget: 'select' | 'file' | 'date';
  required: boolean;
  description?: string;
  options?: ChoiceOption[];
  default?: string;
  accept?: string[];
  maxFiles?: number;
  maxSizeMb?: number;
}

/** In the diagrams a choice gateway is where a return goes (退回至); a pass or a reject chooses nothing. */
const CHOOSING_ACTIONS = new Set(['return']);

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/**
 * The fields every task of a batch has, with the options every one of them allows: a field one
 * task lacks is not asked (each task keeps its own default), a choice offers what all allow.
 */
export function commonBatchFields(perTask: BatchField[][]): BatchField[] {
  const [first, ...rest] = perTask;
  if (!first) return [];
  return first.flatMap((field) => {
    const others = rest.map((fields) => fields.find((f) => f.name === field.name && f.widget === field.widget));
    if (others.some((o) => !o)) return [];
    if (field.widget !== 'select') return [field];
    const options = (field.options ?? []).filter((o) => others.every((f) => f!.options?.some((x) => x.value === o.value)));
    const { default: fallback, ...offered } = field;
    return [{ ...offered, options, ...(fallback !== undefined && options.some((o) => o.value === fallback) ? { default: fallback } : {}) }];
  });
}

/** The submitted data with each shared file's id replaced by the id of this case's copy. */
function withFileIds(value: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withFileIds(v, ids));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === 'id' && typeof v === 'string' && ids.has(v) ? ids.get(v) : withFileIds(v, ids);
    return out;
  }
  return value;
}

const STATUS_OF: Record<string, number> = { NOT_FOUND: 404, CONFLICT: 409, FORBIDDEN: 403, VALIDATION: 400, EXECUTION_FAILED: 500 };

/** Task reading and completion rules shared by the single and the batch endpoints. */
export function createTasksService(
  engine: WorkflowEngine,
  repo: TasksRepository,
  checks: Record<string, CompletionCheck> = {},
  concurrency = 1,
  log?: { warn(obj: unknown, msg?: string): void },
  /** who may know of a task without acting on it (whoever may read its case) */
  witness?: TaskWitness,
  files?: FilesRepository,
) {
  const checkOf = (actor: RequestActor, batch?: BatchReads) => async (task: TaskRecord, validated: { action: string; data: Record<string, unknown> }) => {
    const check = task.formKey ? checks[task.formKey] : undefined;
    if (check) await check({ task, actor, ...validated, ...(batch ? { batch } : {}) });
  };

  async function detail(taskId: string, actor: RequestActor) {
    const item = await repo.getItem(taskId);
    if (!item) throw new NotFoundError('任务不存在');
    const task = await engine.getTask(taskId);
    // another unit's task answers exactly as one that does not exist
    if (!(await engine.knowsOf(actor, task, witness))) throw new NotFoundError('任务不存在');
    const canAct = task.status === 'open' && (task.assigneeId == null || task.assigneeId === actor.userId) && (await engine.canAct(actor, task));
    const instance = await engine.repo.getInstance(task.instanceId);
    if (!instance) throw new NotFoundError('流程实例不存在');
    const form = task.formKey ? getForm(task.formKey) : undefined;
    const labels: Record<string, string> = { ...ACTION_LABELS, ...(form?.actionLabels ?? {}) };
    const history = await engine.history(task.rootInstanceId);
    const root = task.rootInstanceId === instance.id ? instance : await engine.repo.getInstance(task.rootInstanceId);
    // what the case carries: the latest data submitted with each form, shown with that form's labels
    const withData = history.filter((h) => h.type === 'task.complete' && h.data && h.taskId);
    const formKeys = new Map<string, string | null>();
    if (withData.length) {
      const rows = await engine.repo.formKeysOfTasks(withData.map((h) => h.taskId as string));
      for (const [id, key] of rows) formKeys.set(id, key);
    }
    const latest = new Map<string, (typeof withData)[number]>();
    for (const h of withData) {
      const key = formKeys.get(h.taskId as string);
      if (key) latest.set(key, h);
    }
    const submissions = [...latest.entries()].map(([formKey, h]) => {
      const submitted = getForm(formKey);
      // entries stored before fields named their actions may carry another action's fields (a
      // 退回至 under a pass): the case shows only the fields of the action taken
      const own = submitted && h.action ? new Set(Object.keys(schemaForAction(submitted, h.action).shape)) : null;
      const data = own ? Object.fromEntries(Object.entries(h.data ?? {}).filter(([name]) => own.has(name))) : (h.data ?? {});
      return {
        formKey,
        title: submitted?.title ?? formKey,
        schema: submitted ? formJsonSchema(submitted) : null,
        data,
        elementName: h.elementName,
        actorName: h.actorName,
        at: h.createdAt.toISOString(),
      };
    });
    const previous = submissions.find((s) => s.formKey === task.formKey)?.data;
    const fromCase = form?.variable ? (root?.variables ?? instance.variables)[form.variable] : undefined;
    const choices = form && canAct ? await engine.choicesFor(task) : [];
    // a choice (退回至) is made anew each time: never pre-filled from an earlier step's answer
    const chosenBefore = new Set(choices.map((c) => (form?.variable && c.variable.startsWith(`${form.variable}.`) ? c.variable.slice(form.variable.length + 1) : c.variable)));
    const initialData = Object.fromEntries(
      Object.entries((previous ?? (fromCase && typeof fromCase === 'object' ? fromCase : {})) as Record<string, unknown>).filter(([name]) => !chosenBefore.has(name)),
    );
    return {
      task: withActionLabel(item),
      canAct,
      initialData,
      form: form ? formWithChoices(form, choices) : null,
      actions: task.actions.map((key) => ({
        key,
        label: labels[key] ?? key,
        opinionRequired: form?.opinionRequiredFor.includes(key) ?? false,
      })),
      instance: {
        id: instance.id,
        processKey: instance.processKey,
        processName: item.processName,
        processVersion: instance.processVersion,
        status: instance.status,
        businessKey: instance.businessKey,
        variables: instance.variables,
        summary: instance.summary,
      },
      case: {
        id: root?.id ?? instance.id,
        processKey: root?.processKey ?? instance.processKey,
        processName: item.processName,
        status: root?.status ?? instance.status,
        businessKey: root?.businessKey ?? instance.businessKey,
        summary: root?.summary ?? null,
        variables: root?.variables ?? instance.variables,
      },
      submissions,
      history: await labelledHistory(repo, history),
    };
  }

  /**
   * What is next for the case after a step: its open tasks and who holds them (a called flow
   * that ended is not the case ending), or, when the case itself ended, where it ended.
   */
  async function nextOfCase(rootInstanceId: string) {
    const next = await repo.openOfCase(rootInstanceId);
    const root = await engine.repo.getInstance(rootInstanceId);
    let endedAt: string | null = null;
    if (root && root.status !== 'running') {
      const names = (await engine.definitionById(root.definitionId)).record.meta.elementNames;
      const last = [...root.trail].reverse().find((id) => names[id]);
      endedAt = last ? (names[last] ?? null) : null;
    }
    const waitingFor = root?.status === 'running' && !next.length ? (await engine.waitingMessages(rootInstanceId)).map((w) => w.elementName ?? w.name) : [];
    return {
      case: { id: rootInstanceId, status: root?.status ?? 'completed', endedAt, waitingFor },
      next: next.map((t) => ({ taskId: t.id, name: t.name, elementId: t.elementId, holder: t.assigneeName ?? t.unitName })),
    };
  }

  async function complete(taskId: string, actor: RequestActor, input: { action: string; opinion?: string | null; data?: unknown }) {
    const fileIds = [...fileIdsIn(input.data)];
    const result = await engine.completeTask(taskId, actor, {
      ...input,
      witness,
      check: checkOf(actor),
      // attachments submitted with the form become part of the case, in the same transaction
      ...(fileIds.length
        ? {
            withTransaction: async (trx, task) => {
              const files = await trx('files').select('id', 'uploaded_by', 'root_instance_id').whereIn('id', fileIds);
              if (files.length !== fileIds.length) throw new ValidationError('附件不存在或已被删除，请重新上传', [{ field: 'data', message: '附件不存在' }]);
              // the caller's own unit's licence is unit data, not another case's attachment
              const ownLicence = actor.unitId != null ? ((await trx('units').where({ id: actor.unitId }).first('licence_file_id'))?.licence_file_id as string | null) : null;
              for (const f of files) {
                const mine = Number(f.uploaded_by) === actor.userId;
                const sameCase = f.root_instance_id === task.rootInstanceId;
                if (!sameCase && f.id !== ownLicence && (!mine || f.root_instance_id)) throw new ForbiddenError('不能使用他人或其他申报的附件');
              }
              await trx('files').whereIn('id', fileIds).whereNull('root_instance_id').update({ root_instance_id: task.rootInstanceId });
            },
          }
        : {}),
    });
    return {
      task: { id: result.task.id, status: result.task.status, action: result.task.action, actionLabel: actionLabelOf(result.task.formKey, result.task.action) },
      instance: { id: result.instanceId, status: result.instanceStatus },
      nextTasks: result.nextTasks,
      ...(await nextOfCase(result.task.rootInstanceId)),
    };
  }

  /** The tasks of a selection this actor may complete with this action now (the others fail on their own). */
  async function actableTasks(ids: string[], actor: RequestActor, action: string): Promise<TaskRecord[]> {
    const found: TaskRecord[] = [];
    for (let i = 0; i < ids.length; i += BATCH_CHUNK) {
      const read = await engine.prefetchTasks(ids.slice(i, i + BATCH_CHUNK));
      for (const id of ids.slice(i, i + BATCH_CHUNK)) {
        const task = read.get(id)?.task;
        if (!task || task.status !== 'open' || !task.actions.includes(action)) continue;
        if (task.assigneeId != null && task.assigneeId !== actor.userId) continue;
        if (await engine.canAct(actor, task)) found.push(task);
      }
    }
    return found;
  }

  /**
   * What one task's form asks of a batch for this action: the choices of its case (退回至, with
   * the options the diagram has for it), the uploads the action requires (a pass at 申报单位审核
   * needs the 公示证明 and the 推荐材料) and its required dates (the unit's 公示期, one list
   * publicised together). Other fields are each case's own and not asked in a batch.
   */
  // forms do not change while the server runs
  const requiredFields = new Map<string, Set<string>>();
  async function batchFieldsOf(task: TaskRecord, action: string, schemas: Map<string, Record<string, Record<string, unknown>>>): Promise<BatchField[]> {
    const form = task.formKey ? getForm(task.formKey) : undefined;
    if (!form || !form.dataRequiredFor.includes(action)) return [];
    let properties = schemas.get(form.key);
    if (!properties) {
      properties = (formJsonSchema(form).properties ?? {}) as Record<string, Record<string, unknown>>;
      schemas.set(form.key, properties);
    }
    const fields: BatchField[] = [];
    // a field of another action (a pass-only upload on a return) is not asked
    const ofAction = (p: Record<string, unknown>) => !Array.isArray(p.actions) || p.actions.includes(action);
    let required = requiredFields.get(form.key);
    if (!required) {
      required = new Set((formJsonSchema(form).required ?? []) as string[]);
      requiredFields.set(form.key, required);
    }
    for (const [name, p] of Object.entries(properties)) {
      if (p.widget === 'date' && required.has(name) && ofAction(p)) {
        fields.push({ name, title: text(p.title) ?? name, widget: 'date', required: true, ...(text(p.description) ? { description: text(p.description) } : {}) });
        continue;
      }
      if (p.widget !== 'file' || (num(p.minItems) ?? 0) < 1 || !ofAction(p)) continue;
      fields.push({
        name,
        title: text(p.title) ?? name,
        widget: 'file',
        required: true,
        ...(text(p.description) ? { description: text(p.description) } : {}),
        ...(Array.isArray(p.accept) ? { accept: p.accept as string[] } : {}),
        ...(num(p.maxItems) ? { maxFiles: num(p.maxItems) } : {}),
        ...(num(p.maxSizeMb) ? { maxSizeMb: num(p.maxSizeMb) } : {}),
      });
    }
    if (CHOOSING_ACTIONS.has(action)) {
      const prefix = form.variable ? `${form.variable}.` : '';
      for (const choice of await engine.choicesFor(task)) {
        if (prefix && !choice.variable.startsWith(prefix)) continue;
        const name = choice.variable.slice(prefix.length);
        const p = properties[name];
        if (!p || !ofAction(p)) continue;
        fields.push({ name, title: text(p.title) ?? choice.name, widget: 'select', required: true, options: choice.options, ...(text(p.default) ? { default: text(p.default) } : {}) });
      }
    }
    return fields;
  }

  /** Each task's batch fields, a few cases at a time. */
  async function fieldsOfTasks(tasks: TaskRecord[], action: string): Promise<BatchField[][]> {
    const schemas = new Map<string, Record<string, Record<string, unknown>>>();
    const out: BatchField[][] = new Array(tasks.length);
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await batchFieldsOf(tasks[i]!, action, schemas);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, tasks.length) }, worker));
    return out;
  }

  /** 批量办理的表单: what a batch of these tasks asks once for all of them. */
  async function batchForm(taskIds: string[], actor: RequestActor, action: string): Promise<BatchField[]> {
    const tasks = await actableTasks([...new Set(taskIds)], actor, action);
    return commonBatchFields(await fieldsOfTasks(tasks, action));
  }

  /**
   * Checks what a batch carries for every task before any moves (a 退回至 one of them does not
   * allow refuses the whole batch: none is half-done), and answers, per task, its data: the shared
   * uploads become copies that belong to that case, written in the step's transaction.
   */
  async function sharedData(ids: string[], actor: RequestActor, action: string, data: Record<string, unknown>) {
    const keys = Object.keys(data).filter((k) => data[k] != null);
    if (!keys.length) return () => ({ data: {} });
    const tasks = await actableTasks(ids, actor, action);
    const perTask = await fieldsOfTasks(tasks, action);
    const problems = new Map<string, { field: string; message: string; taskIds: string[] }>();
    const refuse = (key: string, what: string, taskId: string) => {
      const problem = problems.get(`${key}:${what}`) ?? { field: `data.${key}`, message: what, taskIds: [] };
      problem.taskIds.push(taskId);
      problems.set(`${key}:${what}`, problem);
    };
    const titles = new Map(perTask.flat().map((f) => [f.name, f.title]));
    tasks.forEach((task, i) => {
      for (const key of keys) {
        const field = perTask[i]!.find((f) => f.name === key);
        const title = titles.get(key) ?? key;
        if (!field) refuse(key, `不能在批量办理中填写“${title}”`, task.id);
        else if (field.widget === 'select' && !field.options?.some((o) => o.value === data[key])) {
          const label = perTask.flat().find((f) => f.name === key)?.options?.find((o) => o.value === data[key])?.label ?? String(data[key]);
          refuse(key, `不能选择${title}“${label}”`, task.id);
        }
      }
    });
    if (problems.size) {
      const details = [...problems.values()].map((p) => ({ ...p, message: `${p.taskIds.length} 项${p.message}` }));
      throw new ValidationError(`所选待办中${details.map((d) => d.message).join('；')}，未办理任何一项，请重新选择`, details);
    }
    const fileIds = [...fileIdsIn(data)];
    if (fileIds.length) {
      if (!files) throw new Error('批量办理的附件需要附件存储');
      const found = await files.byIds(fileIds);
      if (found.length !== fileIds.length) throw new ValidationError('附件不存在或已被删除，请重新上传', [{ field: 'data', message: '附件不存在' }]);
      // shared uploads are the clerk's own, made for this batch; a case's file stays that case's
      if (found.some((f) => f.uploadedBy !== actor.userId || f.rootInstanceId != null)) throw new ForbiddenError('不能使用他人或其他申报的附件');
    }
    return () => {
      if (!fileIds.length || !files) return { data };
      const copies = new Map(fileIds.map((id) => [id, randomUUID()]));
      return {
        data: withFileIds(data, copies) as Record<string, unknown>,
        withTransaction: (trx: Knex.Transaction, task: TaskRecord) => files.copyToCase([...copies].map(([from, id]) => ({ from, id })), task.rootInstanceId, trx),
      };
    };
  }

  /**
   * Each task on its own transaction; one failing never blocks the rest. Up to `concurrency`
   * completions run at once: while one waits on the database another runs its engine step (tasks
   * of one case still go one after the other, under the case's lock). The tasks and their
   * instances are read ahead in chunks, the next chunk while this one is worked on.
   */
  async function batch(taskIds: string[], actor: RequestActor, input: { action: string; opinion?: string | null; data?: Record<string, unknown> }) {
    const ids = [...new Set(taskIds)];
    const shared = await sharedData(ids, actor, input.action, input.data ?? {});
    const results: Array<{ taskId: string; ok: boolean; status: number; error?: string; message?: string }> = new Array(ids.length);
    interface Chunk {
      tasks: Map<string, PrefetchedTask>;
      check: ReturnType<typeof checkOf>;
    }
    const chunks = new Map<number, Promise<Chunk>>();
    const readAhead = (chunk: number) => {
      if (chunk * BATCH_CHUNK >= ids.length || chunks.has(chunk)) return;
      const read = engine
        .prefetchTasks(ids.slice(chunk * BATCH_CHUNK, (chunk + 1) * BATCH_CHUNK))
        // a failed read only means each task reads for itself
        .catch((err: unknown) => {
          log?.warn({ err }, '批量办理预读任务失败，改为逐条读取');
          return new Map<string, PrefetchedTask>();
        })
        .then((tasks) => ({ tasks, check: checkOf(actor, batchReads([...new Set([...tasks.values()].map((p) => p.task.rootInstanceId))])) }));
      chunks.set(chunk, read);
    };
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        const taskId = ids[index]!;
        const chunk = Math.floor(index / BATCH_CHUNK);
        readAhead(chunk);
        readAhead(chunk + 1);
        const read = chunks.get(chunk)!;
        if (index % BATCH_CHUNK === BATCH_CHUNK - 1) chunks.delete(chunk);
        const { tasks, check } = await read;
        const prefetched = tasks.get(taskId);
        try {
          // the cases move on to other people: not kept in this process' memory
          await engine.completeTask(taskId, actor, { action: input.action, opinion: input.opinion ?? null, check, keepInMemory: false, prefetched, witness, ...shared() });
          results[index] = { taskId, ok: true, status: 200 };
        } catch (err) {
          if (!(err instanceof EngineError)) throw err;
          results[index] = { taskId, ok: false, status: STATUS_OF[err.code] ?? 500, error: err.name, message: err.message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
    const succeeded = results.filter((r) => r.ok).length;
    return { results, succeeded, failed: results.length - succeeded };
  }

  return { detail, complete, batch, batchForm };
}
