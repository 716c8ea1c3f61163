/**
 * What the crash and outage harnesses share: a database prepared once (migrations, the diagrams,
 * demo units and accounts, applicants, a short timer flow), the API as a child process, clients
 * that drive dossiers over HTTP and write down every acknowledged action, and the reconciliation
 * of those acknowledgements against the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { buildApp, deployProcesses } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { openDatabase, type Database } from '../api/src/db.ts';
import { DEMO_PASSWORD, loadDemoData } from '../api/src/demo.ts';
import { migrateLatest } from '../migrations/index.ts';
import { FIXTURES_DIR, PROCESSES_DIR, ROOT, TEST_PII_HASH_KEY, TEST_PII_KEY, VALID_DOSSIER } from '../tests/helpers/app.ts';
import { actorOf } from '../tests/helpers/actors.ts';
import { freePort } from '../tests/helpers/pg-server.ts';
import { seedEmployerFiles } from './employer-files.ts';

export const JWT_SECRET = 'crash-harness-secret-long-enough';
export const TIMER_PROCESS = 'bench-crash-timer';

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Prepared {
  database: Database;
  knex: Knex;
  /** seeded pass data of the employer (unique files per pass) */
  employerData: Array<Record<string, unknown>>;
  /** starts `count` instances of the short timer flow (in this process; the API's sweeper fires them) */
  startTimers(count: number): Promise<string[]>;
  close(): Promise<void>;
}

