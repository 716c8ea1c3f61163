import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { HISTORY_BODY, HISTORY_DOC, historyRow as row, historyWorkbook, postWorkbook } from '../helpers/history-data.ts';
import * as keptCounts from '../../migrations/20261208020000_history_upload_counts.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let department: number;

type Counts = { total: number; bad: number; warned: number };

const json = <T = Record<string, unknown>>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};

/** What the batch row keeps. */
const kept = async (id: number): Promise<Counts> => {
  const r = await db.knex('history_uploads').where({ id }).first('total', 'bad', 'warned');
  return { total: Number(r.total), bad: Number(r.bad), warned: Number(r.warned) };
};

/** A full count of the batch's live records, as the lists counted before the counts were kept. */
const counted = async (id: number): Promise<Counts> => {
  const { rows } = await db.knex.raw(
    `select count(*)::int as total, (count(*) filter (where bad))::int as bad, (count(*) filter (where warnings <> '[]'::jsonb))::int as warned
       from history_records where upload_id = ? and deleted_at is null`,
    [id],
  );
  return rows[0] as Counts;
};

const newUpload = async (): Promise<number> => json<{ id: number }>(await t.request('POST', '/api/history-uploads', { user: 'cd_jxj', body: { acquisitionType: 'review', documentNo: HISTORY_DOC } }), 201).id;
const badRecords = async (id: number) => json<{ records: Array<{ id: number }> }>(await t.request('GET', `/api/history-uploads/${id}/records?bad=true`, { user: 'cd_jxj' })).records;
const goodRecords = async (id: number) => json<{ records: Array<{ id: number }> }>(await t.request('GET', `/api/history-uploads/${id}/records?bad=false`, { user: 'cd_jxj' })).records;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  department = Number((await db.knex('units').where({ name: '成都市经济和信息化局' }).first('id')).id);
  json(await t.request('POST', '/api/history-bodies', { user: 'cd_hr', body: { name: HISTORY_BODY, series: ['engineering'], levels: ['intermediate'], unitIds: [department] } }), 201);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('历史数据 batch counts kept on the batch', () => {
  it('equal a full count after an import with good, bad and warned rows', async () => {
    // Given a batch, When a workbook with two good rows and two bad ones is imported
    const id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(1), row(2), row(3, { reviewDate: '2019-01-01' }), row(4, { documentNo: '成人社职(2018)12号' })])));
    // Then the batch row holds what a full count finds, and the detail shows it
    expect(await kept(id)).toEqual(await counted(id));
    expect(await kept(id)).toMatchObject({ total: 4, bad: 2 });
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' }))).toMatchObject({ total: 4, bad: 2, good: 2 });
  });

  it('follow an edit that re-checks a row, both ways', async () => {
    // Given a batch with one bad row and one good row
    const id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(11), row(12, { reviewDate: '2019-01-01' })])));
    const [bad] = await badRecords(id);
    const [good] = await goodRecords(id);
    // When the bad row is corrected, Then it is counted good
    json(await t.request('PUT', `/api/history-uploads/${id}/records/${bad!.id}`, { user: 'cd_jxj', body: { reviewDate: '2018-10-01' } }));
    expect(await kept(id)).toEqual({ ...(await counted(id)), bad: 0 });
    // When the good row is edited into an error, Then it is counted bad
    json(await t.request('PUT', `/api/history-uploads/${id}/records/${good!.id}`, { user: 'cd_jxj', body: { reviewDate: '2019-02-01' } }));
    expect(await kept(id)).toEqual({ ...(await counted(id)), bad: 1 });
  });

  it('follow deletes by ids and of all bad rows, and a second workbook appended', async () => {
    // Given a batch of three rows, one bad
    const id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(21), row(22), row(23, { reviewDate: '2019-01-01' })])));
    // When one good row is deleted, then every bad row, Then the counts follow each time
    const [good] = await goodRecords(id);
    json(await t.request('POST', `/api/history-uploads/${id}/records/delete`, { user: 'cd_jxj', body: { ids: [good!.id] } }));
    expect(await kept(id)).toEqual({ ...(await counted(id)), total: 2 });
    json(await t.request('POST', `/api/history-uploads/${id}/records/delete`, { user: 'cd_jxj', body: { allBad: true } }));
    expect(await kept(id)).toEqual({ ...(await counted(id)), total: 1, bad: 0 });
    // When another workbook is imported into the batch, Then its rows are added
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(24), row(25, { reviewDate: '2019-01-01' })])));
    expect(await kept(id)).toEqual({ ...(await counted(id)), total: 3, bad: 1 });
  });

  it('follow records moved to another batch and rows removed for good, and leave other batches alone', async () => {
    // Given two batches
    const from = await newUpload();
    const to = await newUpload();
    const other = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', from, await historyWorkbook([row(31), row(32), row(33, { reviewDate: '2019-01-01' })])));
    json(await postWorkbook(t, 'cd_jxj', other, await historyWorkbook([row(34)])));
    const before = await kept(other);
    // When two records move to the other batch in one statement (as 退回 of persons at issuing does)
    const moving = (await db.knex('history_records').where({ upload_id: from }).orderBy('row_no').limit(2).pluck('id')).map(Number);
    await db.knex('history_records').whereIn('id', moving).update({ upload_id: to });
    // Then both batches match a full count
    expect(await kept(from)).toEqual(await counted(from));
    expect(await kept(to)).toEqual({ ...(await counted(to)), total: 2 });
    // When a record is deleted outright, Then its batch drops it
    await db.knex('history_records').where({ id: moving[0] }).del();
    expect(await kept(to)).toEqual({ ...(await counted(to)), total: 1 });
    // and the batch nobody touched keeps its counts
    expect(await kept(other)).toEqual(before);
  });

  it('are backfilled by the migration from the records already there', async () => {
    // Given batches with records, and the migration rolled back (no counts kept)
    const id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(41), row(42, { reviewDate: '2019-01-01' })])));
    await keptCounts.down(db.knex);
    // When it runs again
    await keptCounts.up(db.knex);
    // Then every batch holds what a full count finds
    for (const upload of (await db.knex('history_uploads').pluck('id')).map(Number)) expect(await kept(upload)).toEqual(await counted(upload));
    expect(await kept(id)).toMatchObject({ total: 2, bad: 1 });
  });
});
