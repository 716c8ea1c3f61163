import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { actorOf } from '../helpers/actors.ts';
import { shanghaiDate } from '../../api/modules/calendar/calendar.service.ts';

const DAY = 24 * 3600 * 1000;
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8');

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let clock: TestClock;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new TestClock('2026-01-05T09:00:00+08:00');
  t = await startTestApp(db, { clock, demo: true });
  await t.app.engine.deploy(fixture('timer-wait.bpmn'));
  await t.app.engine.deploy(fixture('timer-boundary.bpmn'));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

async function start(app: TestApp, key: string, variables: Record<string, unknown> = {}) {
  return app.app.engine.startInstance({ processKey: key, variables, actor: await actorOf(db.knex, 'kj_hr'), checkStarter: false });
}

async function openTasks(instanceId: string) {
  return db.knex('tasks').where({ root_instance_id: instanceId, status: 'open' }).pluck('element_id');
}

async function timerFires(instanceId: string) {
  return db.knex('history_events').where({ root_instance_id: instanceId, type: 'timer.fire' }).count<{ n: number }[]>({ n: '*' }).then((r) => Number(r[0]?.n));
}

describe('durable timers', () => {
  it('fires a 30-day timer (beyond setTimeout’s 24.8-day limit) through the sweeper', async () => {
    // given an instance waiting on a 30-day timer
    const id = await start(t, 'fixture-timer-wait');
    const row = await db.knex('timers').where({ instance_id: id }).first();
    expect(row.status).toBe('pending');
    expect(new Date(row.due_at).getTime() - clock.now().getTime()).toBe(30 * DAY);

    // when 29 days pass, nothing happens
    clock.advance(29 * DAY);
    await t.app.scheduler.runOnce();
    expect(await openTasks(id)).toEqual([]);

    // when the 30th day is reached, the sweeper fires it once
    clock.advance(DAY + 60_000);
    const sweep = await t.app.scheduler.runOnce();
    expect(sweep.timersFired).toBeGreaterThanOrEqual(1);
    expect(await openTasks(id)).toEqual(['after']);
    expect(await timerFires(id)).toBe(1);
    expect((await db.knex('timers').where({ instance_id: id }).first()).status).toBe('fired');

    await t.app.scheduler.runOnce();
    expect(await timerFires(id)).toBe(1);
  });

  it('fires once after a restart when the timer fell due while the server was down', async () => {
    const id = await start(t, 'fixture-timer-wait');
    // the server stops
    const database2 = await reopen(db);
    const other = await startTestApp(database2, { clock, deploy: false });
    await other.close();

    // 31 days later a new process starts on the same database (empty cache)
    clock.advance(31 * DAY);
    const database3 = await reopen(db);
    const restarted = await startTestApp(database3, { clock, deploy: false });
    try {
      await restarted.app.scheduler.runOnce();
      await restarted.app.scheduler.runOnce();
      expect(await openTasks(id)).toEqual(['after']);
      expect(await timerFires(id)).toBe(1);
    } finally {
      await restarted.close();
      await database3.close();
      await database2.close();
    }
  });

  it('never fires a timer twice when two API processes sweep at once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await start(t, 'fixture-timer-wait'));
    clock.advance(31 * DAY);
    const [dbA, dbB] = await Promise.all([reopen(db), reopen(db)]);
    const [a, b] = await Promise.all([startTestApp(dbA, { clock, deploy: false }), startTestApp(dbB, { clock, deploy: false })]);
    try {
      const [ra, rb] = await Promise.all([a.app.scheduler.runOnce(), b.app.scheduler.runOnce()]);
      expect(ra.timersFired + rb.timersFired).toBe(12);
      for (const id of ids) {
        expect(await timerFires(id)).toBe(1);
        expect(await openTasks(id)).toEqual(['after']);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([dbA.close(), dbB.close()]);
    }
  });

  it('interrupts a user task with a boundary timer whose duration is a FEEL expression, and marks the task overdue first', async () => {
    const id = await start(t, 'fixture-timer-boundary', { deadline: 'P30D' });
    const task = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    // P3D: the end (24:00 in Shanghai) of the third working day of the 工作日历
    const third = t.app.calendar.addWorkingDays(shanghaiDate(clock.now()), 3);
    expect(new Date(task.due_at).toISOString()).toBe(new Date(`${third}T23:59:59.999+08:00`).toISOString());

    // after 4 days the task is overdue (once), the history says so
    clock.advance(4 * DAY);
    expect((await t.app.scheduler.runOnce()).tasksOverdue).toBeGreaterThanOrEqual(1);
    await t.app.scheduler.runOnce();
    expect(await db.knex('history_events').where({ root_instance_id: id, type: 'task.overdue' }).count<{ n: number }[]>({ n: '*' }).then((r) => Number(r[0]?.n))).toBe(1);
    expect((await db.knex('tasks').where({ id: task.id }).first()).overdue_at).not.toBeNull();

    // after 30 days the boundary timer moves the case to escalation
    clock.advance(27 * DAY);
    await t.app.scheduler.runOnce();
    expect(await openTasks(id)).toEqual(['escalated']);
    expect((await db.knex('tasks').where({ id: task.id }).first()).status).toBe('cancelled');
  });

  it('cancels the timer when the task is done in time', async () => {
    const id = await start(t, 'fixture-timer-boundary', { deadline: 'P30D' });
    const task = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    await t.app.engine.completeTask(task.id, await actorOf(db.knex, 'kj_hr'), { action: 'pass' });
    expect((await db.knex('timers').where({ instance_id: id }).first()).status).toBe('cancelled');
    clock.advance(40 * DAY);
    await t.app.scheduler.runOnce();
    expect(await timerFires(id)).toBe(0);
    expect((await db.knex('process_instances').where({ id }).first()).status).toBe('completed');
  });
});