/** Migrates, deploys, loads the demo data and the harness's own timer flow (a 2-second wait). */
export async function prepareDatabase(url: string, options: { passes: number }): Promise<Prepared> {
  const database = await openDatabase({ DATABASE_URL: url, DATA_DIR: os.tmpdir(), DB_POOL_MAX: 5 });
  await migrateLatest(database.knex);
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', SCHEDULER: 'false', DEMO_DATA: 'false', JWT_SECRET, CERT_KEY_SECRET: 'crash-harness-certificate-key', PII_KEY: TEST_PII_KEY, PII_HASH_KEY: TEST_PII_HASH_KEY });
  const app = await buildApp({ config, database });
  await deployProcesses(app, PROCESSES_DIR);
  const timerXml = fs.readFileSync(path.join(FIXTURES_DIR, 'timer-wait.bpmn'), 'utf8').replaceAll('fixture-timer-wait', TIMER_PROCESS).replace('<timeDuration xsi:type="tFormalExpression">P30D</timeDuration>', '<timeDuration xsi:type="tFormalExpression">PT2S</timeDuration>');
  await app.engine.deploy(timerXml);
  await loadDemoData(database.knex);
  const employerData = await seedEmployerFiles(database.knex, 'kj_hr', options.passes);
  const admin = await actorOf(database.knex, 'admin');
  return {
    database,
    knex: database.knex,
    employerData,
    async startTimers(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await app.engine.startInstance({ processKey: TIMER_PROCESS, actor: admin, checkStarter: false }));
      return ids;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Adds applicants of the demo employer (password as the demo accounts'). */
export async function addApplicants(knex: Knex, prefix: string, count: number): Promise<Array<{ username: string; userId: number }>> {
  const hash = (await knex('users').where({ username: 'zhangwei' }).first()).password_hash;
  const employer = await knex('units').where({ unit_type: 'employer' }).orderBy('id').first();
  const rows = await knex('users')
    .insert(Array.from({ length: count }, (_, i) => ({ username: `${prefix}${i}`, password_hash: hash, display_name: `压测申报人${prefix}${i}`, unit_id: employer.id, roles: ['applicant'] })))
    .returning(['id', 'username']);
  return rows.map((r: { id: number; username: string }) => ({ username: r.username, userId: Number(r.id) }));
}

// ------------------------------------------------------------------ the API child process

/** Stops what a harness started when it ends early (an error, Ctrl-C): the API child and PostgreSQL. */
export function cleanUpOnExit(stop: () => void): void {
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}

export interface ApiProcess {
  child: ChildProcess;
  base: string;
  startupMs: number;
  exited: Promise<void>;
}

/** Starts bench/api-server.ts on the database and waits until /api/health answers 200. */
export async function startApi(url: string, logFile: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const started = Date.now();
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/api-server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET,
      JWT_EXPIRES_IN: '12h',
      CERT_KEY_SECRET: 'crash-harness-certificate-key',
      // every secret production asks for, should NODE_ENV=production reach the child
      PII_KEY: TEST_PII_KEY,
      PII_HASH_KEY: TEST_PII_HASH_KEY,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '100000',
      SWEEP_CRON: '* * * * * *',
      DB_POOL_MAX: '10',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  let dead = false;
  void exited.then(() => (dead = true));
  for (;;) {
    if (dead) throw new Error(`API exited during start (log: ${logFile})`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) throw new Error(`API did not start in 120 s (log: ${logFile})`);
    await sleep(50);
  }
  return { child, base, startupMs: Date.now() - started, exited };
}

// ------------------------------------------------------------------ clients and their ledger

export interface Ledger {
  /** acknowledged (201) starts: instance ids */
  starts: Set<string>;
  /** acknowledged (200) completions: task id → what was done */
  completions: Map<string, { instanceId: string; elementId: string; action: string }>;
  requests: number;
  /** requests sent and not answered yet */
  inFlight: number;
  /** requests answered (any status) */
  answered: number;
  /** answers by status code */
  statuses: Map<number, number>;
  /** 503 answers that carried Retry-After */
  retryAfter: number;
  /** requests that got no answer (the process was killed, or not listening yet) */
  noAnswer: number;
  /** unexpected answers, first few kept for the report */
  unexpected: string[];
}

export function newLedger(): Ledger {
  return { starts: new Set(), completions: new Map(), requests: 0, inFlight: 0, answered: 0, statuses: new Map(), retryAfter: 0, noAnswer: 0, unexpected: [] };
}

export interface Target {
  base: string;
}

interface Answer {
  status: number;
  body: unknown;
}

// tokens outlive an API process (one JWT secret): a client logs in once, not after every restart
const tokens = new Map<string, string>();

export class Client {
  private readonly tokens = tokens;
  constructor(
    readonly target: Target,
    readonly ledger: Ledger,
  ) {}

  async call(method: string, url: string, user: string | null, body?: unknown): Promise<Answer | null> {
    this.ledger.requests++;
    this.ledger.inFlight++;
    try {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (user) headers.authorization = `Bearer ${await this.token(user)}`;
      const res = await fetch(`${this.target.base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      this.ledger.answered++;
      this.ledger.statuses.set(res.status, (this.ledger.statuses.get(res.status) ?? 0) + 1);
      if (res.status === 503 && Number(res.headers.get('retry-after')) > 0) this.ledger.retryAfter++;
      if (res.status >= 500 && res.status !== 503 && this.ledger.unexpected.length < 10) this.ledger.unexpected.push(`${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
      if (res.status === 401 && user) this.tokens.delete(user);
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed };
    } catch {
      this.ledger.noAnswer++;
      return null;
    } finally {
      this.ledger.inFlight--;
    }
  }

  /** Logs the users in ahead (a cold process under load answers its first logins slowly). */
  async logIn(users: string[]): Promise<void> {
    for (const user of users) await this.token(user);
  }

  private async token(user: string): Promise<string> {
    const known = this.tokens.get(user);
    if (known) return known;
    const res = await fetch(`${this.target.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: DEMO_PASSWORD }), signal: AbortSignal.timeout(60_000) });
    if (res.status !== 200) throw new Error(`login ${user}: ${res.status}`);
    const { token } = (await res.json()) as { token: string };
    this.tokens.set(user, token);
    return token;
  }
}

const REVIEWERS: Record<string, string> = { unit_review: 'kj_hr', unit_materials: 'kj_hr', department_review: 'cd_jxj', bureau_review: 'cd_hr', committee_receipt: 'cd_pw' };

export interface DriveState {
  stopped: boolean;
  /** pass data handed out so far (each pass its own files) */
  passData: Array<Record<string, unknown>>;
  /** applicants whose dossier reached 评委会接收 and waits for its result */
  finished: Set<string>;
  /** elements met that the driver does not know */
  unknown: Set<string>;
}

async function lookAt(knex: Knex, userId: number) {
  const instance = (await knex('process_instances').where({ process_key: 'dossier-review', started_by: userId }).whereNull('parent_instance_id').first('id', 'status')) as { id: string; status: string } | undefined;
  const open = instance ? ((await knex('tasks').where({ root_instance_id: instance.id, status: 'open' }).select('id', 'element_id')) as Array<{ id: string; element_id: string }>) : [];
  return { instance, open };
}

/**
 * One applicant's dossier driven to 评委会接收, with returns on the way: the next step is read from the
 * task table (what a person sees in their inbox), the action goes over HTTP. A request that got no
 * answer or a 503 is simply tried again from what the database then says.
 */
export async function driveDossier(client: Client, knex: Knex, applicant: { username: string; userId: number }, state: DriveState, pauseMs = 100): Promise<void> {
  let returns = 0;
  while (!state.stopped) {
    // the harness reads what the inbox would show from the database; during an outage it waits too
    const seen = await lookAt(knex, applicant.userId).catch(() => null);
    if (!seen) {
      // the database is away: the applicant looks at their inbox meanwhile (and is told to wait)
      await client.call('GET', '/api/tasks', applicant.username);
      await sleep(pauseMs);
      continue;
    }
    const { instance, open } = seen;
    if (!instance) {
      const res = await client.call('POST', '/api/process-instances', applicant.username, { processKey: 'dossier-review', variables: { activityId: 1 } });
      if (res?.status === 201) client.ledger.starts.add((res.body as { id: string }).id);
      else await sleep(pauseMs);
      continue;
    }
    if (instance.status !== 'running') return;
    if (open.length === 0) {
      state.finished.add(applicant.username);
      return;
    }
    const task = open[0]!;
    const element = task.element_id;
    let user: string;
    let action: string;
    let body: Record<string, unknown>;
    if (element === 'submit' || element === 'resubmit') {
      user = applicant.username;
      action = 'submit';
      body = { action, data: VALID_DOSSIER };
    } else if (REVIEWERS[element]) {
      user = REVIEWERS[element]!;
      const mayReturn = returns < 2 && Math.random() < 0.4 && element !== 'committee_receipt';
      if (mayReturn && element.startsWith('unit_')) {
        action = 'return';
        body = { action, opinion: '请补充材料后重新提交' };
      } else if (mayReturn) {
        action = 'return';
        body = { action, opinion: '退回申报人修改', data: { returnTo: 'applicant' } };
      } else if (element.startsWith('unit_')) {
        action = 'pass';
        const data = state.passData.shift();
        if (!data) throw new Error('out of seeded employer pass data');
        body = { action, opinion: '同意', data };
      } else {
        action = 'pass';
        body = { action, opinion: '同意', data: {} };
      }
    } else {
      state.unknown.add(element);
      return;
    }
    const res = await client.call('POST', `/api/tasks/${task.id}/complete`, user, body);
    if (res?.status === 200) {
      client.ledger.completions.set(task.id, { instanceId: instance.id, elementId: element, action });
      if (action === 'return') returns++;
    } else if (res && res.status !== 409 && res.status !== 503 && client.ledger.unexpected.length < 10 && res.status < 500) {
      client.ledger.unexpected.push(`complete ${element} ${action} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    if (!res || res.status >= 500) await sleep(pauseMs);
  }
}

// ------------------------------------------------------------------ reconciliation

export interface Reconciliation {
  acknowledgedStarts: number;
  acknowledgedCompletions: number;
  /** acknowledged actions missing from the database */
  lost: number;
  /** tasks completed more than once, or completed without their history event (or the reverse) */
  doubled: number;
  /** running cases whose rows disagree: more than one open task, or none and nothing to wait for */
  halfAdvanced: number;
  timersDue: number;
  /** due timers not fired, fired twice, or whose next task is missing or doubled */
  timersWrong: number;
  incidentsOpen: number;
  dossiers: number;
  dossiersFinished: number;
}

/** Checks every acknowledged action against the database and the invariants of the flows. */
export async function reconcile(knex: Knex, ledger: Ledger, timerInstances: string[]): Promise<Reconciliation> {
  let lost = 0;
  const startIds = [...ledger.starts];
  for (let i = 0; i < startIds.length; i += 500) {
    const found = await knex('process_instances').whereIn('id', startIds.slice(i, i + 500)).count<{ n: number }[]>({ n: '*' });
    lost += startIds.slice(i, i + 500).length - Number(found[0]?.n ?? 0);
  }
  const taskIds = [...ledger.completions.keys()];
  for (let i = 0; i < taskIds.length; i += 500) {
    const slice = taskIds.slice(i, i + 500);
    const rows = (await knex('tasks as t')
      .whereIn('t.id', slice)
      .select('t.id', 't.status', knex.raw("(select count(*) from history_events h where h.task_id = t.id and h.type = 'task.complete')::int as events"))) as Array<{ id: string; status: string; events: number }>;
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    for (const id of slice) {
      const row = byId.get(id);
      if (!row || row.status !== 'completed' || row.events !== 1) lost++;
    }
  }
  const doubled = Number(
    (
      await knex.raw(`
        select count(*)::int as n from tasks t
        where (select count(*) from history_events h where h.task_id = t.id and h.type = 'task.complete') <> case when t.status = 'completed' then 1 else 0 end`)
    ).rows[0].n,
  );
  // the dossier flow and the timer flow are sequential: a running case waits at one task, or (a
  // dossier after 评委会接收) at a message; a timer case at its timer
  const halfAdvanced = Number(
    (
      await knex.raw(`
        select count(*)::int as n from process_instances p
        where p.parent_instance_id is null and p.status = 'running' and p.process_key in ('dossier-review', ?)
          and (
            (select count(*) from tasks t where t.root_instance_id = p.id and t.status = 'open') > 1
            or ((select count(*) from tasks t where t.root_instance_id = p.id and t.status = 'open') = 0
                and not exists (select 1 from message_subscriptions s where s.root_instance_id = p.id)
                and not exists (select 1 from timers m where m.root_instance_id = p.id and m.status = 'pending'))
          )`, [TIMER_PROCESS])
    ).rows[0].n,
  );
  let timersWrong = 0;
  let timersDue = 0;
  for (let i = 0; i < timerInstances.length; i += 500) {
    const slice = timerInstances.slice(i, i + 500);
    const rows = (await knex('process_instances as p')
      .whereIn('p.id', slice)
      .select(
        'p.id',
        knex.raw("(select count(*) from timers m where m.instance_id = p.id and m.status = 'fired')::int as fired"),
        knex.raw("(select count(*) from timers m where m.instance_id = p.id and m.status = 'pending' and m.due_at < now() - interval '3 seconds')::int as late"),
        knex.raw("(select count(*) from history_events h where h.root_instance_id = p.id and h.type = 'timer.fire')::int as events"),
        knex.raw("(select count(*) from tasks t where t.root_instance_id = p.id and t.element_id = 'after')::int as after"),
      )) as Array<{ id: string; fired: number; late: number; events: number; after: number }>;
    timersDue += rows.length;
    for (const r of rows) if (r.fired !== 1 || r.late !== 0 || r.events !== 1 || r.after !== 1) timersWrong++;
    timersWrong += slice.length - rows.length;
  }
  const incidentsOpen = Number((await knex('incidents').where({ status: 'open' }).count<{ n: number }[]>({ n: '*' }))[0]?.n ?? 0);
  const dossierRows = (await knex('process_instances').where({ process_key: 'dossier-review' }).whereNull('parent_instance_id').select('id')) as Array<{ id: string }>;
  const finished = Number(
    (
      await knex.raw(`
        select count(*)::int as n from process_instances p
        where p.process_key = 'dossier-review' and p.parent_instance_id is null
          and exists (select 1 from history_events h where h.root_instance_id = p.id and h.type = 'task.complete' and h.element_id = 'committee_receipt')`)
    ).rows[0].n,
  );
  return {
    acknowledgedStarts: ledger.starts.size,
    acknowledgedCompletions: ledger.completions.size,
    lost,
    doubled,
    halfAdvanced,
    timersDue,
    timersWrong,
    incidentsOpen,
    dossiers: dossierRows.length,
    dossiersFinished: finished,
  };
}

export function statusSummary(ledger: Ledger): string {
  return [...ledger.statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
}

export function count5xx(ledger: Ledger, except: number[] = [503]): number {
  let n = 0;
  for (const [code, c] of ledger.statuses) if (code >= 500 && !except.includes(code)) n += c;
  return n;
}
