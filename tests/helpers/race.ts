/**
 * The race workloads of bench/race.ts and tests/integration/race-*.test.ts: real dossiers in the
 * real dossier-review flow, two hands on one task, batches over singles, two 计票完成 of one round,
 * two 初定 certificate batches over the same persons. No vitest here: the harness runs it too.
 */
import type { Knex } from 'knex';
import type { TestApp } from './app.ts';
import { VALID_DOSSIER } from './app.ts';
import { uploadPdf } from './files.ts';
import { deployBallotRound, expertTokens, seedMeeting, startRound } from './ballots.ts';
import { idNumber } from './fixtures.ts';
import { shanghaiDate } from '../../api/modules/calendar/calendar.service.ts';

/** What both app.inject and a real HTTP server answer. */
export interface Answer {
  statusCode: number;
  body: string;
  json(): unknown;
}

/** Something that sends a request as a user: the in-process app, or a listening server. */
export interface Client {
  request(method: string, url: string, options?: { user?: string; token?: string; body?: unknown }): Promise<Answer>;
}

/** Sends each request to the next client in turn: the two of a pair go to different processes. */
export function alternate(clients: Client[]): Client {
  let next = 0;
  return { request: (method, url, options) => clients[next++ % clients.length]!.request(method, url, options) };
}

async function ok<T>(res: Answer, what: string): Promise<T> {
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`${what}: ${res.statusCode} ${res.body.slice(0, 400)}`);
  return res.json() as T;
}

/** Runs `work` over `items`, `concurrency` at a time, keeping the order of the results. */
export async function pool<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(runners);
  return out;
}

/** `count` applicants of the demo employer (kj_hr's unit), named `${prefix}${i}`, with zhangwei's password. */
export async function addApplicants(knex: Knex, prefix: string, count: number): Promise<Array<{ id: number; username: string; passwordChangedAt: Date | null }>> {
  const zhangwei = await knex('users').where({ username: 'zhangwei' }).first();
  const rows = Array.from({ length: count }, (_, i) => ({ username: `${prefix}${i}`, password_hash: zhangwei.password_hash, display_name: `并发申报人${prefix}${i}`, unit_id: zhangwei.unit_id, roles: ['applicant'] }));
  for (let i = 0; i < rows.length; i += 500) await knex('users').insert(rows.slice(i, i + 500));
  const users = await knex('users').where('username', 'like', `${prefix}%`).orderBy('id');
  return users.map((u: { id: string; username: string; password_changed_at: Date | null }) => ({ id: Number(u.id), username: u.username, passwordChangedAt: u.password_changed_at ?? null }));
}

/** The 单位公示 period the employer's form asks for: 20 days up to the app's today. */
function publicityPeriod(t: TestApp) {
  const now = t.clock.now();
  const lastYear = Math.max(...t.app.calendar.years());
  const end = Number(shanghaiDate(now).slice(0, 4)) > lastYear ? new Date(`${lastYear}-12-31T12:00:00+08:00`) : now;
  return { publicityStart: shanghaiDate(new Date(end.getTime() - 20 * 86_400_000)), publicityEnd: shanghaiDate(end) };
}

/**
 * Cases of the dossier-review flow, each started and submitted by its applicant; with
 * `employer: 'pass'` passed on by the employer (kj_hr, with its two uploads) to 主管部门审核,
 * with `employer: 'return'` returned to the applicant (修改并重新提交, its 修改期限已过 timer pending).
 * Answers the instance ids, in the applicants' order.
 */
export async function createCases(t: TestApp, knex: Knex, prefix: string, count: number, options: { employer: 'pass' | 'return'; concurrency?: number; progress?: (done: number) => void }): Promise<string[]> {
  const users = await addApplicants(knex, prefix, count);
  const activity = await knex('activities').orderBy('id').first('id');
  // one login per clerk before the cases run side by side
  await signIn(t, 'kj_hr');
  let done = 0;
  return pool(users, options.concurrency ?? 4, async (u) => {
    const token = t.app.signToken({ userId: u.id, username: u.username, passwordChangedAt: u.passwordChangedAt });
    const started = await ok<{ id: string; tasks: Array<{ id: string }> }>(
      await t.request('POST', '/api/process-instances', { token, body: { processKey: 'dossier-review', variables: { activityId: activity.id } } }),
      'start',
    );
    const submitted = await ok<{ nextTasks: Array<{ id: string }> }>(await t.request('POST', `/api/tasks/${started.tasks[0]!.id}/complete`, { token, body: { action: 'submit', data: VALID_DOSSIER } }), 'submit');
    const employerTask = submitted.nextTasks[0]!.id;
    const body =
      options.employer === 'pass'
        ? { action: 'pass', data: { ...publicityPeriod(t), publicityProof: [await uploadPdf(t, 'kj_hr', '公示证明.pdf')], recommendation: [await uploadPdf(t, 'kj_hr', '综合推荐材料.pdf')] } }
        : { action: 'return', opinion: '请补充业绩材料' };
    await ok(await t.request('POST', `/api/tasks/${employerTask}/complete`, { user: 'kj_hr', body }), `employer ${options.employer}`);
    done++;
    options.progress?.(done);
    return started.id;
  });
}

