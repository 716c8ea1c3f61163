import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { batchesOverSingles, completePairs, createCases, doubleCertificateBatches, doubleTallyCloses, openTaskIds, stepFigures } from '../helpers/race.ts';

// the small version of bench/race.ts: the same workloads and invariants, 20 pairs
const PAIRS = 20;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let cases: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  cases = await createCases(t, db.knex, 'race', PAIRS, { employer: 'pass' });
}, 180_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('two hands on one task', () => {
  it('answers 20 pairs of simultaneous completions with 20 successes and 20 conflicts', async () => {
    // given 20 cases waiting at 主管部门审核
    const tasks = await openTaskIds(db.knex, cases, 'department_review');
    // when each task is completed twice at once
    const figures = await completePairs(t, 'cd_jxj', tasks, 5);
    // then one of each pair wins and the other is refused
    expect(figures).toEqual({ pairs: PAIRS, successes: PAIRS, conflicts: PAIRS, others: [] });
  });

  it('moves each raced case exactly one step: one completed task, one history event, one open task after it', async () => {
    // given the raced cases of the test above
    // when the database is read
    const figures = await stepFigures(db.knex, cases, 'department_review');
    // then every case completed 主管部门审核 once and waits at exactly one next task
    expect(figures).toEqual({ cases: PAIRS, once: PAIRS, twice: 0, never: 0, oneOpenTask: PAIRS });
    expect(await openTaskIds(db.knex, cases, 'bureau_review')).toHaveLength(PAIRS);
  });
});

describe('a batch over single completions of the same tasks', () => {
  it('completes every task once, whether the batch or the single click won it', async () => {
    // given the 20 cases at 人社部门审核
    const tasks = await openTaskIds(db.knex, cases, 'bureau_review');
    // when batches of 10 run at the same moment as single completions of half their tasks
    const figures = await batchesOverSingles(t, 'cd_hr', tasks, 10);
    // then no task is reported done twice or not at all, and the database agrees
    expect(figures).toMatchObject({ tasks: PAIRS, doubled: 0, lost: 0, others: [] });
    expect(figures.batchSucceeded + figures.singleSucceeded).toBe(PAIRS);
    expect(await stepFigures(db.knex, cases, 'bureau_review')).toEqual({ cases: PAIRS, once: PAIRS, twice: 0, never: 0, oneOpenTask: PAIRS });
  });
});

describe('two 计票完成 of one round at once', () => {
  it('closes the round once and refuses the other', async () => {
    // given two rounds whose ballots are all in
    // when the clerk's 计票完成 is sent twice at once for each
    const figures = await doubleTallyCloses(t, db.knex, 2);
    // then each round is closed by one, the other is refused with 409
    expect(figures).toEqual({ rounds: 2, successes: 2, refusals: 2, closedOnce: 2, others: [] });
  });
});

describe('two certificate batches over the same persons', () => {
  it('puts each person in one batch and issues each one certificate', async () => {
    // given 12 初定 persons not yet in a batch
    // when four batches over them (two of all, two overlapping halves) are added at once, and each batch created is issued twice at once
    const figures = await doubleCertificateBatches(t, db.knex, 12);
    // then one batch is created, the three others refused; one 发证 wins; every person of that batch holds one certificate, nobody two
    expect(figures).toMatchObject({ persons: 12, batchesCreated: 1, batchRefusals: 3, issueSuccesses: 1, issueRefusals: 1, doubleCertificate: 0, others: [] });
    expect(figures.oneCertificate).toBe(figures.inBatches);
    expect(figures.noCertificate).toBe(12 - figures.inBatches);
  });
});
