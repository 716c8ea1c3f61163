/**
 * 历史数据 batch counts at the import's limit: a batch of 100,000 rows (2 % with errors, 1 % with a
 * 高风险提醒) among a unit's other batches, timed through the API (app.inject, sequential):
 *
 *   - 数据上传's batch list (`GET /api/history-uploads`), the batch detail (`GET /api/history-uploads/:id`)
 *     and its first page of rows (`GET /api/history-uploads/:id/records`);
 *   - beside them, in the same process and on the same pool: `select 1`, the inbox's first page
 *     (the yardstick of the other benches) and the full count the pages ran before the counts were
 *     kept on the batch row (three counts of the batch's live rows, each from an index);
 *   - what keeping them costs a write: 100,000 rows inserted, one row edited and 1,000 rows deleted,
 *     each with the counting triggers and with them disabled (same table, same process).
 *
 *   npx tsx bench/history-batch.ts [--rows 100000] [--requests 100] [--explain]
 *
 * `--explain` prints EXPLAIN ANALYZE's execution time of every statement each request runs, and of
 * the full count. PostgreSQL 15 of its own unless ZCPS_BENCH_DATABASE_URL names a server (a
 * database `zcps_history_batch` is created on it). Ends with the RESULT line of the harness convention.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knexFactory from 'knex';
import type { FastifyInstance } from 'fastify';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { buildApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { loadDemoData } from '../api/src/demo.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const ROWS = arg('rows', 100_000);
const REQUESTS = arg('requests', 100);
const EXPLAIN = process.argv.includes('--explain');
const TARGET_MS = 50;
const TRIGGERS = ['history_records_counts_insert', 'history_records_counts_update', 'history_records_counts_delete'];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function sample(work: () => Promise<void>, n = REQUESTS) {
  const times: number[] = [];
  for (let i = 0; i < n + 5; i++) {
    const t0 = performance.now();
    await work();
    if (i >= 5) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const line = (label: string, r: { p50: number; p95: number }, target: boolean) =>
  console.log(`  ${label.padEnd(30)} p50 ${r.p50.toFixed(2).padStart(8)} ms  p95 ${r.p95.toFixed(2).padStart(8)} ms${target ? `  ${r.p95 < TARGET_MS ? '达标' : '未达标'}（目标 p95 < ${TARGET_MS} ms）` : ''}`);

/** The rows of a batch, with generate_series: every 50th with an error, every 100th (offset) with a warning. */
function insertRows(k: knexFactory.Knex, uploadId: number, from: number, to: number) {
  return k.raw(
    `insert into history_records (upload_id, row_no, person_name, gender, id_number, birth_date, employer_name, series, specialty, title_name, level, acquisition, review_body, review_date, approval_date, document_no, errors, warnings, bad)
     select ?, g, '历史人员' || g, '男', '510101198001' || lpad((g % 1000000)::text, 6, '0'), '1980-01-01', '规模单位' || (g % 2000), '工程技术', '机械工程', '工程师', '中级', '评审',
            '成都市工程技术系列中级职称评审委员会', '2020-06-01', '2020-07-01', '成人社发〔2020〕1号',
            case when g % 50 = 0 then '[{"field":"idNumber","message":"身份证号码校验位不正确"}]'::jsonb else '[]'::jsonb end,
            case when g % 100 = 7 then '[{"field":"idNumber","message":"高风险：该证件号码已有历史职称数据"}]'::jsonb else '[]'::jsonb end,
            g % 50 = 0
       from generate_series(?::int, ?::int) g`,
    [uploadId, from, to],
  );
}

/** The full count the list and the detail ran on every page before the counts were kept (the repository's former `counts`). */
const FULL_COUNT = `select (select count(*) from history_records where upload_id = :id and deleted_at is null)::int as total,
  (select count(*) from history_records where upload_id = :id and deleted_at is null and bad)::int as bad,
  (select count(*) from history_records where upload_id = :id and deleted_at is null and warnings <> '[]'::jsonb)::int as warned`;

