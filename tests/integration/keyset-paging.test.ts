import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { MAX_OFFSET, decodeCursor, encodeCursor } from '../../api/src/list-query.ts';

/**
 * Keyset (cursor) paging of 申报材料综合查询: 下一页 continues after the last row seen, so the
 * order is total (ties on the submission time broken by the id), rows inserted while someone
 * pages neither repeat nor hide others, a bad cursor is a 400 naming `cursor`, and an offset
 * past MAX_OFFSET is refused with a request to narrow the search.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let activityId = 0;
let employerId = 0;
let serial = 0;

/** Declared dossiers of the organiser's committee, all submitted at the same instant unless told. */
async function addDossiers(n: number, at = '2026-03-02T02:00:00Z', series = 'economics'): Promise<number[]> {
  const k = db.knex;
  const users = await k('users')
    .insert(Array.from({ length: n }, () => ({ username: `kp_${++serial}`, password_hash: 'x', display_name: `翻页申报人${serial}`, unit_id: employerId, roles: ['applicant'] })))
    .returning('id');
  const rows = await k('dossiers')
    .insert(users.map((u: { id: number }) => ({ activity_id: activityId, applicant_id: u.id, year: 2026, status: 'submitted', data: JSON.stringify({ series, level: 'intermediate', specialty: '会计' }), submitted_at: at, created_at: at, updated_at: at })))
    .returning('id');
  return rows.map((r: { id: string | number }) => Number(r.id));
}

const listUrl = (filter: Record<string, unknown>, range: [number, number], cursor?: string | null) =>
  `/api/dossier-queries?filter=${encodeURIComponent(JSON.stringify(filter))}&range=${JSON.stringify(range)}&sort=${encodeURIComponent('["submittedAt","DESC"]')}${cursor ? `&cursor=${cursor}` : ''}`;

