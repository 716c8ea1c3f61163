import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { deployCallFixtures, startFixtureParent } from '../helpers/call-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { complete, inbox, submitDossier } from '../helpers/flow.ts';
import { ConflictError } from '../../engine/errors.ts';

/**
 * Cancelling a running case (engine `cancelInstance`): the receipt deadline's sweep and an
 * administrator end cases this way. The fixture parent waits on a called child flow (one task for
 * its initiator) under a 10-day boundary timer.
 */
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

async function startCase() {
  const { actor, id, child } = await startFixtureParent(t, db.knex);
  const task = await db.knex('tasks').where({ instance_id: child.id, status: 'open' }).first();
  return { actor, id, childId: String(child.id), taskId: String(task.id) };
}

const instance = (id: string) => db.knex('process_instances').where({ id }).first();

describe('cancelling a running case', () => {
  it('cancels its tasks, timers and sub-flow in one go and says why in its history', async () => {
    // given a case whose sub-flow waits on a task, under a boundary timer
    const { id, childId, taskId } = await startCase();
    expect(await db.knex('timers').where({ root_instance_id: id, status: 'pending' })).toHaveLength(1);

    // when it is cancelled
    const result = await t.app.engine.cancelInstance(id, { reason: '申报人撤回申报', actor: null });

    // then the case and its sub-flow are cancelled, nothing waits any more
    expect(result.cancelledInstanceIds.sort()).toEqual([id, childId].sort());
    expect(await instance(id)).toMatchObject({ status: 'cancelled', ended_at: expect.any(Date) });
    expect((await instance(childId)).status).toBe('cancelled');
    expect((await db.knex('tasks').where({ id: taskId }).first()).status).toBe('cancelled');
    expect(await db.knex('timers').where({ root_instance_id: id, status: 'pending' })).toHaveLength(0);
    expect((await inbox(t, 'kj_hr')).some((i) => i.rootInstanceId === id)).toBe(false);
    const events = await db.knex('history_events').where({ root_instance_id: id, type: 'instance.cancel' });
    expect(events).toEqual([expect.objectContaining({ instance_id: id, opinion: '申报人撤回申报', data: { reason: '申报人撤回申报', instances: expect.arrayContaining([id, childId]) } })]);
  });

  it('answers a completion of a cancelled task with 409, and the timer never fires', async () => {
    const { id, taskId } = await startCase();
    await t.app.engine.cancelInstance(id, { reason: '测试取消', actor: null });
    const res = await complete(t, 'kj_hr', taskId, 'pass', '通过');
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('该任务已取消');
    // eleven days on, the sweeper finds nothing to fire on it
    clock.advanceDays(11);
    await t.app.scheduler.runOnce();
    expect((await instance(id)).status).toBe('cancelled');
    expect(await db.knex('history_events').where({ root_instance_id: id, type: 'timer.fire' })).toHaveLength(0);
  });

  it('refuses to cancel a sub-flow on its own, an ended case, or one with no reason', async () => {
    const { id, childId } = await startCase();
    await expect(t.app.engine.cancelInstance(childId, { reason: '只取消子流程', actor: null })).rejects.toThrow(ConflictError);
    await expect(t.app.engine.cancelInstance(id, { reason: '  ', actor: null })).rejects.toThrow('请填写取消原因');
    await t.app.engine.cancelInstance(id, { reason: '取消', actor: null });
    await expect(t.app.engine.cancelInstance(id, { reason: '再次取消', actor: null })).rejects.toThrow('流程实例已结束');
  });
});

