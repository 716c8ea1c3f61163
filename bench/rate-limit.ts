/**
 * Rate limits counted in PostgreSQL (RATE_LIMIT_STORE=database, shared by every API process)
 * beside the per-process memory store, in the same process: N public reads
 * (GET /api/public/announcements, one address) through each app, interleaved, and N bare counter
 * increments of each store. Prints the mean and p95 per request, and the difference.
 *
 *   npx tsx bench/rate-limit.ts [--quick]        (N = 3,000; --quick: 500)
 *
 * Starts its own PostgreSQL 15 unless ZCPS_BENCH_DATABASE_URL is set.
 */
import os from 'node:os';
import knexFactory from 'knex';
import { createRequire } from 'node:module';
import { startPostgres, type PgServer } from '../tests/helpers/pg-server.ts';
import { startTestApp, type TestApp } from '../tests/helpers/app.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { DatabaseRateLimitStore, type RateLimitState } from '../api/src/rate-limit-store.ts';

// the plugin's own memory store (no type declarations of its own)
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, cache: number) => { incr: Incr };

const QUICK = process.argv.includes('--quick');
const N = QUICK ? 500 : 3000;

interface Figures {
  mean: number;
  p95: number;
}

function figures(ms: number[]): Figures {
  const sorted = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return { mean: Math.round(mean * 1000) / 1000, p95: Math.round((sorted[Math.floor(sorted.length * 0.95)] ?? 0) * 1000) / 1000 };
}

async function timeRequest(app: TestApp, from: string): Promise<number> {
  const at = process.hrtime.bigint();
  const res = await app.app.inject({ method: 'GET', url: '/api/public/announcements', remoteAddress: from });
  if (res.statusCode !== 200) throw new Error(`public read answered ${res.statusCode}`);
  return Number(process.hrtime.bigint() - at) / 1e6;
}

type Incr = (key: string, cb: (err: Error | null, res?: RateLimitState) => void, timeWindow: number, max: number) => void;

async function timeIncr(incr: Incr, key: string): Promise<number> {
  const at = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => incr(key, (err) => (err ? reject(err) : resolve()), 60_000, 1e9));
  return Number(process.hrtime.bigint() - at) / 1e6;
}

async function main() {
  const began = Date.now();
  console.log(`zcps 基准：公开页面限流计数（数据库计数 vs 进程内存计数，各 ${N} 次）`);
  let pg: PgServer | null = null;
  let url = process.env.ZCPS_BENCH_DATABASE_URL;
  if (!url) {
    pg = await startPostgres();
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_rate_limit_bench');
    await admin.destroy();
    url = pg.url.replace(/\/postgres$/, '/zcps_rate_limit_bench');
  }
  const database = await openDatabase({ DATABASE_URL: url, DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
  const counts: Record<string, number> = {};
  try {
    await migrateLatest(database.knex);
    const limits = { PUBLIC_RATE_LIMIT: String(N * 10), LOG_LEVEL: 'warn' as const };
    const shared = await startTestApp(database, { deploy: false, config: { ...limits, RATE_LIMIT_STORE: 'database' } });
    const memory = await startTestApp(database, { deploy: false, config: { ...limits, RATE_LIMIT_STORE: 'memory' } });
    // warm both (JIT, connections, the counter row)
    for (let i = 0; i < 50; i++) {
      await timeRequest(shared, '10.9.0.1');
      await timeRequest(memory, '10.9.0.1');
    }
    const withDb: number[] = [];
    const withMemory: number[] = [];
    for (let i = 0; i < N; i++) {
      // interleaved so that both see the same machine load; a few addresses, as a portal would
      const from = `10.9.1.${i % 20}`;
      withDb.push(await timeRequest(shared, from));
      withMemory.push(await timeRequest(memory, from));
    }
    const db = figures(withDb);
    const mem = figures(withMemory);
    console.log(`公开页面读取（含限流）：数据库计数 平均 ${db.mean} ms，p95 ${db.p95} ms`);
    console.log(`对照（同一进程）：内存计数 平均 ${mem.mean} ms，p95 ${mem.p95} ms`);
    console.log(`每个请求多出：平均 ${(db.mean - mem.mean).toFixed(3)} ms`);

    const store = new DatabaseRateLimitStore(database.knex).child({ routeInfo: { method: 'GET', url: '/bench' } });
    const local = new LocalStore(false, false, 5000);
    const incrDb: number[] = [];
    const incrMem: number[] = [];
    for (let i = 0; i < N; i++) {
      const key = `10.9.2.${i % 20}`;
      incrDb.push(await timeIncr(store.incr.bind(store), key));
      incrMem.push(await timeIncr(local.incr.bind(local), key));
    }
    const sDb = figures(incrDb);
    const sMem = figures(incrMem);
    console.log(`单次计数：数据库 upsert 平均 ${sDb.mean} ms，p95 ${sDb.p95} ms；内存 平均 ${sMem.mean} ms`);
    Object.assign(counts, {
      requests: N,
      request_db_mean_us: Math.round(db.mean * 1000),
      request_db_p95_us: Math.round(db.p95 * 1000),
      request_memory_mean_us: Math.round(mem.mean * 1000),
      request_memory_p95_us: Math.round(mem.p95 * 1000),
      incr_db_mean_us: Math.round(sDb.mean * 1000),
      incr_db_p95_us: Math.round(sDb.p95 * 1000),
      incr_memory_mean_us: Math.round(sMem.mean * 1000),
    });
    await memory.close();
    await shared.close();
  } finally {
    await database.close().catch(() => undefined);
    await pg?.stop();
  }
  console.log(`RESULT ${JSON.stringify({ harness: 'rate-limit', title: '限流计数（数据库）', ok: true, counts, seconds: Math.round((Date.now() - began) / 1000) })}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