/** The open task of each case at `elementId`, in the order of `instanceIds` (a case without one is an error). */
export async function openTaskIds(knex: Knex, instanceIds: string[], elementId: string): Promise<string[]> {
  const rows = await knex('tasks').whereIn('root_instance_id', instanceIds).where({ element_id: elementId, status: 'open' }).select('id', 'root_instance_id');
  const byCase = new Map(rows.map((r: { id: string; root_instance_id: string }) => [r.root_instance_id, r.id]));
  return instanceIds.map((id) => {
    const task = byCase.get(id);
    if (!task) throw new Error(`case ${id} has no open task at ${elementId}`);
    return task;
  });
}

export interface PairFigures {
  pairs: number;
  successes: number;
  conflicts: number;
  /** answers that were neither 200 nor 409 (status and the start of the body) */
  others: string[];
}

/**
 * Signs the clerk in once before the racing starts: simultaneous logins of one account are each
 * charged as an attempt before the password is checked (the lock's guard against parallel
 * guessing), so five at once would lock it.
 */
async function signIn(client: Client, user: string): Promise<void> {
  await ok(await client.request('GET', '/api/tasks?range=[0,0]', { user }), `sign in ${user}`);
}

/** Two completions of each task at once (the same clerk, the same action), `concurrency` pairs in flight. */
export async function completePairs(client: Client, user: string, taskIds: string[], concurrency: number, action = 'pass'): Promise<PairFigures> {
  const figures: PairFigures = { pairs: taskIds.length, successes: 0, conflicts: 0, others: [] };
  await signIn(client, user);
  await pool(taskIds, concurrency, async (taskId) => {
    const answers = await Promise.all(
      ['甲', '乙'].map((hand) => client.request('POST', `/api/tasks/${taskId}/complete`, { user, body: { action, opinion: `${hand}同意` } })),
    );
    for (const a of answers) {
      if (a.statusCode === 200) figures.successes++;
      else if (a.statusCode === 409) figures.conflicts++;
      else figures.others.push(`${a.statusCode} ${a.body.slice(0, 160)}`);
    }
  });
  return figures;
}

export interface StepFigures {
  cases: number;
  /** cases whose step was completed exactly once (one task row, one history event) */
  once: number;
  /** cases where it was completed more than once */
  twice: number;
  /** cases where it was not completed */
  never: number;
  /** cases with exactly one open task now (moved on one step, no more, no fewer) */
  oneOpenTask: number;
}

/** Reads from the database how often each case's `elementId` was completed, and what is open now. */
export async function stepFigures(knex: Knex, instanceIds: string[], elementId: string): Promise<StepFigures> {
  const completedRows = await knex('tasks').whereIn('root_instance_id', instanceIds).where({ element_id: elementId, status: 'completed' }).groupBy('root_instance_id').select('root_instance_id', knex.raw('count(*)::int as n'));
  const events = await knex('history_events').whereIn('root_instance_id', instanceIds).where({ element_id: elementId, type: 'task.complete' }).groupBy('root_instance_id').select('root_instance_id', knex.raw('count(*)::int as n'));
  const open = await knex('tasks').whereIn('root_instance_id', instanceIds).where({ status: 'open' }).groupBy('root_instance_id').select('root_instance_id', knex.raw('count(*)::int as n'));
  const count = (rows: Array<{ root_instance_id: string; n: number }>) => new Map(rows.map((r) => [r.root_instance_id, Number(r.n)]));
  const [c, e, o] = [count(completedRows), count(events), count(open)];
  const figures: StepFigures = { cases: instanceIds.length, once: 0, twice: 0, never: 0, oneOpenTask: 0 };
  for (const id of instanceIds) {
    const rows = c.get(id) ?? 0;
    const history = e.get(id) ?? 0;
    if (rows === 1 && history === 1) figures.once++;
    else if (rows > 1 || history > 1) figures.twice++;
    else figures.never++;
    if (o.get(id) === 1) figures.oneOpenTask++;
  }
  return figures;
}

