/**
 * Race harness: on a PostgreSQL 15 of its own and the real app (app.inject), real dossiers of the
 * dossier-review flow —
 *   1. 1,000 pairs of simultaneous completions of the same task (主管部门审核, cd_jxj):
 *      exactly 1,000 × 200 and 1,000 × 409, and in the database each case completed the step once
 *      (one task row, one history event) and waits at exactly one next task;
 *   2. batches of 50 (人社部门审核, cd_hr) sent at the same moment as single completions of half
 *      their tasks: no task completed twice or lost;
 *   3. two 计票完成 of one round at once (20 rounds): one closes it, the other is refused;
 *   4. four overlapping 初定 certificate batches over the same persons at once, then two 发证 at
 *      once: one batch, each of its persons one certificate, nobody two.
 *
 *   npx tsx bench/race.ts [--quick] [--pairs 1000] [--concurrency 8]
 *
 * --quick: 40 pairs, 3 rounds, 20 persons. Last line: RESULT {...} (see docs/reliability.md).
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { startTestApp } from '../tests/helpers/app.ts';
import { batchesOverSingles, completePairs, createCases, doubleCertificateBatches, doubleTallyCloses, openTaskIds, stepFigures } from '../tests/helpers/race.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';

const QUICK = process.argv.includes('--quick');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const PAIRS = arg('pairs', QUICK ? 40 : 1_000);
const CONCURRENCY = arg('concurrency', 8);
const ROUNDS = arg('rounds', QUICK ? 3 : 20);
const PERSONS = arg('persons', QUICK ? 20 : 200);
const BATCH = 50;

/** A database of its own: the one given in ZCPS_BENCH_DATABASE_URL's server, or a PostgreSQL started here. */
async function database(name: string) {
  const external = process.env.ZCPS_BENCH_DATABASE_URL;
  const pg = external ? null : await startPostgres({ durable: true });
  const serverUrl = external ?? pg!.url;
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`drop database if exists ${name} with (force)`);
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const db = await openDatabase({ DATABASE_URL: u.toString(), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 20 });
  await migrateLatest(db.knex);
  return { db, stop: () => pg?.stop() };
}

