/**
 * Scope matrix: every role of every unit type — 市/县人社局, 评委会 organiser, 主管部门, 用人单位,
 * 自主评审单位, 中央在川单位, each with its built-in roles one by one and with a role holding every
 * permission the catalogue allows it, plus an applicant and an expert — from a second city (绵阳)
 * against every resource route of the OpenAPI document, the path naming a record of 成都 (the demo
 * data: first half, meetings, results, certificates). Each answer must be a refusal and the same
 * answer a record nobody has gets (403/404 without leak). PostgreSQL 15 of its own.
 *
 *   npx tsx bench/scope.ts [--quick] [--seed 21]
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres, type PgServer } from '../tests/helpers/pg-server.ts';
import { startTestApp } from '../tests/helpers/app.ts';
import { createOtherUnitTree, OPEN_BY_DESIGN, runScopeMatrix, seedPrivateRecords } from '../tests/helpers/scope-matrix.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { loadMeetingDemoData } from '../api/src/demo.ts';
import { loadResultsDemoData } from '../api/src/demo-results.ts';

const QUICK = process.argv.includes('--quick');
const seedAt = process.argv.indexOf('--seed');
const SEED = seedAt > 0 ? Number(process.argv[seedAt + 1]) : 21;
const TITLE = '范围矩阵（其他单位的记录一律拒绝）';

async function main() {
  const started = performance.now();
  console.log(`zcps 范围矩阵：绵阳各类单位各角色 × 成都的每条记录${QUICK ? '（--quick：仅市人社局与用人单位的全部权限账号、申报人和专家，无会议与结果演示数据）' : ''}`);
  let pg: PgServer | null = null;
  let url = process.env.ZCPS_BENCH_DATABASE_URL;
  if (!url) {
    pg = await startPostgres();
    url = pg.url;
  }
  const name = `zcps_scope_${Date.now()}`;
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
    if (!QUICK) {
      await loadMeetingDemoData(t.app);
      await loadResultsDemoData(t.app);
    }
    const seeded = await seedPrivateRecords(t);
    let callers = await createOtherUnitTree(database.knex);
    if (QUICK) callers = callers.filter((c) => /^my_(shi|danwei)_all$|applicant|expert/.test(c.username));
    console.log(`演示数据与绵阳账号已就绪（${callers.length} 个账号，${((performance.now() - started) / 1000).toFixed(0)} s）`);
    for (const c of callers) console.log(`  ${c.username.padEnd(28)} ${c.label}`);
    const stats = await runScopeMatrix(t, database.knex, callers, {
      seed: SEED,
      seeded,
      progress: (done, total, s) => {
        if (done % 25 === 0 || done === total) console.log(`  ${done}/${total} 个接口，${s.pairs} 次越权尝试，违规 ${s.violations.length}`);
      },
    });
    await t.close();
    console.log(`\n资源接口 ${stats.routes} 个 × 账号 ${stats.callers} 个 = ${stats.pairs} 次越权尝试；拒绝且不泄露 ${stats.refused} 次（${((stats.refused / Math.max(1, stats.pairs)) * 100).toFixed(1)} %）`);
    console.log(`按状态码：${Object.entries(stats.byStatus).map(([k, v]) => `${k}×${v}`).join('  ')}`);
    console.log(`按设计对全省开放、不在矩阵内的接口 ${Object.keys(OPEN_BY_DESIGN).length} 个（另有 /api/public/* 公开页面）：`);
    for (const [route, why] of Object.entries(OPEN_BY_DESIGN)) console.log(`  ${route}：${why}`);
    if (stats.routesWithoutRecord.length) console.log(`演示数据中没有记录的接口（以不存在的编号尝试）${stats.routesWithoutRecord.length} 个：${stats.routesWithoutRecord.join('，')}`);
    for (const v of stats.violations) console.log(`  ✗ [${v.rule === 'allowed' ? '未拒绝' : '泄露'}] ${v.route}  ${v.caller}\n      ${v.detail.replace(/\s+/g, ' ')}`);
    ok = stats.violations.length === 0 && stats.pairs > 0;
    counts = {
      routes: stats.routes,
      callers: stats.callers,
      attempts: stats.pairs,
      refused: stats.refused,
      allowed: stats.violations.filter((v) => v.rule === 'allowed').length,
      leaks: stats.violations.filter((v) => v.rule === 'leak').length,
      routesWithoutRecord: stats.routesWithoutRecord.length,
    };
  } finally {
    await database.close();
    await admin.raw(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.destroy();
    pg?.stop();
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(`RESULT ${JSON.stringify({ harness: 'scope', title: TITLE, ok, counts, seconds })}`);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log(`RESULT ${JSON.stringify({ harness: 'scope', title: TITLE, ok: false, counts: {}, seconds: 0 })}`);
  process.exit(1);
});