export interface BatchRaceFigures {
  tasks: number;
  batchSucceeded: number;
  singleSucceeded: number;
  /** tasks that two requests both reported done */
  doubled: number;
  /** tasks that no request reported done */
  lost: number;
  others: string[];
}

/**
 * Batches of `groupSize` tasks (POST /api/tasks/batch-complete), each sent at the same moment as
 * single completions of every other task of the batch.
 */
export async function batchesOverSingles(client: Client, user: string, taskIds: string[], groupSize: number, concurrency = 2): Promise<BatchRaceFigures> {
  const figures: BatchRaceFigures = { tasks: taskIds.length, batchSucceeded: 0, singleSucceeded: 0, doubled: 0, lost: 0, others: [] };
  await signIn(client, user);
  const groups: string[][] = [];
  for (let i = 0; i < taskIds.length; i += groupSize) groups.push(taskIds.slice(i, i + groupSize));
  await pool(groups, concurrency, async (group) => {
    const singles = group.filter((_, i) => i % 2 === 1);
    const [batch, ...answers] = await Promise.all([
      client.request('POST', '/api/tasks/batch-complete', { user, body: { taskIds: group, action: 'pass', opinion: '批量通过' } }),
      ...singles.map((taskId) => client.request('POST', `/api/tasks/${taskId}/complete`, { user, body: { action: 'pass', opinion: '单独通过' } })),
    ]);
    if (batch!.statusCode !== 200) {
      figures.others.push(`batch ${batch!.statusCode} ${batch!.body.slice(0, 160)}`);
      return;
    }
    const done = new Map<string, number>(group.map((id) => [id, 0]));
    for (const r of (batch!.json() as { results: Array<{ taskId: string; ok: boolean }> }).results) {
      if (!r.ok) continue;
      figures.batchSucceeded++;
      done.set(r.taskId, (done.get(r.taskId) ?? 0) + 1);
    }
    answers.forEach((a, i) => {
      if (a.statusCode === 200) {
        figures.singleSucceeded++;
        done.set(singles[i]!, (done.get(singles[i]!) ?? 0) + 1);
      } else if (a.statusCode !== 409) figures.others.push(`${a.statusCode} ${a.body.slice(0, 160)}`);
    });
    for (const n of done.values()) {
      if (n > 1) figures.doubled++;
      if (n === 0) figures.lost++;
    }
  });
  return figures;
}

export interface TallyFigures {
  rounds: number;
  successes: number;
  refusals: number;
  /** rounds whose 计票 task was completed exactly once and whose round row is closed */
  closedOnce: number;
  others: string[];
}

/**
 * Rounds of the ballot flow (3 experts, 2 candidates, every ballot submitted), each closed by two
 * 计票完成 (POST /api/meetings/:id/tally/pass, the committee's clerk cd_pw) at once.
 */
export async function doubleTallyCloses(t: TestApp, knex: Knex, rounds: number): Promise<TallyFigures> {
  const figures: TallyFigures = { rounds, successes: 0, refusals: 0, closedOnce: 0, others: [] };
  await deployBallotRound(t);
  await signIn(t, 'cd_pw');
  for (let r = 0; r < rounds; r++) {
    const meeting = await seedMeeting(knex, { experts: 3, candidates: 2 });
    const tokens = await expertTokens(t, 'cd_pw', meeting);
    const instanceId = await startRound(t, meeting);
    for (const e of meeting.experts) {
      const votes = meeting.candidates.map((c) => ({ dossierId: c.dossierId, choice: 'agree' }));
      await ok(await t.request('POST', `/api/expert/meetings/${meeting.meetingId}/ballot/submit`, { token: tokens.get(e.expertId)!, body: { votes } }), 'ballot');
    }
    const answers = await Promise.all([0, 1].map(() => t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: 'cd_pw', body: {} })));
    for (const a of answers) {
      if (a.statusCode === 200) figures.successes++;
      else if (a.statusCode === 409) figures.refusals++;
      else figures.others.push(`${a.statusCode} ${a.body.slice(0, 160)}`);
    }
    const closes = await knex('tasks').where({ root_instance_id: instanceId, form_key: 'meeting-tally', status: 'completed' }).count<Array<{ n: number }>>({ n: '*' });
    const events = await knex('history_events').where({ root_instance_id: instanceId, element_id: 'tally', type: 'task.complete' }).count<Array<{ n: number }>>({ n: '*' });
    const view = (await t.request('GET', `/api/meetings/${meeting.meetingId}/tally`, { user: 'cd_pw' })).json() as { rounds: Array<{ status: string }> };
    if (Number(closes[0]?.n) === 1 && Number(events[0]?.n) === 1 && view.rounds.length === 1 && view.rounds[0]!.status === 'closed') figures.closedOnce++;
  }
  return figures;
}

