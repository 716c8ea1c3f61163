/**
 * CPU per task completion of the proving flow, in one process, one request at a time.
 *
 *   npx tsx bench/completion-cpu.ts [--dossiers 60] [--trials 7]
 *
 * The load benchmark (proving-flow.ts) is the figure that counts, but on a shared 2-core
 * machine its numbers move by ±30 % with whatever else runs. This one drives the same dossiers
 * (start + submit + four reviews) through the Fastify app with app.inject — routing, JWT, the
 * principal, zod, the engine, knex and PostgreSQL, but no sockets on the HTTP side — and
 * reports the API process' CPU per completion (start amortised, as in proving-flow.ts) and
 * PostgreSQL's, as the minimum and median over several trials. The minimum is what the code
 * costs when nothing else competes; compare it between two versions of the code.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { VALID_DOSSIER as DOSSIER } from '../tests/helpers/app.ts';
import { seedEmployerFiles } from './employer-files.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { buildApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { loadDemoData } from '../api/src/demo.ts';
import { cpuSnapshot, postmasterPid } from './cpu.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const DOSSIERS = arg('dossiers', 60);
const TRIALS = arg('trials', 7);
const WARMUP = arg('warmup', 40);

async function main() {
  const pg = await startPostgres({ durable: true, maxConnections: 100 });
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_cpu');
    await admin.destroy();
    const url = pg.url.replace(/\/postgres$/, '/zcps_cpu');
    const database = await openDatabase({ DATABASE_URL: url, DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const config = loadConfig({ LOG_LEVEL: 'warn', JWT_SECRET: 'bench-secret-bench-secret-bench-secret', SCHEDULER: 'false', DEMO_DATA: 'false' });
    const app = await buildApp({ config, database });
    await app.engine.deployDirectory(path.join(root, 'processes'));
    await loadDemoData(database.knex);
    const employer = await database.knex('units').where({ unit_type: 'employer' }).first();
    const hash = (await database.knex('users').where({ username: 'zhangwei' }).first()).password_hash;
    const applicants = WARMUP + DOSSIERS * TRIALS;
    const rows = Array.from({ length: applicants }, (_, i) => ({
      username: `cpu${i}`,
      password_hash: hash,
      display_name: `申报人${i}`,
      unit_id: employer.id,
      roles: ['applicant'],
    }));
    for (let i = 0; i < rows.length; i += 1000) await database.knex('users').insert(rows.slice(i, i + 1000));
    const users = await database.knex('users').select('id', 'username');
    const tokens = new Map<string, string>();
    for (const u of users) tokens.set(u.username, app.signToken({ userId: Number(u.id), username: u.username, passwordChangedAt: null }));
    const activityId = Number((await database.knex('activities').first()).id);
    const reviewers = ['kj_hr', 'cd_jxj', 'cd_hr', 'cd_pw'];
    const employerFiles = await seedEmployerFiles(database.knex, 'kj_hr', applicants);

    let next = 0;
    async function dossier(): Promise<number> {
      const index = next++;
      const applicant = `cpu${index}`;
      const post = (url: string, user: string, payload: unknown) =>
        app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tokens.get(user)}` }, payload: payload as Record<string, unknown> });
      const start = await post('/api/process-instances', applicant, { processKey: 'dossier-review', variables: { activityId } });
      if (start.statusCode !== 201) throw new Error(`start: ${start.statusCode} ${start.body}`);
      let taskId = start.json().tasks[0]?.id as string | undefined;
      // the employer passes with its 公示 proof and recommendation
      const files = employerFiles[index];
      const steps: Array<[string, unknown]> = [[applicant, { action: 'submit', data: DOSSIER }], ...reviewers.map((r, i): [string, unknown] => [r, { action: 'pass', opinion: '同意', ...(i === 0 ? { data: files } : {}) }])];
      let done = 0;
      for (const [user, body] of steps) {
        if (!taskId) throw new Error('no next task');
        const res = await post(`/api/tasks/${taskId}/complete`, user, body);
        if (res.statusCode !== 200) throw new Error(`complete: ${res.statusCode} ${res.body}`);
        done++;
        taskId = res.json().nextTasks[0]?.id;
      }
      return done;
    }

    const postmaster = postmasterPid(pg.dataDir);
    for (let i = 0; i < WARMUP; i++) await dossier();
    // PG_STAT_STATEMENTS=1: count the statements the measured completions send
    if (process.env.PG_STAT_STATEMENTS) {
      await database.knex.raw('create extension if not exists pg_stat_statements');
      await database.knex.raw('select pg_stat_statements_reset()');
    }
    const api: number[] = [];
    const postgres: number[] = [];
    const wall: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const cpu0 = process.cpuUsage();
      const pg0 = cpuSnapshot(postmaster).postgres;
      const t0 = performance.now();
      let completions = 0;
      for (let i = 0; i < DOSSIERS; i++) completions += await dossier();
      const cpu = process.cpuUsage(cpu0);
      api.push((cpu.user + cpu.system) / 1000 / completions);
      postgres.push(((cpuSnapshot(postmaster).postgres - pg0) * 1000) / completions);
      wall.push((performance.now() - t0) / completions);
    }
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `min ${s[0]?.toFixed(2)} ms, median ${s[Math.floor(s.length / 2)]?.toFixed(2)} ms`;
    };
    console.log(`${TRIALS} trials × ${DOSSIERS} dossiers (start + 5 completions each), one request at a time`);
    console.log(`  API CPU per completion         ${stats(api)}`);
    console.log(`  PostgreSQL CPU per completion  ${stats(postgres)}`);
    console.log(`  wall time per completion       ${stats(wall)}`);
    console.log(`  engine`, JSON.stringify(app.engine.stats));
    if (process.env.PG_STAT_STATEMENTS) {
      const completions = TRIALS * DOSSIERS * 5;
      const top = await database.knex.raw(
        `select calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) as q from pg_stat_statements
          where query not like '%pg_stat_statements%' order by calls desc`,
      );
      const rows = top.rows as Array<{ calls: string; q: string }>;
      const total = rows.reduce((n, r) => n + Number(r.calls), 0);
      console.log(`  statements per completion      ${(total / completions).toFixed(2)} (start amortised)`);
      for (const r of rows.slice(0, Number(process.env.TOP ?? 0))) console.log(`    ${(Number(r.calls) / (TRIALS * DOSSIERS)).toFixed(2)}/dossier  ${r.q}`);
    }
    await app.close();
    await database.close();
  } finally {
    pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
