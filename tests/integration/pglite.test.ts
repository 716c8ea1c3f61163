import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../api/src/db.ts';
import { migrateLatest } from '../../migrations/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, submitDossier, taskOf, passEmployer } from '../helpers/flow.ts';

let dir: string;
let database: Database;
let t: TestApp;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pglite-'));
  database = await openDatabase({ DATA_DIR: dir, DB_POOL_MAX: 1 });
  await migrateLatest(database.knex);
  t = await startTestApp(database, { demo: true });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded database (PGlite)', () => {
  it('runs the proving flow on the single embedded connection', async () => {
    expect((await t.request('GET', '/api/health')).json().database).toBe('pglite');
    const id = await submitDossier(t, 'zhangwei');
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'return', '请补充', { returnTo: 'applicant' });
    const resubmit = await taskOf(t, 'zhangwei', id, 'resubmit');
    expect(resubmit.name).toBe('修改并重新提交');
    const counts = await t.request('GET', '/api/tasks/counts', { user: 'zhangwei' });
    expect(counts.json()).toEqual([expect.objectContaining({ elementId: 'resubmit', count: 1 })]);
  });

  it('passes a batch on the single connection (tasks and checks read ahead)', async () => {
    const id = await submitDossier(t, 'lina');
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    const task = await taskOf(t, 'cd_jxj', id, 'department_review');
    // as after a restart: the read ahead carries the instance's state
    t.app.engine.clearCache();
    expect((await t.app.engine.prefetchTasks([task.id])).get(task.id)?.row?.state).toBeTruthy();
    const res = await t.request('POST', '/api/tasks/batch-complete', { user: 'cd_jxj', body: { taskIds: [task.id], action: 'pass', opinion: '同意报送' } });
    expect(res.json()).toMatchObject({ succeeded: 1, failed: 0 });
    expect((await taskOf(t, 'cd_hr', id, 'bureau_review')).name).toBe('人社部门审核');
  });
});
