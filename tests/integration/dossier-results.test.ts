import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { createDossierHandlers } from '../../api/modules/dossiers/dossiers.handlers.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let employerId: number;
let next = 0;
const applicant = () => `result_${++next}`;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
  employerId = Number(employer.id);
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert(Array.from({ length: 13 }, (_, i) => ({ username: `result_${i + 1}`, password_hash: hash, display_name: `结果申报人${i + 1}`, unit_id: employer.id, roles: ['applicant'] })));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

interface Case {
  user: string;
  instanceId: string;
  dossierId: number;
}

/** A dossier submitted, passed up the chain and received by the committee. */
async function receivedDossier(): Promise<Case> {
  const user = applicant();
  const id = await submitDossier(t, user);
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
  await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
  await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
  await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
  const dossier = await db.knex('dossiers').where({ instance_id: id }).first('id');
  return { user, instanceId: id, dossierId: Number(dossier.id) };
}

/** A dossier the employer returned to its applicant for revision. */
async function returnedDossier(): Promise<Case> {
  const user = applicant();
  const id = await submitDossier(t, user);
  await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, 'return', '工作经历不完整，请补充');
  const dossier = await db.knex('dossiers').where({ instance_id: id }).first('id');
  return { user, instanceId: id, dossierId: Number(dossier.id) };
}

async function publish(name: string, dossierId: number, payload: Record<string, unknown> = {}) {
  await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name, correlationKey: `dossier:${dossierId}`, payload }));
  await t.app.engine.deliverMessages();
}

const dossierRow = (id: number) => db.knex('dossiers').where({ id }).first('status', 'result', 'result_stage', 'result_reason', 'result_at');
const instanceOf = (id: string) => db.knex('process_instances').where({ id }).first('status', 'trail', 'variables');
/** The result messages of a dossier: who they went to (applicant or unit) and their text. */
const resultMessages = (dossierId: number) =>
  db.knex('messages').where('dedupe_key', 'like', `dossier-result:${dossierId}:%`).orderBy('id').select('unit_id', 'user_id', 'permission', 'title', 'body', 'dedupe_key');

type MineItem = { id: number; status: string; statusLabel: string; result: { code: string; label: string; stageLabel: string | null; reason: string | null; at: string; documentNo: string | null } | null };
const mine = async (user: string, dossierId: number) => ((await t.request('GET', '/api/dossiers/mine', { user })).json() as MineItem[]).find((d) => d.id === dossierId);

/** One message to the applicant (for them only) and one to the employer, with the result's words. */
async function expectToldOnce(c: Case, words: string) {
  const rows = await resultMessages(c.dossierId);
  const userId = Number((await db.knex('users').where({ username: c.user }).first('id')).id);
  expect(rows).toHaveLength(2);
  expect(rows).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ unit_id: employerId, user_id: userId, permission: 'dossier.apply' }),
      expect.objectContaining({ unit_id: employerId, user_id: null, permission: null }),
    ]),
  );
  for (const r of rows) expect(`${r.title}${r.body}`).toContain(words);
}

