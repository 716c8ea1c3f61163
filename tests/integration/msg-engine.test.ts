import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import type { Actor } from '../../engine/types.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let clerk: Actor;

const FIXTURES = ['msg-throw.bpmn', 'msg-wait.bpmn', 'msg-race.bpmn', 'msg-start.bpmn', 'msg-send-multi.bpmn'];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  for (const f of FIXTURES) await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, f), 'utf8'));
  clerk = await actorOf(db.knex, 'kj_hr');
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const openTasks = (rootId: string) => db.knex('tasks').where({ root_instance_id: rootId, status: 'open' }).orderBy('created_at');
const instance = (id: string) => db.knex('process_instances').where({ id }).first();
const messagesNamed = (name: string, key: string) => db.knex('process_messages').where({ name, correlation_key: key }).orderBy('id');

async function passTask(app: TestApp, rootId: string, elementId: string) {
  const task = (await openTasks(rootId)).find((x) => x.element_id === elementId);
  if (!task) throw new Error(`no open task ${elementId}`);
  return app.app.engine.completeTask(task.id, clerk, { action: 'pass' });
}

/** A waiter reaches its catch event: started, its first task completed. */
async function waiterAt(app: TestApp, key: string) {
  const id = await app.app.engine.startInstance({ processKey: 'fixture-msg-wait', businessKey: key, actor: clerk, checkStarter: false });
  await passTask(app, id, 'first');
  return id;
}

const throwTo = (app: TestApp, target: string, value: number) =>
  app.app.engine.startInstance({ processKey: 'fixture-msg-throw', actor: clerk, variables: { target, value }, checkStarter: false });

describe('messages between two instances', () => {
  it('delivers a thrown message to the instance waiting with that key, once, with its payload', async () => {
    // Given B waits at its catch event for "ping" with its business key
    const b = await waiterAt(t, 'b:1');
    expect(await t.app.engine.waitingMessages(b)).toMatchObject([{ elementId: 'wait_ping', name: 'ping', correlationKey: 'b:1' }]);
    // and another instance waits with another key
    const other = await waiterAt(t, 'b:other');

    // When A throws "ping" for b:1 within its own step
    const a = await throwTo(t, 'b:1', 42);

    // Then the message committed with A's step and was delivered to B alone
    expect((await instance(a)).status).toBe('completed');
    const [message] = await messagesNamed('ping', 'b:1');
    expect(message).toMatchObject({ status: 'delivered', source_instance_id: a, target_instance_id: b, target_element_id: 'wait_ping' });
    expect((await openTasks(b)).map((x) => x.element_id)).toEqual(['after']);
    expect((await instance(b)).variables).toMatchObject({ pingValue: 42 });
    expect(await t.app.engine.waitingMessages(b)).toEqual([]);
    expect((await openTasks(other)).map((x) => x.element_id)).toEqual([]);
    expect(await t.app.engine.waitingMessages(other)).toHaveLength(1);

    // and a second delivery pass finds nothing more to do
    expect(await t.app.engine.deliverMessages()).toBe(0);
    const received = await db.knex('history_events').where({ instance_id: b, type: 'message.receive' });
    expect(received).toHaveLength(1);
  });

  it('keeps a message nobody waits for until an instance reaches its catch, across a restart', async () => {
    // Given A throws "ping" for b:2 while no instance waits for it
    await throwTo(t, 'b:2', 7);
    const [kept] = await messagesNamed('ping', 'b:2');
    expect(kept).toMatchObject({ status: 'pending', target_instance_id: null });
    // (the throw said P2D: it expires two days after the throw)
    expect(new Date(kept.expires_at).getTime() - new Date(kept.created_at).getTime()).toBe(2 * 24 * 3600 * 1000);

    // When the API restarts (a new engine on the same database) and B reaches its catch there
    const second = await reopen(db);
    const restarted = await startTestApp(second, { deploy: false, clock: t.clock });
    try {
      const b = await waiterAt(restarted, 'b:2');

      // Then the kept message is delivered to it at once
      expect((await messagesNamed('ping', 'b:2'))[0]).toMatchObject({ status: 'delivered', target_instance_id: b });
      expect((await openTasks(b)).map((x) => x.element_id)).toEqual(['after']);
      expect((await instance(b)).variables).toMatchObject({ pingValue: 7 });
    } finally {
      await restarted.close();
      await second.close();
    }
  });

  it('delivers a message once when two API processes sweep at the same time', async () => {
    // Given three waiters and three messages committed by code, not yet delivered
    const waiters = await Promise.all(['b:3', 'b:4', 'b:5'].map((key) => waiterAt(t, key)));
    await db.knex.transaction(async (trx) => {
      for (const key of ['b:3', 'b:4', 'b:5']) await t.app.engine.publishMessage(trx, { name: 'ping', correlationKey: key, payload: { pingValue: key } });
    });
    const second = await reopen(db);
    const other = await startTestApp(second, { deploy: false, clock: t.clock });
    try {
      // When both processes deliver at once (one holds the waiters in memory, the other reads them)
      const counts = await Promise.all([t.app.engine.deliverMessages(), other.app.engine.deliverMessages()]);

      // Then every message was delivered exactly once, each to its own waiter
      expect(counts[0] + counts[1]).toBe(3);
      for (const [i, key] of ['b:3', 'b:4', 'b:5'].entries()) {
        const rows = await messagesNamed('ping', key);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ status: 'delivered', target_instance_id: waiters[i] });
        expect((await openTasks(waiters[i]!)).map((x) => x.element_id)).toEqual(['after']);
        expect(await db.knex('history_events').where({ instance_id: waiters[i], type: 'message.receive' })).toHaveLength(1);
      }
    } finally {
      await other.close();
      await second.close();
    }
  });

  it('lets a message expire when nobody waits before its time to live ends', async () => {
    // Given a message for nobody, thrown with a two-day time to live
    await throwTo(t, 'b:never', 1);
    // When three days pass and the sweeper runs
    t.clock.advanceDays(3);
    await t.app.scheduler.runOnce();
    // Then it is expired, and a waiter arriving later does not receive it
    expect((await messagesNamed('ping', 'b:never'))[0]).toMatchObject({ status: 'expired' });
    const b = await waiterAt(t, 'b:never');
    expect((await openTasks(b)).map((x) => x.element_id)).toEqual([]);
    const listed = await t.app.engine.listMessages({ status: 'expired', name: 'ping' });
    expect(listed.items.map((m) => m.correlationKey)).toContain('b:never');
  });
});

