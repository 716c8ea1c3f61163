/**
 * The lists of the second half at their own scale, timed through the API (app.inject, sequential):
 *
 *   - 已发放证书 (`/api/certificates`): 200,000 certificates of one issuer — a province bureau's
 *     yearly issue over a decade of 初定 and 评审; page 1, page 100, a name search, a number lookup;
 *   - 专技人才 (`/api/talents`): 1,000,000 registrations (bench/talent-stats.ts's scale: a
 *     province's professionals) — the 审核 list of a unit holding 2,000, the subtree list, 专技人才统计;
 *   - 历史数据 rows (`/api/history-uploads/:id/records`): 1,000,000 rows in 10 batches of
 *     100,000 (the import's own limit per workbook) — first page, page 100, the bad rows.
 *
 * A meeting's candidates, its tally and publicity read one meeting (hundreds to 3,000 rows by
 * the meeting's index); bench/tally.ts times those at 300 × 25 experts.
 *
 *   npx tsx bench/second-half-scale.ts [--certificates 200000] [--talents 1000000] [--history 1000000] [--requests 100] [--explain] [--quick]
 *
 * Prints p50 / p95 per list beside a baseline in the same process (`select 1` on the same pool),
 * and the RESULT line of the harness convention. PostgreSQL 15 of its own unless
 * ZCPS_BENCH_DATABASE_URL names a server (a database `zcps_second_half` is created on it).
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

const QUICK = process.argv.includes('--quick');
const CERTIFICATES = arg('certificates', QUICK ? 20_000 : 200_000);
const TALENTS = arg('talents', QUICK ? 50_000 : 1_000_000);
const HISTORY = arg('history', QUICK ? 100_000 : 1_000_000);
const REQUESTS = arg('requests', QUICK ? 20 : 100);
const EXPLAIN = process.argv.includes('--explain');
const TARGET_MS = 50;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function timed(label: string, work: () => Promise<unknown>) {
  const t0 = performance.now();
  await work();
  console.log(`  ${label.padEnd(28)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Certificates, talents and history rows, with generate_series. */
async function generate(k: knexFactory.Knex, issuerUnitId: number, reviewUnitId: number, uploaderUnitId: number) {
  console.log('生成数据（SQL generate_series）…');
  // the signatures are not checked by the list; one key row stands for the issuer's
  await k('certificate_keys').insert({ key_id: 'bench', unit_id: issuerUnitId, public_key: 'x', private_key_enc: 'x', created_at: new Date() });
  await timed(`已发放证书 ${CERTIFICATES}`, () =>
    k.raw(
      `insert into certificates (certificate_no, kind, source_type, source_id, person_name, id_number, series, specialty, title_name, level,
                                 committee_name, employer_name, issuer_unit_id, issuer_name, approval_date, document_no, key_id, payload, signature, status, issued_at)
       select 'B' || lpad(g::text, 11, '0'), (array['review', 'initial'])[1 + g % 2], 'initial', g, '证书持有人' || g, '51010119800101' || lpad((g % 10000)::text, 4, '0'),
              'engineering', '机械工程', '工程师', 'intermediate', '成都市工程技术系列中级职称评审委员会', '规模单位' || (g % 2000), ?, '成都市人力资源和社会保障局',
              date '2016-01-01' + (g % 3650), '成人社发〔2026〕' || (g % 500) || '号', 'bench', 'x', 'x', case when g % 97 = 0 then 'revoked' else 'valid' end,
              timestamptz '2016-01-01 09:00+08' + (g || ' minutes')::interval
         from generate_series(1, ?) g`,
      [issuerUnitId, CERTIFICATES],
    ),
  );
  await timed(`专技人才 ${TALENTS}`, async () => {
    const employers = (await k('units').where({ unit_type: 'employer' }).orderBy('id').pluck('id')).map(Number);
    await k.raw(
      `insert into users (username, password_hash, display_name, unit_id, roles, status)
       select 'talent_' || g, 'x', '人才' || g, case when g <= 2000 then ? else (?::bigint[])[1 + g % ?] end, '{applicant}', 'active' from generate_series(1, ?) g`,
      [reviewUnitId, employers, employers.length, TALENTS],
    );
    await k.raw(
      `insert into talents (user_id, unit_id, person_name, gender, birth_date, id_number, ethnicity, political_status, origin, education, category, title_kind,
                            level, series, title_name, status, current_unit_id, submitted_at, decided_at, created_at, updated_at)
       select u.id, u.unit_id, u.display_name, '男', date '1980-01-01' + (u.id % 5000)::int, '5101011980' || lpad(u.id::text, 8, '0'), '汉族', '群众', '四川成都', '本科',
              (array['engineering', 'health', 'education', 'economics'])[1 + u.id % 4], 'title', 'intermediate', 'engineering', '工程师',
              case when substring(u.username from 8)::int <= 2000 then 'reviewing' else 'approved' end,
              case when substring(u.username from 8)::int <= 2000 then u.unit_id end,
              timestamptz '2026-01-01 09:00+08' + (u.id || ' seconds')::interval, timestamptz '2026-01-02 09:00+08' + (u.id || ' seconds')::interval,
              timestamptz '2026-01-01 09:00+08', timestamptz '2026-01-02 09:00+08' + (u.id || ' seconds')::interval
         from users u where u.username like 'talent\\_%'`,
    );
  });
  await timed(`历史数据 ${HISTORY} 行`, async () => {
    const batches = Math.max(1, Math.ceil(HISTORY / 100_000));
    await k.raw(
      `insert into history_uploads (unit_id, acquisition_type, document_no, status, created_at)
       select ?, 'review', '成人社发〔2020〕' || b || '号', 'draft', now() from generate_series(1, ?) b`,
      [uploaderUnitId, batches],
    );
    await k.raw(
      `insert into history_records (upload_id, row_no, person_name, gender, id_number, birth_date, employer_name, series, specialty, title_name, level, acquisition, review_body, review_date, approval_date, document_no, errors, bad)
       select h.id, g, '历史人员' || g, '男', '510101198001' || lpad((g % 1000000)::text, 6, '0'), '1980-01-01', '规模单位' || (g % 2000), '工程技术', '机械工程', '工程师', '中级', '评审',
              '成都市工程技术系列中级职称评审委员会', '2020-06-01', '2020-07-01', '成人社发〔2020〕1号',
              case when g % 50 = 0 then '[{"field":"idNumber","message":"身份证号码校验位不正确"}]'::jsonb else '[]'::jsonb end, g % 50 = 0
         from history_uploads h cross join generate_series(1, ?) g where h.unit_id = ?`,
      [Math.ceil(HISTORY / batches), uploaderUnitId],
    );
  });
  await k.raw('vacuum analyze');
}

