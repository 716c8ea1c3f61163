import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import type { Actor } from '../../engine/types.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let clerk: Actor;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  for (const f of ['parallel.bpmn', 'multi.bpmn']) await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, f), 'utf8'));
  clerk = await actorOf(db.knex, 'kj_hr');
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const open = (id: string) => db.knex('tasks').where({ root_instance_id: id, status: 'open' }).orderBy('created_at');

async function completeAll(id: string, elementId: string, actorFor: (task: Record<string, unknown>) => Actor = () => clerk) {
  for (const task of await open(id)) if (task.element_id === elementId) await t.app.engine.completeTask(task.id, actorFor(task), { action: 'pass' });
}

describe('joins still see untaken branches (dead-path elimination)', () => {
  it('a parallel join does not wait for a branch that ended elsewhere', async () => {
    const id = await t.app.engine.startInstance({ processKey: 'fixture-parallel', actor: clerk, variables: { needB: false }, checkStarter: false });
    expect((await open(id)).map((x) => x.element_id)).toEqual(['task_a']);
    await completeAll(id, 'task_a');
    expect((await open(id)).map((x) => x.element_id)).toEqual(['after']);
  });

  it('and waits for one that is still running', async () => {
    const id = await t.app.engine.startInstance({ processKey: 'fixture-parallel', actor: clerk, variables: { needB: true }, checkStarter: false });
    expect((await open(id)).map((x) => x.element_id).sort()).toEqual(['task_a', 'task_b']);
    await completeAll(id, 'task_a');
    expect((await open(id)).map((x) => x.element_id)).toEqual(['task_b']);
    await completeAll(id, 'task_b');
    expect((await open(id)).map((x) => x.element_id)).toEqual(['after']);
  });
});

describe('multi-instance user tasks', () => {
  it('walks a list of reviewers one after another, then all at once, each seeing their own item', async () => {
    const reviewers = await Promise.all(['kj_hr', 'cd_jxj', 'cd_hr'].map((u) => actorOf(db.knex, u)));
    const byId = new Map(reviewers.map((r) => [r.userId, r]));
    const id = await t.app.engine.startInstance({ processKey: 'fixture-multi', actor: clerk, variables: { reviewers: reviewers.map((r) => r.userId) }, checkStarter: false });

    // sequential: one task at a time, in list order
    for (const expected of reviewers) {
      const tasks = await open(id);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ element_id: 'countersign', candidate_user_ids: [expected.userId] });
      await completeAll(id, 'countersign', (task) => byId.get((task.candidate_user_ids as number[])[0]!) as Actor);
    }

    // parallel: all three at once; the step ends when the last one passes
    const parallel = await open(id);
    expect(parallel.map((x) => x.candidate_user_ids[0]).sort()).toEqual(reviewers.map((r) => r.userId).sort());
    await completeAll(id, 'parallel', (task) => byId.get((task.candidate_user_ids as number[])[0]!) as Actor);
    expect((await db.knex('process_instances').where({ id }).first()).status).toBe('completed');
  });
});

describe('what a module asks of the engine’s tables', () => {
  it('marks a task overdue for a rule of the module once, with the due date and reason, and takes the mark back', async () => {
    // given an open task without a due date
    const id = await t.app.engine.startInstance({ processKey: 'fixture-parallel', actor: clerk, variables: { needB: false }, checkStarter: false });
    const [task] = await open(id);
    const dueAt = new Date('2026-04-01T09:00:00Z');

    // when two sweeps mark it at once
    const [first, second] = await Promise.all(
      [0, 1].map(() => db.knex.transaction((trx) => t.app.engine.markTasksOverdue(trx, [{ id: task.id, dueAt }], '申报截止'))),
    );

    // then it is marked once, due then, with one history event naming the reason
    expect(first!.length + second!.length).toBe(1);
    expect(await db.knex('tasks').where({ id: task.id }).first()).toMatchObject({ due_at: dueAt, overdue_at: expect.any(Date) });
    const events = await db.knex('history_events').where({ task_id: task.id, type: 'task.overdue' });
    expect(events.map((e) => e.data)).toEqual([{ dueAt: dueAt.toISOString(), reason: '申报截止' }]);

    // and when the deadline moves, the mark is taken back
    expect(await db.knex.transaction((trx) => t.app.engine.clearOverdue(trx, [task.id], dueAt))).toBe(1);
    expect(await db.knex('tasks').where({ id: task.id }).first()).toMatchObject({ due_at: null, overdue_at: null });
  });

  it('records a module’s event on the case’s history, and refuses an instance that does not exist', async () => {
    // given a running case
    const id = await t.app.engine.startInstance({ processKey: 'fixture-parallel', actor: clerk, variables: { needB: false }, checkStarter: false });

    // when a module records its own event on it, and on an unknown instance
    await db.knex.transaction((trx) => t.app.engine.recordHistory(trx, id, { type: 'dossier.change', elementName: '修改评价方式', actor: clerk, opinion: '符合破格条件', data: { changeId: 7 } }));
    const unknown = db.knex.transaction((trx) => t.app.engine.recordHistory(trx, '00000000-0000-4000-8000-000000000000', { type: 'dossier.change' }));

    // then the case's history has it with the actor, and the unknown instance is refused
    const history = await t.app.engine.history(id);
    expect(history.filter((h) => h.type === 'dossier.change')).toEqual([
      expect.objectContaining({ instanceId: id, rootInstanceId: id, elementName: '修改评价方式', actorId: clerk.userId, opinion: '符合破格条件', data: { changeId: 7 } }),
    ]);
    await expect(unknown).rejects.toThrow('流程实例不存在');
  });
});