describe('a cancel and a completion at once', () => {
  it('lets exactly one of them win in one process; the other gets 409', async () => {
    for (let i = 0; i < 4; i++) {
      // given a case as an administrator saw it
      const { id, taskId } = await startCase();
      const revision = Number((await instance(id)).version);

      // when the reviewer completes the task while the administrator cancels the case
      const [done, cancel] = await Promise.all([
        complete(t, 'kj_hr', taskId, 'pass', '通过'),
        t.request('POST', `/api/process-instances/${id}/cancel`, { user: 'admin', body: { reason: '重复申报', revision } }),
      ]);

      // then one wins and the other is told it came too late
      expect([done.statusCode, cancel.statusCode].sort()).toEqual([200, 409]);
      const row = await instance(id);
      const task = await db.knex('tasks').where({ id: taskId }).first();
      if (cancel.statusCode === 200) {
        expect(row.status).toBe('cancelled');
        expect(task.status).toBe('cancelled');
      } else {
        expect(row.status).toBe('completed');
        expect(task.status).toBe('completed');
        expect(await db.knex('history_events').where({ root_instance_id: id, type: 'instance.cancel' })).toHaveLength(0);
      }
    }
  });

  it('holds across two API processes sharing the database', async () => {
    const second = await reopen(db);
    const other = await startTestApp(second, { deploy: false, clock });
    try {
      for (let i = 0; i < 3; i++) {
        const { id, taskId } = await startCase();
        const revision = Number((await instance(id)).version);
        const [done, cancel] = await Promise.all([
          complete(t, 'kj_hr', taskId, 'return', '退回'),
          other.request('POST', `/api/process-instances/${id}/cancel`, { user: 'admin', body: { reason: '重复申报', revision } }),
        ]);
        expect([done.statusCode, cancel.statusCode].sort(), done.body + ' | ' + cancel.body).toEqual([200, 409]);
        const task = await db.knex('tasks').where({ id: taskId }).first();
        expect(task.status).toBe(cancel.statusCode === 200 ? 'cancelled' : 'completed');
      }
    } finally {
      await other.close();
      await second.close();
    }
  });
});

describe('POST /api/process-instances/:id/cancel', () => {
  it('is for administrators, with a reason, on the revision they saw', async () => {
    const { id } = await startCase();
    const revision = Number((await instance(id)).version);
    expect((await t.request('POST', `/api/process-instances/${id}/cancel`, { user: 'kj_hr', body: { reason: '取消' } })).statusCode).toBe(403);
    const empty = await t.request('POST', `/api/process-instances/${id}/cancel`, { user: 'admin', body: { reason: '' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().details).toEqual([{ field: 'body.reason', message: '取消原因：必填' }]);
    const stale = await t.request('POST', `/api/process-instances/${id}/cancel`, { user: 'admin', body: { reason: '取消', revision: revision + 1 } });
    expect(stale.statusCode).toBe(409);

    const res = await t.request('POST', `/api/process-instances/${id}/cancel`, { user: 'admin', body: { reason: '申报人死亡，终止办理', revision } });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json() as { status: string; tasks: unknown[]; history: Array<{ type: string; actorName: string | null; opinion: string | null }> };
    expect(view.status).toBe('cancelled');
    expect(view.tasks).toEqual([]);
    expect(view.history.at(-1)).toMatchObject({ type: 'instance.cancel', opinion: '申报人死亡，终止办理', actorName: expect.any(String) });
  });

  it('cancels the dossier of a dossier case: no unit holds it, the applicant reads why and cannot start it again', async () => {
    const id = await submitDossier(t, 'zhangwei');
    expect(await db.knex('dossiers').where({ instance_id: id }).first()).toMatchObject({ status: 'submitted', holder_unit_id: expect.anything() });
    const res = await t.request('POST', `/api/process-instances/${id}/cancel`, { user: 'admin', body: { reason: '重复申报，已合并至另一份申报' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await db.knex('dossiers').where({ instance_id: id }).first()).toMatchObject({ status: 'cancelled', holder_unit_id: null, cancel_reason: '重复申报，已合并至另一份申报' });
    expect(await inbox(t, 'kj_hr')).not.toContainEqual(expect.objectContaining({ rootInstanceId: id }));
    const mine = (await t.request('GET', '/api/dossiers/mine', { user: 'zhangwei' })).json() as Array<{ instanceId: string; statusLabel: string; lastOpinion: { opinion: string } | null }>;
    expect(mine.find((d) => d.instanceId === id)).toMatchObject({ statusLabel: '已取消', lastOpinion: { opinion: '重复申报，已合并至另一份申报' } });
    const again = await t.request('POST', '/api/process-instances', { user: 'zhangwei', body: { processKey: 'dossier-review', variables: { activityId: (await db.knex('dossiers').where({ instance_id: id }).first()).activity_id } } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已被取消');
  });
});
