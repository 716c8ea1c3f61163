import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import { loadDemoData } from '../../api/src/demo.ts';
import { TestClock } from '../helpers/clock.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
// the service step's connection is cut from outside while its transaction is open: to
// PostgreSQL that is exactly a process killed before COMMIT
let cutNext = false;

beforeAll(async () => {
  db = await createTestDatabase();
  await loadDemoData(db.knex, new TestClock().now());
  const setup = await apiProcess();
  await setup.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'incident.bpmn'), 'utf8'));
  await setup.crash();
});

afterAll(async () => {
  await db?.drop();
});

/** An API process on the shared database with the incident fixture's handler; `crash()` drops it without a graceful close. */
async function apiProcess(): Promise<TestApp & { crash(): Promise<void> }> {
  const t = await startTestApp(await reopen(db), { deploy: false });
  t.app.engine.registerHandler('test.flaky', async ({ trx, instanceId }) => {
    await trx('settings').insert({ key: `crash:${instanceId}`, value: JSON.stringify('written') });
    if (cutNext) {
      cutNext = false;
      const { rows } = await trx.raw('select pg_backend_pid() as pid');
      await db.knex.raw('select pg_terminate_backend(?)', [rows[0].pid]);
    }
    return { synced: true };
  });
  return {
    ...t,
    async crash() {
      // no app.close(): no onClose hook, no drain; only the pool goes, as with kill -9
      await t.app.db.destroy();
    },
  };
}

describe('crash recovery', () => {
  it('refuses the retry of a completion that committed before its answer was lost, leaving one transition', async () => {
    // given a case at its first task, completed on a process that dies before the client hears back
    const a = await apiProcess();
    const id = await a.app.engine.startInstance({ processKey: 'fixture-incident', actor: await actorOf(db.knex, 'kj_hr'), checkStarter: false });
    const task = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    const committed = await a.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } });
    expect(committed.statusCode).toBe(200);
    await a.crash();

    // when the client retries on the process that replaced it (nothing in memory)
    const b = await apiProcess();
    try {
      const retry = await b.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } });

      // then the retry is a conflict and the case moved exactly once
      expect(retry.statusCode).toBe(409);
      expect(await db.knex('history_events').where({ root_instance_id: id, type: 'task.complete' })).toHaveLength(1);
      expect(await db.knex('tasks').where({ root_instance_id: id, element_id: 'after' })).toHaveLength(1);
    } finally {
      await b.crash();
    }
  });

  it('leaves nothing of a step whose process died before COMMIT, and the next process takes it once', async () => {
    // given a case whose completion dies in the middle of its service step
    const a = await apiProcess();
    const id = await a.app.engine.startInstance({ processKey: 'fixture-incident', actor: await actorOf(db.knex, 'kj_hr'), checkStarter: false });
    const task = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    cutNext = true;
    const died = await a.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } });
    await a.crash();

    // when the client retries on the next process
    const b = await apiProcess();
    try {
      const retry = await b.request('POST', `/api/tasks/${task.id}/complete`, { user: 'kj_hr', body: { action: 'pass', opinion: '同意' } });

      // then the interrupted attempt wrote nothing (no incident either) and the retry moved the case once
      expect(died.statusCode).toBe(503);
      expect(retry.statusCode, retry.body).toBe(200);
      expect(await db.knex('incidents').where({ instance_id: id })).toHaveLength(0);
      expect(await db.knex('settings').where({ key: `crash:${id}` })).toHaveLength(1);
      expect(await db.knex('history_events').where({ root_instance_id: id, type: 'task.complete' })).toHaveLength(1);
      expect(await db.knex('tasks').where({ root_instance_id: id, element_id: 'after', status: 'open' })).toHaveLength(1);
    } finally {
      await b.crash();
    }
  });
});
