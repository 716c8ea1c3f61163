import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import type { RequestActor } from '../../api/src/plugins/auth.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let clerk: RequestActor;
const KEY = 'fixture-migration';

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  clerk = await actorOf(db.knex, 'kj_hr');
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'migration-v1.bpmn'), 'utf8'));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** Starts an instance on the current version and completes its tasks up to `element`. */
async function instanceAt(element: 'submit' | 'review' | 'legacy'): Promise<string> {
  const id = await t.app.engine.startInstance({ processKey: KEY, actor: clerk, checkStarter: false });
  for (const step of ['submit', 'review', 'legacy']) {
    if (step === element) break;
    const task = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    await t.app.engine.completeTask(task.id, clerk, { action: 'pass' });
  }
  return id;
}

async function deployV2(): Promise<void> {
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'migration-v2.bpmn'), 'utf8'));
}

const plan = (body: Record<string, unknown>) => t.request('POST', `/api/process-definitions/${KEY}/migrations/plan`, { user: 'admin', body });

async function runToEnd(body: Record<string, unknown>) {
  const started = await t.request('POST', `/api/process-definitions/${KEY}/migrations`, { user: 'admin', body });
  expect(started.statusCode).toBe(202);
  const id = (started.json() as { id: number }).id;
  for (let i = 0; i < 200; i++) {
    const run = (await t.request('GET', `/api/process-definitions/${KEY}/migrations/${id}`, { user: 'admin' })).json() as { status: string };
    if (run.status !== 'running') return run as { status: string; migrated: number; already: number; refused: number; failed: number; problems: Array<{ instanceId: string; reason: string }> };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('migration did not finish');
}

describe('instance migration', () => {
  let atSubmit: string;
  let atReview: string;
  let atLegacy: string;

  beforeAll(async () => {
    atSubmit = await instanceAt('submit');
    atReview = await instanceAt('review');
    atLegacy = await instanceAt('legacy');
    await deployV2();
  });

  it('plans each instance onto the element with its id and refuses the ones whose element has no target', async () => {
    // given instances of version 1 at 提交, 审核 (renamed 复审 = check in version 2) and 旧版复核 (gone)
    // when the administrator asks for a dry run without a mapping
    const res = await plan({ fromVersion: 1, toVersion: 2 });

    // then 提交 lands on itself, the other two are refused with the element named
    expect(res.statusCode).toBe(200);
    const body = res.json() as { instances: Array<{ instanceId: string; status: string; reason: string | null; elements: Array<{ elementId: string; targetId: string | null; ok: boolean }> }> };
    const byId = new Map(body.instances.map((i) => [i.instanceId, i]));
    expect(byId.get(atSubmit)).toMatchObject({ status: 'ok', elements: [{ elementId: 'submit', targetId: 'submit', ok: true }] });
    expect(byId.get(atReview)?.status).toBe('refused');
    expect(byId.get(atReview)?.reason).toContain('审核');
    expect(byId.get(atLegacy)?.status).toBe('refused');
    // nothing was written
    expect((await db.knex('process_instances').where({ id: atSubmit }).first()).process_version).toBe(1);
  });

  it('lands renamed elements where the manual mapping says, and refuses a target of another type', async () => {
    // given the mapping 审核 → 复审 and 旧版复核 → the end event
    // when the dry run is asked with it
    const res = await plan({ fromVersion: 1, toVersion: 2, mapping: { review: 'check', legacy: 'end' } });

    // then the instance at 审核 (with its boundary timer) lands on 复审, the one at 旧版复核 is refused for the type
    const body = res.json() as { instances: Array<{ instanceId: string; status: string; reason: string | null; elements: Array<{ elementId: string; targetId: string | null }> }> };
    const review = body.instances.find((i) => i.instanceId === atReview);
    expect(review?.status).toBe('ok');
    expect(review?.elements.map((e) => `${e.elementId}→${e.targetId}`).sort()).toEqual(['deadline→deadline', 'review→check']);
    const legacy = body.instances.find((i) => i.instanceId === atLegacy);
    expect(legacy?.status).toBe('refused');
    expect(legacy?.reason).toContain('类型');
  });

  it('answers 400 naming the field for a malformed request, and 403 to a clerk', async () => {
    // given / when
    const bad = await plan({ fromVersion: 'one', toVersion: 2 });
    const clerkRes = await t.request('POST', `/api/process-definitions/${KEY}/migrations/plan`, { user: 'kj_hr', body: { fromVersion: 1, toVersion: 2 } });
    // then
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('fromVersion');
    expect(clerkRes.statusCode).toBe(403);
  });

  it('migrates with the mapping: the task stays in the person’s inbox, keeps its timer, and completes on the new version', async () => {
    // given the instance at 审核 with its open task and its 30-day timer
    const taskBefore = await db.knex('tasks').where({ root_instance_id: atReview, status: 'open' }).first();
    const timerBefore = await db.knex('timers').where({ instance_id: atReview, status: 'pending' }).first();
    expect(timerBefore).toBeTruthy();

    // when the run migrates with the mapping 审核 → 复审
    const run = await runToEnd({ fromVersion: 1, toVersion: 2, mapping: { review: 'check' } });

    // then the run reports it, refusing only the instance at 旧版复核
    expect(run).toMatchObject({ status: 'done', migrated: 2, refused: 1, failed: 0 });
    expect(run.problems.map((p) => p.instanceId)).toEqual([atLegacy]);
    const row = await db.knex('process_instances').where({ id: atReview }).first();
    expect(row.process_version).toBe(2);
    // the same task row, now the new element, still the clerk's
    const taskAfter = await db.knex('tasks').where({ id: taskBefore.id }).first();
    expect(taskAfter).toMatchObject({ status: 'open', element_id: 'check', name: '复审', assignee_id: clerk.userId });
    const inbox = await t.request('GET', '/api/tasks', { user: 'kj_hr' });
    expect(JSON.stringify(inbox.json())).toContain(taskBefore.id);
    expect((await db.knex('timers').where({ id: timerBefore.id }).first()).status).toBe('pending');
    // recorded in the history with the mapping
    const event = await db.knex('history_events').where({ root_instance_id: atReview, type: 'instance.migrate' }).first();
    expect(event.opinion).toBe('迁移至版本 2');
    expect(event.data.mapping).toEqual({ review: 'check' });

    // when the clerk completes the task after the migration
    t.app.engine.clearCache();
    await t.app.engine.completeTask(taskBefore.id, clerk, { action: 'pass' });

    // then the flow goes on along version 2: 确认 (which version 1 did not have)
    expect(await db.knex('tasks').where({ root_instance_id: atReview, status: 'open' }).pluck('element_id')).toEqual(['confirm']);
    expect((await db.knex('timers').where({ id: timerBefore.id }).first()).status).toBe('cancelled');
  });

  it('is idempotent: a second run migrates nothing again and writes no second history event', async () => {
    // given the run above
    // when the same migration runs again
    const run = await runToEnd({ fromVersion: 1, toVersion: 2, mapping: { review: 'check' } });

    // then only the refused instance remains on version 1 and nobody was migrated twice
    expect(run).toMatchObject({ status: 'done', migrated: 0, refused: 1 });
    expect(await db.knex('history_events').where({ root_instance_id: atSubmit, type: 'instance.migrate' })).toHaveLength(1);
    // and the migrated instance at 提交 still completes
    const task = await db.knex('tasks').where({ root_instance_id: atSubmit, status: 'open' }).first();
    await t.app.engine.completeTask(task.id, clerk, { action: 'pass' });
    expect(await db.knex('tasks').where({ root_instance_id: atSubmit, status: 'open' }).pluck('element_id')).toEqual(['check']);
  });

  it('never interleaves with a step of the same instance: a completion racing the migration leaves a consistent instance', async () => {
    // given a fresh instance of version 1 at 审核, and version 3 = version 1 again (so 1 → 3 maps by id)
    await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'migration-v1.bpmn'), 'utf8').replace('版本迁移（测试）', '版本迁移（测试，第三版）'));
    const v1 = await db.knex('process_definitions').where({ key: KEY, version: 1 }).first();
    const id = await t.app.engine.startInstance({ processKey: KEY, actor: clerk, checkStarter: false });
    await db.knex('process_instances').where({ id }).update({ definition_id: v1.id, process_version: 1 });
    await db.knex('tasks').where({ instance_id: id }).update({ definition_id: v1.id });
    t.app.engine.clearCache();
    const task = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();

    // when the clerk completes the task while the migration to version 3 runs
    const [completion, migration] = await Promise.allSettled([
      t.app.engine.completeTask(task.id, clerk, { action: 'pass' }),
      t.app.engine.migrateInstances({ processKey: KEY, fromVersion: 1, toVersion: 3, actor: null, instanceIds: [id] }),
    ]);

    // then both succeed one after the other and the instance is whole: one open task at 审核, on version 3
    expect(completion.status).toBe('fulfilled');
    expect(migration.status).toBe('fulfilled');
    const row = await db.knex('process_instances').where({ id }).first();
    expect(row.process_version).toBe(3);
    const open = await db.knex('tasks').where({ root_instance_id: id, status: 'open' });
    expect(open.map((x: { element_id: string }) => x.element_id)).toEqual(['review']);
    t.app.engine.clearCache();
    await t.app.engine.completeTask(open[0].id, clerk, { action: 'pass' });
    expect(await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).pluck('element_id')).toEqual(['legacy']);
  });
});
