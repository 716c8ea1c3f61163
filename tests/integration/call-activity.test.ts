import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { deployCallFixtures, startFixtureParent } from '../helpers/call-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const clock = new TestClock();

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true, clock });
  await deployCallFixtures(t);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const startParent = () => startFixtureParent(t, db.knex);

describe('call activities (reusable sub-flows)', () => {
  it('starts the called flow with the mapped inputs and hands its result back to the caller', async () => {
    // given a parent waiting on its call activity
    const { actor, id, child } = await startParent();
    expect(child).toMatchObject({ process_key: 'fixture-child', root_instance_id: id, parent_element_id: 'call', status: 'running' });
    expect(child.variables).toMatchObject({ reviewer: actor.userId, note: '来自父流程' });
    const task = await db.knex('tasks').where({ instance_id: child.id, status: 'open' }).first();
    expect(task).toMatchObject({ element_id: 'review', assignee_id: actor.userId });

    // when the child's task is passed
    await t.app.engine.completeTask(task.id, actor, { action: 'pass', opinion: '子流程通过' });

    // then the child ends and the parent continues with the child's variables as `review`
    const [parent, doneChild] = await Promise.all([db.knex('process_instances').where({ id }).first(), db.knex('process_instances').where({ id: child.id }).first()]);
    expect(doneChild.status).toBe('completed');
    expect(parent.status).toBe('completed');
    expect(parent.variables.review).toMatchObject({ action: 'pass', opinion: '子流程通过', note: '来自父流程' });
    expect(parent.trail).toContain('end_pass');
    const history = await db.knex('history_events').where({ root_instance_id: id }).orderBy('id').pluck('type');
    expect(history).toEqual(['instance.start', 'call.start', 'instance.start', 'task.complete', 'instance.end', 'call.end', 'instance.end']);
  });

  it('follows the child’s outcome (return path)', async () => {
    const { actor, id, child } = await startParent();
    const task = await db.knex('tasks').where({ instance_id: child.id, status: 'open' }).first();
    await t.app.engine.completeTask(task.id, actor, { action: 'return', opinion: '请补充' });
    expect((await db.knex('process_instances').where({ id }).first()).trail).toContain('end_return');
  });

  it('terminates the called flow when the caller is interrupted (boundary timer)', async () => {
    const { id, child } = await startParent();
    clock.advanceDays(11);
    await t.app.scheduler.runOnce();
    const [parent, stopped] = await Promise.all([db.knex('process_instances').where({ id }).first(), db.knex('process_instances').where({ id: child.id }).first()]);
    expect(parent.status).toBe('completed');
    expect(parent.trail).toContain('end_timeout');
    expect(stopped.status).toBe('terminated');
    expect(await db.knex('tasks').where({ instance_id: child.id }).pluck('status')).toEqual(['cancelled']);
  });
});
