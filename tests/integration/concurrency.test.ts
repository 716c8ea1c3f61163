import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, completedSteps, openTasksAt, submitDossier, taskOf, passEmployer, employerPassData } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { actorOf } from '../helpers/actors.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const applicants: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const employer = await db.knex('units').where({ unit_type: 'employer' }).first();
  const hash = await hashPassword(DEMO_PASSWORD);
  for (let i = 0; i < 13; i++) applicants.push(`applicant${i}`);
  await db.knex('users').insert(applicants.map((u) => ({ username: u, password_hash: hash, display_name: u, unit_id: employer.id, roles: ['applicant'] })));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const openTaskCount = (instanceId: string, step: string) => openTasksAt(db.knex, instanceId, step);

describe('one task, many hands', () => {
  it('lets exactly one of two concurrent completions win; the other gets 409', async () => {
    for (const applicant of applicants.slice(0, 3)) {
      const id = await submitDossier(t, applicant);
      const task = await taskOf(t, 'kj_hr', id, 'unit_review');
      const data = await employerPassData(t, 'kj_hr');
      const results = await Promise.all([complete(t, 'kj_hr', task.id, 'pass', '甲', data), complete(t, 'kj_hr', task.id, 'pass', '乙', data)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.statusCode === 409)!.json().message).toContain('已被处理');
      expect(await openTaskCount(id, 'department_review')).toBe(1);
      expect((await completedSteps(db.knex, id)).filter((name) => name === '申报单位审核')).toHaveLength(1);
    }
  });

  it('holds across two API processes sharing the database', async () => {
    const id = await submitDossier(t, applicants[3]!);
    const task = await taskOf(t, 'kj_hr', id, 'unit_review');
    const data = await employerPassData(t, 'kj_hr');
    const second = await reopen(db);
    const other = await startTestApp(second, { deploy: false });
    try {
      // one process has the instance in memory, the other loads it from the database
      const results = await Promise.all([complete(t, 'kj_hr', task.id, 'pass', '甲', data), complete(other, 'kj_hr', task.id, 'return', '乙')]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const next = results[0]!.statusCode === 200 ? 'department_review' : 'resubmit';
      expect(await openTaskCount(id, next)).toBe(1);
      expect(await db.knex('tasks').where({ root_instance_id: id, status: 'open' })).toHaveLength(1);
    } finally {
      await other.close();
      await second.close();
    }
  });

  it('reloads a stale in-memory copy instead of overwriting what another process did', async () => {
    const id = await submitDossier(t, applicants[4]!);
    // process A (t) advances the instance and keeps it in memory
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    const second = await reopen(db);
    const other = await startTestApp(second, { deploy: false });
    try {
      // process B advances it further
      await completeOk(other, 'cd_jxj', (await taskOf(other, 'cd_jxj', id, 'department_review')).id, 'pass', '乙处理');
      // process A, whose copy is now one step behind, continues correctly
      await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
      expect(await openTaskCount(id, 'committee_receipt')).toBe(1);
      expect(await completedSteps(db.knex, id)).toEqual(['提交申报材料', '申报单位审核', '主管部门审核', '人社部门审核']);
    } finally {
      await other.close();
      await second.close();
    }
  });

  it('treats a double click as one transition', async () => {
    const id = await submitDossier(t, applicants[8]!);
    const task = await taskOf(t, 'kj_hr', id, 'unit_review');
    const data = await employerPassData(t, 'kj_hr');
    const first = await complete(t, 'kj_hr', task.id, 'pass', undefined, data);
    const second = await complete(t, 'kj_hr', task.id, 'pass', undefined, data);
    expect([first.statusCode, second.statusCode]).toEqual([200, 409]);
    expect(await openTaskCount(id, 'department_review')).toBe(1);
  });

  it('batch completion reports each task on its own and races safely with a single completion', async () => {
    const ids = [];
    for (const applicant of applicants.slice(5, 8)) ids.push(await submitDossier(t, applicant));
    // the employer's pass carries its uploads, so the batch acts one level up
    for (const id of ids) await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    const tasks = await Promise.all(ids.map((id) => taskOf(t, 'cd_jxj', id, 'department_review')));
    const [batch, single] = await Promise.all([
      t.request('POST', '/api/tasks/batch-complete', { user: 'cd_jxj', body: { taskIds: tasks.map((x) => x.id), action: 'pass', opinion: '批量通过' } }),
      complete(t, 'cd_jxj', tasks[1]!.id, 'pass', '单独通过'),
    ]);
    expect(batch.statusCode).toBe(200);
    const body = batch.json() as { results: Array<{ taskId: string; ok: boolean; status: number }>; succeeded: number; failed: number };
    const raced = body.results.find((r) => r.taskId === tasks[1]!.id)!;
    expect(raced.ok).toBe(single.statusCode !== 200);
    expect(body.succeeded + (single.statusCode === 200 ? 1 : 0)).toBe(3);
    for (const id of ids) expect(await openTaskCount(id, 'bureau_review')).toBe(1);

    // a batch with a task the clerk may not touch reports it and completes the rest
    const mixed = await t.request('POST', '/api/tasks/batch-complete', {
      user: 'cd_hr',
      body: { taskIds: [...(await Promise.all(ids.map((id) => taskOf(t, 'cd_hr', id, 'bureau_review')))).map((x) => x.id), tasks[0]!.id], action: 'pass' },
    });
    const mixedBody = mixed.json() as { results: Array<{ taskId: string; ok: boolean; status: number }>; succeeded: number; failed: number };
    expect(mixedBody.succeeded).toBe(3);
    expect(mixedBody.results.find((r) => r.taskId === tasks[0]!.id)).toMatchObject({ ok: false, status: 409 });
    // the results come back in the order of the request, whatever order the completions finished in
    expect(mixedBody.results.map((r) => r.taskId).at(-1)).toBe(tasks[0]!.id);
  });

  it('does not keep the cases a batch handed on in memory, and a single completion does', async () => {
    const ids = [];
    for (const applicant of applicants.slice(9, 11)) ids.push(await submitDossier(t, applicant));
    for (const id of ids) await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    const [first, second] = await Promise.all(ids.map((id) => taskOf(t, 'cd_jxj', id, 'department_review')));
    const engine = t.app.engine as unknown as { cache: { has(id: string): boolean } };
    expect(ids.every((id) => engine.cache.has(id))).toBe(true);
    const batch = await t.request('POST', '/api/tasks/batch-complete', { user: 'cd_jxj', body: { taskIds: [first!.id], action: 'pass' } });
    expect(batch.json()).toMatchObject({ succeeded: 1 });
    expect(engine.cache.has(ids[0]!)).toBe(false);
    await completeOk(t, 'cd_jxj', second!.id, 'pass');
    expect(engine.cache.has(ids[1]!)).toBe(true);
    // both went on: the one rebuilt from its row continues like the other
    for (const id of ids) expect(await openTaskCount(id, 'bureau_review')).toBe(1);
  });

  it('a batch that read its tasks ahead neither repeats nor loses a step when they changed in between', async () => {
    const ids = [];
    for (const applicant of applicants.slice(11, 13)) ids.push(await submitDossier(t, applicant));
    for (const id of ids) await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    const [done, moved] = await Promise.all(ids.map((id) => taskOf(t, 'cd_jxj', id, 'department_review')));
    // as after a restart: the read ahead carries each instance's state
    t.app.engine.clearCache();
    const ahead = await t.app.engine.prefetchTasks([done!.id, moved!.id]);
    expect(ahead.get(done!.id)?.row?.state).toBeTruthy();
    const second = await reopen(db);
    const other = await startTestApp(second, { deploy: false });
    try {
      // meanwhile another process completes the first task, and writes the second case's row
      await completeOk(other, 'cd_jxj', done!.id, 'pass', '乙处理');
      await db.knex('process_instances').where({ id: ids[1] }).increment('version', 1);
    } finally {
      await other.close();
      await second.close();
    }
    const actor = await actorOf(db.knex, 'cd_jxj');
    const input = { action: 'pass', opinion: '批量通过', data: {}, keepInMemory: false };
    await expect(t.app.engine.completeTask(done!.id, actor, { ...input, prefetched: ahead.get(done!.id) })).rejects.toMatchObject({ code: 'CONFLICT' });
    await t.app.engine.completeTask(moved!.id, actor, { ...input, prefetched: ahead.get(moved!.id) });
    for (const id of ids) {
      expect(await openTaskCount(id, 'bureau_review')).toBe(1);
      expect((await completedSteps(db.knex, id)).filter((name) => name === '主管部门审核')).toHaveLength(1);
    }
  });
});
