/**
 * Benchmark of 专家抽选: one draw (开始抽选) from a committee pool of 5,000 in-pool active experts,
 * through the API (app.inject), on a PostgreSQL 15 of its own.
 *
 *   npx tsx bench/expert-draw.ts [--experts 5000] [--runs 10]
 *
 * The pool: five specialties of 正高级 experts, 20 % from outside the organiser's city, 1 % chairs;
 * three past years of meetings (100 confirmed experts each, some in all three years) so the
 * last-year-chair and three-consecutive-years reads have rows to find. Five draw groups cover the
 * whole pool, so the snapshot stored with every draw holds all 5,000 experts.
 *
 * Printed side by side, in the same process, each the median of `runs` after 2 warm-ups:
 *   - baseline: the pool query alone (the in-pool active experts of the committee);
 *   - the draw page (GET /api/meetings/:id/draw: groups with their matching counts);
 *   - the draw (POST /api/meetings/:id/draws: snapshot, rules, seeded shuffle, the stored row).
 * Target: the draw under 1 s.
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { buildApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { loadDemoData } from '../api/src/demo.ts';
import { createExpertDrawRepository } from '../api/modules/expert-draw/expert-draw.repository.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const EXPERTS = arg('experts', 5_000);
const RUNS = arg('runs', 10);
const TARGET_MS = 1_000;
const SPECIALTIES = ['机械工程', '电气工程', '建筑工程', '化学工程', '计算机应用'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function time(runs: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 2; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main() {
  const pg = await startPostgres({ durable: true });
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_draw');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: pg.url.replace(/\/postgres$/, '/zcps_draw'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    await loadDemoData(database.knex);
    const k = database.knex;
    const committee = await k('committees').first('id', 'organizer_unit_id');
    const now = new Date();
    const year = now.getFullYear();

    console.log(`生成专家库：${EXPERTS} 名在库活跃专家…`);
    await k.raw(
      `insert into experts (committee_id, name, id_number, sex, birth_month, employer, post, phone1, honours, specialty, current_title, is_chair, active, region_code, status, created_at, updated_at)
       select ?, '抽选专家' || g, 'B' || lpad(g::text, 17, '0'), 'male', '1970-01', '单位' || (g % 400), '无', '13800001234', '无',
              (?::text[])[1 + g % 5], '正高级工程师', g % 100 = 0, true, case when g % 5 = 0 then '510700' else '510100' end, 'in_pool', now(), now()
         from generate_series(1, ?) g`,
      [committee.id, SPECIALTIES, EXPERTS],
    );
    // three past years of meetings, 100 confirmed experts each; the first 40 attended all three
    for (const y of [year - 1, year - 2, year - 3]) {
      const [a] = await k('activities').insert({ name: `${y}年度`, year: y, committee_unit_id: committee.organizer_unit_id, committee_id: committee.id, status: 'published', kind: 'special', created_at: now, updated_at: now }).returning('id');
      const [m] = await k('review_meetings').insert({ activity_id: a.id, committee_id: committee.id, kind: 'normal', name: `${y}年度普通评审会议`, status: 'closed', created_at: now, updated_at: now }).returning('id');
      const offset = (year - y) * 60;
      await k.raw(
        `insert into meeting_experts (meeting_id, expert_id, role, attendance, is_executive_chair, updated_at)
         select ?, e.id, 'principal', 'confirmed', false, now()
           from (select id, row_number() over (order by id) as r from experts where committee_id = ? and name like '抽选专家%') e
          where e.r <= 40 or (e.r > 40 + ? and e.r <= 100 + ?)`,
        [m.id, committee.id, offset, offset],
      );
    }
    const [a] = await k('activities').insert({ name: `${year}年度抽选测试`, year, committee_unit_id: committee.organizer_unit_id, committee_id: committee.id, status: 'published', kind: 'special', created_at: now, updated_at: now }).returning('id');
    const [meeting] = await k('review_meetings').insert({ activity_id: a.id, committee_id: committee.id, kind: 'normal', name: '抽选基准会议', created_at: now, updated_at: now }).returning('id');
    await k('draw_groups').insert(SPECIALTIES.map((specialty, i) => ({ meeting_id: meeting.id, group_no: i + 1, specialty, level: 'senior_full', count: 5, created_at: now })));

    const config = loadConfig({ LOG_LEVEL: 'warn', JWT_SECRET: 'bench-secret-bench-secret-bench-secret', SCHEDULER: 'false', DEMO_DATA: 'false' });
    const app = await buildApp({ config, database });
    const clerk = await k('users').where({ username: 'cd_pw' }).first();
    const token = app.signToken({ userId: Number(clerk.id), username: clerk.username, passwordChangedAt: clerk.password_changed_at ?? null });
    const headers = { authorization: `Bearer ${token}` };
    const repo = createExpertDrawRepository(k);

    console.log(`计量：每项预热 2 次，计 ${RUNS} 次，取中位数（同一进程）`);
    const poolQuery = await time(RUNS, async () => {
      const rows = await repo.pool(Number(committee.id));
      if (rows.length < EXPERTS) throw new Error(`pool ${rows.length}`);
    });
    const page = await time(RUNS, async () => {
      const res = await app.inject({ method: 'GET', url: `/api/meetings/${meeting.id}/draw`, headers });
      if (res.statusCode !== 200) throw new Error(res.body);
    });
    const draws = await time(RUNS, async () => {
      const res = await app.inject({ method: 'POST', url: `/api/meetings/${meeting.id}/draws`, headers, payload: { multiplier: 2 } });
      if (res.statusCode !== 201) throw new Error(res.body);
    });
    const snapshot = await k('expert_draws').where({ meeting_id: meeting.id }).orderBy('id', 'desc').first(k.raw('jsonb_array_length(pool) as n'));
    const row = (label: string, xs: number[]) => console.log(`  ${label.padEnd(38)} 中位 ${median(xs).toFixed(1).padStart(7)} ms   最慢 ${Math.max(...xs).toFixed(1).padStart(7)} ms`);
    row('基线：专家库查询（在库活跃，5 个专业）', poolQuery);
    row('抽选页（抽选小组及符合条件人数）', page);
    row('开始抽选（快照、规则、洗牌、保存）', draws);
    console.log(`  每次抽选保存的专家库快照：${snapshot.n} 名`);
    const m = median(draws);
    console.log(`结果：抽选中位 ${m.toFixed(1)} ms，目标 < ${TARGET_MS} ms，${m < TARGET_MS ? '达标' : '未达标'}（基线的 ${(m / median(poolQuery)).toFixed(1)} 倍）`);
    await app.close();
    await database.close();
  } finally {
    pg.stop();
  }
}

await main();
