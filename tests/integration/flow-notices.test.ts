import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase } from '../helpers/database.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { createDossierHandlers } from '../../api/modules/dossiers/dossiers.handlers.ts';
import { noticePublicityStarted, remindRevisionDeadlines } from '../../api/modules/messages/flow-notices.ts';
import { loadResultsDemoData } from '../../api/src/demo-results.ts';
import type { ServiceHandlerContext } from '../../engine/types.ts';

/**
 * 消息通知 at the flows' moments (issue 20): returned, passed on, rejected, revision deadline
 * near, publicity started, certificate issued — each written once, also when the step is run again.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let units: { department: number; city: number; employer: number };
let next = 0;
const applicant = () => `notice_${++next}`;

const dossierOf = (instanceId: string) => db.knex('dossiers').where({ instance_id: instanceId }).first();
const messagesOf = async (dossierId: number, kind: string) => db.knex('messages').where({ kind }).where('link', 'like', `%/${dossierId}`).orderBy('id');

/** What the engine hands a handler of this case now (its variables as committed). */
async function contextOf(trx: Knex.Transaction, instanceId: string, elementId: string, input: Record<string, unknown> = {}): Promise<ServiceHandlerContext> {
  const row = await trx('process_instances').where({ id: instanceId }).first();
  return { trx, instanceId, rootInstanceId: String(row.root_instance_id), processKey: 'dossier-review', businessKey: row.business_key, elementId, variables: row.variables, input, clock: t.app.engine.clock };
}

class Rollback extends Error {}
/** Runs `fn` in a transaction that is then rolled back, as a failed step's attempt is. */
async function attempt(fn: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
  await db.knex.transaction(async (trx) => {
    await fn(trx);
    throw new Rollback();
  }).catch((err: unknown) => {
    if (!(err instanceof Rollback)) throw err;
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const chain = await demoChainUnits(db.knex);
  units = { department: Number(chain.department.id), city: Number(chain.city.id), employer: Number(chain.employer.id) };
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert(Array.from({ length: 8 }, (_, i) => ({ username: `notice_${i + 1}`, password_hash: hash, display_name: `通知申报人${i + 1}`, unit_id: units.employer, roles: ['applicant'] })));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('a dossier returned to the applicant', () => {
  it('tells the applicant once when the step is run twice and retried, and again on a second return', async () => {
    // given a dossier at the department
    const user = applicant();
    const id = await submitDossier(t, user);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意');
    const dossierId = Number((await dossierOf(id)).id);
    const handlers = createDossierHandlers(t.app.db, t.app.regions);

    // when an attempt of the return step runs its handler twice and is rolled back
    await attempt(async (trx) => {
      const ctx = await contextOf(trx, id, 'applicant_returned');
      await handlers['dossier.returned']!(ctx);
      await handlers['dossier.returned']!(ctx);
      const [counted] = await trx('messages').where({ kind: 'dossier.returned' }).where('link', `/my-dossiers/${dossierId}`).count({ n: '*' });
      expect(Number(counted!.n)).toBe(1);
    });
    // and the department then returns it for real
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'return', '请补充继续教育证明', { returnTo: 'applicant' });

    // then the applicant has one message, with the opinion, addressed to them alone
    const first = await messagesOf(dossierId, 'dossier.returned');
    expect(first).toHaveLength(1);
    const me = await db.knex('users').where({ username: user }).first('id');
    expect(first[0]).toMatchObject({ user_id: me.id, permission: 'dossier.apply' });
    expect(Number(first[0].unit_id)).toBe(units.employer);
    expect(first[0].body).toContain('请补充继续教育证明');
    const list = (await t.request('GET', '/api/messages', { user })).json() as Array<{ title: string }>;
    expect(list.filter((m) => m.title.startsWith('申报材料被退回'))).toHaveLength(1);

    // when the applicant resubmits and the department returns it a second time
    await completeOk(t, user, (await taskOf(t, user, id, 'resubmit')).id, 'submit', undefined, VALID_DOSSIER);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意');
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'return', '仍缺材料', { returnTo: 'applicant' });
    // then that is a second, distinct message
    const second = await messagesOf(dossierId, 'dossier.returned');
    expect(second).toHaveLength(2);
    expect(second[1].body).toContain('仍缺材料');
  });
});

describe('a dossier passed on and returned to a unit', () => {
  it('tells the next unit once per pass, and the unit it is returned to', async () => {
    // given a dossier the employer passes (the department receives it)
    const id = await submitDossier(t, applicant());
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意');
    const dossierId = Number((await dossierOf(id)).id);
    // when two clerks of the department pass it at the same moment
    const task = await taskOf(t, 'cd_jxj', id, 'department_review');
    const [a, b] = await Promise.all([complete(t, 'cd_jxj', task.id, 'pass', '同意'), complete(t, 'cd_jxj', task.id, 'pass', '同意')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    // then the department heard of it once, the city bureau once
    const passed = await messagesOf(dossierId, 'dossier.passed');
    expect(passed.map((m) => Number(m.unit_id))).toEqual([units.department, units.city]);
    expect(passed[1].title).toContain('收到报送的申报材料');

    // when the bureau returns it to the department
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'return', '主管部门意见不完整', { returnTo: 'department' });
    // then the department is told, and nobody else
    const returned = await messagesOf(dossierId, 'dossier.returned');
    expect(returned.map((m) => Number(m.unit_id))).toEqual([units.department]);
    expect(returned[0].body).toContain('主管部门意见不完整');
    const cdJxj = (await t.request('GET', '/api/messages', { user: 'cd_jxj' })).json() as Array<{ title: string }>;
    expect(cdJxj.some((m) => m.title.startsWith('申报材料被退回重新审核'))).toBe(true);

    // and when it passes again, the bureau is told again (a second occurrence)
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '已补充');
    expect((await messagesOf(dossierId, 'dossier.passed')).map((m) => Number(m.unit_id))).toEqual([units.department, units.city, units.city]);
  });
});

describe('a dossier rejected', () => {
  it('tells the applicant once (不通过), also when an attempt of the step ran its handler twice first', async () => {
    // given a dossier at the department
    const user = applicant();
    const id = await submitDossier(t, user);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意');
    const dossierId = Number((await dossierOf(id)).id);
    // when an attempt of 登记不通过 runs its handler twice and is rolled back
    await attempt(async (trx) => {
      const handlers = createDossierHandlers(t.app.db, t.app.regions);
      const ctx = await contextOf(trx, id, 'rejected');
      await handlers['dossier.rejected']!(ctx);
      await handlers['dossier.rejected']!(ctx);
      expect(await trx('messages').where({ kind: 'dossier.rejected' }).where('link', `/my-dossiers/${dossierId}`)).toHaveLength(1);
    });
    // and the department then rejects it
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'reject', '不符合申报条件');
    // then the applicant has one 不通过 message with the opinion
    const rejected = await messagesOf(dossierId, 'dossier.rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].body).toContain('不符合申报条件');
  });
});

describe('a revision deadline near', () => {
  it('reminds the applicant once a day before, and again for an extended deadline', async () => {
    // given a dossier returned with a revision deadline in 20 hours
    const user = applicant();
    const id = await submitDossier(t, user);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意');
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'return', '请修改', { returnTo: 'applicant' });
    const dossierId = Number((await dossierOf(id)).id);
    const now = t.clock.now();
    await db.knex('dossiers').where({ id: dossierId }).update({ revision_deadline: new Date(now.getTime() + 20 * 3600_000) });
    // when the sweep runs three days early, then twice within the day
    expect(await remindRevisionDeadlines(db.knex, new Date(now.getTime() - 3 * 86_400_000))).not.toContain(dossierId);
    expect(await remindRevisionDeadlines(db.knex, now)).toContain(dossierId);
    expect(await remindRevisionDeadlines(db.knex, new Date(now.getTime() + 3600_000))).not.toContain(dossierId);
    // then one reminder
    expect(await messagesOf(dossierId, 'dossier.revisionDeadline')).toHaveLength(1);
    // when the deadline is extended by two days and that day comes
    await db.knex('dossiers').where({ id: dossierId }).update({ revision_deadline: new Date(now.getTime() + 68 * 3600_000) });
    expect(await remindRevisionDeadlines(db.knex, new Date(now.getTime() + 48 * 3600_000))).toContain(dossierId);
    expect(await messagesOf(dossierId, 'dossier.revisionDeadline')).toHaveLength(2);
  });
});

