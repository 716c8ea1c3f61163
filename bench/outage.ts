/**
 * Database-outage harness: the API as a child process (bench/api-server.ts, sweeper every second)
 * on a PostgreSQL 15 of its own; concurrent clients drive dossiers over HTTP and timers of a
 * 2-second flow come due while PostgreSQL is restarted several times (pg_ctl stop -m fast, a pause,
 * start). Counted: requests answered during each outage (503 with Retry-After expected, never a
 * 500), the seconds from PostgreSQL's return to the API's first healthy answer, and afterwards —
 * with every dossier driven to 评委会接收 and every timer due — every acknowledged action present
 * exactly once, no case half-advanced, every due timer fired once, no incident left behind.
 *
 *   npx tsx bench/outage.ts [--quick] [--restarts 5] [--clients 8] [--down-ms 2000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { addApplicants, arg, cleanUpOnExit, Client, count5xx, driveDossier, flag, newLedger, prepareDatabase, reconcile, sleep, startApi, statusSummary, type ApiProcess, type DriveState, type Target } from './crash-kit.ts';

const quick = flag('quick');
const RESTARTS = arg('restarts', quick ? 2 : 5);
const CLIENTS = arg('clients', 8);
const DOWN_MS = arg('down-ms', 2_000);
const UP_MS = arg('up-ms', quick ? 3_000 : 5_000);

async function main() {
  const began = Date.now();
  if (process.env.ZCPS_BENCH_DATABASE_URL) {
    // the harness stops and starts its database: it needs one of its own
    console.log('数据库中断测试需要自己的 PostgreSQL（忽略 ZCPS_BENCH_DATABASE_URL）');
  }
  const pg = await startPostgres({ durable: true });
  let current: ApiProcess | null = null;
  cleanUpOnExit(() => {
    current?.child.kill('SIGKILL');
    pg.stop();
  });
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-outage-')), 'api.log');
  console.log(`数据库中断测试：重启 PostgreSQL ${RESTARTS} 次（每次停 ${DOWN_MS} ms），${CLIENTS} 个并发客户端；API 日志 ${logFile}`);
  const prepared = await prepareDatabase(pg.url, { passes: CLIENTS * 40 });
  const { knex } = prepared;
  const applicants = await addApplicants(knex, 'outage', CLIENTS * 10);
  const timerInstances: string[] = [];
  const ledger = newLedger();
  const state: DriveState = { stopped: false, passData: [...prepared.employerData], finished: new Set(), unknown: new Set() };
  const api = await startApi(pg.url, logFile);
  current = api;
  const target: Target = { base: api.base };
  const probe = new Client(target, newLedger());
  await probe.logIn(['kj_hr', 'cd_jxj', 'cd_hr', 'cd_pw', ...applicants.map((a) => a.username)]);

  // each client works through its applicants one dossier after another
  let nextApplicant = 0;
  const worker = async () => {
    while (!state.stopped && nextApplicant < applicants.length) {
      const applicant = applicants[nextApplicant++]!;
      await driveDossier(new Client(target, ledger), knex, applicant, state, 200);
    }
  };
  const workers = Array.from({ length: CLIENTS }, () => worker());

  const recoveries: number[] = [];
  let duringOutage = { requests: 0, answered503: 0, retryAfter: 0, other5xx: 0 };
  for (let r = 1; r <= RESTARTS; r++) {
    timerInstances.push(...(await prepared.startTimers(2)));
    await sleep(UP_MS);
    // timers that come due while the database is away
    timerInstances.push(...(await prepared.startTimers(2)));
    const before = { requests: ledger.answered + ledger.noAnswer, s503: ledger.statuses.get(503) ?? 0, retryAfter: ledger.retryAfter, other: count5xx(ledger) };
    pg.halt('fast');
    await sleep(DOWN_MS);
    const health = await probe.call('GET', '/api/health', null);
    pg.resume();
    duringOutage = {
      requests: duringOutage.requests + ledger.answered + ledger.noAnswer - before.requests,
      answered503: duringOutage.answered503 + (ledger.statuses.get(503) ?? 0) - before.s503,
      retryAfter: duringOutage.retryAfter + ledger.retryAfter - before.retryAfter,
      other5xx: duringOutage.other5xx + count5xx(ledger) - before.other,
    };
    const back = Date.now();
    for (;;) {
      const res = await probe.call('GET', '/api/health', null);
      if (res?.status === 200) break;
      if (Date.now() - back > 60_000) throw new Error('API did not recover within 60 s');
      await sleep(50);
    }
    recoveries.push((Date.now() - back) / 1000);
    console.log(`  第 ${r} 次重启：中断时 /api/health → ${health?.status ?? '无应答'}；数据库恢复后 ${recoveries.at(-1)!.toFixed(2)} s API 恢复`);
  }
  await sleep(UP_MS);
  state.stopped = true;
  await Promise.all(workers);

  // afterwards: every dossier driven to 评委会接收, every timer due
  state.stopped = false;
  await Promise.all(applicants.slice(0, nextApplicant).map((a) => driveDossier(new Client(target, ledger), knex, a, state)));
  for (let waited = 0; waited < 30_000; waited += 500) {
    const pending = await knex('timers').where({ status: 'pending' }).count<{ n: number }[]>({ n: '*' });
    if (Number(pending[0]?.n) === 0) break;
    await sleep(500);
  }
  api.child.kill('SIGTERM');
  await api.exited;
  const result = await reconcile(knex, ledger, timerInstances);
  await prepared.close();
  pg.stop();

  const errors500 = count5xx(ledger);
  const maxRecovery = Math.max(...recoveries);
  console.log(`请求 ${ledger.requests}（${statusSummary(ledger)}；无应答 ${ledger.noAnswer}）`);
  console.log(`中断期间：请求 ${duringOutage.requests}，503 ${duringOutage.answered503}（带 Retry-After ${duringOutage.retryAfter}），其他 5xx ${duringOutage.other5xx}`);
  console.log(`已确认：发起 ${result.acknowledgedStarts}，办理 ${result.acknowledgedCompletions}；丢失 ${result.lost}，重复 ${result.doubled}；半推进的实例 ${result.halfAdvanced}`);
  console.log(`申报 ${result.dossiers} 件，到达评委会接收 ${result.dossiersFinished} 件；定时器 ${result.timersDue} 个，未触发或重复 ${result.timersWrong}；未处理异常 ${result.incidentsOpen}`);
  console.log(`数据库恢复到 API 恢复：最长 ${maxRecovery.toFixed(2)} s`);
  if (state.unknown.size) console.log(`未驱动的环节：${[...state.unknown].join('、')}`);
  for (const line of ledger.unexpected) console.log(`  意外应答：${line}`);
  const ok =
    errors500 === 0 && duringOutage.answered503 > 0 && duringOutage.retryAfter === duringOutage.answered503 && (ledger.statuses.get(503) ?? 0) === ledger.retryAfter &&
    result.lost === 0 && result.doubled === 0 && result.halfAdvanced === 0 && result.timersWrong === 0 && result.incidentsOpen === 0 && result.dossiersFinished === result.dossiers;
  const counts = {
    restarts: RESTARTS,
    requestsDuringOutage: duringOutage.requests,
    answered503: ledger.statuses.get(503) ?? 0,
    answered503WithRetryAfter: ledger.retryAfter,
    errors500,
    acknowledgedStarts: result.acknowledgedStarts,
    acknowledgedCompletions: result.acknowledgedCompletions,
    lost: result.lost,
    doubled: result.doubled,
    halfAdvanced: result.halfAdvanced,
    timersDue: result.timersDue,
    timersWrong: result.timersWrong,
    incidentsOpen: result.incidentsOpen,
    secondsToRecoverMax: Number(maxRecovery.toFixed(2)),
  };
  console.log(`RESULT ${JSON.stringify({ harness: 'outage', title: '数据库中断与自动重连', ok, counts, seconds: Math.round((Date.now() - began) / 1000) })}`);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log(`RESULT ${JSON.stringify({ harness: 'outage', title: '数据库中断与自动重连', ok: false, counts: {}, seconds: 0 })}`);
  process.exit(1);
});