describe('a waiting instance that ends otherwise', () => {
  it('stops waiting when it is cancelled: a later message is kept, not delivered to it', async () => {
    // Given B waiting at its catch event
    const b = await waiterAt(t, 'b:cancelled');
    expect(await t.app.engine.waitingMessages(b)).toHaveLength(1);

    // When an administrator cancels the case, and then a message for its key is thrown
    await t.app.engine.cancelInstance(b, { reason: '重复发起', actor: clerk });
    await throwTo(t, 'b:cancelled', 5);

    // Then its subscription went with it, and the message waits for another receiver
    expect(await t.app.engine.waitingMessages(b)).toEqual([]);
    expect((await messagesNamed('ping', 'b:cancelled'))[0]).toMatchObject({ status: 'pending', target_instance_id: null });
  });
});

describe('event-based gateway: whichever comes first', () => {
  it('takes the message when it arrives first and drops the timer', async () => {
    // Given an instance waiting for a message or three days, whichever comes first
    const id = await t.app.engine.startInstance({ processKey: 'fixture-msg-race', businessKey: 'race-a', actor: clerk, variables: { raceNo: 1 }, checkStarter: false });
    expect(await db.knex('timers').where({ instance_id: id, status: 'pending' })).toHaveLength(1);
    expect(await t.app.engine.waitingMessages(id)).toMatchObject([{ elementId: 'got_ping', correlationKey: 'race:1' }]);

    // When the message comes (from a fresh engine that rebuilds the instance from its state)
    t.app.engine.clearCache();
    await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name: 'ping', correlationKey: 'race:1' }));
    await t.app.engine.deliverMessages();

    // Then the message path is taken, the timer cancelled, the subscription gone
    expect((await openTasks(id)).map((x) => x.element_id)).toEqual(['on_ping']);
    expect(await db.knex('timers').where({ instance_id: id, status: 'pending' })).toHaveLength(0);
    expect(await t.app.engine.waitingMessages(id)).toEqual([]);
  });

  it('takes the timer when it fires first and stops waiting for the message', async () => {
    // Given an instance waiting for a message or three days
    const id = await t.app.engine.startInstance({ processKey: 'fixture-msg-race', businessKey: 'race-b', actor: clerk, variables: { raceNo: 2 }, checkStarter: false });

    // When three days pass first
    t.clock.advanceDays(3);
    await t.app.scheduler.runOnce();

    // Then the timeout path is taken and the catch no longer waits: a late message is kept, not delivered
    expect((await openTasks(id)).map((x) => x.element_id)).toEqual(['on_timeout']);
    expect(await t.app.engine.waitingMessages(id)).toEqual([]);
    await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name: 'ping', correlationKey: 'race:2' }));
    await t.app.engine.deliverMessages();
    expect((await messagesNamed('ping', 'race:2'))[0]).toMatchObject({ status: 'pending' });
    expect((await openTasks(id)).map((x) => x.element_id)).toEqual(['on_timeout']);
  });
});

describe('message start events and send tasks', () => {
  it('starts a flow from another flow’s messages, one per item of a multi-instance send task', async () => {
    // Given a flow that sends "kick" to each item of a list
    const users = await Promise.all(['kj_hr', 'cd_hr'].map((u) => actorOf(db.knex, u)));
    const items = users.map((u, i) => ({ no: 100 + i, userId: u.userId }));

    // When it runs
    const sender = await t.app.engine.startInstance({ processKey: 'fixture-msg-send-multi', actor: clerk, variables: { items }, checkStarter: false });

    // Then one message per item was posted, and each started its own instance of the flow with a message start
    const sent = await db.knex('process_messages').where({ source_instance_id: sender }).orderBy('correlation_key');
    expect(sent.map((m) => [m.name, m.correlation_key, m.status])).toEqual([
      ['kick', 'kick:100', 'delivered'],
      ['kick', 'kick:101', 'delivered'],
    ]);
    for (const [i, m] of sent.entries()) {
      const started = await instance(m.target_instance_id);
      expect(started).toMatchObject({ process_key: 'fixture-msg-start', business_key: `kick:${100 + i}`, status: 'running' });
      expect(started.variables).toMatchObject({ assignee: users[i]!.userId, no: 100 + i });
      const tasks = await openTasks(m.target_instance_id);
      expect(tasks.map((x) => [x.element_id, x.assignee_id])).toEqual([['handle', users[i]!.userId]]);
    }
  });
});
