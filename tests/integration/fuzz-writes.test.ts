import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { runFuzz } from '../helpers/fuzz-run.ts';
import { existingIds } from '../helpers/scope-matrix.ts';
import { activityBody } from '../helpers/fixtures.ts';

/**
 * The fuzz, bounded: 20 seeded requests per write route of the OpenAPI document (bodies shaped by
 * the route's schema with boundary values, one field hostile, wholly hostile, broken JSON, broken
 * multipart), destructive routes last. bench/fuzz.ts runs more.
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

describe('a body that is no object', () => {
  it('is refused with 400 naming the body when a draft activity is saved without one', async () => {
    // given a draft activity of the committee's clerk
    const committee = ((await t.request('GET', '/api/activities/committee-options', { user: 'cd_pw' })).json() as Array<{ id: number }>)[0]!;
    const created = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(committee.id, { kind: 'special' }) });
    expect(created.statusCode, created.body).toBe(201);
    // when it is saved with no body at all, then with a list
    const none = await t.app.inject({ method: 'PUT', url: `/api/activities/${created.json().id}`, headers: { authorization: `Bearer ${await t.token('cd_pw')}` } });
    const list = await t.request('PUT', `/api/activities/${created.json().id}`, { user: 'cd_pw', body: [1] });
    // then each is a 400 naming the body, never a 500
    expect(none.statusCode).toBe(400);
    expect(none.json().details?.[0]?.field).toMatch(/^body/);
    expect(list.statusCode).toBe(400);
    expect(list.json().details?.[0]?.field).toMatch(/^body/);
  });

  it('is refused with 400 naming the body when the JSON does not parse', async () => {
    // given a clerk
    // when a message is sent as broken JSON
    const res = await t.app.inject({ method: 'POST', url: '/api/saved-opinions', payload: '{"text":', headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token('kj_hr')}` } });
    // then the 400 names the body
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'body' })]);
  });
});

describe('generated requests to every write route', () => {
  it('never get a 5xx, every 400 names its field and every 403/404 says nothing but a short Chinese message', async () => {
    // given every POST, PUT and DELETE of the OpenAPI document and the ids of the demo data
    const existing = await existingIds(db.knex);
    // when 20 seeded requests per route are sent, destructive routes last
    const stats = await runFuzz(t, { perRoute: 20, seed: 2102, existing, filter: (op) => op.method !== 'GET' });
    // then none breaks an invariant
    expect(stats.routes).toBeGreaterThan(150);
    expect(stats.violations).toEqual([]);
  }, 240_000);
});
