import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completedSteps, completeOk, openTasksAt, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let applicants = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  // a batch thread beside the API, handed chunks of two tasks
  t = await startTestApp(db, { demo: true, config: { DATABASE_URL: db.url, BATCH_THREADS: '1', BATCH_CHUNK: '2' } });
  for (let i = 0; i < 300 && !t.app.batchThreads?.available(); i++) await new Promise((r) => setTimeout(r, 100));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** Dossiers of new applicants, passed by their employer: waiting at 主管部门审核. */
async function atDepartment(count: number): Promise<string[]> {
  const employer = await db.knex('units').where({ unit_type: 'employer' }).first();
  const hash = await hashPassword(DEMO_PASSWORD);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const username = `threaded${++applicants}`;
    await db.knex('users').insert({ username, password_hash: hash, display_name: `批量申报人${applicants}`, unit_id: employer.id, roles: ['applicant'] });
    const id = await submitDossier(t, username);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    ids.push(id);
  }
  return ids;
}

interface BatchBody {
  succeeded: number;
  failed: number;
  results: Array<{ taskId: string; ok: boolean; status: number; message?: string }>;
}

describe('a batch shared with a batch thread', () => {
  it('starts the thread on PostgreSQL', () => {
    expect(t.app.batchThreads?.available()).toBe(true);
  });

  it('completes every task once, part of them in the thread, and answers in the order asked', async () => {
    const cases = await atDepartment(7);
    const tasks = await Promise.all(cases.map(async (id) => (await taskOf(t, 'cd_jxj', id, 'department_review')).id));
    // one was passed on its own just before, and one id names no task
    await completeOk(t, 'cd_jxj', tasks[5]!, 'pass', '单独通过');
    const unknown = randomUUID();
    const stepsBefore = t.app.engine.stats.steps;
    const res = await t.request('POST', '/api/tasks/batch-complete', { user: 'cd_jxj', body: { taskIds: [...tasks, unknown], action: 'pass', opinion: '同意报送' } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as BatchBody;
    expect(body.results.map((r) => r.taskId)).toEqual([...tasks, unknown]);
    expect(body.results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 409, 200, 404]);
    expect(body).toMatchObject({ succeeded: 6, failed: 2 });
    // this process made fewer steps than the batch's completions: the thread made the others
    expect(t.app.engine.stats.steps - stepsBefore).toBeLessThan(6);
    for (const id of cases) {
      expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(1);
      expect((await completedSteps(db.knex, id)).filter((name) => name === '主管部门审核')).toHaveLength(1);
    }
    const opinions = await db.knex('history_events').whereIn('root_instance_id', cases).andWhere({ type: 'task.complete', element_id: 'department_review' }).pluck('opinion');
    expect(opinions.sort()).toEqual([...Array(6).fill('同意报送'), '单独通过'].sort());
  });

  it('runs the thread’s part on the process’ clock: past the receipt deadline every task is refused', async () => {
    const cases = await atDepartment(5);
    const tasks = await Promise.all(cases.map(async (id) => (await taskOf(t, 'cd_jxj', id, 'department_review')).id));
    const activity = await db.knex('dossiers').where({ instance_id: cases[0] }).first('activity_id');
    // a deadline still ahead of the real time, and the process' clock past it
    await db.knex('activities').where({ id: activity.activity_id }).update({ receipt_deadline: new Date('2030-01-01T09:00:00+08:00') });
    t.clock.set('2030-01-01T10:00:00+08:00');
    const res = await t.request('POST', '/api/tasks/batch-complete', { user: 'cd_jxj', body: { taskIds: tasks, action: 'pass' } });
    const body = res.json() as BatchBody;
    expect(body.results.map((r) => r.status)).toEqual([409, 409, 409, 409, 409]);
    for (const r of body.results) expect(r.message).toContain('评委会接收申报截止时间');
    for (const id of cases) expect(await openTasksAt(db.knex, id, 'department_review')).toBe(1);
  });

  it('starts no thread without DATABASE_URL (the embedded database has a single connection)', async () => {
    const plain = await startTestApp(db, { deploy: false });
    try {
      expect(plain.app.batchThreads).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
