import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen, type TestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import type { Database } from '../../api/src/db.ts';
import { deleteEndedRateLimitWindows } from '../../api/src/rate-limit-store.ts';

let db: TestDatabase & { drop(): Promise<void> };
let pool: Database;
let first: TestApp;
let second: TestApp;
const limits = { PUBLIC_RATE_LIMIT: '3', REGISTRATION_RATE_LIMIT: '2' };

beforeAll(async () => {
  db = await createTestDatabase();
  first = await startTestApp(db, { deploy: false, config: limits });
  pool = await reopen(db);
  second = await startTestApp(pool, { deploy: false, config: limits });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
  await pool?.close();
  await db?.drop();
});

const read = (app: TestApp, from: string) => app.app.inject({ method: 'GET', url: '/api/public/announcements', remoteAddress: from });
const register = (app: TestApp, from: string) => app.app.inject({ method: 'POST', url: '/api/applicants/register', remoteAddress: from, payload: {} });

describe('rate limits shared by the API processes of one database', () => {
  it('counts an address on both processes together for the public pages', async () => {
    // given two API processes on one database, each allowing an address 3 public reads a minute

    // when one address reads twice from each process
    const answers = [await read(first, '10.1.0.1'), await read(second, '10.1.0.1'), await read(first, '10.1.0.1'), await read(second, '10.1.0.1')];

    // then the fourth read is refused, with how long to wait
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers[3]!.json().message).toMatch(/^操作过于频繁，请 \d+ 秒后再试$/);
    expect(Number(answers[3]!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('keeps another address out of that count', async () => {
    // given the address above at its limit

    // when another address reads on the second process
    const answer = await read(second, '10.1.0.2');

    // then it is served
    expect(answer.statusCode).toBe(200);
  });

  it('counts registration on both processes together', async () => {
    // given two processes each allowing an address 2 registrations a minute

    // when one address sends three registrations, alternating processes (bodies that are refused count too)
    const answers = [await register(first, '10.1.0.3'), await register(second, '10.1.0.3'), await register(first, '10.1.0.3')];

    // then the third is refused for the rate, the first two for their bodies
    expect(answers.map((a) => a.statusCode)).toEqual([400, 400, 429]);
  });

  it('starts a fresh window once the minute has passed, and the job deletes the ended windows', async () => {
    // given the counters above, their windows moved two minutes and more into the past
    await db.knex('rate_limit_counters').update({ window_start: db.knex.raw("now() - interval '6 minutes'") });

    // when the address reads again, and the clean-up job runs
    const answer = await read(second, '10.1.0.1');
    const deleted = await deleteEndedRateLimitWindows(db.knex, 5 * 60_000);

    // then the read is served and only the fresh window's counter is left
    expect(answer.statusCode).toBe(200);
    expect(deleted).toBeGreaterThan(0);
    const left = await db.knex('rate_limit_counters').select('key', 'count');
    expect(left).toEqual([{ key: expect.stringContaining('|10.1.0.1'), count: 1 }]);
  });
});
