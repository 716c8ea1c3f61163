import { expect } from 'vitest';
import type { Knex } from 'knex';
import type { TestApp } from './app.ts';
import { VALID_DOSSIER } from './app.ts';
import { uploadPdf } from './files.ts';
import { shanghaiDate } from '../../api/modules/calendar/calendar.service.ts';

export interface InboxItem {
  id: string;
  name: string;
  elementId: string;
  stepElementId: string;
  instanceId: string;
  rootInstanceId: string;
  summary: Record<string, unknown> | null;
  candidateUnitId: number | null;
}

export async function inbox(t: TestApp, user: string, query = ''): Promise<InboxItem[]> {
  const res = await t.request('GET', `/api/tasks${query}`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as InboxItem[];
}

export async function taskOf(t: TestApp, user: string, instanceId: string, elementId?: string): Promise<InboxItem> {
  const items = await inbox(t, user);
  const item = items.find((i) => i.rootInstanceId === instanceId && (!elementId || i.elementId === elementId || i.stepElementId === elementId));
  expect(item, `${user} should have a task of ${instanceId}${elementId ? ` at ${elementId}` : ''}`).toBeDefined();
  return item as InboxItem;
}

export async function startDossier(t: TestApp, user: string, activityId = 1): Promise<string> {
  const res = await t.request('POST', '/api/process-instances', { user, body: { processKey: 'dossier-review', variables: { activityId } } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

export async function complete(t: TestApp, user: string, taskId: string, action: string, opinion?: string, data?: unknown) {
  return t.request('POST', `/api/tasks/${taskId}/complete`, { user, body: { action, ...(opinion ? { opinion } : {}), ...(data ? { data } : {}) } });
}

export async function completeOk(t: TestApp, user: string, taskId: string, action: string, opinion?: string, data?: unknown) {
  const res = await complete(t, user, taskId, action, opinion, data);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { instance: { status: string }; nextTasks: Array<{ id: string; name: string; elementId: string }> };
}

/**
 * A 单位公示 period that has ended by `at` (the test clock's today): 20 days to today, at least 5
 * working days whatever holidays fall in it. A clock moved past the last year the 工作日历 holds
 * (`lastYear`) gets a period at that year's end, which the calendar can count.
 */
export function publicityPeriod(at: Date, lastYear?: number) {
  const end = lastYear != null && Number(shanghaiDate(at).slice(0, 4)) > lastYear ? new Date(`${lastYear}-12-31T12:00:00+08:00`) : at;
  return { publicityStart: shanghaiDate(new Date(end.getTime() - 20 * 86_400_000)), publicityEnd: shanghaiDate(end) };
}

/** What the employer's pass needs (form employer-review): the 公示期, the 公示 proof and the 综合推荐材料, uploaded by `user`. */
export async function employerPassData(t: TestApp, user: string) {
  return { ...publicityPeriod(t.clock.now(), Math.max(...t.app.calendar.years())), publicityProof: [await uploadPdf(t, user, '公示证明.pdf')], recommendation: [await uploadPdf(t, user, '综合推荐材料.pdf')] };
}

/** The employer passes its review (unit_review, or unit_materials after its posts) with the two uploads. */
export async function passEmployer(t: TestApp, user: string, taskId: string, opinion?: string) {
  return completeOk(t, user, taskId, 'pass', opinion, await employerPassData(t, user));
}

/** Applicant starts and submits a dossier; returns the instance id (now at the employer's review). */
export async function submitDossier(t: TestApp, applicant = 'zhangwei', data: Record<string, unknown> = VALID_DOSSIER): Promise<string> {
  const id = await startDossier(t, applicant);
  const task = await taskOf(t, applicant, id, 'submit');
  await completeOk(t, applicant, task.id, 'submit', undefined, data);
  return id;
}

export async function instanceView(t: TestApp, user: string, id: string) {
  const res = await t.request('GET', `/api/process-instances/${id}`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    status: string;
    processVersion: number;
    tasks: Array<{ id: string; elementId: string; name: string }>;
    history: Array<{ type: string; elementId: string | null; elementName: string | null; actorName: string | null; action: string | null; opinion: string | null; data: Record<string, unknown> | null }>;
    variables: Record<string, unknown>;
    trail: string[];
  };
}

/** Open tasks of a case at a step of its flow (a task of the step itself, or of the sub-flow it called). */
export async function openTasksAt(db: Knex, rootInstanceId: string, step: string): Promise<number> {
  const [row] = await db('tasks as t')
    .leftJoin('process_instances as s', 's.id', 't.instance_id')
    .where({ 't.root_instance_id': rootInstanceId, 't.status': 'open' })
    .where((w) => w.where('t.element_id', step).orWhere('s.parent_element_id', step))
    .count<{ n: number }[]>({ n: '*' });
  return Number(row?.n ?? 0);
}

/** The names of the completed tasks of a case, in order (as 经办流程 shows them). */
export async function completedSteps(db: Knex, rootInstanceId: string): Promise<string[]> {
  return db('history_events').where({ root_instance_id: rootInstanceId, type: 'task.complete' }).orderBy('id').pluck('element_name');
}