/** Walks a list with 下一页 (the cursor of each answer), calling `between` after every page. */
async function walk(filter: Record<string, unknown>, size: number, between: (page: number) => Promise<void> = async () => {}) {
  const seen: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const res = await t.request('GET', listUrl(filter, [page * size, page * size + size - 1], cursor), { user: 'cd_pw' });
    expect(res.statusCode, res.body).toBe(200);
    seen.push(...res.json().map((r: { id: number }) => r.id));
    cursor = (res.headers['x-next-cursor'] as string | undefined) ?? null;
    if (!cursor) break;
    await between(page);
  }
  return seen;
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const committee = await db.knex('committees').first();
  activityId = Number((await db.knex('activities').where({ committee_id: committee.id }).first()).id);
  employerId = Number((await db.knex('units').where({ name: '成都示范科技有限公司' }).first()).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('申报材料综合查询: keyset paging', () => {
  it('pages through rows that tie on the submission time in one total order (by id), each once', async () => {
    // given 23 dossiers submitted at the same instant
    const ids = await addDossiers(23, '2026-03-02T03:00:00.123456Z', 'accounting');
    // when the clerk walks the list 5 at a time with 下一页
    const seen = await walk({ series: 'accounting' }, 5);
    // then every dossier comes once, newest id first, and the last page has no cursor
    expect(seen).toEqual([...ids].sort((a, b) => b - a));
  });

  it('neither repeats nor skips a row while new dossiers are submitted between the pages', async () => {
    // given 30 dossiers in a series, submitted over time
    const before: number[] = [];
    for (let i = 0; i < 30; i++) before.push(...(await addDossiers(1, new Date(Date.UTC(2026, 2, 2, 4, 0, i)).toISOString(), 'health')));
    // when, after every page, someone submits a newer dossier and an older one
    const added: number[] = [];
    const seen = await walk({ series: 'health' }, 4, async (page) => {
      added.push(...(await addDossiers(1, new Date(Date.UTC(2026, 2, 2, 5, 0, page)).toISOString(), 'health')));
      added.push(...(await addDossiers(1, new Date(Date.UTC(2026, 2, 2, 3, 0, page)).toISOString(), 'health')));
    });
    // then each of the first 30 is listed exactly once, nothing is listed twice, and only rows older than the position appear late
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen.filter((s) => s === id)).toHaveLength(1);
    expect(seen.every((id) => before.includes(id) || added.includes(id))).toBe(true);
  });

  it('sends the cursor of the next page in X-Next-Cursor, readable by the console', async () => {
    // given a series with more rows than a page
    await addDossiers(3, '2026-03-02T06:00:00Z', 'agriculture');
    // when the first page of two is asked for
    const res = await t.request('GET', listUrl({ series: 'agriculture' }, [0, 1]), { user: 'cd_pw' });
    // then the answer names the position after its last row and exposes the header to the browser
    const cursor = decodeCursor(String(res.headers['x-next-cursor']));
    expect(cursor).toMatchObject({ sort: 'submittedAt', order: 'desc', id: res.json()[1].id });
    expect(String(res.headers['access-control-expose-headers'])).toContain('X-Next-Cursor');
  });

  it('answers 400 naming cursor for a cursor that is not one', async () => {
    // when
    const res = await t.request('GET', listUrl({}, [25, 49], 'not-a-cursor!'), { user: 'cd_pw' });
    // then
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain('querystring.cursor');
    expect(res.json().message).toContain('cursor');
  });

  it('answers 400 naming cursor for a well-formed cursor of another sort order', async () => {
    // given a cursor made for an ascending list
    const other = encodeCursor({ sort: 'submittedAt', order: 'asc', value: '2026-03-02 10:00:00+08', id: 1 });
    // when it is sent with the list's descending order
    const res = await t.request('GET', listUrl({}, [25, 49], other), { user: 'cd_pw' });
    // then
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain('cursor');
  });

  it('refuses an offset page past MAX_OFFSET with a Chinese request to narrow the search', async () => {
    // when a page number past the cap is asked for without a cursor
    const res = await t.request('GET', listUrl({}, [MAX_OFFSET, MAX_OFFSET + 24]), { user: 'cd_pw' });
    // then
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain('range');
    expect(res.json().message).toContain('缩小范围');
  });

  it('leaves the total open (*) past MAX_OFFSET rows and still pages on with the cursor', async () => {
    // given more declared dossiers than an offset may reach
    const k = db.knex;
    await k.raw(
      `insert into users (username, password_hash, display_name, unit_id, roles)
       select 'kp_many' || g, 'x', '批量申报人' || g, ?, '{applicant}' from generate_series(1, ?) g`,
      [employerId, MAX_OFFSET + 1],
    );
    await k.raw(
      `insert into dossiers (activity_id, applicant_id, year, status, data, submitted_at, created_at, updated_at)
       select ?, u.id, 2026, 'submitted', '{"series":"engineering","level":"junior","specialty":"机械"}'::jsonb, '2026-03-01T00:00:00Z', now(), now()
         from users u where u.username like 'kp_many%'`,
      [activityId],
    );
    // when the first page is read, and the page after the 10,000th row through its cursor
    const first = await t.request('GET', listUrl({ level: 'junior' }, [0, 24]), { user: 'cd_pw' });
    const position = await k('dossiers').where({ level: 'junior' }).whereNotNull('submitted_at').orderBy([{ column: 'submitted_at', order: 'desc' }, { column: 'id', order: 'desc' }]).offset(MAX_OFFSET - 1).first(k.raw('submitted_at::text as v'), 'id');
    const deep = await t.request('GET', listUrl({ level: 'junior' }, [MAX_OFFSET, MAX_OFFSET + 24], encodeCursor({ sort: 'submittedAt', order: 'desc', value: position.v, id: Number(position.id) })), { user: 'cd_pw' });
    // then the total is open, and the deep page holds the rows right after the position
    const total = Number((await k('dossiers').where({ level: 'junior' }).whereNotNull('submitted_at').count({ n: '*' }))[0]?.n);
    expect(first.headers['content-range']).toBe('dossier-queries 0-24/*');
    expect(deep.statusCode, deep.body).toBe(200);
    expect(deep.headers['content-range']).toBe(`dossier-queries ${MAX_OFFSET}-${total - 1}/*`);
    expect(deep.json().map((r: { id: number }) => r.id).every((id: number) => id < Number(position.id))).toBe(true);
  });
});
