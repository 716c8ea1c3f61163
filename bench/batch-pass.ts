/**
 * Batch pass: 1,000 dossiers waiting at one level (主管部门审核, 成都市经济和信息化局), passed with
 * one POST /api/tasks/batch-complete (its limit is 1,000 tasks) on a PostgreSQL 15 of its own.
 * The dossiers are created through the API (start, submit, the employer's pass) and that part is
 * not timed. Two rounds: after a restart of the API (every instance rebuilt from its row), and with
 * the instances still in the engine's memory (the clerk batches what was just forwarded to them).
 *
 *   NODE_OPTIONS="--max-old-space-size=8000 --max-semi-space-size=64" npx tsx bench/batch-pass.ts [--dossiers 1000] [--cache 1000] [--concurrency 4]
 *
 * (an idle instance in the engine's memory takes about 0.7 MB of heap, printed at the simulated
 * restart; the larger heap leaves room for the garbage of creating 2,000 dossiers; the semi-space
 * flag is the one `npm start` runs the API with. BATCH_PROFILE / BATCH_PROFILE_COLD name files for
 * a CPU profile of the timed batch, warm or cold.)
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../tests/helpers/app.ts';
import { uploadPdf } from '../tests/helpers/files.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase, type Database } from '../api/src/db.ts';
import { cpuSnapshot, cpuUsed, postmasterPid } from './cpu.ts';
import { publicityPeriod } from './employer-files.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const DOSSIERS = arg('dossiers', 1_000);
// idle instances the engine keeps in memory (ENGINE_CACHE_SIZE); see the README on their size
const CACHE = String(arg('cache', DOSSIERS));
// completions of the batch in flight at once (BATCH_CONCURRENCY)
const CONCURRENCY = String(arg('concurrency', 4));
const TARGET_S = 10;
const LEVEL = 'department_review';

interface Completion {
  nextTasks: Array<{ id: string; elementId: string }>;
}

async function ok<T>(res: { statusCode: number; body: string; json(): unknown }, what: string): Promise<T> {
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`${what}: ${res.statusCode} ${res.body.slice(0, 400)}`);
  return res.json() as T;
}

/** Applicants start and submit; the employer passes each on (with the uploads its form asks for, if any). */
async function createWaiting(t: TestApp, db: Database, count: number, prefix: string) {
  const hash = (await db.knex('users').where({ username: 'zhangwei' }).first()).password_hash;
  const employer = await db.knex('units').where({ unit_type: 'employer' }).first();
  await db.knex('users').insert(Array.from({ length: count }, (_, i) => ({ username: `${prefix}${i}`, password_hash: hash, display_name: `批量申报人${prefix}${i}`, unit_id: employer.id, roles: ['applicant'] })));
  const users = await db.knex('users').where('username', 'like', `${prefix}%`).orderBy('id');
  const activity = await db.knex('activities').first();
  let employerData: (() => Promise<Record<string, unknown>>) | null = null;
  for (const [i, u] of users.entries()) {
    const token = t.app.signToken({ userId: Number(u.id), username: u.username, passwordChangedAt: u.password_changed_at ?? null });
    const started = await ok<{ id: string; tasks: Array<{ id: string }> }>(
      await t.request('POST', '/api/process-instances', { token, body: { processKey: 'dossier-review', variables: { activityId: activity.id } } }),
      'start',
    );
    const submitted = await ok<Completion>(await t.request('POST', `/api/tasks/${started.tasks[0]!.id}/complete`, { token, body: { action: 'submit', data: VALID_DOSSIER } }), 'submit');
    const employerTask = submitted.nextTasks[0]!.id;
    let res = await t.request('POST', `/api/tasks/${employerTask}/complete`, { user: 'kj_hr', body: { action: 'pass', ...(employerData ? { data: await employerData() } : {}) } });
    if (res.statusCode === 400 && !employerData) {
      // the employer's form wants its 公示期, 公示 proof and 综合推荐材料
      employerData = async () => ({ ...publicityPeriod(t.clock.now()), publicityProof: [await uploadPdf(t, 'kj_hr', '公示证明.pdf')], recommendation: [await uploadPdf(t, 'kj_hr', '综合推荐材料.pdf')] });
      res = await t.request('POST', `/api/tasks/${employerTask}/complete`, { user: 'kj_hr', body: { action: 'pass', data: await employerData() } });
    }
    await ok(res, 'employer pass');
    if ((i + 1) % 250 === 0) console.log(`  ${prefix}: ${i + 1} / ${count}，堆内存 ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
  }
}

async function waitingIds(t: TestApp, prefix: string): Promise<string[]> {
  const filter = encodeURIComponent(JSON.stringify({ elementId: LEVEL, applicantName: `批量申报人${prefix}` }));
  const items = await ok<Array<{ id: string }>>(await t.request('GET', `/api/tasks?range=[0,999]&filter=${filter}`, { user: 'cd_jxj' }), 'inbox');
  return items.map((i) => i.id);
}

async function batch(t: TestApp, taskIds: string[], postmaster: number) {
  const cpuBefore = cpuSnapshot(postmaster);
  const t0 = performance.now();
  const res = await t.request('POST', '/api/tasks/batch-complete', { user: 'cd_jxj', body: { taskIds, action: 'pass', opinion: '同意报送' } });
  const seconds = (performance.now() - t0) / 1000;
  // the API runs in this process
  const cpu = cpuUsed(cpuBefore, cpuSnapshot(postmaster));
  const body = await ok<{ succeeded: number; failed: number; results: Array<{ ok: boolean; message?: string }> }>(res, 'batch');
  const firstError = body.results.find((r) => !r.ok)?.message;
  return { seconds, succeeded: body.succeeded, failed: body.failed, firstError, apiCpu: cpu.self, postgresCpu: cpu.postgres };
}

/** Counts the statements knex sends, by their first 90 characters. */
function counter(into: Map<string, number>) {
  return (q: { sql: string }) => {
    const key = q.sql.replace(/\s+/g, ' ').slice(0, 90);
    into.set(key, (into.get(key) ?? 0) + 1);
  };
}

/** With a file name: a CPU profile of the timed part (open it in Chrome's DevTools). */
async function profiled<T>(file: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!file) return run();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.start');
  const result = await run();
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  fs.writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

/**
 * A full collection, as a restarted process starts with an empty heap: without it the first
 * API's ≈ 1.6 GB of dropped instances stay in the old generation (nothing fills the 8 GB limit),
 * and every young collection of the cold batch runs beside them.
 */
function collectGarbage(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

async function main() {
  const cpus = os.cpus();
  console.log('zcps 基准测试：批量通过（POST /api/tasks/batch-complete）');
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  const pg = await startPostgres({ durable: true });
  const postmaster = postmasterPid(pg.dataDir);
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_batch');
    await admin.destroy();
    const url = pg.url.replace(/\/postgres$/, '/zcps_batch');
    const database = await openDatabase({ DATABASE_URL: url, DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    let t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn', ENGINE_CACHE_SIZE: CACHE, BATCH_CONCURRENCY: CONCURRENCY } });
    console.log(`准备 ${DOSSIERS} 件申报，停在“主管部门审核”（不计时）…`);
    await createWaiting(t, database, DOSSIERS, 'cold');
    // a restarted API: no instance in memory, each one is rebuilt from its row
    const clock = t.clock;
    // as a restarted process would: nothing of the first API's engine stays on the heap
    const withInstances = collectGarbage();
    t.app.engine.clearCache();
    await t.close();
    const empty = collectGarbage();
    console.log(`  （模拟重启：整理后堆内存 ${(empty / 1e6).toFixed(0)} MB；引擎内存中每件约 ${((withInstances - empty) / DOSSIERS / 1e6).toFixed(2)} MB）`);
    t = await startTestApp(database, { clock, deploy: false, config: { LOG_LEVEL: 'warn', ENGINE_CACHE_SIZE: CACHE, BATCH_CONCURRENCY: CONCURRENCY } });
    const coldIds = await waitingIds(t, 'cold');
    const coldStatements = new Map<string, number>();
    const countCold = counter(coldStatements);
    if (process.argv.includes('--statements')) database.knex.on('query', countCold);
    const cold = await profiled(process.env.BATCH_PROFILE_COLD, () => batch(t, coldIds, postmaster));
    database.knex.off('query', countCold);
    // then the same with the instances in memory: the clerk batches what was just forwarded to them
    console.log(`再准备 ${DOSSIERS} 件（不计时）…`);
    await createWaiting(t, database, DOSSIERS, 'warm');
    const warmIds = await waitingIds(t, 'warm');
    const statements = new Map<string, number>();
    const count = counter(statements);
    if (process.argv.includes('--statements')) database.knex.on('query', count);
    const warm = await profiled(process.env.BATCH_PROFILE, () => batch(t, warmIds, postmaster));
    database.knex.off('query', count);
    const atBureau = await database.knex('tasks').where({ status: 'open', element_id: 'bureau_review' }).count<Array<{ n: number }>>({ n: '*' });

    console.log('');
    console.log('结果');
    for (const [label, ids, r] of [['实例在内存中', warmIds, warm], ['API 重启后（实例从数据库重建）', coldIds, cold]] as const) {
      console.log(
        `  ${label.padEnd(20)} ${ids.length} 件  ${r.seconds.toFixed(2)} s  ${(ids.length / r.seconds).toFixed(0)} 件/秒  ${((r.seconds * 1000) / ids.length).toFixed(1)} ms/件  ` +
          `CPU：API ${((r.apiCpu * 1000) / ids.length).toFixed(1)} ms/件、PostgreSQL ${((r.postgresCpu * 1000) / ids.length).toFixed(1)} ms/件  ` +
          `成功 ${r.succeeded} 失败 ${r.failed}  目标 < ${TARGET_S} s：${r.seconds < TARGET_S ? '达标' : '未达标'}（${(r.seconds / TARGET_S).toFixed(2)}）${r.firstError ? `  首个错误：${r.firstError}` : ''}`,
      );
    }
    for (const [label, counted, n] of [['实例在内存中', statements, warmIds.length], ['API 重启后', coldStatements, coldIds.length]] as const) {
      if (!counted.size) continue;
      const total = [...counted.values()].reduce((a, b) => a + b, 0);
      console.log(`  语句（${label}的一轮）：${total} 条，每件 ${(total / n).toFixed(1)} 条`);
      for (const [sql, c] of [...counted.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${(c / n).toFixed(2)}  ${sql}`);
    }
    console.log(`  人社部门审核待办 ${Number(atBureau[0]?.n)} 件（应为 ${warm.succeeded + cold.succeeded}）`);
    await t.close();
    await database.close();
  } finally {
    pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