describe('every result reaches the dossier once, and the applicant and the employer are told', () => {
  it('a review failed at the 专业组 round: 未通过（专业组评审） with the reason, the case ended', async () => {
    // Given a received dossier
    const c = await receivedDossier();
    const at = t.clock.now();

    // When the meeting sends its 评审结果: failed at the panel round
    await publish('review-result', c.dossierId, { reviewPassed: false, reviewStage: 'panel', reviewReason: '专业组同意票未达三分之二' });

    // Then the dossier carries the result, its round, reason and date, and its case ended
    expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'review_failed', result: 'review_failed', result_stage: 'panel', result_reason: '专业组同意票未达三分之二' });
    expect(new Date((await dossierRow(c.dossierId)).result_at).getTime()).toBe(at.getTime());
    expect(await instanceOf(c.instanceId)).toMatchObject({ status: 'completed' });
    await expectToldOnce(c, '未通过（专业组评审）');
    // and 我的申报 shows it with the date and the reason
    expect((await mine(c.user, c.dossierId))?.result).toEqual({ code: 'review_failed', label: '未通过（专业组评审）', stage: 'panel', stageLabel: '专业组评审', reason: '专业组同意票未达三分之二', at: at.toISOString(), documentNo: null });
  });

  it('a retried step sends nothing twice: the handler run again for the same result writes the same and sends no new message', async () => {
    // Given a dossier whose exam failed (the activity holds a written exam for this one)
    await db.knex('activities').where({ id: 1 }).update({ written_exam: 'all' });
    let c: Case;
    try {
      c = await receivedDossier();
    } finally {
      await db.knex('activities').where({ id: 1 }).update({ written_exam: 'none' });
    }
    await publish('exam-result', c.dossierId, { examPassed: false, examScore: 41.5 });
    expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'exam_failed', result: 'exam_failed', result_stage: 'exam', result_reason: '笔试成绩 41.5 分，未达合格标准' });
    await expectToldOnce(c, '笔试不通过');

    // When the step's handler runs again with the case's variables (a retry after a failure later in the step)
    const { variables } = await instanceOf(c.instanceId);
    const handler = createDossierHandlers(db.knex, t.app.regions)['dossier.resultRecorded']!;
    await db.knex.transaction(async (trx) => {
      await handler({ trx, variables, input: { stage: 'exam' }, clock: t.clock } as never);
    });

    // Then still one message each
    await expectToldOnce(c, '笔试不通过');
    expect((await mine(c.user, c.dossierId))?.result).toMatchObject({ code: 'exam_failed', label: '笔试不通过' });
  });

  it('an application ended by 确认不通过 ends it for the year: applying again is refused naming the result', async () => {
    // Given a dossier whose confirmation was refused
    const c = await receivedDossier();
    await publish('review-result', c.dossierId, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
    await publish('publicity-ended', c.dossierId);
    await publish('result-confirmed', c.dossierId, { confirmed: false, confirmReason: '学历证书核验不符' });
    // When the applicant applies to the activity again
    const again = await t.request('POST', '/api/process-instances', { user: c.user, body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    // Then it is refused with the result named
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('申报结果为“确认不通过”，本年度不能再次申报');
  });

  it('a result withdrawn during the publicity: 公示期间被撤销 with the reason', async () => {
    // Given a dossier that passed the review: no result yet, it waits in publicity
    const c = await receivedDossier();
    await publish('review-result', c.dossierId, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
    expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'review_passed', result: null });
    expect(await resultMessages(c.dossierId)).toHaveLength(0);

    // When the complaint is upheld and the result withdrawn
    await publish('result-withdrawn', c.dossierId, { withdrawReason: '经查实，业绩成果材料不实' });

    // Then
    expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'withdrawn', result: 'withdrawn', result_stage: 'publicity', result_reason: '经查实，业绩成果材料不实' });
    expect(await instanceOf(c.instanceId)).toMatchObject({ status: 'completed' });
    await expectToldOnce(c, '公示期间被撤销');
  });

  it('confirmation refused: 确认不通过 with the reason; confirmed: 通过 with the 文号, counted in 通过人数, the certificate keeps it', async () => {
    // Given two dossiers past the review and the publicity
    const failed = await receivedDossier();
    const passed = await receivedDossier();
    const passedBefore = Number((await t.request('GET', '/api/dossier-queries/summary', { user: 'cd_pw' })).json().totals.passed);
    for (const c of [failed, passed]) {
      await publish('review-result', c.dossierId, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
      await publish('publicity-ended', c.dossierId);
    }
    // (past the review they count as 通过 until the confirmation decides)
    const passedCount = async () => Number((await t.request('GET', '/api/dossier-queries/summary', { user: 'cd_pw' })).json().totals.passed);
    expect(await passedCount()).toBe(passedBefore + 2);

    // When the confirming unit refuses one and confirms the other (whose 文号 it set)
    await publish('result-confirmed', failed.dossierId, { confirmed: false, confirmReason: '任职年限不符合申报条件' });
    await db.knex('dossiers').where({ id: passed.dossierId }).update({ document_no: '川人社职〔2026〕12号' });
    await publish('result-confirmed', passed.dossierId, { confirmed: true, confirmReason: '' });

    // Then the refused one ended as 确认不通过, no longer counted
    expect(await dossierRow(failed.dossierId)).toMatchObject({ status: 'confirm_failed', result: 'confirm_failed', result_stage: 'confirmation', result_reason: '任职年限不符合申报条件' });
    expect(await instanceOf(failed.instanceId)).toMatchObject({ status: 'completed' });
    await expectToldOnce(failed, '确认不通过');
    expect(await passedCount()).toBe(passedBefore + 1);
    // and the confirmed one is 通过 with its 文号, waiting for its certificate
    expect(await dossierRow(passed.dossierId)).toMatchObject({ status: 'confirmed', result: 'passed', result_stage: 'confirmation', result_reason: null });
    await expectToldOnce(passed, '通过');
    expect((await mine(passed.user, passed.dossierId))?.result).toMatchObject({ code: 'passed', label: '通过', documentNo: '川人社职〔2026〕12号', reason: null });

    // When the certificate is issued, the result stays 通过 and nobody is told twice
    await publish('certificate-issued', passed.dossierId, { certificateNo: 'ZC-2026-0009' });
    expect(await dossierRow(passed.dossierId)).toMatchObject({ status: 'certified', result: 'passed' });
    expect(await instanceOf(passed.instanceId)).toMatchObject({ status: 'completed' });
    await expectToldOnce(passed, '通过');
    expect(await passedCount()).toBe(passedBefore + 1);
  });

  it('the staff’s 申报详情 shows the result too', async () => {
    // Given a dossier that failed the plenary round
    const c = await receivedDossier();
    await publish('review-result', c.dossierId, { reviewPassed: false, reviewStage: 'plenary', reviewReason: '同意票未达三分之二' });
    // When the employer's clerk opens it
    const res = await t.request('GET', `/api/dossiers/${c.dossierId}`, { user: 'kj_hr' });
    // Then the result is there with its round and reason
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().result).toMatchObject({ code: 'review_failed', label: '未通过（评委会评审）', reason: '同意票未达三分之二' });
  });
});