describe('publicity started and certificate issued', () => {
  it('tells each passed candidate once when the publicity notice is published, also when the step is run again', async () => {
    // given the results demo: two meetings whose notices the committee published through result-publicity
    await loadResultsDemoData(t.app);
    const notices = await db.knex('publicity_notices').whereNotNull('published_at').select('id', 'meeting_id', 'title', 'period_start', 'period_end');
    expect(notices.length).toBeGreaterThan(0);
    // then 王浩然 (a passed candidate of the running one) was told once, with the period
    const wang = await db.knex('users').where({ username: 'wanghaoran' }).first('id');
    const started = await db.knex('messages').where({ kind: 'publicity.started', user_id: wang.id });
    expect(started).toHaveLength(1);
    expect(started[0].body).toMatch(/公示期 \d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}/);
    // when the step's notices are written again for every notice
    for (const n of notices) {
      const p = { noticeId: Number(n.id), meetingId: Number(n.meeting_id), title: String(n.title), periodStart: String(n.period_start), periodEnd: String(n.period_end) };
      expect(await db.knex.transaction((trx) => noticePublicityStarted(trx, p, t.clock.now()))).toBe(0);
    }
    // then still one each
    expect(await db.knex('messages').where({ kind: 'publicity.started', user_id: wang.id })).toHaveLength(1);
  });

  it('tells the applicant once that the certificate is issued', async () => {
    const user = applicant();
    const id = await submitDossier(t, user);
    const dossierId = Number((await dossierOf(id)).id);
    const handlers = createDossierHandlers(t.app.db, t.app.regions);
    for (let i = 0; i < 2; i++) {
      await db.knex.transaction(async (trx) => {
        const ctx = await contextOf(trx, id, 'certificate_recorded', { stage: 'certificate' });
        await handlers['dossier.resultRecorded']!({ ...ctx, variables: { ...ctx.variables, certificateNo: 'ZC2026000001' } });
      });
    }
    const issued = await messagesOf(dossierId, 'dossier.certificate');
    expect(issued).toHaveLength(1);
    expect(issued[0].body).toContain('ZC2026000001');
  });
});
