/**
 * 迁移运行中实例: how long a dry run and a real run take for N running instances of a small flow
 * (version 1 → 2, one renamed task with a boundary timer), beside a baseline in the same process:
 * one plain task completion per instance afterwards (the cheapest step the engine writes).
 *
 *   npx tsx bench/instance-migration.ts [--quick]        (N = 2,000; --quick: 200)
 *
 * Starts its own PostgreSQL 15 unless ZCPS_BENCH_DATABASE_URL is set.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { startPostgres, type PgServer } from '../tests/helpers/pg-server.ts';
import { FIXTURES_DIR, startTestApp } from '../tests/helpers/app.ts';
import { actorOf } from '../tests/helpers/actors.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';

const QUICK = process.argv.includes('--quick');
const N = QUICK ? 200 : 2000;

async function main() {
  const began = Date.now();
  console.log(`zcps 基准：迁移运行中实例（${N} 个实例，第 1 版 → 第 2 版，批量 100）`);
  let pg: PgServer | null = null;
  let url = process.env.ZCPS_BENCH_DATABASE_URL;
  if (!url) {
    pg = await startPostgres();
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_migration_bench');
    await admin.destroy();
    url = pg.url.replace(/\/postgres$/, '/zcps_migration_bench');
  }
  const database = await openDatabase({ DATABASE_URL: url, DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
  let ok: boolean;
  const counts: Record<string, number> = {};
  try {
    await migrateLatest(database.knex);
    const t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn' } });
    const engine = t.app.engine;
    const clerk = await actorOf(database.knex, 'kj_hr');
    await engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'migration-v1.bpmn'), 'utf8'));
    console.log(`准备 ${N} 个停在“审核”的实例（不计时）…`);
    for (let i = 0; i < N; i++) {
      const id = await engine.startInstance({ processKey: 'fixture-migration', actor: clerk, checkStarter: false });
      const task = await database.knex('tasks').where({ root_instance_id: id, status: 'open' }).first('id');
      await engine.completeTask(String(task.id), clerk, { action: 'pass', keepInMemory: false });
    }
    await engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'migration-v2.bpmn'), 'utf8'));
    engine.clearCache();

    let at = Date.now();
    const plan = await engine.planMigration({ processKey: 'fixture-migration', fromVersion: 1, toVersion: 2, mapping: { review: 'check' } });
    const planMs = Date.now() - at;
    console.log(`试运行：${plan.counts.total} 个实例，可迁移 ${plan.counts.ok}，${(planMs / 1000).toFixed(2)} s`);

    at = Date.now();
    const progress = await engine.migrateInstances({
      processKey: 'fixture-migration',
      fromVersion: 1,
      toVersion: 2,
      mapping: { review: 'check' },
      actor: null,
      batchSize: 100,
      onBatch: (p) => {
        const done = p.migrated + p.already + p.refused + p.failed;
        if (done % 500 === 0 || done === p.total) console.log(`  进度 ${done}/${p.total}`);
      },
    });
    const runMs = Date.now() - at;
    console.log(`迁移：已迁移 ${progress.migrated}，未迁移 ${progress.refused}，失败 ${progress.failed}，${(runMs / 1000).toFixed(2)} s（每个实例 ${(runMs / N).toFixed(1)} ms）`);

    at = Date.now();
    const again = await engine.migrateInstances({ processKey: 'fixture-migration', fromVersion: 1, toVersion: 2, mapping: { review: 'check' }, actor: null, instanceIds: progress.results.map((r) => r.instanceId) });
    console.log(`再次执行：此前已迁移 ${again.already}，${((Date.now() - at) / 1000).toFixed(2)} s`);

    // baseline: one completion per migrated instance (rebuilt from its row, as after the migration)
    engine.clearCache();
    const tasks = (await database.knex('tasks').where({ status: 'open', element_id: 'check' }).pluck('id')) as string[];
    at = Date.now();
    for (const id of tasks) await engine.completeTask(id, clerk, { action: 'pass', keepInMemory: false });
    const baseMs = Date.now() - at;
    console.log(`对照：在新版本上办理 ${tasks.length} 个任务（每个一步），${(baseMs / 1000).toFixed(2)} s（每个 ${(baseMs / tasks.length).toFixed(1)} ms）`);
    const confirmed = await database.knex('tasks').where({ status: 'open', element_id: 'confirm' }).count<Array<{ n: string }>>({ n: '*' });
    Object.assign(counts, {
      instances: N,
      planned_ok: plan.counts.ok,
      migrated: progress.migrated,
      failed: progress.failed,
      already_on_retry: again.already,
      continued_on_v2: Number(confirmed[0]?.n ?? 0),
      plan_ms: planMs,
      run_ms: runMs,
      baseline_completions_ms: baseMs,
    });
    ok = progress.migrated === N && again.already === N && counts.continued_on_v2 === N;
    await t.close();
  } finally {
    await database.close().catch(() => undefined);
    await pg?.stop();
  }
  console.log(`RESULT ${JSON.stringify({ harness: 'instance-migration', title: '迁移运行中实例', ok, counts, seconds: Math.round((Date.now() - began) / 1000) })}`);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