describe('放弃: a revision whose deadline passes', () => {
  it('is marked 放弃 and its case ends when the revision deadline passes without a resubmission', async () => {
    // Given a dossier returned to its applicant, and the activity's revision deadline
    const c = await returnedDossier();
    const activity = await db.knex('activities').where({ id: 1 }).first('revision_deadline');
    const deadline = new Date(activity.revision_deadline);
    const start = t.clock.now();
    try {
      // When the time is just before the deadline, the timer has nothing to fire
      t.clock.set(new Date(deadline.getTime() - 60_000));
      await t.app.engine.fireDueTimers();
      expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'returned', result: null });

      // When the deadline has passed and the timer fires
      t.clock.set(new Date(deadline.getTime() + 1000));
      await t.app.engine.fireDueTimers();

      // Then the dossier is 放弃 at the revision, its case ended at 放弃, the task gone
      expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'abandoned', result: 'abandoned', result_stage: 'revision' });
      expect((await dossierRow(c.dossierId)).result_reason).toMatch(/^修改提交截止时间 .+ 已过，未重新提交申报材料$/);
      const instance = await instanceOf(c.instanceId);
      expect(instance.status).toBe('completed');
      expect(instance.trail).toEqual(expect.arrayContaining(['revision_lapsed', 'revision_checked', 'gw_revision_lapsed', 'abandoned', 'end_abandoned']));
      expect(await db.knex('tasks').where({ root_instance_id: c.instanceId, status: 'open' })).toHaveLength(0);
      await expectToldOnce(c, '放弃');
      expect((await mine(c.user, c.dossierId))?.result).toMatchObject({ code: 'abandoned', label: '放弃', stageLabel: '退回修改' });
    } finally {
      t.clock.set(start);
    }
  });

  it('a deadline moved later before it passed keeps the revision open: the timer reads it again and waits, and the applicant resubmits', async () => {
    // Given a returned dossier whose returning unit set a later revision deadline than the activity's
    const c = await returnedDossier();
    const activity = await db.knex('activities').where({ id: 1 }).first('revision_deadline');
    const deadline = new Date(activity.revision_deadline);
    const later = new Date(deadline.getTime() + 5 * 86_400_000);
    const set = await t.request('PUT', `/api/dossiers/${c.dossierId}/revision-deadline`, { user: 'kj_hr', body: { at: later.toISOString() } });
    expect(set.statusCode, set.body).toBe(200);
    const start = t.clock.now();
    try {
      // When the activity's deadline passes and the timer fires
      t.clock.set(new Date(deadline.getTime() + 1000));
      await t.app.engine.fireDueTimers();

      // Then the revision is still open: no result, a 修改并重新提交 task for the applicant again
      expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'returned', result: null });
      expect((await instanceOf(c.instanceId)).status).toBe('running');
      expect((await instanceOf(c.instanceId)).trail).toContain('f_revision_extended');
      const task = await taskOf(t, c.user, c.instanceId, 'resubmit');
      expect(await resultMessages(c.dossierId)).toHaveLength(0);

      // and the applicant resubmits before the new deadline
      await completeOk(t, c.user, task.id, 'submit', undefined, VALID_DOSSIER);
      expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'submitted', result: null });
      // and once resubmitted, the new deadline passing changes nothing
      t.clock.set(new Date(later.getTime() + 1000));
      await t.app.engine.fireDueTimers();
      expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'submitted', result: null });
      expect(await db.knex('timers').where({ root_instance_id: c.instanceId, status: 'pending' })).toHaveLength(0);
    } finally {
      t.clock.set(start);
    }
  });
});

