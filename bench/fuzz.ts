/**
 * Fuzz: seeded property-based requests (fast-check) to every operation of the OpenAPI document —
 * path parameters, query strings and bodies shaped by each route's JSON schema with boundary
 * values, and hostile ones (NUL, huge, emoji, SQL-ish, 2026-02-30, wrong types, deep or broken
 * JSON, broken multipart) — as anonymous, wrong-role and right-role callers, on the demo data
 * (first half, meetings and results) in a PostgreSQL 15 of its own. Invariants: zero 5xx, every
 * 400 names its field, every 403/404 is `{ error, message }` with a short Chinese message and
 * nothing internal. Reads run first, writes next, destructive routes last.
 *
 *   npx tsx bench/fuzz.ts [--quick] [--per-route 60] [--seed 21] [--only <regex of 'METHOD /path'>]
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres, type PgServer } from '../tests/helpers/pg-server.ts';
import { startTestApp } from '../tests/helpers/app.ts';
import { runFuzz } from '../tests/helpers/fuzz-run.ts';
import { existingIds } from '../tests/helpers/scope-matrix.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { loadMeetingDemoData } from '../api/src/demo.ts';
import { loadResultsDemoData } from '../api/src/demo-results.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const QUICK = process.argv.includes('--quick');
const PER_ROUTE = arg('per-route', QUICK ? 2 : 60);
const SEED = arg('seed', 21);
const only = process.argv.indexOf('--only');
const ONLY = only > 0 ? new RegExp(process.argv[only + 1]!) : null;

async function main() {
  const started = performance.now();
  console.log(`zcps 模糊测试：按 OpenAPI 文档生成请求（每个接口 ${PER_ROUTE} 个，种子 ${SEED}）`);
  let pg: PgServer | null = null;
  let url = process.env.ZCPS_BENCH_DATABASE_URL;
  if (!url) {
    pg = await startPostgres();
    url = pg.url;
  }
  const name = `zcps_fuzz_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ DATABASE_URL: u.toString(), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
  let ok: boolean;
  let counts: Record<string, unknown>;
  try {
    await migrateLatest(database.knex);
    const t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'fatal' } });
    // the second half's demo (meetings, results, certificates) gives the later routes real records; --quick goes without
    if (!QUICK) {
      await loadMeetingDemoData(t.app);
      await loadResultsDemoData(t.app);
    }
    console.log(`演示数据已就绪（${((performance.now() - started) / 1000).toFixed(0)} s）`);
    const existing = await existingIds(database.knex);
    const stats = await runFuzz(t, {
      perRoute: PER_ROUTE,
      seed: SEED,
      existing,
      ...(ONLY ? { filter: (op) => ONLY.test(`${op.method} ${op.path}`) } : {}),
      progress: (done, total, s) => {
        if (done % 25 === 0 || done === total) console.log(`  ${done}/${total} 个接口，${s.requests} 个请求，违规 ${s.violations.length}`);
      },
    });
    await t.close();
    console.log(`\n接口 ${stats.routes} 个，请求 ${stats.requests} 个（匿名 ${stats.byCaller.anonymous}，无权角色 ${stats.byCaller.wrongRole}，有权角色 ${stats.byCaller.rightRole}，另有每接口每账号一次探测）`);
    console.log(`按状态码：${Object.entries(stats.byStatus).map(([k, v]) => `${k}×${v}`).join('  ')}`);
    const byRule = (rule: string) => stats.violations.filter((v) => v.rule === rule).length;
    console.log(`违规：5xx ${byRule('5xx')}，400 未指明字段 ${byRule('400 without field')}，403/404 泄露 ${byRule('leak')}`);
    const seen = new Set<string>();
    for (const v of stats.violations) {
      const key = `${v.rule} ${v.route} ${v.status} ${v.body.replace(/\d+/g, '#')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      console.log(`  ✗ [${v.rule}] ${v.route} → ${v.status}  例：${v.request}\n      ${v.body.replace(/\s+/g, ' ').slice(0, 220)}`);
    }
    ok = stats.violations.length === 0;
    counts = {
      routes: stats.routes,
      requests: stats.requests,
      ...Object.fromEntries(Object.entries(stats.byStatus).map(([k, v]) => [`status${k}`, v])),
      violations: stats.violations.length,
      serverErrors: byRule('5xx'),
      unnamed400: byRule('400 without field'),
      leaks: byRule('leak'),
    };
  } finally {
    await database.close();
    await admin.raw(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.destroy();
    pg?.stop();
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(`RESULT ${JSON.stringify({ harness: 'fuzz', title: '模糊测试（按 OpenAPI 文档生成请求）', ok, counts, seconds })}`);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log(`RESULT ${JSON.stringify({ harness: 'fuzz', title: '模糊测试（按 OpenAPI 文档生成请求）', ok: false, counts: {}, seconds: 0 })}`);
  process.exit(1);
});
