/**
 * A meeting's lists at 3,000 candidates (issue 21): the 评审会议 page (GET /api/meetings/:id: its
 * counts, experts and panels; GET …/candidates: a page of candidates), the 计票 screen (GET
 * /api/meetings/:id/tally: 25 experts' progress over 75,000 votes; GET …/results: a page of results) and 评审结果公示 (GET /api/meetings/:id/publicity: the notice and its ≈ 2,100 passed
 * names), timed through the API (app.inject, sequential requests) on a PostgreSQL 15 of its own.
 * Also 评审会议准备 (a page of its candidates) and 评审结果确认 with ≈ 2,100 handed over (the
 * organiser's first page; the confirming unit's meetings, first and last page).
 * Printed as p50 / p95 beside a baseline in the same process (`select 1` on the same pool) and
 * the organiser's inbox, first page; with --explain also EXPLAIN ANALYZE of every statement one
 * request of each list runs (the least load-sensitive figure on a shared machine).
 *
 *   npx tsx bench/meeting-scale.ts [--candidates 3000] [--experts 25] [--requests 50] [--explain] [--tally-index]
 *
 * A meeting of 3,000 is the largest the committees hold (a province's 中级 of one series). The
 * screens page their candidates (评审会议详情 carries the counts, 参评人员 and 计票结果 a page of
 * 50 at a time, first and last page timed); the target is 50 ms p95 for each request a screen makes.
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { startTestApp, type TestApp } from '../tests/helpers/app.ts';
import { seedMeeting } from '../tests/helpers/ballots.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const CANDIDATES = arg('candidates', 3_000);
const EXPERTS = arg('experts', 25);
const REQUESTS = arg('requests', 50);
const EXPLAIN = process.argv.includes('--explain');
const TARGET_MS = 50;
const WARMUP = 5;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function sample(work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const t0 = performance.now();
    await work();
    if (i >= WARMUP) ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

/** EXPLAIN ANALYZE of the statements one request runs (knex reports them as they are sent). */
async function explain(t: TestApp, knex: knexFactory.Knex, token: string, url: string) {
  const statements: Array<{ sql: string; bindings: unknown[] }> = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => {
    if (/^\s*select/i.test(q.sql)) statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  knex.on('query', listen);
  await t.request('GET', url, { token });
  knex.off('query', listen);
  let total = 0;
  for (const s of statements) {
    const plan = (await knex.raw(`explain (analyze) ${s.sql.replace(/\$\d+/g, '?')}`, s.bindings as knexFactory.Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
    const line = plan.rows.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time'));
    const ms = Number(line?.match(/([\d.]+) ms/)?.[1] ?? 0);
    total += ms;
    if (ms >= 1) console.log(`      ${ms.toFixed(2).padStart(8)} ms  ${s.sql.replace(/\s+/g, ' ').slice(0, 110)}`);
  }
  console.log(`      共 ${statements.length} 条语句，执行时间合计 ${total.toFixed(2)} ms`);
}

async function main() {
  const started = performance.now();
  console.log(`zcps 基准测试：评审会议的列表（${CANDIDATES} 名参评人员 × ${EXPERTS} 名专家）`);
  console.log(`机器: ${os.cpus().length} 核 ${os.cpus()[0]?.model ?? ''}，Node ${process.version}，负载 ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const pg = await startPostgres({ durable: true });
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_meeting_scale');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: pg.url.replace(/\/postgres$/, '/zcps_meeting_scale'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn' } });
    const knex = database.knex;
    console.log('准备会议、表决和公示（不计时）…');
    const t0 = performance.now();
    const meeting = await seedMeeting(knex, { experts: EXPERTS, candidates: CANDIDATES, panels: 6, name: '规模评审会议' });
    const at = new Date();
    const [round] = await knex('meeting_rounds').insert({ meeting_id: meeting.meetingId, kind: 'plenary', method: 'vote', status: 'voting', confirmed_count: EXPERTS, opened_at: at }).returning('id');
    const roundId = Number(round.id);
    await knex('meeting_ballots').insert(meeting.experts.map((e) => ({ round_id: roundId, meeting_id: meeting.meetingId, expert_id: e.expertId, status: 'submitted', submitted_at: at, updated_at: at })));
    const choiceOf = (i: number, j: number) => (((i + 1) * (j + 3)) % 10 < 7 ? 'agree' : (i + j) % 2 ? 'disagree' : 'abstain');
    const votes = meeting.experts.flatMap((e, i) => meeting.candidates.map((c, j) => ({ round_id: roundId, expert_id: e.expertId, dossier_id: c.dossierId, choice: choiceOf(i, j), updated_at: at })));
    for (let i = 0; i < votes.length; i += 2000) await knex('meeting_votes').insert(votes.slice(i, i + 2000));
    // a main and two assistant reviewers per candidate (主审 / 副审), as 分配 leaves them
    const assignments = meeting.candidates.flatMap((c, j) =>
      [0, 1, 2].map((r) => ({ meeting_id: meeting.meetingId, dossier_id: c.dossierId, expert_id: meeting.experts[(j + r) % meeting.experts.length]!.expertId, role: r === 0 ? 'main' : 'assistant' })),
    );
    for (let i = 0; i < assignments.length; i += 2000) await knex('meeting_assignments').insert(assignments.slice(i, i + 2000));
    // the round counted (计票完成): the screen shows every candidate's result; 70 % passed, a few
    // withdrawn since: what the notice lists
    await knex('meeting_rounds').where({ id: roundId }).update({ status: 'closed', valid: true, closed_at: at });
    await knex.raw("update meeting_candidates set status = case when order_no % 10 < 7 then 'passed' when order_no % 50 = 7 then 'withdrawn' else 'failed' end where meeting_id = ?", [meeting.meetingId]);
    // 评审结果确认 started: each passed candidate waits at its confirming unit (the committee's 授权管理单位)
    await knex.raw(
      "insert into result_confirmations (meeting_id, dossier_id, unit_id, state, created_at) select mc.meeting_id, mc.dossier_id, ?, 'confirming', now() from meeting_candidates mc where mc.meeting_id = ? and mc.status = 'passed'",
      [meeting.organizerUnitId, meeting.meetingId],
    );
    // … and their 发证信息 handed to the issuer (评审发证 → 待处理)
    await knex.raw(
      "insert into certificate_handovers (meeting_id, dossier_id, document_no, approval_date, handed_at) select meeting_id, dossier_id, '川人社职〔2026〕9号', '2026-08-01', now() from result_confirmations where meeting_id = ?",
      [meeting.meetingId],
    );
    await knex('publicity_notices').insert({
      meeting_id: meeting.meetingId, activity_id: meeting.activityId, committee_id: meeting.committeeId, status: 'published', title: '规模评审会议评审结果公示',
      period_start: '2026-06-10', period_end: '2026-06-16', published_at: at, created_at: at, updated_at: at,
    });
    await knex.raw('analyze');
    console.log(`  准备 ${((performance.now() - t0) / 1000).toFixed(1)} s：${CANDIDATES} 名参评人员，${votes.length} 条表决`);

    const token = await t.token('cd_pw');
    const last = Math.ceil(CANDIDATES / 50);
    // the counted round lists who it voted on (not the withdrawn): its own last page
    const firstResults = await t.request('GET', `/api/meetings/${meeting.meetingId}/tally/rounds/${roundId}/results?pageSize=1`, { token });
    const lastResults = Math.ceil((firstResults.json() as { total: number }).total / 50);
    const shapes = [
      { label: '收件箱 第一页（参照）', url: '/api/tasks?range=[0,24]&sort=["createdAt","ASC"]' },
      { label: '评审会议详情（统计、专家）', url: `/api/meetings/${meeting.meetingId}` },
      { label: '参评人员 第一页（50）', url: `/api/meetings/${meeting.meetingId}/candidates?page=1&pageSize=50` },
      { label: `参评人员 末页（第 ${last} 页）`, url: `/api/meetings/${meeting.meetingId}/candidates?page=${last}&pageSize=50` },
      { label: '参评人员 未分配主审', url: `/api/meetings/${meeting.meetingId}/candidates?assigned=false` },
      { label: '计票页面（各轮进度）', url: `/api/meetings/${meeting.meetingId}/tally` },
      { label: '计票结果 第一页（50）', url: `/api/meetings/${meeting.meetingId}/tally/rounds/${roundId}/results?page=1&pageSize=50` },
      { label: `计票结果 末页（第 ${lastResults} 页）`, url: `/api/meetings/${meeting.meetingId}/tally/rounds/${roundId}/results?page=${lastResults}&pageSize=50` },
      { label: '评审结果公示（公示名单）', url: `/api/meetings/${meeting.meetingId}/publicity` },
      { label: '评审发证 待处理', url: '/api/certificate-issuance/review/pending', user: 'cd_hr' },
      { label: '评审会议准备（参评人员）', url: `/api/meetings/${meeting.meetingId}/preparation` },
      { label: '评审结果确认（评委会，第一页）', url: `/api/meetings/${meeting.meetingId}/confirmation` },
      { label: '评审结果确认（确认单位，会议）', url: '/api/result-confirmations?kind=direct', user: 'cd_hr' },
      { label: '评审结果确认（确认单位，第一页）', url: `/api/result-confirmations/${meeting.meetingId}/candidates?kind=direct`, user: 'cd_hr' },
      { label: '评审结果确认（确认单位，末页）', url: `/api/result-confirmations/${meeting.meetingId}/candidates?kind=direct&page=${Math.ceil((CANDIDATES * 0.7) / 50)}`, user: 'cd_hr' },
    ];
    console.log(`计量（app.inject，顺序请求，每种 ${REQUESTS} 次，前 ${WARMUP} 次预热不计）…`);
    const baseline = await sample(() => knex.raw('select 1'));
    console.log(`  ${'基线：select 1（同一连接池）'.padEnd(24)} p50 ${baseline.p50.toFixed(1).padStart(7)} ms  p95 ${baseline.p95.toFixed(1).padStart(7)} ms`);
    const results: Array<{ label: string; p95: number }> = [];
    const tokens = new Map([['cd_pw', token]]);
    const tokenOf = async (user = 'cd_pw') => tokens.get(user) ?? tokens.set(user, await t.token(user)).get(user)!;
    for (const shape of shapes as Array<{ label: string; url: string; user?: string }>) {
      const token = await tokenOf(shape.user);
      const first = await t.request('GET', shape.url, { token });
      if (first.statusCode !== 200) throw new Error(`${shape.label}: ${first.statusCode} ${first.body.slice(0, 300)}`);
      const r = await sample(() => t.request('GET', shape.url, { token }));
      console.log(`  ${shape.label.padEnd(24)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms  ${(first.body.length / 1024).toFixed(0)} KB`);
      results.push({ label: shape.label, p95: r.p95 });
      if (EXPLAIN) await explain(t, knex, token, shape.url);
    }
    // the alternative weighed for 计票: a covering index in the per-candidate order (docs/performance.md)
    if (process.argv.includes('--tally-index')) {
      await knex.raw('create index bench_votes_tally_idx on meeting_votes (round_id, expert_id) include (choice, score)');
      await knex.raw('vacuum analyze meeting_votes');
      const url = `/api/meetings/${meeting.meetingId}/tally`;
      const r = await sample(() => t.request('GET', url, { token }));
      console.log(`  ${'计票页面（覆盖索引，试验）'.padEnd(24)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms`);
      if (EXPLAIN) await explain(t, knex, token, url);
    }
    const inbox = results[0]!;
    const lists = results.slice(1);
    console.log('');
    console.log(`相对收件箱第一页（p95 ${inbox.p95.toFixed(1)} ms）的 p95 倍数：`);
    for (const r of lists) console.log(`  ${r.label.padEnd(24)} ×${(r.p95 / inbox.p95).toFixed(2)}`);
    const missed = lists.filter((r) => r.p95 >= TARGET_MS);
    console.log(`结果：目标 p95 < ${TARGET_MS} ms，${missed.length ? `未达标 ${missed.length} 项：${missed.map((m) => m.label).join('、')}` : '全部达标'}`);
    console.log(`RESULT ${JSON.stringify({ harness: 'meeting-scale', title: '评审会议的列表（3,000 名参评人员）', ok: missed.length === 0, counts: { candidates: CANDIDATES, votes: votes.length, lists: lists.length, met: lists.length - missed.length }, seconds: Math.round((performance.now() - started) / 1000) })}`);
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
