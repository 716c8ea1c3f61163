/**
 * Crash harness: the API as a child process (bench/api-server.ts, sweeper every second) on a
 * PostgreSQL 15 of its own; concurrent clients drive dossiers (submit, the employer's and the
 * chain's returns and passes, 评委会接收) over HTTP while timers of a 2-second flow come due; the
 * API is killed with SIGKILL at a random moment of each round and started again. At the end one
 * last run drives every dossier to 评委会接收 and lets every timer come due, then every
 * acknowledged action is reconciled against the database: each present exactly once, no case
 * half-advanced, every due timer fired exactly once (its next task created once), no incident.
 *
 *   npx tsx bench/crash.ts [--quick] [--rounds 100] [--clients 4] [--applicants-per-round 2]
 *
 * Certificates are not driven here (the certificate batch needs the whole second half of the
 * demo); the certificate batch's own exactly-once guard is measured by bench/race.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { addApplicants, arg, cleanUpOnExit, Client, count5xx, driveDossier, flag, newLedger, prepareDatabase, reconcile, sleep, startApi, statusSummary, type ApiProcess, type DriveState, type Target } from './crash-kit.ts';

const quick = flag('quick');
const ROUNDS = arg('rounds', quick ? 5 : 100);
const CLIENTS = arg('clients', 4);
const NEW_PER_ROUND = arg('applicants-per-round', 2);
const TIMERS_PER_ROUND = arg('timers-per-round', 2);

async function main() {
  const began = Date.now();
  const external = process.env.ZCPS_BENCH_DATABASE_URL;
  const pg = external ? null : await startPostgres({ durable: true });
  const url = external ?? pg!.url;
  let current: ApiProcess | null = null;
  cleanUpOnExit(() => {
    current?.child.kill('SIGKILL');
    pg?.stop();
  });
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-crash-')), 'api.log');
  console.log(`崩溃测试：${ROUNDS} 轮 kill -9，${CLIENTS} 个并发客户端；API 日志 ${logFile}`);
  const applicantsTotal = ROUNDS * NEW_PER_ROUND + CLIENTS;
  const prepared = await prepareDatabase(url, { passes: applicantsTotal * 4 });
  const { knex } = prepared;
  const applicants = await addApplicants(knex, 'crash', applicantsTotal);
  const ledger = newLedger();
  const state: DriveState = { stopped: false, passData: [...prepared.employerData], finished: new Set(), unknown: new Set() };
  const timerInstances: string[] = [];
  const startups: number[] = [];
  const target: Target = { base: '' };
  let active = applicants.slice(0, CLIENTS);
  let next = CLIENTS;
  let killedMidRequest = 0;

  const runClients = (list: typeof applicants) => list.map((a) => driveDossier(new Client(target, ledger), knex, a, state));

  // log everyone in once (tokens outlive the process); a cold API under load answers logins slowly
  {
    const api = await startApi(url, logFile);
    current = api;
    startups.push(api.startupMs);
    target.base = api.base;
    await new Client(target, ledger).logIn(['kj_hr', 'cd_jxj', 'cd_hr', 'cd_pw', ...applicants.map((a) => a.username)]);
    api.child.kill('SIGKILL');
    await api.exited;
    console.log(`  已登录 ${applicants.length + 4} 个账号（首次启动 ${api.startupMs} ms）`);
  }

  for (let round = 1; round <= ROUNDS; round++) {
    const api = await startApi(url, logFile);
    current = api;
    startups.push(api.startupMs);
    target.base = api.base;
    state.stopped = false;
    timerInstances.push(...(await prepared.startTimers(TIMERS_PER_ROUND)));
    // the dossiers still under way, and new applicants
    active = [...active.filter((a) => !state.finished.has(a.username)), ...applicants.slice(next, next + NEW_PER_ROUND)];
    next += NEW_PER_ROUND;
    const clients = runClients(active.slice(0, CLIENTS * 3));
    // a random moment once the clients are being answered: they and the sweeper are in the middle of something
    const answered = ledger.answered;
    for (let waited = 0; ledger.answered === answered && waited < 15_000; waited += 50) await sleep(50);
    await sleep(300 + Math.random() * 2_700);
    const inFlight = ledger.inFlight;
    api.child.kill('SIGKILL');
    await api.exited;
    if (inFlight > 0) killedMidRequest++;
    state.stopped = true;
    await Promise.all(clients);
    if (round % 10 === 0 || quick) console.log(`  第 ${round} 轮：启动 ${api.startupMs} ms，已确认 ${ledger.starts.size} 次发起、${ledger.completions.size} 次办理`);
  }

  // the last run: no kill; every dossier to 评委会接收, every timer due
  const api = await startApi(url, logFile);
  current = api;
  startups.push(api.startupMs);
  target.base = api.base;
  state.stopped = false;
  const all = applicants.slice(0, next);
  await Promise.all(all.map((a) => driveDossier(new Client(target, ledger), knex, a, state)));
  for (let waited = 0; waited < 30_000; waited += 500) {
    const late = await knex('timers').where({ status: 'pending' }).where('due_at', '<', knex.raw("now() - interval '3 seconds'")).count<{ n: number }[]>({ n: '*' });
    const pending = await knex('timers').where({ status: 'pending' }).count<{ n: number }[]>({ n: '*' });
    if (Number(late[0]?.n) === 0 && Number(pending[0]?.n) === 0) break;
    await sleep(500);
  }
  api.child.kill('SIGTERM');
  await api.exited;

  const result = await reconcile(knex, ledger, timerInstances);
  await prepared.close();
  pg?.stop();

  const sorted = [...startups].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const errors500 = count5xx(ledger);
  console.log(`请求 ${ledger.requests}（${statusSummary(ledger)}；无应答 ${ledger.noAnswer}）`);
  console.log(`已确认：发起 ${result.acknowledgedStarts}，办理 ${result.acknowledgedCompletions}；丢失 ${result.lost}，重复 ${result.doubled}`);
  console.log(`申报 ${result.dossiers} 件，到达评委会接收 ${result.dossiersFinished} 件；半推进的实例 ${result.halfAdvanced}`);
  console.log(`定时器 ${result.timersDue} 个，未触发或重复 ${result.timersWrong}；未处理异常 ${result.incidentsOpen}；5xx（503 除外）${errors500}`);
  console.log(`API 启动（到 /api/health 200）：中位 ${median} ms，最慢 ${sorted.at(-1) ?? 0} ms`);
  if (state.unknown.size) console.log(`未驱动的环节：${[...state.unknown].join('、')}`);
  for (const line of ledger.unexpected) console.log(`  意外应答：${line}`);
  const ok =
    result.lost === 0 && result.doubled === 0 && result.halfAdvanced === 0 && result.timersWrong === 0 && result.incidentsOpen === 0 && errors500 === 0 &&
    result.dossiersFinished === result.dossiers && result.acknowledgedCompletions > 0;
  const counts = {
    rounds: ROUNDS,
    kills: ROUNDS,
    killsWithRequestsInFlight: killedMidRequest,
    acknowledgedStarts: result.acknowledgedStarts,
    acknowledgedCompletions: result.acknowledgedCompletions,
    lost: result.lost,
    doubled: result.doubled,
    halfAdvanced: result.halfAdvanced,
    dossiers: result.dossiers,
    dossiersFinished: result.dossiersFinished,
    timersDue: result.timersDue,
    timersWrong: result.timersWrong,
    incidentsOpen: result.incidentsOpen,
    errors500,
    startupMsMedian: median,
  };
  console.log(`RESULT ${JSON.stringify({ harness: 'crash', title: '崩溃恢复（kill -9）', ok, counts, seconds: Math.round((Date.now() - began) / 1000) })}`);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log(`RESULT ${JSON.stringify({ harness: 'crash', title: '崩溃恢复（kill -9）', ok: false, counts: {}, seconds: 0 })}`);
  process.exit(1);
});
