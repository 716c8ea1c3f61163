import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import type { Actor, TaskRecord } from '../../engine/types.ts';
import { createTasksRepository, type TaskFilter } from '../../api/modules/tasks/tasks.repository.ts';
import { createTaskAuthorizer, createUnitPathCache } from '../../api/modules/tasks/tasks.scope.ts';
import { createUnitsRepository } from '../../api/modules/units/units.repository.ts';

/**
 * The inbox reads `tasks.inbox_keys` (kept by triggers) instead of testing assignee, named
 * candidates, role in the unit and role in a subtree one by one. Here it must show every actor
 * exactly the open tasks the task authorizer lets them act on — and exactly what the former OR
 * query (kept below as the reference) listed and counted — for assigned, named-user, unit-role and
 * subtree tasks, in sub-flows too, before and after a unit moves and a task is claimed.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const unit: Record<string, number> = {};
const page = { offset: 0, limit: 1000 };

/** The visibility test the inbox used before inbox_keys, verbatim: the reference. */
function legacyVisibleTo(knex: Knex, actor: Actor, actorPath: string | null) {
  return (w: Knex.QueryBuilder) => {
    w.where('t.assignee_id', actor.userId).orWhere((open) => {
      open.whereNull('t.assignee_id').andWhere((who) => {
        who.whereRaw('? = any(t.candidate_user_ids)', [actor.userId]);
        if (actor.roles.length && actor.unitId != null) {
          who.orWhere((byRole) => {
            byRole.whereRaw('t.candidate_roles && ?::text[]', [actor.roles]).andWhere((u) => {
              u.where('t.candidate_unit_id', actor.unitId);
              if (actorPath) {
                u.orWhere((sub) =>
                  sub.where('t.candidate_scope', 'subtree').whereIn('t.candidate_unit_id', knex('units').select('id').where('path', 'like', `${actorPath}%`)),
                );
              }
            });
          });
        }
      });
    });
  };
}

/** The former inbox query (ids of the matching open tasks) and 待办数量, with the reference test. */
async function legacyInbox(knex: Knex, actor: Actor, filter: TaskFilter) {
  const actorPath = actor.unitId == null ? null : (((await knex('units').where({ id: actor.unitId }).first('path')) as { path: string } | undefined)?.path ?? null);
  const base = () =>
    knex('tasks as t')
      .join('process_instances as i', 'i.id', 't.root_instance_id')
      .join('process_definitions as d', 'd.id', 'i.definition_id')
      .leftJoin('process_instances as s', (j) => j.on('s.id', 't.instance_id').andOn('s.id', '<>', 't.root_instance_id'))
      .where('t.status', 'open')
      .andWhere(legacyVisibleTo(knex, actor, actorPath));
  const q = base().select('t.id');
  if (filter.processKey) q.where('i.process_key', filter.processKey);
  if (filter.elementId) q.where((w) => w.where('t.element_id', filter.elementId as string).orWhere('s.parent_element_id', filter.elementId as string));
  if (filter.applicantName) q.whereRaw("coalesce(i.summary->>'applicantName', i.summary->>'subject') ilike ?", [`%${filter.applicantName}%`]);
  const ids = ((await q) as Array<{ id: string }>).map((r) => r.id).sort();
  const counts = (await base()
    .select('i.process_key', 'd.name as process_name', knex.raw('coalesce(s.parent_element_id, t.element_id) as element_id'), 't.name')
    .count({ count: '*' })
    .groupBy('i.process_key', 'd.name', knex.raw('coalesce(s.parent_element_id, t.element_id)'), 't.name')) as Array<Record<string, unknown>>;
  return {
    ids,
    counts: counts
      .map((r) => ({ processKey: String(r.process_key), processName: String(r.process_name), elementId: String(r.element_id), name: String(r.name), count: Number(r.count) }))
      .sort((a, b) => `${a.processKey}:${a.elementId}:${a.name}`.localeCompare(`${b.processKey}:${b.elementId}:${b.name}`)),
  };
}