async function main() {
  const started = performance.now();
  const cpus = os.cpus();
  console.log(`zcps 可靠性：并发竞争（${PAIRS} 对同时办理同一待办${QUICK ? '，快速版' : ''}）`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  const { db, stop } = await database('zcps_race');
  const problems: string[] = [];
  let counts: Record<string, number> = {};
  try {
    // the clerks' tokens are signed once and used for the whole run (longer than a short session)
    const t = await startTestApp(db, { demo: true, config: { LOG_LEVEL: 'warn', JWT_EXPIRES_IN: '12h' } });
    const knex = db.knex;
    console.log(`准备 ${PAIRS} 件申报，停在“主管部门审核”…`);
    const cases = await createCases(t, knex, 'race', PAIRS, {
      employer: 'pass',
      progress: (n) => {
        if (n % 100 === 0 || n === PAIRS) console.log(`  ${n} / ${PAIRS}`);
      },
    });

    console.log(`1. ${PAIRS} 对同时办理（每对两个请求同时发出，${CONCURRENCY} 对并行）…`);
    const pairs = await completePairs(t, 'cd_jxj', await openTaskIds(knex, cases, 'department_review'), CONCURRENCY);
    const steps = await stepFigures(knex, cases, 'department_review');
    console.log(`   成功 ${pairs.successes}，冲突 409 ${pairs.conflicts}，其他 ${pairs.others.length}；数据库：办理一次 ${steps.once}，两次以上 ${steps.twice}，未办理 ${steps.never}，恰有一个下一步待办 ${steps.oneOpenTask}`);
    if (pairs.successes !== PAIRS || pairs.conflicts !== PAIRS || pairs.others.length) problems.push(`同时办理：成功 ${pairs.successes}、冲突 ${pairs.conflicts}、其他 ${pairs.others.slice(0, 3).join(' | ')}`);
    if (steps.once !== PAIRS || steps.oneOpenTask !== PAIRS) problems.push(`同时办理后的数据库：${JSON.stringify(steps)}`);

    console.log(`2. 批量办理（每批 ${BATCH} 件）与同批一半待办的单件办理同时发出…`);
    const batches = await batchesOverSingles(t, 'cd_hr', await openTaskIds(knex, cases, 'bureau_review'), BATCH, 2);
    const afterBatch = await stepFigures(knex, cases, 'bureau_review');
    console.log(`   批量成功 ${batches.batchSucceeded}，单件成功 ${batches.singleSucceeded}，重复办理 ${batches.doubled}，遗漏 ${batches.lost}；数据库：办理一次 ${afterBatch.once}，两次以上 ${afterBatch.twice}`);
    if (batches.doubled || batches.lost || batches.others.length || batches.batchSucceeded + batches.singleSucceeded !== PAIRS) problems.push(`批量与单件：${JSON.stringify(batches).slice(0, 300)}`);
    if (afterBatch.once !== PAIRS || afterBatch.oneOpenTask !== PAIRS) problems.push(`批量后的数据库：${JSON.stringify(afterBatch)}`);

    console.log(`3. 同一轮投票同时两次“计票完成”（${ROUNDS} 轮）…`);
    const tally = await doubleTallyCloses(t, knex, ROUNDS);
    console.log(`   成功 ${tally.successes}，拒绝 ${tally.refusals}，只关闭一次的轮次 ${tally.closedOnce}`);
    if (tally.successes !== ROUNDS || tally.refusals !== ROUNDS || tally.closedOnce !== ROUNDS || tally.others.length) problems.push(`计票：${JSON.stringify(tally).slice(0, 300)}`);

    console.log(`4. 同一批 ${PERSONS} 名初定人员同时添加四个发证批次（两个全体、两个交叠的一半），再同时两次“发证”…`);
    const certs = await doubleCertificateBatches(t, knex, PERSONS);
    console.log(
      `   批次：创建 ${certs.batchesCreated}，拒绝 ${certs.batchRefusals}；发证：成功 ${certs.issueSuccesses}，拒绝 ${certs.issueRefusals}；` +
        `批次内 ${certs.inBatches} 人中一人一证 ${certs.oneCertificate}，一人多证 ${certs.doubleCertificate}`,
    );
    if (certs.batchesCreated !== 1 || certs.issueSuccesses !== 1 || certs.oneCertificate !== certs.inBatches || certs.doubleCertificate || certs.others.length) problems.push(`证书：${JSON.stringify(certs).slice(0, 300)}`);

    counts = {
      pairs: PAIRS,
      successes: pairs.successes,
      conflicts: pairs.conflicts,
      casesMovedOnce: steps.once,
      batchTasks: batches.tasks,
      batchDoubled: batches.doubled,
      batchLost: batches.lost,
      tallyRounds: ROUNDS,
      tallyCloses: tally.successes,
      tallyRefusals: tally.refusals,
      certificatePersons: certs.inBatches,
      certificatesOnePerPerson: certs.oneCertificate,
      certificatesDoubled: certs.doubleCertificate,
    };
    await t.close();
  } catch (err) {
    problems.push(`中断：${(err as Error).message}`);
    console.error(err);
  } finally {
    await db.close();
    stop();
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  console.log('');
  console.log(problems.length ? `未通过：\n  ${problems.join('\n  ')}` : '通过：没有重复的流转，也没有丢失的流转');
  console.log(`RESULT ${JSON.stringify({ harness: 'race', title: '并发竞争：同一待办同时办理、批量与单件交叠、计票与发证重复提交', ok: problems.length === 0, counts, seconds })}`);
  process.exit(problems.length ? 1 : 0);
}

void main();
