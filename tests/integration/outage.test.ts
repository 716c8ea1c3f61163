import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../helpers/pg-server.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import { openDatabase, type Database } from '../../api/src/db.ts';
import { migrateLatest } from '../../migrations/index.ts';

// a PostgreSQL of this file's own: the tests stop and start it
let pg: PgServer;
let database: Database;
let t: TestApp;
// the handler ends its own connection the first time per instance, as a restart would
const cutOnce = new Set<string>();

beforeAll(async () => {
  pg = await startPostgres();
  database = await openDatabase({ DATABASE_URL: pg.url, DATA_DIR: '/tmp', DB_POOL_MAX: 5 });
  await migrateLatest(database.knex);
  t = await startTestApp(database, { demo: true });
  t.app.engine.registerHandler('test.flaky', async ({ trx, instanceId }) => {
    await trx('settings').insert({ key: `outage:${instanceId}`, value: JSON.stringify('written') });
    if (!cutOnce.has(instanceId)) {
      cutOnce.add(instanceId);
      await trx.raw('select pg_terminate_backend(pg_backend_pid())');
    }
    return { synced: true };
  });
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'incident.bpmn'), 'utf8'));
  // tokens are taken while the database is up
  await t.token('kj_hr');
  await t.token('admin');
});

afterAll(async () => {
  await t?.close();
  await database?.close();
  pg?.stop();
});

async function withDatabaseDown<T>(work: () => Promise<T>): Promise<T> {
  pg.halt('fast');
  // pg_ctl ran synchronously: let the API notice its closed connections, as a live server does
  await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    return await work();
  } finally {
    pg.resume();
  }
}

describe('database outage', () => {
  it('answers 503 with a Retry-After header and a Chinese message while PostgreSQL is stopped', async () => {
    // given a running API whose database then stops
    const responses = await withDatabaseDown(async () => {
      // when people keep working
      return Promise.all([
        t.request('GET', '/api/tasks', { user: 'kj_hr' }),
        t.request('GET', '/api/process-instances', { user: 'admin' }),
        t.request('POST', '/api/auth/login', { body: { username: 'kj_hr', password: 'Zcps@2026' } }),
      ]);
    });

    // then each request is told the database is away and when to retry, none gets a 500
    for (const res of responses) {
      expect(res.statusCode, res.body).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.json().message).toBe('数据库暂时不可用，请稍后重试');
    }
  });

  it('says the database is down on /api/health during the outage', async () => {
    // given a stopped database
    const res = await withDatabaseDown(() => t.request('GET', '/api/health'));

    // then the health check answers 503, so a load balancer takes the process out
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'down', database: 'postgresql' });
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('reconnects by itself when PostgreSQL is back', async () => {
    // given an outage that broke every pooled connection
    await withDatabaseDown(() => t.request('GET', '/api/tasks', { user: 'kj_hr' }));

    // when the next requests arrive after the restart
    const tasks = await t.request('GET', '/api/tasks', { user: 'kj_hr' });
    const health = await t.request('GET', '/api/health');

    // then they are served on fresh connections
    expect(tasks.statusCode, tasks.body).toBe(200);
    expect(health.statusCode).toBe(200);
    expect(health.json().status).toBe('ok');
  });

  it('keeps the sweeper working after an outage', async () => {
    // given a sweep that failed while the database was down
    await withDatabaseDown(() => expect(t.app.scheduler.runOnce()).rejects.toThrow());

    // when the next sweep runs
    const result = await t.app.scheduler.runOnce();

    // then it runs normally
    expect(result).toMatchObject({ timersFired: expect.any(Number), messagesDelivered: expect.any(Number) });
  });

  it('refuses a completion during the outage and takes it exactly once afterwards', async () => {
    // given an instance waiting at its first task
    const actor = await actorOf(database.knex, 'kj_hr');
    const id = await t.app.engine.startInstance({ processKey: 'fixture-incident', actor, checkStarter: false });
    const task = await database.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    cutOnce.add(id);

    // when the clerk completes it during the outage, then again after it
    const during = await withDatabaseDown(() => t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } }));
    const after = await t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } });
    const again = await t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } });

    // then the first is 503, the second moves the case once, a retry is a conflict
    expect(during.statusCode).toBe(503);
    expect(after.statusCode, after.body).toBe(200);
    expect(again.statusCode).toBe(409);
    const completions = await database.knex('history_events').where({ root_instance_id: id, type: 'task.complete' });
    expect(completions).toHaveLength(1);
    expect(await database.knex('tasks').where({ root_instance_id: id, status: 'open', element_id: 'after' })).toHaveLength(1);
  });

  it('rolls back a step whose connection dies in a service task and leaves no incident', async () => {
    // given an instance whose next service step loses its connection on the first run
    const actor = await actorOf(database.knex, 'kj_hr');
    const id = await t.app.engine.startInstance({ processKey: 'fixture-incident', actor, checkStarter: false });
    const task = await database.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();

    // when the clerk completes the task and retries after the 503
    const first = await t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } });
    const retry = await t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } });

    // then the first attempt changed nothing and is no incident; the retry advances the case once
    expect(first.statusCode, first.body).toBe(503);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(await database.knex('incidents').where({ instance_id: id })).toHaveLength(0);
    expect(await database.knex('settings').where({ key: `outage:${id}` })).toHaveLength(1);
    expect(await database.knex('history_events').where({ root_instance_id: id, type: 'task.complete' })).toHaveLength(1);
    expect(await database.knex('tasks').where({ root_instance_id: id, status: 'open', element_id: 'after' })).toHaveLength(1);
  });
});
