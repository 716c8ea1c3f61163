import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import { ConflictError } from '../../engine/errors.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let failing = true;
let refusing = false;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  // a handler that writes, then fails while the outside system is "down"
  t.app.engine.registerHandler('test.flaky', async ({ trx, instanceId }) => {
    await trx('settings').insert({ key: `flaky:${instanceId}:${Date.now()}:${Math.random()}`, value: JSON.stringify('written') });
    if (refusing) throw new ConflictError('该统一社会信用代码已被其他单位使用');
    if (failing) throw new Error('外部系统无响应');
    return { synced: true };
  });
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'incident.bpmn'), 'utf8'));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('incidents', () => {
  it('keeps the instance at the failing step, lets an administrator list and retry it, and never half-advances', async () => {
    // given an instance whose next step calls a failing handler
    const actor = await actorOf(db.knex, 'kj_hr');
    const id = await t.app.engine.startInstance({ processKey: 'fixture-incident', actor, checkStarter: false });
    const first = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();

    // when the user completes the task before it
    await t.app.engine.completeTask(first.id, actor, { action: 'pass' });

    // then the completion stands, the instance waits at the service step with an incident,
    // and the handler's own writes were rolled back
    expect((await db.knex('tasks').where({ id: first.id }).first()).status).toBe('completed');
    expect(await db.knex('tasks').where({ root_instance_id: id, status: 'open' })).toHaveLength(0);
    expect(await db.knex('settings').where('key', 'like', `flaky:${id}:%`)).toHaveLength(0);
    const list = await t.request('GET', '/api/incidents?status=open', { user: 'admin' });
    expect(list.statusCode).toBe(200);
    const incident = (list.json() as Array<{ id: number; instanceId: string; elementId: string; message: string; attempts: number }>).find((i) => i.instanceId === id);
    expect(incident).toMatchObject({ elementId: 'flaky', message: '外部系统无响应', attempts: 1 });
    expect((await db.knex('process_instances').where({ id }).first()).open_incidents).toBe(1);

    // a clerk may not see or retry incidents
    expect((await t.request('GET', '/api/incidents', { user: 'kj_hr' })).statusCode).toBe(403);

    // when retried while still failing, the attempt is counted and nothing moves
    const again = await t.request('POST', `/api/incidents/${incident!.id}/retry`, { user: 'admin' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'open', attempts: 2 });
    expect(await db.knex('tasks').where({ root_instance_id: id, status: 'open' })).toHaveLength(0);

    // as after a restart: the retry rebuilds the instance from the database, parked step included
    t.app.engine.clearCache();

    // when the outside system is back and the administrator retries
    failing = false;
    const fixed = await t.request('POST', `/api/incidents/${incident!.id}/retry`, { user: 'admin' });
    expect(fixed.json()).toMatchObject({ status: 'resolved' });

    // then the instance moves on exactly once
    expect(await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).pluck('element_id')).toEqual(['after']);
    expect(await db.knex('settings').where('key', 'like', `flaky:${id}:%`)).toHaveLength(1);
    const instance = await db.knex('process_instances').where({ id }).first();
    expect(instance.open_incidents).toBe(0);
    expect(instance.variables.synced).toBe(true);
    const types = await db.knex('history_events').where({ root_instance_id: id }).orderBy('id').pluck('type');
    expect(types.filter((x: string) => x.startsWith('incident.'))).toEqual(['incident.create', 'incident.retry', 'incident.create', 'incident.retry', 'incident.resolve']);

    // and retrying a resolved incident is refused
    expect((await t.request('POST', `/api/incidents/${incident!.id}/retry`, { user: 'admin' })).statusCode).toBe(409);
  });

  it('answers a handler’s refusal to the person completing the task, with nothing moved and no incident', async () => {
    // given a step whose handler refuses on the data (a conflict, not a failure)
    const actor = await actorOf(db.knex, 'kj_hr');
    const id = await t.app.engine.startInstance({ processKey: 'fixture-incident', actor, checkStarter: false });
    const first = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    refusing = true;
    try {
      // when the clerk completes the task before it
      await expect(t.app.engine.completeTask(first.id, actor, { action: 'pass' })).rejects.toBeInstanceOf(ConflictError);
    } finally {
      refusing = false;
    }
    // then the task is still theirs, and nothing else happened
    expect((await db.knex('tasks').where({ id: first.id }).first()).status).toBe('open');
    expect(await db.knex('incidents').where({ instance_id: id })).toHaveLength(0);
    expect(await db.knex('settings').where('key', 'like', `flaky:${id}:%`)).toHaveLength(0);
    expect((await db.knex('history_events').where({ root_instance_id: id, type: 'task.complete' })).length).toBe(0);
  });
});
