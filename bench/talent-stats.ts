/**
 * 专技人才统计 on 1,000,000 registered persons: the province's whole subtree, on a PostgreSQL 15 of
 * its own. A unit tree of the province (21 city bureaus × 10 departments × 10 employers under the
 * demo tree) holds the persons; 97 % of them are approved. Printed side by side, each the median
 * of several runs in the same process:
 *
 * - baseline: a plain `count(*)` of the approved registrations of the subtree (the rows the table
 *   is about);
 * - live aggregate: one statement, `count(*) filter (where …)` per column grouped by category,
 *   over the registrations of the subtree (the alternative not taken);
 * - summary (the one the API uses): the per-unit, per-category counters kept by the approval step,
 *   summed over the units of the subtree;
 * - the API: `GET /api/talent-stats` as the province's clerk, end to end;
 * - the 专技人才 list of the same subtree (`GET /api/talents?view=all`, first page of 50, its total
 *   capped at 10,000) and a name search by the start of the name (issue 21).
 *
 *   npx tsx bench/talent-stats.ts [--persons 1000000] [--runs 5] [--seal]
 *
 * `--seal` seals the generated ID numbers first (the server's sweep: SM4 seal and keyed hash, plain
 * column emptied), so the figures are those of the rows as production stores them.
 *
 * Target: the API under 1 s.
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { startTestApp } from '../tests/helpers/app.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { createTalentsRepository } from '../api/modules/talents/talents.repository.ts';
import { TALENT_CATEGORIES } from '../forms/talent.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const PERSONS = arg('persons', 1_000_000);
const RUNS = arg('runs', 5);
const SEAL = process.argv.includes('--seal');
const TARGET_MS = 1000;

async function timed(runs: number, work: () => Promise<unknown>): Promise<{ median: number; all: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    all.push(performance.now() - start);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, all };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  const cpus = os.cpus();
  console.log(`zcps 基准测试：专技人才统计（${PERSONS.toLocaleString('en')} 名专技人才，全省）`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  const pg = await startPostgres({ durable: true });
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_talents');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: pg.url.replace(/\/postgres$/, '/zcps_talents'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn' } });
    const knex = database.knex;
    const repo = createTalentsRepository(knex);

    console.log('准备单位树、人员账号和专技人才信息（不计时）…');
    const setupStart = performance.now();
    const province = await knex('units').where({ name: '四川省人力资源和社会保障厅' }).first('id', 'path');
    // 21 city bureaus, each with 10 departments, each with 10 employers
    await knex.raw(
      `insert into units (parent_id, name, unit_type, admin_level, path, status)
       select ?, '基准市人社局' || c, 'hr_bureau', 'city', ?, 'active' from generate_series(1, 21) c`,
      [province.id, province.path],
    );
    await knex.raw(`update units set path = path || id || '/' where name like '基准市人社局%'`);
    await knex.raw(
      `insert into units (parent_id, name, unit_type, admin_level, path, status)
       select c.id, c.name || '主管部门' || d, 'department', 'city', c.path, 'active' from units c, generate_series(1, 10) d where c.name like '基准市人社局%'`,
    );
    await knex.raw(`update units set path = path || id || '/' where name like '基准市人社局%主管部门%' and unit_type = 'department'`);
    await knex.raw(
      `insert into units (parent_id, name, unit_type, admin_level, path, status)
       select d.id, d.name || '单位' || e, 'employer', 'city', d.path, 'active' from units d, generate_series(1, 10) e where d.unit_type = 'department' and d.name like '基准市人社局%'`,
    );
    await knex.raw(`update units set path = path || id || '/' where unit_type = 'employer' and name like '基准市人社局%'`);
    const employers = (await knex('units').where('name', 'like', '基准市人社局%').andWhere({ unit_type: 'employer' }).select('id')).map((u) => Number(u.id));
    console.log(`  单位: ${employers.length} 个基准申报单位`);
    await knex.raw(
      `insert into users (username, password_hash, display_name, unit_id, roles, status)
       select 'bench_' || i, 'x', '人员' || i, (?::bigint[])[1 + i % ?], '{applicant}', 'active' from generate_series(1, ?) i`,
      [employers, employers.length, PERSONS],
    );
    const categories = Object.keys(TALENT_CATEGORIES);
    // attributes spread deterministically over the columns of the table
    await knex.raw(
      `insert into talents (user_id, unit_id, person_name, gender, birth_date, id_number, ethnicity, political_status, origin, education, category, title_kind, level, series, status)
       select u.id, u.unit_id, u.display_name,
              case when u.id % 2 = 0 then 'female' else 'male' end,
              date '1960-01-01' + (u.id % 12000)::int,
              'B' || u.id,
              case when u.id % 11 = 0 then '彝族' when u.id % 17 = 0 then '藏族' else '汉族' end,
              case when u.id % 3 = 0 then 'party_member' when u.id % 7 = 0 then 'probationary_member' else 'masses' end,
              case when u.id % 97 = 0 then 'hk_mo_tw' when u.id % 89 = 0 then 'foreign' else 'mainland' end,
              (array['doctorate','master','bachelor','associate','secondary','high_school'])[1 + u.id % 6],
              -- the employer is u.id mod 2100: another stride, so every employer has people of every category
              (?::text[])[1 + (u.id / 2100 + u.id) % ?],
              case when u.id % 10 < 7 then 'title' when u.id % 10 < 9 then 'certificate' else 'none' end,
              case when u.id % 10 < 7 then (array['senior_full','senior_deputy','intermediate','junior'])[1 + u.id % 4] end,
              case when u.id % 10 < 7 then 'engineering' end,
              case when u.id % 33 = 0 then 'reviewing' else 'approved' end
       from users u where u.username like 'bench_%'`,
      [categories, categories.length],
    );
    if (SEAL) {
      const sealStart = performance.now();
      const sealed = await t.app.sealer.sweep({ tables: ['talents'] });
      console.log(`  个人信息加密：${sealed.sealed.toLocaleString('en')} 行，用时 ${((performance.now() - sealStart) / 1000).toFixed(1)} s（不计入统计用时）`);
    }
    const rebuild = performance.now();
    await repo.rebuildSummary();
    const rebuildMs = performance.now() - rebuild;
    await knex.raw('analyze');
    const countOf = async (query: Promise<Array<Record<string, unknown>>>) => Number((await query)[0]?.n ?? 0);
    const n = await countOf(knex('talents').count({ n: '*' }));
    const a = await countOf(knex('talents').where({ status: 'approved' }).count({ n: '*' }));
    const s = await countOf(knex('talent_unit_stats').count({ n: '*' }));
    console.log(`  专技人才: ${n.toLocaleString('en')} 人（审核通过 ${a.toLocaleString('en')}），汇总行 ${s} 行；准备用时 ${((performance.now() - setupStart) / 1000).toFixed(1)} s，重建汇总 ${ms(rebuildMs)}`);

    const path = String(province.path);
    // the answer must be the same both ways before any timing means anything
    const sorted = (rows: Array<{ category: string }>) => JSON.stringify([...rows].sort((x, y) => x.category.localeCompare(y.category)));
    if (sorted(await repo.summaryUnder(path)) !== sorted(await repo.liveUnder(path))) throw new Error('汇总与实时聚合结果不一致');

    const baseline = await timed(RUNS, () => knex('talents as t').join('units as u', 'u.id', 't.unit_id').where('u.path', 'like', `${path}%`).where('t.status', 'approved').count({ n: '*' }));
    const live = await timed(RUNS, () => repo.liveUnder(path));
    const summary = await timed(RUNS, () => repo.summaryUnder(path));
    const api = await timed(RUNS, async () => {
      const res = await t.request('GET', '/api/talent-stats', { user: 'sc_hr' });
      if (res.statusCode !== 200) throw new Error(`GET /api/talent-stats: ${res.statusCode} ${res.body.slice(0, 200)}`);
      const total = (res.json() as { total: { total: number } }).total.total;
      if (total !== a) throw new Error(`统计合计 ${total} ≠ 审核通过 ${a}`);
    });
    const list = await timed(RUNS, async () => {
      const res = await t.request('GET', '/api/talents?view=all&limit=50', { user: 'sc_hr' });
      if (res.statusCode !== 200) throw new Error(`GET /api/talents: ${res.statusCode} ${res.body.slice(0, 200)}`);
    });
    const search = await timed(RUNS, async () => {
      const res = await t.request('GET', `/api/talents?view=all&limit=50&q=${encodeURIComponent('人员12345')}`, { user: 'sc_hr' });
      if (res.statusCode !== 200) throw new Error(`GET /api/talents?q=: ${res.statusCode} ${res.body.slice(0, 200)}`);
    });
    console.log('');
    console.log(`基线  count(*)（全省审核通过的专技人才）           中位数 ${ms(baseline.median)}  [${baseline.all.map(ms).join(', ')}]`);
    console.log(`实时聚合（count(*) filter … group by 类别）      中位数 ${ms(live.median)}  [${live.all.map(ms).join(', ')}]`);
    console.log(`单位汇总表（talent_unit_stats，按类别求和）      中位数 ${ms(summary.median)}  [${summary.all.map(ms).join(', ')}]`);
    console.log(`GET /api/talent-stats（省人社厅，端到端）          中位数 ${ms(api.median)}  [${api.all.map(ms).join(', ')}]`);
    console.log(`专技人才列表 第一页（全省子树，总数封顶 10000）    中位数 ${ms(list.median)}  [${list.all.map(ms).join(', ')}]`);
    console.log(`专技人才列表 按姓名开头查询                        中位数 ${ms(search.median)}  [${search.all.map(ms).join(', ')}]`);
    console.log('');
    console.log(api.median < TARGET_MS ? `通过：${ms(api.median)} < ${TARGET_MS} ms` : `未达标：${ms(api.median)} ≥ ${TARGET_MS} ms`);
    await t.close();
    await database.close();
    if (api.median >= TARGET_MS) process.exitCode = 1;
  } finally {
    pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