export interface CertificateFigures {
  persons: number;
  /** persons in the batches that were created (the others stay 未发放) */
  inBatches: number;
  /** batches created out of the concurrent requests */
  batchesCreated: number;
  batchRefusals: number;
  issueSuccesses: number;
  issueRefusals: number;
  /** persons of the created batches with exactly one certificate; persons with none (batched or not); with more than one */
  oneCertificate: number;
  noCertificate: number;
  doubleCertificate: number;
  others: string[];
}

/**
 * 初定 persons of 成都市人社局 (cd_hr), `persons` of them; at once: two batches of all of them, and
 * two batches of the first and the second half each overlapping the middle. The batches created
 * are then issued, each with two 发证 at once, and generated.
 */
export async function doubleCertificateBatches(t: TestApp, knex: Knex, persons: number, serialBase = 0): Promise<CertificateFigures> {
  const figures: CertificateFigures = { persons, inBatches: 0, batchesCreated: 0, batchRefusals: 0, issueSuccesses: 0, issueRefusals: 0, oneCertificate: 0, noCertificate: 0, doubleCertificate: 0, others: [] };
  await signIn(t, 'cd_hr');
  const bureau = await knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id');
  const at = new Date();
  const rows = Array.from({ length: persons }, (_, i) => {
    const id = idNumber(`1980${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, (serialBase + i) % 1000, '510104');
    return {
      unit_id: bureau.id, person_name: `并发初定${serialBase + i}`, id_number: id, gender: Number(id[16]) % 2 ? '男' : '女', series: '工程技术', specialty: '机械工程',
      title_name: '助理工程师', level: '初级', employer_name: '成都示范科技有限公司', education: '大学本科', state: 'unissued', created_at: at,
    };
  });
  const inserted: Array<{ id: string }> = [];
  for (let i = 0; i < rows.length; i += 500) inserted.push(...(await knex('initial_persons').insert(rows.slice(i, i + 500)).returning('id')));
  const ids = inserted.map((r) => Number(r.id));
  const half = Math.ceil(ids.length / 2);
  const overlap = Math.max(1, Math.floor(ids.length / 4));
  const sets = [ids, ids, ids.slice(0, half + overlap), ids.slice(half - overlap)];
  const created: number[] = [];
  const batched = new Set<number>();
  const answers = await Promise.all(sets.map((personIds) => t.request('POST', '/api/certificate-issuance/initial/batches', { user: 'cd_hr', body: { personIds } })));
  for (const [i, a] of answers.entries()) {
    if (a.statusCode === 200) {
      figures.batchesCreated++;
      created.push((a.json() as { id: number }).id);
      for (const id of sets[i]!) batched.add(id);
    } else if (a.statusCode === 409) figures.batchRefusals++;
    else figures.others.push(`batch ${a.statusCode} ${a.body.slice(0, 160)}`);
  }
  for (const batchId of created) {
    await ok(await t.request('PUT', `/api/certificate-issuance/batches/${batchId}/issuing-data`, { user: 'cd_hr', body: { documentNo: `成人社初〔${shanghaiDate(t.clock.now()).slice(0, 4)}〕${batchId}号`, approvalDate: shanghaiDate(t.clock.now()) } }), 'issuing data');
    const file = await uploadPdf(t, 'cd_hr', '盖章汇总表.pdf');
    await ok(await t.request('PUT', `/api/certificate-issuance/batches/${batchId}/stamped-file`, { user: 'cd_hr', body: { fileId: file.id } }), 'stamped file');
    const issues = await Promise.all([0, 1].map(() => t.request('POST', `/api/certificate-issuance/batches/${batchId}/issue`, { user: 'cd_hr' })));
    for (const a of issues) {
      if (a.statusCode === 200) figures.issueSuccesses++;
      else if (a.statusCode === 409) figures.issueRefusals++;
      else figures.others.push(`issue ${a.statusCode} ${a.body.slice(0, 160)}`);
    }
  }
  await t.app.certificates.runGenerations();
  await t.app.engine.deliverMessages();
  const counts = await knex('certificates').where({ source_type: 'initial' }).whereIn('source_id', ids).groupBy('source_id').select('source_id', knex.raw('count(*)::int as n'));
  const byPerson = new Map(counts.map((c: { source_id: string; n: number }) => [Number(c.source_id), Number(c.n)]));
  figures.inBatches = batched.size;
  for (const id of ids) {
    const n = byPerson.get(id) ?? 0;
    if (n === 1 && batched.has(id)) figures.oneCertificate++;
    else if (n === 0) figures.noCertificate++;
    else figures.doubleCertificate++;
  }
  return figures;
}