/** EXPLAIN ANALYZE of the statements one request runs: their execution times (the least load-sensitive figure). */
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
  for (const q of statements) {
    const plan = (await k.raw(`explain (analyze) ${q.sql.replace(/\$\d+/g, '?')}`, q.bindings as knexFactory.Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
    const ms = Number(plan.rows.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time'))?.match(/([\d.]+) ms/)?.[1] ?? 0);
    total += ms;
    if (ms >= 1) console.log(`      ${ms.toFixed(2).padStart(8)} ms  ${q.sql.replace(/\s+/g, ' ').slice(0, 110)}`);
  }
  console.log(`      共 ${statements.length} 条语句，执行时间合计 ${total.toFixed(2)} ms`);
}

interface Shape {
  label: string;
  url: string;
}

async function sample(work: () => Promise<void>) {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS + 5; i++) {
    const t0 = performance.now();
    await work();
    if (i >= 5) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** The first of `users` that may open `url` (the demo roles differ between deployments). */
async function tokenFor(app: FastifyInstance, k: knexFactory.Knex, users: string[], url: string): Promise<string> {
  for (const u of await k('users').whereIn('username', users)) {
    const token = app.signToken({ userId: Number(u.id), username: u.username, passwordChangedAt: u.password_changed_at ?? null });
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode === 200) return token;
  }
  throw new Error(`none of ${users.join(', ')} may open ${url}`);
}

async function main() {
  const started = performance.now();
  console.log('zcps 基准测试：第二部分的列表（已发放证书、专技人才、历史数据）');
  console.log(`机器: ${os.cpus().length} 核 ${os.cpus()[0]?.model ?? ''}，Node ${process.version}，负载 ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`规模: 证书 ${CERTIFICATES}，专技人才 ${TALENTS}，历史数据 ${HISTORY} 行，每种请求 ${REQUESTS} 次`);
  const own = process.env.ZCPS_BENCH_DATABASE_URL ? null : await startPostgres({ durable: true });
  const serverUrl = process.env.ZCPS_BENCH_DATABASE_URL ?? (own as { url: string }).url;
  try {
    const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
    await admin.raw('drop database if exists zcps_second_half');
    await admin.raw('create database zcps_second_half');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: serverUrl.replace(/\/[^/]*$/, '/zcps_second_half'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const config = loadConfig({ LOG_LEVEL: 'warn', JWT_SECRET: 'bench-secret-bench-secret-bench-secret', SCHEDULER: 'false', DEMO_DATA: 'false' });
    let app = await buildApp({ config, database });
    await app.engine.deployDirectory(path.join(root, 'processes'));
    await loadDemoData(database.knex);
    const k = database.knex;
    const unitOf = async (username: string) => Number((await k('users').where({ username }).first('unit_id')).unit_id);
    const t0 = performance.now();
    await generate(k, await unitOf('cd_hr'), await unitOf('kj_hr'), await unitOf('cd_jxj'));
    console.log(`  生成共用 ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await app.close();
    app = await buildApp({ config, database });

    const upload = Number((await k('history_uploads').orderBy('id').first('id')).id);
    const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));
    const groups: Array<{ users: string[]; shapes: Shape[] }> = [
      // the yardstick on a shared machine: the inbox's first page, in the same run
      { users: ['kj_hr'], shapes: [{ label: '收件箱 第一页（参照）', url: '/api/tasks?range=[0,24]&sort=["createdAt","ASC"]' }] },
      {
        users: ['cd_hr', 'sc_hr', 'cd_pw'],
        shapes: [
          { label: '已发放证书 第 1 页', url: '/api/certificates?range=[0,24]' },
          { label: '已发放证书 第 100 页', url: '/api/certificates?range=[2475,2499]' },
          { label: '已发放证书 按姓名查询', url: `/api/certificates?range=[0,24]&filter=${enc({ q: '证书持有人1234' })}` },
          { label: '已发放证书 按证书编号查询', url: `/api/certificates?range=[0,24]&filter=${enc({ q: 'B00000123456' })}` },
        ],
      },
      {
        users: ['kj_hr'],
        shapes: [{ label: '专技人才审核 待本单位审核', url: '/api/talents?view=pending&limit=50' }],
      },
      {
        users: ['cd_hr', 'sc_hr', 'kj_hr'],
        shapes: [
          { label: '专技人才 本单位及下级 第 1 页', url: '/api/talents?view=all&limit=50' },
          { label: '专技人才 按姓名查询', url: `/api/talents?view=all&limit=50&q=${encodeURIComponent('人才12345')}` },
          { label: '专技人才统计', url: '/api/talent-stats' },
        ],
      },
      {
        users: ['cd_jxj'],
        shapes: [
          { label: '历史数据 批次第 1 页', url: `/api/history-uploads/${upload}/records?page=1&pageSize=20` },
          { label: '历史数据 批次第 100 页', url: `/api/history-uploads/${upload}/records?page=100&pageSize=20` },
          { label: '历史数据 错误数据', url: `/api/history-uploads/${upload}/records?bad=true&page=1&pageSize=20` },
        ],
      },
    ];
    console.log('计量（app.inject，顺序请求，前 5 次预热不计）…');
    const line = (label: string, r: { p50: number; p95: number }, target: boolean) =>
      console.log(
        `  ${label.padEnd(26)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms  p95/目标 ${(r.p95 / TARGET_MS).toFixed(2)} ${target ? (r.p95 < TARGET_MS ? '达标' : '未达标') : ''}`,
      );
    const baseline = await sample(async () => {
      await k.raw('select 1');
    });
    line('基线：select 1（同一连接池）', baseline, false);
    const results: Array<{ label: string; p95: number }> = [];
    for (const group of groups) {
      const token = await tokenFor(app, k, group.users, group.shapes[0]!.url);
      for (const shape of group.shapes) {
        const r = await sample(async () => {
          const res = await app.inject({ method: 'GET', url: shape.url, headers: { authorization: `Bearer ${token}` } });
          if (res.statusCode !== 200) throw new Error(`${shape.label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        });
        line(shape.label, r, true);
        results.push({ label: shape.label, p95: r.p95 });
        if (EXPLAIN) await explain(app, k, token, shape.url);
      }
    }
    const inbox = results.shift()!;
    console.log('');
    console.log(`相对收件箱第一页（p95 ${inbox.p95.toFixed(1)} ms）的 p95 倍数：`);
    for (const r of results) console.log(`  ${r.label.padEnd(26)} ×${(r.p95 / inbox.p95).toFixed(2)}`);
    const missed = results.filter((r) => r.p95 >= TARGET_MS);
    const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    console.log('');
    console.log(`结果：最慢 p95 ${worst.p95.toFixed(1)} ms（${worst.label}），目标 < ${TARGET_MS} ms，${missed.length ? `未达标 ${missed.length} 项：${missed.map((m) => m.label).join('、')}` : '全部达标'}`);
    await app.close();
    await database.close();
    const counts = { certificates: CERTIFICATES, talents: TALENTS, historyRows: HISTORY, lists: results.length, met: results.length - missed.length, worstP95Ms: Math.round(worst.p95 * 10) / 10 };
    console.log(`RESULT ${JSON.stringify({ harness: 'second-half-scale', title: '第二部分列表的规模', ok: missed.length === 0, counts, seconds: Math.round((performance.now() - started) / 1000) })}`);
    process.exitCode = missed.length === 0 ? 0 : 1;
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
