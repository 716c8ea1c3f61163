import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { alternate, completePairs, createCases, openTaskIds } from '../helpers/race.ts';
import { makeRevisionTimersDue, outcomeOf, pendingWork } from '../helpers/two-process.ts';
import type { Database } from '../../api/src/db.ts';

// the small version of bench/two-process.ts: two API instances (two buildApp, two pools) on one database
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let second: Database;
let a: TestApp;
let b: TestApp;
let loadCases: string[];
let timerCases: string[];
let pairs: Awaited<ReturnType<typeof completePairs>>;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await startTestApp(db, { demo: true });
  loadCases = await createCases(a, db.knex, 'tpload', 6, { employer: 'pass' });
  timerCases = await createCases(a, db.knex, 'tptimer', 4, { employer: 'return' });
  second = await reopen(db);
  b = await startTestApp(second, { clock: a.clock, deploy: false });
  // given the returned cases' 修改期限已过 timers due now
  await makeRevisionTimersDue(db.knex, timerCases, a.clock.now());
  // when both processes sweep, again and again, while each load task is completed once through each process at once
  let sweeping = true;
  const sweeps = (t: TestApp) =>
    (async () => {
      while (sweeping) await t.app.scheduler.runOnce();
    })();
  const sweepers = [sweeps(a), sweeps(b)];
  pairs = await completePairs(alternate([a, b]), 'cd_jxj', await openTaskIds(db.knex, loadCases, 'department_review'), 3);
  for (let i = 0; i < 100 && (await pendingWork(db.knex, timerCases)).timers > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  sweeping = false;
  await Promise.all(sweepers);
}, 240_000);

afterAll(async () => {
  await b?.close();
  await second?.close();
  await a?.close();
  await db?.drop();
});

describe('two API processes on one database with timers due', () => {
  it('fires each due timer once', async () => {
    // given / when: the sweeps of both processes above
    const outcome = await outcomeOf(db.knex, loadCases, timerCases);
    // then every case's 修改期限已过 fired exactly once, and no timer is left pending
    expect(outcome.timerFiresPerCase).toEqual({ 1: 4 });
    expect((await pendingWork(db.knex, timerCases)).timers).toBe(0);
  });

  it('sends each result message once: the applicant and the employer, one each per abandoned case', async () => {
    // given / when: the timers fired above
    const outcome = await outcomeOf(db.knex, loadCases, timerCases);
    // then each case ended 放弃 and sent two 申报结果 messages, no more
    expect(outcome.dossiers).toMatchObject({ abandoned: 4 });
    expect(outcome.resultMessagesPerCase).toEqual({ 2: 4 });
  });

  it('completes each load task once across the two processes, and the cases move one step', async () => {
    // given / when: each task completed at once through both processes above
    const outcome = await outcomeOf(db.knex, loadCases, timerCases);
    // then one success and one conflict per task, and each case waits at 人社部门审核
    expect(pairs).toEqual({ pairs: 6, successes: 6, conflicts: 6, others: [] });
    expect(outcome.completedTasks.department_review).toBe(6);
    expect(outcome.openTasks).toEqual({ bureau_review: 6 });
  });
});
