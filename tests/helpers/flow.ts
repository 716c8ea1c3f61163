import { expect } from 'vitest';
import type { TestApp } from './app.ts';
import { VALID_DOSSIER } from './app.ts';

export interface InboxItem {
  id: string;
  name: string;
  elementId: string;
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
  const item = items.find((i) => i.rootInstanceId === instanceId && (!elementId || i.elementId === elementId));
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
    history: Array<{ type: string; elementId: string | null; actorName: string | null; action: string | null; opinion: string | null; data: Record<string, unknown> | null }>;
    variables: Record<string, unknown>;
    trail: string[];
  };
}
