import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import { bootstrapProvince } from '../../api/src/bootstrap.ts';
import type { RequestActor } from '../../api/src/plugins/auth.ts';

/**
 * 迁移运行中实例 of the elements issue 21's first round left out: a task inside an embedded
 * sub-process (mapped by id, refused when the sub-process itself has no target) and a renamed
 * calling element (mapped by hand; its waiting sub-flow stays linked).
 */
let db: TestDatabase & { drop(): Promise<void> };
let t: TestApp;
let actor: RequestActor;

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8');

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { deploy: false });
  const admin = await bootstrapProvince(db.knex, { name: '四川省人力资源和社会保障厅', creditCode: '115100000087024764', regionCode: '510000' });
  actor = await actorOf(db.knex, admin.username);
});
afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const openTask = (rootId: string) => db.knex('tasks').where({ root_instance_id: rootId, status: 'open' }).first();

describe('a task inside an embedded sub-process', () => {
  const KEY = 'fixture-migration-sub';
  let waiting: string;

  beforeAll(async () => {
    await t.app.engine.deploy(fixture('migration-sub-v1.bpmn'));
    waiting = await t.app.engine.startInstance({ processKey: KEY, actor, checkStarter: false });
    await t.app.engine.deploy(fixture('migration-sub-v2.bpmn'));
  });

  it('plans the sub-process and its task, and refuses while the sub-process has no target', async () => {
    // given an instance of version 1 at 内部审核 inside 材料审核 (renamed 审核阶段 review_stage in version 2)
    // when the dry run has no mapping
    const plan = await t.app.engine.planMigration({ processKey: KEY, fromVersion: 1, toVersion: 2 });
    // then both running elements are listed and refused: the sub-process has no target, so its task has nowhere to run
    const [instance] = plan.instances;
    expect(instance?.status).toBe('refused');
    expect(instance?.elements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ elementId: 'sub', type: 'bpmn:SubProcess', ok: false, reason: '目标版本没有元素“sub”，请指定对应的元素' }),
        expect.objectContaining({ elementId: 'inner', targetId: 'inner', ok: false, reason: '所在的子流程“材料审核”在目标版本中没有对应的元素' }),
      ]),
    );
  });

  it('refuses to take the task out of its sub-process', async () => {
    // given the same instance
    // when the sub-process is mapped, but its task is mapped to 确认 outside it
    const plan = await t.app.engine.planMigration({ processKey: KEY, fromVersion: 1, toVersion: 2, mapping: { sub: 'review_stage', inner: 'confirm' } });
    // then the task is refused, naming the sub-process it must stay in
    const inner = plan.instances[0]?.elements.find((e) => e.elementId === 'inner');
    expect(inner).toMatchObject({ ok: false, reason: '目标元素“确认”不在子流程“审核阶段”中' });
  });

  it('migrates with the sub-process mapped by hand, and the task is completed on the new version', async () => {
    // given the same instance
    const before = await openTask(waiting);
    // when the sub-process is mapped to review_stage and the run migrates it
    const run = await t.app.engine.migrateInstances({ processKey: KEY, fromVersion: 1, toVersion: 2, mapping: { sub: 'review_stage' }, actor: null });
    expect(run.results).toEqual([expect.objectContaining({ instanceId: waiting, status: 'migrated' })]);
    // then the person's task is the same row, and completing it leaves the sub-process onto 确认 (new in version 2)
    const task = await openTask(waiting);
    expect(task.id).toBe(before.id);
    await t.app.engine.completeTask(String(task.id), actor, { action: 'pass', keepInMemory: false });
    const next = await openTask(waiting);
    expect(next?.element_id).toBe('confirm');
  });
});