const actors: Record<string, Actor> = {
  clerkOfB: { userId: 9001, unitId: 0, roles: ['r1'] },
  clerkOfA: { userId: 9002, unitId: 0, roles: ['r1', 'other'] },
  headOfRoot: { userId: 9003, unitId: 0, roles: ['r2'] },
  bothOfD: { userId: 9004, unitId: 0, roles: ['r1', 'r2'] },
  withoutUnit: { userId: 9005, unitId: null, roles: ['r1', 'r2'] },
  withoutRoles: { userId: 9006, unitId: 0, roles: [] },
  ofMissingUnit: { userId: 9007, unitId: 987654, roles: ['r1'] },
  named: { userId: 9008, unitId: 0, roles: ['r9'] },
};

let caseId = '';
let subflowId = '';

async function insertTask(knex: Knex, task: Partial<Record<string, unknown>> & { name: string }): Promise<string> {
  const definition = (await knex('process_definitions').where({ key: 'dossier-review' }).first()) as { id: number };
  const id = randomUUID();
  const inSubflow = task.subflow === true;
  delete task.subflow;
  await knex('tasks').insert({
    id,
    instance_id: inSubflow ? subflowId : caseId,
    root_instance_id: caseId,
    definition_id: definition.id,
    process_key: inSubflow ? 'multi-post-review' : 'dossier-review',
    element_id: inSubflow ? 'post_review' : 'unit_review',
    execution_id: `exec_${id}`,
    form_key: 'review',
    actions: ['pass'],
    status: 'open',
    created_at: new Date(Date.UTC(2026, 2, 1) + Math.floor(Math.random() * 1e6)),
    ...task,
  });
  return id;
}

async function toRecord(knex: Knex, id: string): Promise<TaskRecord> {
  const r = await knex('tasks').where({ id }).first();
  return {
    id: String(r.id),
    assigneeId: r.assignee_id == null ? null : Number(r.assignee_id),
    candidateUserIds: (r.candidate_user_ids as Array<string | number>).map(Number),
    candidateRoles: r.candidate_roles as string[],
    candidateUnitId: r.candidate_unit_id == null ? null : Number(r.candidate_unit_id),
    candidateScope: r.candidate_scope,
  } as unknown as TaskRecord;
}

