/**
 * Benchmark of the proving flow through the HTTP API on a real PostgreSQL 15.
 *
 *   npm run bench -- [--clients 32] [--seconds 30] [--warmup 5] [--workers 2]
 *
 * Starts its own PostgreSQL (durable settings), prepares a database, runs the API server as a
 * child process, and drives dossiers from start to committee receipt with concurrent clients.
 * Prints task completions per second and p50/p99 latency, and — in the same run — the rate of
 * a baseline that only runs bpmn-engine in memory (recover → signal → getState for the same
 * steps) and pgbench -N TPS on the same server, with the ratios between them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { Engine } from 'bpmn-engine';
import { startPostgres, freePort } from '../tests/helpers/pg-server.ts';
import { VALID_DOSSIER as DOSSIER } from '../tests/helpers/app.ts';
import { seedEmployerFiles } from './employer-files.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { buildApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { loadDemoData } from '../api/src/demo.ts';
import { loadSourceContext, moddleOptions } from '../engine/compile.ts';
import { createFeelExpressions } from '../engine/expressions.ts';
import { createDurableTimers } from '../engine/timers.ts';
import { cpuSnapshot, postmasterPid, type CpuSeconds } from './cpu.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const CLIENTS = arg('clients', 32);
const SECONDS = arg('seconds', 30);
const WARMUP = arg('warmup', 5);
const WORKERS = arg('workers', 2);
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret';


function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

// ------------------------------------------------------------------ preparation

async function prepare(url: string, applicants: number) {
  const database = await openDatabase({ DATABASE_URL: url, DATA_DIR: os.tmpdir(), DB_POOL_MAX: 4 });
  await migrateLatest(database.knex);
  const config = loadConfig({ LOG_LEVEL: 'warn', JWT_SECRET, SCHEDULER: 'false', DEMO_DATA: 'false' });
  const app = await buildApp({ config, database });
  await app.engine.deployDirectory(path.join(root, 'processes'));
  await loadDemoData(database.knex);
  const employer = await database.knex('units').where({ unit_type: 'employer' }).first();
  const hash = (await database.knex('users').where({ username: 'zhangwei' }).first()).password_hash;
  const rows = Array.from({ length: applicants }, (_, i) => ({
    username: `bench${i}`,
    password_hash: hash,
    display_name: `申报人${i}`,
    unit_id: employer.id,
    roles: ['applicant'],
  }));
  for (let i = 0; i < rows.length; i += 1000) await database.knex('users').insert(rows.slice(i, i + 1000));
  const users = await database.knex('users').select('id', 'username', 'display_name', 'unit_id', 'roles');
  const tokens = new Map<string, string>();
  for (const u of users) {
    tokens.set(
      u.username,
      app.signToken({ userId: Number(u.id), username: u.username, passwordChangedAt: null }),
    );
  }
  const activity = await database.knex('activities').first();
  const employerFiles = await seedEmployerFiles(database.knex, 'kj_hr', applicants);
  await app.close();
  await database.close();
  return { tokens, activityId: Number(activity.id), employerFiles };
}

async function startServer(url: string, port: number, workers: number): Promise<ChildProcess> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_FLAGS replaces the start script's V8 flags (e.g. to compare GC settings)
  const flags = process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? ['--max-semi-space-size=64'];
  const child = spawn(process.execPath, [...profile, ...flags, '--import', 'tsx', path.join(root, 'api/src/server.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: String(workers),
      DB_POOL_MAX: '20',
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      SCHEDULER: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) {
        // give every worker time to come up
        await new Promise((r) => setTimeout(r, 1500));
        return child;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error('API server did not start');
}

// ------------------------------------------------------------------ load

interface Client {
  agent: http.Agent;
}

function post(client: Client, port: number, urlPath: string, token: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'POST',
        agent: client.agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
          } catch {
            resolve({ status: res.statusCode ?? 0, json: text });
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function runLoad(port: number, tokens: Map<string, string>, activityId: number, employerFiles: Array<Record<string, unknown>>, pids: { api: number; postmaster: number }) {
  const cpuSnapshotNow = () => cpuSnapshot(pids.postmaster, pids.api);
  const latencies: number[] = [];
  let completions = 0;
  let dossiers = 0;
  let errors = 0;
  let nextApplicant = 0;
  const started = performance.now();
  const measureFrom = started + WARMUP * 1000;
  const stopAt = measureFrom + SECONDS * 1000;
  const reviewers = ['kj_hr', 'cd_jxj', 'cd_hr', 'cd_pw'];

  async function clientLoop() {
    // one connection per client, so a dossier's steps reach the same API process
    const client: Client = { agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
    while (performance.now() < stopAt) {
      const index = nextApplicant++;
      const applicant = `bench${index}`;
      const token = tokens.get(applicant);
      if (!token) throw new Error('ran out of applicants; lower --seconds or raise the pool');
      const start = await post(client, port, '/api/process-instances', token, { processKey: 'dossier-review', variables: { activityId } });
      if (start.status !== 201) {
        errors++;
        continue;
      }
      let taskId = (start.json as { tasks: Array<{ id: string }> }).tasks[0]?.id;
      const steps: Array<[string, unknown]> = [
        [applicant, { action: 'submit', data: DOSSIER }],
        // the employer passes with its 公示 proof and recommendation
        ...reviewers.map((r, i): [string, unknown] => [r, { action: 'pass', opinion: '同意', ...(i === 0 ? { data: employerFiles[index] } : {}) }]),
      ];
      for (const [user, body] of steps) {
        if (!taskId) break;
        const t0 = performance.now();
        const res = await post(client, port, `/api/tasks/${taskId}/complete`, tokens.get(user) as string, body);
        const t1 = performance.now();
        if (res.status !== 200) {
          errors++;
          break;
        }
        if (t0 >= measureFrom && t1 <= stopAt) {
          completions++;
          latencies.push(t1 - t0);
        }
        taskId = (res.json as { nextTasks: Array<{ id: string }> }).nextTasks[0]?.id;
      }
      if (performance.now() >= measureFrom) dossiers++;
    }
    client.agent.destroy();
  }

  let cpuStart: CpuSeconds | null = null;
  let cpuEnd: CpuSeconds | null = null;
  const sampler = (async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, measureFrom - performance.now())));
    cpuStart = cpuSnapshotNow();
    await new Promise((r) => setTimeout(r, Math.max(0, stopAt - performance.now())));
    cpuEnd = cpuSnapshotNow();
  })();
  await Promise.all([...Array.from({ length: CLIENTS }, () => clientLoop()), sampler]);
  latencies.sort((a, b) => a - b);
  // the load generator is this process
  const key = (k: 'api' | 'postgres' | 'client') => (k === 'client' ? 'self' : k);
  const used = (k: 'api' | 'postgres' | 'client') => (cpuEnd ? cpuEnd[key(k)] : 0) - (cpuStart ? cpuStart[key(k)] : 0);
  const perCompletion = (k: 'api' | 'postgres' | 'client') => (completions ? (used(k) * 1000) / completions : 0);
  return {
    completionsPerSecond: completions / SECONDS,
    dossiersPerSecond: dossiers / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
    errors,
    samples: latencies.length,
    cpuMsPerCompletion: { api: perCompletion('api'), postgres: perCompletion('postgres'), client: perCompletion('client') },
    cpuUtilisation: { api: used('api') / SECONDS, postgres: used('postgres') / SECONDS, client: used('client') / SECONDS },
  };
}

// ------------------------------------------------------------------ baselines

/**
 * bpmn-engine alone, in memory: recover → signal → getState for the same five steps the load
 * completes (no unit has review posts in the benchmark, so no level calls the sub-flow).
 */
