import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { runFuzz } from '../helpers/fuzz-run.ts';
import { existingIds } from '../helpers/scope-matrix.ts';

/**
 * The fuzz, bounded: 12 seeded requests per read route of the OpenAPI document (shaped by its
 * schema or hostile), as anonymous, wrong-role and right-role callers. bench/fuzz.ts runs more.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('generated requests to every read route', () => {
  it('never get a 5xx, every 400 names its field and every 403/404 says nothing but a short Chinese message', async () => {
    // given every GET of the OpenAPI document and the ids of the demo data
    const existing = await existingIds(db.knex);
    // when 12 seeded requests per route are sent
    const stats = await runFuzz(t, { perRoute: 12, seed: 2101, existing, filter: (op) => op.method === 'GET' });
    // then none breaks an invariant
    expect(stats.routes).toBeGreaterThan(150);
    expect(stats.violations).toEqual([]);
  }, 240_000);
});

describe('list parameters that are JSON but not what the list expects', () => {
  it('answers 400 naming the range of 流程消息 when it is not JSON at all', async () => {
    // given the administrator
    // when the range is plain text
    const res = await t.request('GET', '/api/process-messages?range=kupSengt', { user: 'admin' });
    // then it is refused naming the field, not a 500
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'range' })]);
  });

  it('answers 400 naming the filter of 流程异常 when it is JSON null', async () => {
    // given the administrator
    // when the filter is `null`
    const res = await t.request('GET', `/api/incidents?filter=${encodeURIComponent('null')}`, { user: 'admin' });
    // then it is refused naming the field (the list's query schema answers for it)
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'querystring.filter' })]);
  });

  it('lists every region when the filter of 职称业务归属地 is JSON null', async () => {
    // given no login (the list is public)
    // when the filter is `null`
    const res = await t.request('GET', `/api/regions?filter=${encodeURIComponent('null')}`);
    // then the filter filters nothing
    expect(res.statusCode).toBe(200);
    expect((res.json() as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('inputs the full fuzz found after the issue-21 merge', () => {
  it('falls back to the default order when a list is sorted by an inherited name such as __proto__', async () => {
    // given a logged-in clerk
    // when the public activities are sorted by `__proto__`
    const res = await t.request('GET', `/api/public/activities?sort=${encodeURIComponent('["__proto__","DESC"]')}&range=${encodeURIComponent('[0,9]')}`, { user: 'jj_hr' });
    // then the list answers in its default order instead of sending an empty column to SQL
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers 400 naming the version when a migration names a version beyond a PostgreSQL integer', async () => {
    // given the administrator
    // when a dry run names version 2^31
    const res = await t.request('POST', '/api/process-definitions/unit-registration/migrations/plan', { user: 'admin', body: { fromVersion: 2 ** 31, toVersion: 1 } });
    // then it is refused naming the field
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'body.fromVersion' })]);
  });
});
