import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { complete, inbox, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let zhangwei: string;
let lina: string;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const employer = await db.knex('units').where({ unit_type: 'employer' }).first();
  await db.knex('users').insert({ username: 'kj_hr2', password_hash: await hashPassword(DEMO_PASSWORD), display_name: '示范科技第二经办人', unit_id: employer.id, roles: ['unit_clerk'] });
  zhangwei = await submitDossier(t, 'zhangwei');
  t.clock.advance(60_000);
  lina = await submitDossier(t, 'lina');
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the inbox', () => {
  it('lists the caller’s tasks with paging, sorting and Content-Range', async () => {
    const res = await t.request('GET', '/api/tasks?range=[0,0]&sort=["createdAt","DESC"]', { user: 'kj_hr' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-range']).toBe('tasks 0-0/2');
    expect((res.json() as Array<{ rootInstanceId: string }>)[0]!.rootInstanceId).toBe(lina);
    const second = await t.request('GET', '/api/tasks?range=[1,1]&sort=["createdAt","DESC"]', { user: 'kj_hr' });
    expect(second.headers['content-range']).toBe('tasks 1-1/2');
    expect((second.json() as Array<{ rootInstanceId: string }>)[0]!.rootInstanceId).toBe(zhangwei);
  });

  it('filters by applicant name, flow and task, and counts per task', async () => {
    const byName = await inbox(t, 'kj_hr', `?filter=${encodeURIComponent(JSON.stringify({ applicantName: '李' }))}`);
    expect(byName.map((i) => i.rootInstanceId)).toEqual([lina]);
    const byFlow = await inbox(t, 'kj_hr', `?filter=${encodeURIComponent(JSON.stringify({ processKey: 'dossier-review', elementId: 'unit_review' }))}`);
    expect(byFlow).toHaveLength(2);
    expect(await inbox(t, 'kj_hr', `?filter=${encodeURIComponent(JSON.stringify({ processKey: 'other' }))}`)).toHaveLength(0);
    const counts = await t.request('GET', '/api/tasks/counts', { user: 'kj_hr' });
    expect(counts.json()).toEqual([
      { id: 'dossier-review:unit_review:申报单位审核', processKey: 'dossier-review', processName: '申报材料审核', elementId: 'unit_review', name: '申报单位审核', count: 2 },
    ]);
  });

  it('shows a task with its form as JSON Schema, the allowed actions and the case data', async () => {
    const task = await taskOf(t, 'kj_hr', zhangwei, 'unit_review');
    const res = await t.request('GET', `/api/tasks/${task.id}`, { user: 'kj_hr' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.canAct).toBe(true);
    // the employer's pass needs the 公示 proof and the 综合推荐材料
    expect(body.form).toMatchObject({ title: '申报单位审核', 'x-opinion-required-for': ['return', 'reject'], 'x-data-required-for': ['pass'], required: ['publicityStart', 'publicityEnd', 'publicityProof', 'recommendation'] });
    expect(body.actions).toEqual([
      { key: 'pass', label: '审核通过', opinionRequired: false },
      { key: 'return', label: '退回', opinionRequired: true },
      { key: 'reject', label: '不通过', opinionRequired: true },
    ]);
    expect(body.case.variables.dossier).toMatchObject({ specialty: '机械工程' });
    expect(body.history.map((h: { type: string }) => h.type)).toEqual(['instance.start', 'task.complete']);
  });

  it('lets a clerk claim a task so a colleague cannot take it, and give it back', async () => {
    const task = await taskOf(t, 'kj_hr', zhangwei, 'unit_review');
    const claim = await t.request('POST', `/api/tasks/${task.id}/claim`, { user: 'kj_hr' });
    expect(claim.statusCode).toBe(200);
    expect((await inbox(t, 'kj_hr2')).some((i) => i.id === task.id)).toBe(false);
    expect((await complete(t, 'kj_hr2', task.id, 'pass')).statusCode).toBe(403);
    expect((await t.request('POST', `/api/tasks/${task.id}/claim`, { user: 'kj_hr2' })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/tasks/${task.id}/unclaim`, { user: 'kj_hr2' })).statusCode).toBe(409);
    expect((await t.request('POST', `/api/tasks/${task.id}/unclaim`, { user: 'kj_hr' })).statusCode).toBe(200);
    expect((await inbox(t, 'kj_hr2')).some((i) => i.id === task.id)).toBe(true);
    const history = await db.knex('history_events').where({ root_instance_id: zhangwei }).orderBy('id').pluck('type');
    expect(history.slice(-2)).toEqual(['task.claim', 'task.unclaim']);
  });

  it('keeps done tasks in the done list', async () => {
    const task = await taskOf(t, 'kj_hr2', lina, 'unit_review');
    await passEmployer(t, 'kj_hr2', task.id, '同意');
    const res = await t.request('GET', '/api/tasks/done', { user: 'kj_hr2' });
    expect(res.json()).toEqual([expect.objectContaining({ id: task.id, status: 'completed', action: 'pass', opinion: '同意' })]);
    expect((await inbox(t, 'kj_hr')).some((i) => i.id === task.id)).toBe(false);
    // the one who did it may still read it
    expect((await t.request('GET', `/api/tasks/${task.id}`, { user: 'kj_hr2' })).json().canAct).toBe(false);
  });
});