async function expectSameVisibility() {
  const knex = db.knex;
  const repo = createTasksRepository(knex);
  // no cache: a unit moved within the test must be seen at once
  const authorize = createTaskAuthorizer(createUnitPathCache(knex, 0));
  const open = ((await knex('tasks').where({ status: 'open' }).pluck('id')) as string[]).sort();
  for (const [who, actor] of Object.entries(actors)) {
    const authorized: string[] = [];
    for (const id of open) {
      const task = await toRecord(knex, id);
      // the engine's default check also lets a role holder without a unit act on a role task
      // without a unit (null = null); the inbox never listed those, and still does not
      if (actor.unitId == null && task.candidateUnitId == null && !task.candidateUserIds.includes(actor.userId) && task.assigneeId == null) continue;
      if (await authorize(actor, task)) authorized.push(id);
    }
    for (const filter of [{}, { elementId: 'unit_review' }, { processKey: 'dossier-review' }, { applicantName: '张' }] as TaskFilter[]) {
      const { items, total } = await repo.listOpen(actor, filter, page, ['t.created_at', 'asc']);
      const legacy = await legacyInbox(knex, actor, filter);
      const ids = items.map((i) => i.id).sort();
      expect(ids, `${who} ${JSON.stringify(filter)}`).toEqual(legacy.ids);
      expect(total, `${who} ${JSON.stringify(filter)}`).toBe(legacy.ids.length);
      if (!Object.keys(filter).length) {
        expect(ids, `${who}: the authorizer`).toEqual(authorized.sort());
        expect(await repo.countsByTask(actor), `${who}: 待办数量`).toEqual(legacy.counts);
      }
    }
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db);
  const units = createUnitsRepository(db.knex);
  // root ─ A ─ B
  //      │   └ C
  //      └ D
  unit.root = (await units.insert({ parentId: null, name: '根', unitType: 'hr_bureau' })).id;
  unit.A = (await units.insert({ parentId: unit.root, name: 'A', unitType: 'department' })).id;
  unit.B = (await units.insert({ parentId: unit.A, name: 'B', unitType: 'employer' })).id;
  unit.C = (await units.insert({ parentId: unit.A, name: 'C', unitType: 'employer' })).id;
  unit.D = (await units.insert({ parentId: unit.root, name: 'D', unitType: 'department' })).id;
  Object.assign(actors.clerkOfB!, { unitId: unit.B });
  Object.assign(actors.clerkOfA!, { unitId: unit.A });
  Object.assign(actors.headOfRoot!, { unitId: unit.root });
  Object.assign(actors.bothOfD!, { unitId: unit.D });
  Object.assign(actors.withoutRoles!, { unitId: unit.A });
  Object.assign(actors.named!, { unitId: unit.C });

  const knex = db.knex;
  const definition = (await knex('process_definitions').where({ key: 'dossier-review' }).first()) as { id: number; version: number };
  const sub = (await knex('process_definitions').where({ key: 'multi-post-review' }).first()) as { id: number; version: number };
  caseId = randomUUID();
  subflowId = randomUUID();
  const now = new Date();
  await knex('process_instances').insert({
    id: caseId, definition_id: definition.id, process_key: 'dossier-review', process_version: definition.version, root_instance_id: caseId,
    status: 'running', summary: { applicantName: '张三' }, started_at: now, updated_at: now,
  });
  await knex('process_instances').insert({
    id: subflowId, definition_id: sub.id, process_key: 'multi-post-review', process_version: sub.version, root_instance_id: caseId, parent_instance_id: caseId,
    parent_element_id: 'unit_review', status: 'running', summary: { subject: '岗位审核' }, started_at: now, updated_at: now,
  });

  const { B, C, D, A, root } = unit as Record<string, number>;
  // assigned: the assignee alone, whatever the candidates
  await insertTask(knex, { name: '已分配', assignee_id: 9001, candidate_roles: ['r1'], candidate_unit_id: D, candidate_scope: 'subtree' });
  await insertTask(knex, { name: '已分配他人', assignee_id: 9099, candidate_user_ids: [9008], candidate_roles: ['r1'], candidate_unit_id: B });
  // named candidates, with and without a role
  await insertTask(knex, { name: '指定人', candidate_user_ids: [9008, 9003] });
  await insertTask(knex, { name: '指定人或角色', candidate_user_ids: [9008], candidate_roles: ['r2'], candidate_unit_id: C });
  // a role in a unit, and in a subtree
  await insertTask(knex, { name: 'B 本单位', candidate_roles: ['r1'], candidate_unit_id: B });
  await insertTask(knex, { name: 'B 及上级', candidate_roles: ['r1'], candidate_unit_id: B, candidate_scope: 'subtree' });
  await insertTask(knex, { name: 'C 及上级 r2', candidate_roles: ['r2'], candidate_unit_id: C, candidate_scope: 'subtree' });
  await insertTask(knex, { name: 'A 及上级 两种角色', candidate_roles: ['r1', 'r2'], candidate_unit_id: A, candidate_scope: 'subtree' });
  await insertTask(knex, { name: '根 本单位', candidate_roles: ['r2'], candidate_unit_id: root });
  await insertTask(knex, { name: '不存在的单位', candidate_roles: ['r1'], candidate_unit_id: 987654, candidate_scope: 'subtree' });
  await insertTask(knex, { name: '无单位', candidate_roles: ['r1'] });
  // a sub-flow's tasks, counted under the step that called them
  await insertTask(knex, { name: '岗位审核', subflow: true, candidate_roles: ['r1'], candidate_unit_id: B, candidate_scope: 'subtree' });
  await insertTask(knex, { name: '岗位审核', subflow: true, candidate_user_ids: [9002] });
  // closed tasks are nobody's inbox
  await insertTask(knex, { name: '已办', status: 'completed', candidate_roles: ['r1'], candidate_unit_id: B });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the inbox by visibility keys', () => {
  it('shows every actor what the authorizer allows and the former query showed', async () => {
    await expectSameVisibility();
    // given the tree, then: B's clerk sees B's tasks and what was assigned to the clerk
    const names = (await createTasksRepository(db.knex).listOpen(actors.clerkOfB!, {}, page, ['t.name', 'asc'])).items.map((i) => i.name);
    expect(names.sort()).toEqual(['B 及上级', 'B 本单位', '岗位审核', '已分配'].sort());
  });

  it('follows a unit that moves: its subtree tasks go to the new units above', async () => {
    // when B moves from under A to under D
    await db.knex.transaction((trx) => createUnitsRepository(db.knex).move(unit.B!, unit.D!, new Date(), trx));
    // then D's holder of r1 sees B's subtree task and A's clerk no longer does
    const ofD = (await createTasksRepository(db.knex).listOpen(actors.bothOfD!, {}, page, ['t.name', 'asc'])).items.map((i) => i.name);
    expect(ofD).toContain('B 及上级');
    const ofA = (await createTasksRepository(db.knex).listOpen(actors.clerkOfA!, {}, page, ['t.name', 'asc'])).items.map((i) => i.name);
    expect(ofA).not.toContain('B 及上级');
    await expectSameVisibility();
  });

  it('follows claims and releases', async () => {
    // when A's clerk claims the subtree task of A, and the named user's task is released
    const task = (await db.knex('tasks').where({ name: 'A 及上级 两种角色' }).first('id')) as { id: string };
    await db.knex('tasks').where({ id: task.id }).update({ assignee_id: actors.clerkOfA!.userId });
    await expectSameVisibility();
    await db.knex('tasks').where({ id: task.id }).update({ assignee_id: null });
    await expectSameVisibility();
  });

  it('searches the case summary copied onto open tasks, and follows a change of it', async () => {
    const repo = createTasksRepository(db.knex);
    expect((await repo.listOpen(actors.clerkOfB!, { applicantName: '张三' }, page, ['t.created_at', 'asc'])).total).toBe(4);
    // when the case's summary changes
    await db.knex('process_instances').where({ id: caseId }).update({ summary: { applicantName: '李四' } });
    // then every open task of the case, also the sub-flow's, is found by the new name only
    expect((await repo.listOpen(actors.clerkOfB!, { applicantName: '张三' }, page, ['t.created_at', 'asc'])).total).toBe(0);
    expect((await repo.listOpen(actors.clerkOfB!, { applicantName: '李四' }, page, ['t.created_at', 'asc'])).total).toBe(4);
    expect((await repo.listOpen(actors.clerkOfB!, { q: '李四' }, page, ['t.created_at', 'asc'])).total).toBe(4);
    // and a closed task keeps no copy
    expect(await db.knex('tasks').where({ status: 'completed' }).pluck('case_summary')).toEqual([null]);
  });

  it('pages with the total, also past the end', async () => {
    const repo = createTasksRepository(db.knex);
    const all = await repo.listOpen(actors.clerkOfB!, {}, page, ['t.created_at', 'asc']);
    const second = await repo.listOpen(actors.clerkOfB!, {}, { offset: 1, limit: 1 }, ['t.created_at', 'asc']);
    expect(second.items.map((i) => i.id)).toEqual([all.items[1]!.id]);
    expect(second.total).toBe(all.total);
    expect(await repo.listOpen(actors.clerkOfB!, {}, { offset: 50, limit: 10 }, ['t.created_at', 'asc'])).toEqual({ items: [], total: all.total });
  });
});
