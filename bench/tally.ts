/**
 * 计票: a round of 300 candidates × 25 experts (7,500 votes, every ballot submitted) on a
 * PostgreSQL 15 of its own — the 计票 screen (GET /api/meetings/:id/tally: progress per expert,
 * results per candidate) and the `ballot.tally` step that closes the round (run in a transaction
 * that is rolled back, so each run tallies the same open round). Printed beside a baseline in the
 * same process: reading the round's 7,500 vote rows as they are stored.
 *
 *   npx tsx bench/tally.ts [--experts 25] [--candidates 300] [--runs 5]
 *
 * Target: < 1 s.
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { startTestApp } from '../tests/helpers/app.ts';
import { seedMeeting } from '../tests/helpers/ballots.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { createBallotsService } from '../api/modules/ballots/ballots.service.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const EXPERTS = arg('experts', 25);
const CANDIDATES = arg('candidates', 300);
const RUNS = arg('runs', 5);
const TARGET_MS = 1_000;

class Rollback extends Error {}

async function timed(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

function line(label: string, ms: number[], target?: number) {
  const median = ms[Math.floor(ms.length / 2)]!;
  const max = ms.at(-1)!;
  console.log(`  ${label.padEnd(30)} 中位 ${median.toFixed(0)} ms  最大 ${max.toFixed(0)} ms（${ms.length} 次）` + (target ? `  目标 < ${target} ms：${max < target ? '达标' : '未达标'}` : ''));
}

async function main() {
  const cpus = os.cpus();
  console.log(`zcps 基准测试：计票（${CANDIDATES} 名参评人员 × ${EXPERTS} 名专家）`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  const pg = await startPostgres({ durable: true });
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_tally');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: pg.url.replace(/\/postgres$/, '/zcps_tally'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn' } });
    const knex = database.knex;
    console.log('准备会议、表决票和表决（不计时）…');
    const meeting = await seedMeeting(knex, { experts: EXPERTS, candidates: CANDIDATES, name: '计票基准会议' });
    const at = new Date();
    const [round] = await knex('meeting_rounds').insert({ meeting_id: meeting.meetingId, kind: 'plenary', method: 'vote', status: 'voting', confirmed_count: EXPERTS, opened_at: at }).returning('id');
    const roundId = Number(round.id);
    await knex('meeting_ballots').insert(meeting.experts.map((e) => ({ round_id: roundId, meeting_id: meeting.meetingId, expert_id: e.expertId, status: 'submitted', submitted_at: at, updated_at: at })));
    // a mix that passes some candidates and fails others
    const choiceOf = (i: number, j: number) => (((i + 1) * (j + 3)) % 10 < 7 ? 'agree' : (i + j) % 2 ? 'disagree' : 'abstain');
    const votes = meeting.experts.flatMap((e, i) => meeting.candidates.map((c, j) => ({ round_id: roundId, expert_id: e.expertId, dossier_id: c.dossierId, choice: choiceOf(i, j), updated_at: at })));
    for (let i = 0; i < votes.length; i += 1000) await knex('meeting_votes').insert(votes.slice(i, i + 1000));
    await knex.raw('analyze');

    const service = createBallotsService(knex, t.app.engine, t.app.pii);
    const token = await t.token('cd_pw');
    const baseline = await timed(RUNS, () => knex('meeting_votes').where({ round_id: roundId }).select('*'));
    const screen = await timed(RUNS, async () => {
      const res = await t.request('GET', `/api/meetings/${meeting.meetingId}/tally`, { token });
      if (res.statusCode !== 200) throw new Error(`tally screen: ${res.statusCode} ${res.body.slice(0, 200)}`);
    });
    let answer: Record<string, unknown> = {};
    const step = await timed(RUNS, () =>
      knex
        .transaction(async (trx) => {
          answer = ((await service.handlers['ballot.tally']({ trx, instanceId: '', rootInstanceId: '', processKey: 'bench', businessKey: null, elementId: 'tally', variables: {}, input: { meetingId: meeting.meetingId }, clock: t.clock })) ?? {}) as Record<string, unknown>;
          throw new Rollback();
        })
        .catch((err: unknown) => {
          if (!(err instanceof Rollback)) throw err;
        }),
    );

    console.log('');
    console.log('结果');
    line(`基线：读取 ${votes.length} 条表决`, baseline);
    line('计票页面（GET …/tally）', screen, TARGET_MS);
    line('计票完成（ballot.tally，回滚）', step, TARGET_MS);
    const results = (answer.results as Array<{ passed: boolean }> | undefined) ?? [];
    console.log(`  本轮有效：${String(answer.roundValid)}；结果 ${results.length} 人，通过 ${results.filter((r) => r.passed).length} 人`);
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