async function bpmnEngineBaseline(seconds: number) {
  const sourceContext = await loadSourceContext(fs.readFileSync(path.join(root, 'processes/dossier-review.bpmn'), 'utf8'));
  const expressions = createFeelExpressions();
  const silent = () => ({ debug() {}, error() {}, warn() {} });
  const chain = { employer: 4, department: 3, bureau: 2, committee: 2 };
  // the handlers' facts: the chain and its units' posts (none); `route` for a diagram of the hub
  // version, whose one service names the step after the one the dossier was at
  const NEXT: Record<string, string> = { none: 'employer', employer: 'department', department: 'bureau', bureau: 'committee', committee: 'received' };
  const extensions = {
    stub(activity: { id: string; type: string; behaviour: Record<string, unknown>; environment: { variables: Record<string, unknown> } }) {
      if (activity.type !== 'bpmn:ServiceTask') return;
      activity.behaviour.Service = class {
        execute(_m: unknown, cb: (e: null, o: unknown) => void) {
          // what the handlers return: the chain and its posts (and, for the hub version, the next level)
          const variables = activity.environment.variables;
          Object.assign(variables, { chain, posts: { employer: false, department: false, bureau: false }, hasPosts: false, route: NEXT[String(variables.route ?? 'none')] });
          cb(null, {});
        }
      };
    },
  };
  const make = () => new Engine({ name: 'baseline', sourceContext, moddleOptions, Logger: silent, expressions, timers: createDurableTimers(), extensions } as never);
  const steps = [
    ['submit', 'submit'],
    ['unit_review', 'pass'],
    ['department_review', 'pass'],
    ['bureau_review', 'pass'],
    ['committee_receipt', 'pass'],
  ];
  let done = 0;
  const stopAt = performance.now() + seconds * 1000;
  while (performance.now() < stopAt) {
    const first = make();
    await first.execute({ listener: new EventEmitter(), variables: { initiator: 1 } } as never);
    let state = JSON.stringify(await first.getState());
    for (const [elementId, action] of steps) {
      const engine = make().recover(JSON.parse(state));
      let waiting: string | null = null;
      const l = new EventEmitter();
      l.on('wait', (api: { id: string; executionId: string }) => {
        if (api.id === elementId) waiting = api.executionId;
      });
      await engine.resume({ listener: l } as never);
      const proc = engine.execution.definitions[0]!.getRunningProcesses()[0]!;
      Object.assign((proc.environment as unknown as { variables: Record<string, unknown> }).variables, { action, opinion: '同意', decision: {} });
      engine.execution.signal({ id: elementId, executionId: waiting ?? undefined } as never);
      state = JSON.stringify(await engine.getState());
      done++;
    }
  }
  return done / seconds;
}

