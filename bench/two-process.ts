/**
 * Two-process harness: one PostgreSQL 15, the real server (api/src/server.ts) started as child
 * processes, run three times over copies of one prepared database —
 *   one:     a single process (the reference);
 *   workers: one server with WORKERS=2 (node:cluster, two API processes behind one port);
 *   two:     two separate servers on two ports.
 * The workload: each case waiting at 主管部门审核 is completed twice at once (the two requests go
 * to different processes where there are two), while the 修改期限已过 timers of the returned
 * cases fall due (revision deadline and timer row moved into the past) and every process sweeps
 * each second (SWEEP_CRON). Checked: each timer fired once, each result message sent once, one
 * success and one 409 per task, and the outcome (tasks by element and status, instances,
 * dossiers, messages, as counts) identical to the single process's.
 *
 *   npx tsx bench/two-process.ts [--quick] [--load 200] [--timers 100]
 *
 * --quick: 20 load cases, 10 timer cases. Last line: RESULT {...} (see docs/reliability.md).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { freePort, startPostgres } from '../tests/helpers/pg-server.ts';
import { ROOT, startTestApp, TEST_PII_HASH_KEY, TEST_PII_KEY } from '../tests/helpers/app.ts';
import { TestClock } from '../tests/helpers/clock.ts';
import { alternate, completePairs, createCases, openTaskIds, type Answer, type Client } from '../tests/helpers/race.ts';
import { makeRevisionTimersDue, outcomeOf, pendingWork, type Outcome } from '../tests/helpers/two-process.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { DEMO_PASSWORD } from '../api/src/demo.ts';
import { buildConsole } from '../scripts/build-console.ts';

const QUICK = process.argv.includes('--quick');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const LOAD = arg('load', QUICK ? 20 : 200);
const TIMERS = arg('timers', QUICK ? 10 : 100);
const CONCURRENCY = 8;
const JWT_SECRET = 'two-process-harness-secret-0123456789';
const CERT_KEY_SECRET = 'two-process-harness-cert-secret';
// the reminders' crons run at fixed times of day or hour: kept out, so that the three runs see the same work
const NEVER = '0 0 1 1 *';

function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A server process (or a cluster of WORKERS) of this repository on a database, started and waited for. */
async function startServer(url: string, workers: number, label: string): Promise<{ port: number; child: ChildProcess; pids(): number[]; stop(): Promise<void> }> {
  const port = await freePort();
  const log = fs.openSync(path.join(os.tmpdir(), `zcps-two-process-${label}-${port}.log`), 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/src/server.ts')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: String(workers),
      DB_POOL_MAX: '10',
      DATA_DIR: path.join(os.tmpdir(), `zcps-two-process-${label}`),
      JWT_SECRET,
      // each clerk signs in once per run
      JWT_EXPIRES_IN: '12h',
      CERT_KEY_SECRET,
      // the console's build (vite) sets NODE_ENV=production in this process, and the children
      // inherit it: give them every secret production asks for
      PII_KEY: TEST_PII_KEY,
      PII_HASH_KEY: TEST_PII_HASH_KEY,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '10000',
      SWEEP_CRON: '* * * * * *',
      DEADLINE_SWEEP_CRON: NEVER,
      CHAIN_SWEEP_CRON: NEVER,
    },
  });
  const stop = async () => {
    if (child.exitCode != null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // the process group: a WORKERS=2 primary and its two workers
    process.kill(-child.pid!, 'SIGTERM');
    const timeout = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, 15_000);
    await exited;
    clearTimeout(timeout);
  };
  const until = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode != null) throw new Error(`服务进程退出（${child.exitCode}），见 ${os.tmpdir()}/zcps-two-process-${label}-${port}.log`);
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (up) {
      // with workers, the first to listen answers the health check: give the second its moment
      if (workers > 1) await new Promise((resolve) => setTimeout(resolve, 8_000));
      break;
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`服务进程未在 240 s 内启动（${label}）`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { port, child, pids: () => apiProcesses(child, workers), stop };
}