describe('放弃 and the activity’s approved deadline extension', () => {
  it('an extension of the activity’s 个人修改提交截止时间 approved before the deadline keeps the revision open', async () => {
    // Given a returned dossier and the activity's deadlines
    const c = await returnedDossier();
    const a = await db.knex('activities').where({ id: 1 }).first('first_deadline', 'revision_deadline', 'receipt_deadline');
    const old = new Date(a.revision_deadline);
    const later = (d: Date, days: number) => new Date(new Date(d).getTime() + days * 86_400_000).toISOString();
    // When the committee asks to move them 5 days later and the registrar approves, before the deadline
    const change = await t.request('POST', '/api/activities/1/deadline-changes', {
      user: 'cd_pw',
      body: { firstDeadline: later(a.first_deadline, 5), revisionDeadline: later(old, 5), receiptDeadline: later(a.receipt_deadline, 5), reason: '延长修改时间' },
    });
    expect(change.statusCode, change.body).toBe(201);
    await completeOk(t, 'sc_hr', (await taskOf(t, 'sc_hr', (change.json() as { instanceId: string }).instanceId, 'registrar_review')).id, 'pass', '同意');
    const start = t.clock.now();
    try {
      // and the old deadline passes: the timer fires
      t.clock.set(new Date(old.getTime() + 1000));
      await t.app.engine.fireDueTimers();

      // Then the revision is open still and the applicant may resubmit
      expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'returned', result: null });
      await completeOk(t, c.user, (await taskOf(t, c.user, c.instanceId, 'resubmit')).id, 'submit', undefined, VALID_DOSSIER);
      expect(await dossierRow(c.dossierId)).toMatchObject({ status: 'submitted', result: null });
    } finally {
      t.clock.set(start);
    }
  });
});

describe('单位公示: the employer’s pass carries a 公示期 of at least 5 working days, ended before the pass', () => {
  async function atEmployer() {
    const user = applicant();
    const id = await submitDossier(t, user);
    return { id, task: await taskOf(t, 'kj_hr', id, 'unit_review') };
  }
  const files = async () => ({ publicityProof: [await uploadPdf(t, 'kj_hr', '公示证明.pdf')], recommendation: [await uploadPdf(t, 'kj_hr', '综合推荐材料.pdf')] });
  const pass = async (taskId: string, publicityStart: string, publicityEnd: string) => complete(t, 'kj_hr', taskId, 'pass', '同意推荐', { publicityStart, publicityEnd, ...(await files()) });

  it('refuses a period of 4 working days, naming the rule and the field', async () => {
    // Given a dossier at the employer on Monday 2026-03-02
    const { task } = await atEmployer();
    // When the clerk passes it after a publicity from Tuesday to Friday the week before
    const res = await pass(task.id, '2026-02-24', '2026-02-27');
    // Then it is refused with the rule
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ message: '单位公示期不少于 5 个工作日（按工作日历计算）：2026-02-24 至 2026-02-27 仅 4 个工作日', details: [{ field: 'data.publicityEnd' }] });
  });

  it('refuses a period that ends after the pass (still running)', async () => {
    // Given a dossier at the employer on 2026-03-02
    const { task } = await atEmployer();
    // When the publicity ends tomorrow
    const res = await pass(task.id, '2026-02-24', '2026-03-03');
    // Then
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().message).toContain('单位公示须在审核通过前结束');
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.publicityEnd' })]);
  });

  it('counts a period over the 劳动节 holiday by the 工作日历: 4 working days refused though 7 weekdays, 5 accepted, stored and shown to the next level', async () => {
    // Given a dossier at the employer, passed on Monday 2026-05-11
    const { id, task } = await atEmployer();
    const start = t.clock.now();
    t.clock.set('2026-05-11T10:00:00+08:00');
    try {
      // When the publicity ran from 04-30 to 05-08 (05-01 to 05-05 are holidays): refused
      const short = await pass(task.id, '2026-04-30', '2026-05-08');
      expect(short.statusCode, short.body).toBe(400);
      expect(short.json().message).toContain('仅 4 个工作日');

      // When it ran from 04-29 to 05-08: 5 working days, accepted
      const ok = await pass(task.id, '2026-04-29', '2026-05-08');
      expect(ok.statusCode, ok.body).toBe(200);

      // Then the period is stored with the decision, and the department's task shows it
      const entry = await db.knex('history_events').where({ task_id: task.id, type: 'task.complete' }).first('data');
      expect(entry.data).toMatchObject({ publicityStart: '2026-04-29', publicityEnd: '2026-05-08' });
      const next = await taskOf(t, 'cd_jxj', id, 'department_review');
      const detail = (await t.request('GET', `/api/tasks/${next.id}`, { user: 'cd_jxj' })).json() as { submissions: Array<{ formKey: string; data: Record<string, unknown>; schema: { properties: Record<string, { title: string }> } }> };
      const employer = detail.submissions.find((s) => s.formKey === 'employer-review');
      expect(employer?.data).toMatchObject({ publicityStart: '2026-04-29', publicityEnd: '2026-05-08' });
      expect(employer?.schema.properties.publicityStart?.title).toBe('公示开始日期');
    } finally {
      t.clock.set(start);
    }
  });
});