async function executionMs(k: knexFactory.Knex, sql: string, bindings: knexFactory.Knex.RawBinding[] | Record<string, knexFactory.Knex.RawBinding>): Promise<number> {
  const plan = (await k.raw(`explain (analyze) ${sql}`, bindings as knexFactory.Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
  return Number(plan.rows.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time'))?.match(/([\d.]+) ms/)?.[1] ?? 0);
}

/** EXPLAIN ANALYZE of the statements one request runs. */
async function explain(app: FastifyInstance, k: knexFactory.Knex, token: string, url: string) {
  const statements: Array<{ sql: string; bindings: unknown[] }> = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => {
    if (/^\s*(select|with)/i.test(q.sql)) statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  k.on('query', listen);
  try {
    await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  } finally {
    k.removeListener('query', listen);
  }
  let total = 0;
  let slowest = { ms: 0, sql: '' };
  for (const q of statements) {
    const ms = await executionMs(k, q.sql.replace(/\$\d+/g, '?'), q.bindings as knexFactory.Knex.RawBinding[]);
    total += ms;
    if (ms > slowest.ms) slowest = { ms, sql: q.sql };
  }
  console.log(`      EXPLAIN ANALYZE：${statements.length} 条语句，执行时间合计 ${total.toFixed(2)} ms；最慢 ${slowest.ms.toFixed(2)} ms：${slowest.sql.replace(/\s+/g, ' ').slice(0, 100)}`);
}

async function main() {
  const started = performance.now();
  console.log('zcps 基准测试：历史数据批次的计数（保存在批次行上）');
  console.log(`机器: ${os.cpus().length} 核 ${os.cpus()[0]?.model ?? ''}，Node ${process.version}，负载 ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`规模: 一个批次 ${ROWS} 行（另有 4 个小批次），每种请求 ${REQUESTS} 次`);
  const own = process.env.ZCPS_BENCH_DATABASE_URL ? null : await startPostgres({ durable: true });
  const serverUrl = process.env.ZCPS_BENCH_DATABASE_URL ?? (own as { url: string }).url;
  try {
    const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
    await admin.raw('drop database if exists zcps_history_batch');
    await admin.raw('create database zcps_history_batch');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: serverUrl.replace(/\/[^/]*$/, '/zcps_history_batch'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const config = loadConfig({ LOG_LEVEL: 'warn', JWT_SECRET: 'bench-secret-bench-secret-bench-secret', SCHEDULER: 'false', DEMO_DATA: 'false' });
    const app = await buildApp({ config, database });
    await app.engine.deployDirectory(path.join(root, 'processes'));
    await loadDemoData(database.knex);
    const k = database.knex;
    const uploader = await k('users').where({ username: 'cd_jxj' }).first('id', 'unit_id', 'username', 'password_changed_at');
    const unitId = Number(uploader.unit_id);
    const batch = async (n: number) =>
      Number((await k('history_uploads').insert({ unit_id: unitId, created_by: uploader.id, acquisition_type: 'review', document_no: `成人社发〔2020〕${n}号`, status: 'draft', created_at: new Date() }).returning('id'))[0].id);

    console.log('写入代价（同一张表，触发器开 / 关）…');
    const write = async (label: string, work: (id: number) => Promise<unknown>, prepare?: (id: number) => Promise<unknown>) => {
      const times = { off: [] as number[], on: [] as number[] };
      // alternated, three rounds each: the machine's load moves between them
      for (let round = 0; round < 6; round++) {
        const on = round % 2 === 1;
        const id = await batch(900 + round);
        await prepare?.(id);
        for (const t of TRIGGERS) await k.raw(`alter table history_records ${on ? 'enable' : 'disable'} trigger ${t}`);
        const t0 = performance.now();
        await work(id);
        (on ? times.on : times.off).push(performance.now() - t0);
        for (const t of TRIGGERS) await k.raw(`alter table history_records enable trigger ${t}`);
        await k('history_records').where({ upload_id: id }).del();
        await k('history_uploads').where({ id }).del();
      }
      const off = Math.min(...times.off);
      const onMs = Math.min(...times.on);
      console.log(`  ${label.padEnd(30)} 触发器关 ${off.toFixed(1).padStart(8)} ms  触发器开 ${onMs.toFixed(1).padStart(8)} ms  （各三次取小）`);
      return { off, on: onMs };
    };
    const insertCost = await write(`插入 ${ROWS} 行（一条语句）`, (id) => insertRows(k, id, 1, ROWS));
    const editCost = await write('修改 1 行（错误行改为正确）', (id) => k('history_records').where({ upload_id: id, row_no: 50 }).update({ errors: '[]', bad: false }), (id) => insertRows(k, id, 1, 1000));
    const deleteCost = await write('删除 1,000 行（标记删除）', (id) => k('history_records').where({ upload_id: id }).whereNull('deleted_at').update({ deleted_at: new Date() }), (id) => insertRows(k, id, 1, 1000));

    console.log('生成数据…');
    const big = await batch(1);
    const t0 = performance.now();
    await insertRows(k, big, 1, ROWS);
    for (let i = 2; i <= 5; i++) await insertRows(k, await batch(i), 1, 200);
    await k.raw('vacuum analyze history_records');
    await k.raw('vacuum analyze history_uploads');
    console.log(`  生成用时 ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const keptRow = await k('history_uploads').where({ id: big }).first('total', 'bad', 'warned');
    const full = ((await k.raw(FULL_COUNT, { id: big })) as { rows: Array<{ total: number; bad: number; warned: number }> }).rows[0]!;
    const same = Number(keptRow.total) === full.total && Number(keptRow.bad) === full.bad && Number(keptRow.warned) === full.warned;
    console.log(`  批次行上的计数 ${JSON.stringify({ total: Number(keptRow.total), bad: Number(keptRow.bad), warned: Number(keptRow.warned) })}，全量计数 ${JSON.stringify(full)}：${same ? '一致' : '不一致！'}`);

    const token = app.signToken({ userId: Number(uploader.id), username: uploader.username, passwordChangedAt: uploader.password_changed_at ?? null });
    const clerk = await k('users').where({ username: 'kj_hr' }).first('id', 'username', 'password_changed_at');
    const clerkToken = app.signToken({ userId: Number(clerk.id), username: clerk.username, passwordChangedAt: clerk.password_changed_at ?? null });
    const get = (url: string, bearer = token) => async () => {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    };

    console.log('计量（app.inject，顺序请求，前 5 次预热不计）…');
    line('基线：select 1（同一连接池）', await sample(async () => void (await k.raw('select 1'))), false);
    const inbox = await sample(get('/api/tasks?range=[0,24]&sort=["createdAt","ASC"]', clerkToken));
    line('参照：收件箱第一页', inbox, false);
    // the baseline as it ran: the warned count had its own partial index, which the kept counts let go
    await k.raw("create index history_records_warned_idx on history_records (upload_id) where deleted_at is null and warnings <> '[]'::jsonb");
    await k.raw('analyze history_records');
    const fullCount = await sample(async () => void (await k.raw(FULL_COUNT, { id: big })));
    line(`基线：全量计数 ${ROWS} 行（以前每页都做）`, fullCount, false);
    const fullCountPlan = EXPLAIN ? await executionMs(k, FULL_COUNT.replace(/:id/g, '?'), [big, big, big]) : 0;
    await k.raw('drop index history_records_warned_idx');
    const shapes = [
      { label: '数据上传 批次列表（5 个批次）', url: '/api/history-uploads' },
      { label: `批次详情（${ROWS} 行）`, url: `/api/history-uploads/${big}` },
      { label: '批次数据 第 1 页', url: `/api/history-uploads/${big}/records?page=1&pageSize=20` },
      { label: '批次数据 错误数据第 1 页', url: `/api/history-uploads/${big}/records?bad=true&page=1&pageSize=20` },
    ];
    const results: Array<{ label: string; p50: number; p95: number }> = [];
    for (const s of shapes) {
      const r = await sample(get(s.url));
      line(s.label, r, true);
      results.push({ label: s.label, ...r });
      if (EXPLAIN) await explain(app, k, token, s.url);
    }
    if (EXPLAIN) {
      console.log(`  EXPLAIN ANALYZE 全量计数（以前的 counts，含其索引）：${fullCountPlan.toFixed(2)} ms`);
      console.log(`  EXPLAIN ANALYZE 读批次行上的计数：${(await executionMs(k, 'select total, bad, warned from history_uploads where id = ?', [big])).toFixed(2)} ms`);
    }
    const missed = results.filter((r) => r.p95 >= TARGET_MS);
    console.log('');
    console.log(`结果：p95 ÷ 收件箱 p95（${inbox.p95.toFixed(1)} ms）：${results.map((r) => `${r.label} ×${(r.p95 / inbox.p95).toFixed(2)}`).join('，')}`);
    await app.close();
    await database.close();
    const counts = {
      rows: ROWS,
      countsMatch: same,
      fullCountP50Ms: Math.round(fullCount.p50 * 10) / 10,
      detailP95Ms: Math.round(results[1]!.p95 * 10) / 10,
      listP95Ms: Math.round(results[0]!.p95 * 10) / 10,
      insertOverheadPct: Math.round(((insertCost.on - insertCost.off) / insertCost.off) * 100),
      editMs: { off: Math.round(editCost.off * 10) / 10, on: Math.round(editCost.on * 10) / 10 },
      deleteMs: { off: Math.round(deleteCost.off * 10) / 10, on: Math.round(deleteCost.on * 10) / 10 },
      lists: results.length,
      met: results.length - missed.length,
    };
    console.log(`RESULT ${JSON.stringify({ harness: 'history-batch', title: '历史数据批次计数', ok: same && missed.length === 0, counts, seconds: Math.round((performance.now() - started) / 1000) })}`);
    process.exitCode = same && missed.length === 0 ? 0 : 1;
  } finally {
    own?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