/** A client of a listening server: logs each user in once (sequentially, before any racing). */
function httpClient(port: number): Client & { signIn(user: string): Promise<void> } {
  const tokens = new Map<string, string>();
  const send = async (method: string, url: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const body = await res.text();
    return { statusCode: res.status, body, json: () => JSON.parse(body) as unknown };
  };
  return {
    async signIn(user) {
      if (tokens.has(user)) return;
      const res = await send('POST', '/api/auth/login', { body: { username: user, password: DEMO_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login ${user}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      tokens.set(user, (res.json() as { token: string }).token);
    },
    async request(method, url, options = {}) {
      return send(method, url, { token: options.token ?? (options.user ? tokens.get(options.user) : undefined), body: options.body });
    },
  };
}

/** The API processes of a server: the process itself, or with WORKERS its workers (children of the primary). */
function apiProcesses(child: ChildProcess, workers: number): number[] {
  if (workers <= 1) return [child.pid!];
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** CPU seconds a process has used (user + system, from /proc). */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

interface RunFigures {
  label: string;
  processes: number;
  successes: number;
  conflicts: number;
  others: string[];
  waitedSeconds: number;
  /** CPU seconds each API process used during the workload: each must have worked */
  cpuPerProcess: number[];
  pendingAfter: { timers: number; messages: number };
  outcome: Outcome;
}

/** One run: servers on a copy of the prepared database, the load and the due timers, then the outcome. */
async function run(serverUrl: string, name: string, label: string, layout: 'one' | 'workers' | 'two', loadCases: string[], timerCases: string[]): Promise<RunFigures> {
  const url = withDatabase(serverUrl, name);
  const knex: Knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 2 } });
  const servers = layout === 'two' ? [await startServer(url, 1, `${label}-a`), await startServer(url, 1, `${label}-b`)] : [await startServer(url, layout === 'workers' ? 2 : 1, label)];
  try {
    const clients = servers.map((s) => httpClient(s.port));
    for (const c of clients) await c.signIn('cd_jxj');
    // with WORKERS=2 the two requests of a pair reach the port together and the cluster deals them out
    const client = clients.length > 1 ? alternate(clients) : clients[0]!;
    const tasks = await openTaskIds(knex, loadCases, 'department_review');
    const due = await makeRevisionTimersDue(knex, timerCases, new Date());
    console.log(`  ${label}：${servers.length} 个服务${layout === 'workers' ? '（WORKERS=2）' : ''}，${due} 个计时器已到期，${tasks.length} 对同时办理…`);
    const pids = servers.flatMap((s) => s.pids());
    const cpuBefore = pids.map(cpuSeconds);
    const t0 = performance.now();
    const pairs = await completePairs(client, 'cd_jxj', tasks, CONCURRENCY);
    let pending = await pendingWork(knex, timerCases);
    const until = Date.now() + 180_000;
    while ((pending.timers > 0 || pending.messages > 0) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      pending = await pendingWork(knex, timerCases);
    }
    // one more sweep period: a doubled firing would show now
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const waitedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const cpuPerProcess = pids.map((pid, i) => Math.round((cpuSeconds(pid) - cpuBefore[i]!) * 10) / 10);
    const outcome = await outcomeOf(knex, loadCases, timerCases);
    return { label, processes: layout === 'one' ? 1 : 2, successes: pairs.successes, conflicts: pairs.conflicts, others: pairs.others, waitedSeconds, cpuPerProcess, pendingAfter: await pendingWork(knex, timerCases), outcome };
  } finally {
    for (const s of servers) await s.stop();
    await knex.destroy();
  }
}

async function main() {
  const started = performance.now();
  const cpus = os.cpus();
  console.log(`zcps 可靠性：多进程（${LOAD} 件同时办理、${TIMERS} 个到期计时器${QUICK ? '，快速版' : ''}）`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  const external = process.env.ZCPS_BENCH_DATABASE_URL;
  const pg = external ? null : await startPostgres({ durable: true });
  const serverUrl = external ?? pg!.url;
  const problems: string[] = [];
  let counts: Record<string, number> = {};
  try {
    if (await buildConsole({ log: (m) => console.log(m) })) console.log('  （控制台已构建，服务进程启动时不再构建）');
    const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
    for (const db of ['zcps_tp_template', 'zcps_tp_one', 'zcps_tp_workers', 'zcps_tp_two']) await admin.raw(`drop database if exists ${db} with (force)`);
    await admin.raw('create database zcps_tp_template');

    console.log(`准备：${LOAD} 件停在“主管部门审核”，${TIMERS} 件退回申报人修改（修改期限计时器待触发）…`);
    const database = await openDatabase({ DATABASE_URL: withDatabase(serverUrl, 'zcps_tp_template'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    // the servers run on the wall clock: the cases are made on it too
    const t = await startTestApp(database, { demo: true, clock: new TestClock(new Date()), config: { LOG_LEVEL: 'warn', JWT_SECRET } });
    const loadCases = await createCases(t, database.knex, 'tpload', LOAD, { employer: 'pass' });
    const timerCases = await createCases(t, database.knex, 'tptimer', TIMERS, { employer: 'return' });
    await t.close();
    await database.close();
    // three copies of the same start
    for (const db of ['zcps_tp_one', 'zcps_tp_workers', 'zcps_tp_two']) await admin.raw(`create database ${db} template zcps_tp_template`);
    await admin.destroy();

    const runs: RunFigures[] = [];
    runs.push(await run(serverUrl, 'zcps_tp_one', '单进程', 'one', loadCases, timerCases));
    runs.push(await run(serverUrl, 'zcps_tp_workers', 'WORKERS=2', 'workers', loadCases, timerCases));
    runs.push(await run(serverUrl, 'zcps_tp_two', '两个独立服务', 'two', loadCases, timerCases));

    const reference = JSON.stringify(runs[0]!.outcome);
    console.log('');
    console.log('结果');
    for (const r of runs) {
      const o = r.outcome;
      const same = JSON.stringify(o) === reference;
      console.log(
        `  ${r.label.padEnd(10)} 成功 ${r.successes}，冲突 409 ${r.conflicts}，其他 ${r.others.length}；计时器触发次数/件 ${JSON.stringify(o.timerFiresPerCase)}；` +
          `结果消息/件 ${JSON.stringify(o.resultMessagesPerCase)}；申报状态 ${JSON.stringify(o.dossiers)}；与单进程一致：${same ? '是' : '否'}（${r.waitedSeconds} s；各 API 进程 CPU ${r.cpuPerProcess.join(' / ')} s）`,
      );
      if (r.successes !== LOAD || r.conflicts !== LOAD || r.others.length) problems.push(`${r.label}：成功 ${r.successes}、冲突 ${r.conflicts}、其他 ${r.others.slice(0, 3).join(' | ')}`);
      if (JSON.stringify(o.timerFiresPerCase) !== JSON.stringify({ 1: TIMERS })) problems.push(`${r.label}：计时器触发 ${JSON.stringify(o.timerFiresPerCase)}`);
      const perCase = Object.keys(o.resultMessagesPerCase);
      if (perCase.length !== 1 || Number(perCase[0]) < 1) problems.push(`${r.label}：结果消息 ${JSON.stringify(o.resultMessagesPerCase)}`);
      if (r.cpuPerProcess.length !== r.processes || r.cpuPerProcess.some((c) => c <= 0)) problems.push(`${r.label}：不是每个 API 进程都在工作（CPU ${r.cpuPerProcess.join(' / ')} s）`);
      if (r.pendingAfter.timers || r.pendingAfter.messages) problems.push(`${r.label}：仍有待处理 ${JSON.stringify(r.pendingAfter)}`);
      if (!same) problems.push(`${r.label}：结果与单进程不同：${JSON.stringify(o)} ≠ ${reference}`);
    }
    const [one, workers, two] = runs;
    const sum = (o: Outcome, key: 'completedTasks' | 'messages') => Object.values(o[key]).reduce((a, b) => a + b, 0);
    counts = {
      loadCases: LOAD,
      timerCases: TIMERS,
      timersFiredOnce: Math.min(...runs.map((r) => r.outcome.timerFiresPerCase['1'] ?? 0)),
      workersSuccesses: workers!.successes,
      workersConflicts: workers!.conflicts,
      twoServersSuccesses: two!.successes,
      twoServersConflicts: two!.conflicts,
      messagesOneProcess: sum(one!.outcome, 'messages'),
      messagesWorkers: sum(workers!.outcome, 'messages'),
      messagesTwoServers: sum(two!.outcome, 'messages'),
      tasksCompletedOneProcess: sum(one!.outcome, 'completedTasks'),
      identicalToOneProcess: runs.slice(1).filter((r) => JSON.stringify(r.outcome) === reference).length,
    };
  } catch (err) {
    problems.push(`中断：${(err as Error).message}`);
    console.error(err);
  } finally {
    pg?.stop();
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  console.log('');
  console.log(problems.length ? `未通过：\n  ${problems.join('\n  ')}` : '通过：每个计时器只触发一次，每条消息只发一次，结果与单进程一致');
  console.log(`RESULT ${JSON.stringify({ harness: 'two-process', title: '多进程：WORKERS=2 与两个独立服务共用一个数据库，计时器到期', ok: problems.length === 0, counts, seconds })}`);
  process.exit(problems.length ? 1 : 0);
}

void main();