describe('a renamed calling element', () => {
  const KEY = 'fixture-migration-call';
  let caller: string;

  beforeAll(async () => {
    await t.app.engine.deploy(fixture('child.bpmn'));
    await t.app.engine.deploy(fixture('migration-call-v1.bpmn'));
    caller = await t.app.engine.startInstance({ processKey: KEY, actor, checkStarter: false });
    await t.app.engine.deploy(fixture('migration-call-v2.bpmn'));
  });

  it('refuses the call without a mapping and migrates it with one, keeping its sub-flow linked', async () => {
    // given a caller of version 1 waiting in 调用审核子流程 (renamed call_review in version 2), its sub-flow at a task
    const child = await db.knex('process_instances').where({ parent_instance_id: caller }).first();
    expect(child.parent_element_id).toBe('call');
    // when the dry run has no mapping, then with call → call_review the run migrates it
    const refused = await t.app.engine.planMigration({ processKey: KEY, fromVersion: 1, toVersion: 2 });
    const run = await t.app.engine.migrateInstances({ processKey: KEY, fromVersion: 1, toVersion: 2, mapping: { call: 'call_review' }, actor: null });
    // then the first is refused naming the call, and the migrated caller's sub-flow points at the renamed element
    expect(refused.instances[0]).toMatchObject({ status: 'refused', reason: expect.stringContaining('调用审核子流程') });
    expect(run.results).toEqual([expect.objectContaining({ instanceId: caller, status: 'migrated' })]);
    const linked = await db.knex('process_instances').where({ id: child.id }).first();
    expect(linked.parent_element_id).toBe('call_review');
    expect(linked.call_path).toEqual(['fixture-migration-call:call_review']);
  });

  it('lets the sub-flow end into the renamed element, and the caller ends', async () => {
    // given the migrated caller's sub-flow waiting at its task
    const task = await openTask(caller);
    // when the task is completed
    await t.app.engine.completeTask(String(task.id), actor, { action: 'pass', keepInMemory: false });
    // then the caller leaves call_review and ends
    const row = await db.knex('process_instances').where({ id: caller }).first();
    expect(row.status).toBe('completed');
  });
});

describe('moving a failed step inside an embedded sub-process', () => {
  let instanceId: string;
  let incidentId: number;

  beforeAll(async () => {
    t.app.engine.registerHandler('test.sub-flaky', async () => {
      throw new Error('外部系统无响应');
    });
    await t.app.engine.deploy(fixture('incident-sub.bpmn'));
    instanceId = await t.app.engine.startInstance({ processKey: 'fixture-incident-sub', actor, checkStarter: false });
    incidentId = Number((await db.knex('incidents').where({ instance_id: instanceId, status: 'open' }).first()).id);
  });

  it('offers as targets only the steps of the sub-process the failed step runs in', async () => {
    // given 对接外部系统 failed inside 外部核验
    const incident = await db.knex('incidents').where({ id: incidentId }).first();
    const instance = await db.knex('process_instances').where({ id: instanceId }).first();
    // when the targets a move may choose are asked for
    const targets = await t.app.engine.moveTargets(Number(instance.definition_id), incident.element_id);
    // then they are the sub-process's steps, not 后续办理 in the main process
    expect(targets.map((x) => x.id).sort()).toEqual(['check', 'sync']);
  });

  it('refuses a target outside the sub-process the failed step runs in', async () => {
    // given 对接外部系统 failed inside 外部核验
    // when the administrator moves it to 后续办理, in the main process
    const move = t.app.engine.moveIncidentToElement(incidentId, { targetElementId: 'after', reason: '跳过核验', actor });
    // then it is refused naming the field, and the incident stays open
    await expect(move).rejects.toMatchObject({ fields: [expect.objectContaining({ field: 'targetElementId' })] });
    expect((await db.knex('incidents').where({ id: incidentId }).first()).status).toBe('open');
  });

  it('moves it to a step of the same sub-process, and the flow goes on from there', async () => {
    // given the same incident
    // when it is moved to 人工核对, inside 外部核验
    await t.app.engine.moveIncidentToElement(incidentId, { targetElementId: 'check', reason: '外部系统停用，改为人工核对', actor });
    // then 人工核对 waits, and completing it leaves the sub-process onto 后续办理
    const check = await openTask(instanceId);
    expect(check?.element_id).toBe('check');
    await t.app.engine.completeTask(String(check.id), actor, { action: 'pass', keepInMemory: false });
    expect((await openTask(instanceId))?.element_id).toBe('after');
    expect((await db.knex('incidents').where({ id: incidentId }).first()).status).toBe('resolved');
  });
});
