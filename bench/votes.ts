/**
 * 专家投票: 25 experts submitting their ballots of 300 votes each at the same moment
 * (POST /api/expert/meetings/:id/ballot/submit, the votes sent with the submission), on a
 * PostgreSQL 15 of its own. Each submission stores its votes and the ballot's move to 已提交 in
 * one transaction and answers; the expert's 专家投票 task (one iteration of a parallel
 * multi-instance task of one meeting instance) is completed right after, outside the request.
 * Also printed: when the last task was completed and 计票 opened (from the first submission). Printed beside a baseline in the same process: the same 25 × 300 votes saved as drafts
 * (PUT …/ballot, no engine step) on a second meeting. Checks that every vote is stored once.
 *
 *   npx tsx bench/votes.ts [--experts 25] [--candidates 300]
 *
 * Target: p99 of a submission < 300 ms.
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { startTestApp, type TestApp } from '../tests/helpers/app.ts';
import { deployBallotRound, expertTokens, seedMeeting, startRound, type SeededMeeting } from '../tests/helpers/ballots.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const EXPERTS = arg('experts', 25);
const CANDIDATES = arg('candidates', 300);
const TARGET_P99_MS = 300;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

interface Run {
  wall: number;
  latencies: number[];
  failed: string[];
}

/** Every expert sends their whole ballot at once (or, `serial`, one after the other); each request timed from its own start. */
async function allAtOnce(t: TestApp, meeting: SeededMeeting, tokens: Map<number, string>, method: 'PUT' | 'POST', serial = false): Promise<Run> {
  const url = `/api/expert/meetings/${meeting.meetingId}/ballot${method === 'POST' ? '/submit' : ''}`;
  const choices = ['agree', 'disagree', 'abstain'] as const;
  const bodies = meeting.experts.map((e, i) => ({ token: tokens.get(e.expertId)!, votes: meeting.candidates.map((c, j) => ({ dossierId: c.dossierId, choice: choices[(i + j) % 3] })) }));
  const failed: string[] = [];
  const started = performance.now();
  const one = async (b: (typeof bodies)[number]) => {
    const t0 = performance.now();
    const res = await t.request(method, url, { token: b.token, body: { votes: b.votes } });
    if (res.statusCode !== 200) failed.push(`${res.statusCode} ${res.body.slice(0, 200)}`);
    return performance.now() - t0;
  };
  const latencies: number[] = [];
  if (serial) for (const b of bodies) latencies.push(await one(b));
  else latencies.push(...(await Promise.all(bodies.map(one))));
  return { wall: performance.now() - started, latencies: latencies.sort((a, b) => a - b), failed };
}

function line(label: string, r: Run, target?: number) {
  const p50 = quantile(r.latencies, 0.5);
  const p99 = quantile(r.latencies, 0.99);
  console.log(
    `  ${label.padEnd(26)} ${r.latencies.length} 份  全部完成 ${r.wall.toFixed(0)} ms  p50 ${p50.toFixed(0)} ms  p99 ${p99.toFixed(0)} ms  最大 ${r.latencies.at(-1)!.toFixed(0)} ms  失败 ${r.failed.length}` +
      (target ? `  目标 p99 < ${target} ms：${p99 < target ? '达标' : '未达标'}` : '') +
      (r.failed.length ? `  首个失败：${r.failed[0]}` : ''),
  );
}

async function main() {
  const cpus = os.cpus();
  console.log(`zcps 基准测试：${EXPERTS} 名专家同时提交表决票（每份 ${CANDIDATES} 票）`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  const pg = await startPostgres({ durable: true });
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_votes');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: pg.url.replace(/\/postgres$/, '/zcps_votes'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn' } });
    await deployBallotRound(t);
    console.log('准备两个会议、专家账号（登录并修改初始密码）和投票轮次（不计时）…');
    const baseline = await seedMeeting(database.knex, { experts: EXPERTS, candidates: CANDIDATES, name: '基线会议' });
    const measured = await seedMeeting(database.knex, { experts: EXPERTS, candidates: CANDIDATES, name: '测量会议' });
    const serialMeeting = await seedMeeting(database.knex, { experts: EXPERTS, candidates: CANDIDATES, name: '依次提交会议' });
    const baselineTokens = await expertTokens(t, 'cd_pw', baseline);
    const measuredTokens = await expertTokens(t, 'cd_pw', measured);
    const serialTokens = await expertTokens(t, 'cd_pw', serialMeeting);
    for (const m of [baseline, measured, serialMeeting]) await startRound(t, m);
    // the baseline runs first: it also warms the code paths both share
    const draft = await allAtOnce(t, baseline, baselineTokens, 'PUT');
    const instanceOf = async (m: SeededMeeting) => (await database.knex('review_meetings').where({ id: m.meetingId }).first()).instance_id as string;
    const measuredInstance = await instanceOf(measured);
    const tallyOpenAfter = (async () => {
      const t0 = performance.now();
      while (!(await database.knex('tasks').where({ root_instance_id: measuredInstance, form_key: 'meeting-tally', status: 'open' }).first())) {
        if (performance.now() - t0 > 60_000) return Number.NaN;
        await new Promise((r) => setTimeout(r, 5));
      }
      return performance.now() - t0;
    })();
    const submit = await allAtOnce(t, measured, measuredTokens, 'POST');
    const tallyAfter = await tallyOpenAfter;
    const serial = await allAtOnce(t, serialMeeting, serialTokens, 'POST', true);

    const stored = (await database.knex('meeting_votes as v').join('meeting_rounds as r', 'r.id', 'v.round_id').where('r.meeting_id', measured.meetingId).count<Array<{ n: string }>>({ n: '*' }))[0]!.n;
    const distinct = (await database
      .knex('meeting_votes as v')
      .join('meeting_rounds as r', 'r.id', 'v.round_id')
      .where('r.meeting_id', measured.meetingId)
      .countDistinct<Array<{ n: string }>>({ n: database.knex.raw('(v.expert_id, v.dossier_id)') }))[0]!.n;
    const submitted = await database.knex('meeting_ballots').where({ meeting_id: measured.meetingId, status: 'submitted' }).count<Array<{ n: string }>>({ n: '*' });
    const instanceId = (await database.knex('review_meetings').where({ id: measured.meetingId }).first()).instance_id as string;
    const tasks = await database.knex('tasks').where({ root_instance_id: instanceId, form_key: 'expert-ballot', status: 'completed' }).count<Array<{ n: string }>>({ n: '*' });
    const tallyOpen = await database.knex('tasks').where({ root_instance_id: instanceId, form_key: 'meeting-tally', status: 'open' }).count<Array<{ n: string }>>({ n: '*' });

    console.log('');
    console.log('结果');
    line('基线：保存草稿（无流程步骤）', draft);
    line('提交表决票（含流程步骤）', submit, TARGET_P99_MS);
    line('对照：依次提交（无排队）', serial);
    console.log(`  提交后 25 个专家投票任务全部完成、计票待办出现：${tallyAfter.toFixed(0)} ms（自第一份提交起）`);
    console.log(`  存储的表决 ${Number(stored)} 条，不重复 ${Number(distinct)} 条（应为 ${EXPERTS * CANDIDATES}）；已提交表决票 ${Number(submitted[0]!.n)} 份；完成的专家投票任务 ${Number(tasks[0]!.n)} 个；计票待办 ${Number(tallyOpen[0]!.n)} 个`);
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