function pgbench(port: number): number | null {
  const bin = '/usr/lib/postgresql/15/bin/pgbench';
  if (!fs.existsSync(bin)) return null;
  const base = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'];
  const init = spawnSync(bin, [...base, '-i', '-q', '-s', '10', 'pgbench'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  const run = spawnSync(bin, [...base, '-N', '-c', String(CLIENTS), '-j', '2', '-T', '15', 'pgbench'], { encoding: 'utf8' });
  const match = /tps = ([\d.]+)/.exec(run.stdout);
  return match ? Number(match[1]) : null;
}

// ------------------------------------------------------------------ main

async function main() {
  const cpus = os.cpus();
  console.log(`zcps 基准测试：申报材料审核验证流程（HTTP API，PostgreSQL 15）`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  console.log(`参数: ${CLIENTS} 个并发客户端，预热 ${WARMUP}s，计量 ${SECONDS}s，API 进程 ${WORKERS} 个`);

  const pg = await startPostgres({ durable: true, maxConnections: 300 });
  let server: ChildProcess | null = null;
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_bench');
    await admin.raw('create database pgbench');
    await admin.destroy();
    const url = pg.url.replace(/\/postgres$/, '/zcps_bench');
    const applicants = Math.max(2000, Math.ceil(CLIENTS * (SECONDS + WARMUP) * 12));
    console.log(`准备数据库（${applicants} 个申报人）…`);
    const { tokens, activityId, employerFiles } = await prepare(url, applicants);
    if (process.env.PG_STAT_STATEMENTS) {
      const k = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      await k.raw('create extension if not exists pg_stat_statements');
      await k.raw('select pg_stat_statements_reset()');
      await k.destroy();
    }

    const port = await freePort();
    server = await startServer(url, port, WORKERS);
    console.log('运行负载…');
    const postmaster = postmasterPid(pg.dataDir);
    const ours = await runLoad(port, tokens, activityId, employerFiles, { api: server.pid as number, postmaster });
    const engineStats: Array<{ pid: number; steps?: number; cacheHits?: number; recovers?: number; singleStatementSteps?: number; staleRetries?: number }> = [];
    for (let i = 0; i < WORKERS * 3 && engineStats.length < WORKERS; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/api/engine/stats`, { headers: { authorization: `Bearer ${tokens.get('admin')}` } });
      const stats = (await res.json()) as { pid: number };
      if (!engineStats.some((s: { pid: number }) => s.pid === stats.pid)) engineStats.push(stats);
    }
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, process.env.BENCH_CPU_PROF ? 5000 : 1000));
    server = null;

    if (process.env.PG_STAT_STATEMENTS) {
      const k = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      const top = await k.raw(`select calls, round(total_exec_time::numeric, 1) as ms, round((total_exec_time / calls)::numeric, 3) as per_call, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q from pg_stat_statements order by total_exec_time desc limit 15`);
      console.table(top.rows);
      await k.destroy();
    }
    if (process.env.BENCH_ONLY_LOAD) {
      console.log(ours, engineStats);
      return;
    }
    console.log('运行基线：bpmn-engine 内存中 recover → signal → getState …');
    const baseline = process.env.BENCH_NO_BASELINE ? Number.NaN : await bpmnEngineBaseline(10);
    console.log('运行基线：pgbench -N …');
    const tps = pgbench(pg.port);

    const lines = [
      '',
      '结果',
      `  任务办理        ${ours.completionsPerSecond.toFixed(0)} 次/秒（${ours.samples} 次计量，错误 ${ours.errors}）`,
      `  完整申报        ${ours.dossiersPerSecond.toFixed(1)} 件/秒（发起 + 5 步办理）`,
      `  办理延迟        p50 ${ours.p50.toFixed(1)} ms，p99 ${ours.p99.toFixed(1)} ms，最大 ${ours.max.toFixed(1)} ms`,
      `  每次办理 CPU    API ${ours.cpuMsPerCompletion.api.toFixed(2)} ms，PostgreSQL ${ours.cpuMsPerCompletion.postgres.toFixed(2)} ms，压测客户端 ${ours.cpuMsPerCompletion.client.toFixed(2)} ms（含发起申报，按办理次数分摊）`,
      `  CPU 占用        API ${ours.cpuUtilisation.api.toFixed(2)} 核，PostgreSQL ${ours.cpuUtilisation.postgres.toFixed(2)} 核，客户端 ${ours.cpuUtilisation.client.toFixed(2)} 核`,
      ...engineStats.map(
        (s: { pid: number; steps?: number; cacheHits?: number; recovers?: number; singleStatementSteps?: number; staleRetries?: number }) =>
          `  引擎（进程 ${s.pid}）  步骤 ${s.steps}，内存命中 ${s.cacheHits}，从存储恢复 ${s.recovers}，单语句写入 ${s.singleStatementSteps}，冲突重试 ${s.staleRetries}`,
      ),
      `  基线 bpmn-engine 内存 recover→signal→getState：${baseline.toFixed(0)} 步/秒（单线程）`,
      `  基线 pgbench -N（${CLIENTS} 客户端）：${tps == null ? '不可用' : `${tps.toFixed(0)} TPS`}`,
      `  比值 任务办理 / bpmn-engine 基线 = ${(ours.completionsPerSecond / baseline).toFixed(2)}`,
      ...(tps ? [`  比值 任务办理 / pgbench TPS = ${(ours.completionsPerSecond / tps).toFixed(3)}`] : []),
      `  目标 ≥ 500 次/秒且 p99 < 100 ms：${ours.completionsPerSecond >= 500 && ours.p99 < 100 ? '达到' : '未达到'}`,
      '',
    ];
    console.log(lines.join('\n'));
  } finally {
    server?.kill('SIGKILL');
    pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
