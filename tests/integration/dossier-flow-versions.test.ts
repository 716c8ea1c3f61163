import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, PROCESSES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the dossier flow across versions', () => {
  it('finishes a case started on the earlier diagram (gateways and one service per outcome) on that diagram, after the current one is deployed again', async () => {
    // given a case started while the earlier diagram was the latest version
    const { definition: earlier } = await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'dossier-review-gateways.bpmn'), 'utf8'));
    const id = await submitDossier(t, 'lina');
    const { definition: current } = await t.app.engine.deploy(fs.readFileSync(path.join(PROCESSES_DIR, 'dossier-review.bpmn'), 'utf8'));
    expect(current.version).toBeGreaterThan(earlier.version);

    // when it is passed up, returned by the bureau to the department, passed again and received
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'return', '请主管部门复核', { returnTo: 'department' });
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '已复核');
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');

    // then it ran on the earlier version all along, through that version's services, and is received
    const instance = await db.knex('process_instances').where({ id }).first();
    expect(instance).toMatchObject({ status: 'completed', process_version: earlier.version });
    expect(instance.trail).toEqual(expect.arrayContaining(['register', 'gw_route', 'bureau_returned', 'department_passed', 'mark_received']));
    expect(instance.trail).not.toContain('decide');
    expect(await db.knex('dossiers').where({ instance_id: id }).first()).toMatchObject({ status: 'received', holder_unit_id: null });
  });

  it('finishes a case started on the hub diagram on that version, while a case started after the redrawn diagram is deployed runs on the new one', async () => {
    // given a case started while the hub diagram (one dispatcher service after every step) was the latest version
    const { definition: hub } = await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'dossier-review-hub.bpmn'), 'utf8'));
    const onHub = await submitDossier(t, 'zhangwei');

    // when the diagram drawn as the business is deployed as the next version, and another case starts
    const { definition: drawn, created } = await t.app.engine.deploy(fs.readFileSync(path.join(PROCESSES_DIR, 'dossier-review.bpmn'), 'utf8'));
    expect(created).toBe(true);
    expect(drawn.version).toBe(hub.version + 1);
    await db.knex('users').insert({ ...(await db.knex('users').where({ username: 'lina' }).first(['password_hash', 'unit_id', 'roles'])), username: 'versions_new', display_name: '新版本申报人' });
    const onDrawn = await submitDossier(t, 'versions_new');

    // and both are passed up, returned once by the bureau to the department, and received
    for (const id of [onHub, onDrawn]) {
      await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
      await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
      await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'return', '请主管部门复核', { returnTo: 'department' });
      await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '已复核');
      await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
      await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
    }

    // then the first ran on the hub version all along, through its dispatcher, and the second on the redrawn one
    const first = await db.knex('process_instances').where({ id: onHub }).first();
    expect(first).toMatchObject({ status: 'completed', process_version: hub.version });
    expect(first.trail).toContain('decide');
    expect(first.trail).not.toContain('gw_bureau_return');
    const second = await db.knex('process_instances').where({ id: onDrawn }).first();
    // (the redrawn flow goes on after receipt: it waits for the committee's 评审结果)
    expect(second).toMatchObject({ status: 'running', process_version: drawn.version });
    expect(second.trail).toEqual(expect.arrayContaining(['gw_bureau_result', 'gw_bureau_return', 'department_returned', 'received']));
    expect(second.trail).not.toContain('decide');
    for (const id of [onHub, onDrawn]) expect(await db.knex('dossiers').where({ instance_id: id }).first()).toMatchObject({ status: 'received', holder_unit_id: null });
  });
});
