import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

/**
 * The second half after a meeting, through the real flows and routes of its three parts: the
 * normal meeting hands over to 评审结果公示; a complaint upheld during the period withdraws one
 * result; the period's timer ends the publicity and hands the others to 评审结果确认, which the
 * 授权管理单位 confirms (one passed with its 文号, one refused); each applicant's case ends with
 * its result, which 我的申报 shows.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
// a Monday: the period 9月21日–28日 has 5 working days (9月25日 is 中秋节)
const clock = new TestClock('2026-09-21T09:00:00+08:00');
const APPLICANTS = ['whole_a', 'whole_b', 'whole_c'];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { clock, demo: true });
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert(APPLICANTS.map((username, i) => ({ username, password_hash: hash, display_name: `全程申报人${'甲乙丙'[i]}`, unit_id: employer.id, roles: ['applicant'] })));
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

async function receivedDossier(applicant: string) {
  const id = await submitDossier(t, applicant);
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
  await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
  await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
  await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
  return { instanceId: id, dossierId: Number((await db.knex('dossiers').where({ instance_id: id }).first('id')).id) };
}

async function publish(name: string, correlationKey: string, payload: Record<string, unknown> = {}) {
  await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name, correlationKey, payload }));
  await t.app.engine.deliverMessages();
}

type Result = { code: string; label: string; stageLabel: string | null; reason: string | null; documentNo: string | null } | null;
const resultOf = async (user: string, dossierId: number) =>
  ((await t.request('GET', '/api/dossiers/mine', { user })).json() as Array<{ id: number; result: Result }>).find((d) => d.id === dossierId)?.result ?? null;

describe('from the meeting’s hand-over to every applicant’s result', () => {
  it('publicity with an upheld complaint, the period’s end, confirmation by the 授权管理单位, and each case ending with its result', async () => {
    // Given three dossiers the normal meeting passed (their cases got 评审结果), on a closed meeting
    const [a, b, c] = [await receivedDossier(APPLICANTS[0]!), await receivedDossier(APPLICANTS[1]!), await receivedDossier(APPLICANTS[2]!)];
    for (const d of [a, b, c]) await publish('review-result', `dossier:${d.dossierId}`, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
    const committeeId = Number((await db.knex('activities').where({ id: 1 }).first('committee_id')).committee_id);
    const at = clock.now();
    const [meeting] = await db.knex('review_meetings').insert({ activity_id: 1, committee_id: committeeId, kind: 'normal', name: '全程普通评审会议', status: 'closed', created_at: at, updated_at: at }).returning('id');
    const meetingId = Number(meeting.id);
    await db.knex('meeting_candidates').insert([a, b, c].map((d, i) => ({ meeting_id: meetingId, dossier_id: d.dossierId, order_no: i + 1, status: 'passed', result_round: 'plenary', created_at: at })));

    // When the meeting hands over (what review-meeting.bpmn throws at its end) and the clerk publishes 9月21日–28日
    await publish('result-publicity-requested', `publicity:meeting:${meetingId}`, { meetingId, activityId: 1, committeeId });
    const publicity = (await t.request('GET', `/api/meetings/${meetingId}/publicity`, { user: 'cd_pw' })).json();
    await completeOk(t, 'cd_pw', publicity.publishTaskId, 'complete', undefined, {
      periodStart: '2026-09-21',
      periodEnd: '2026-09-28',
      contactPerson: '王老师',
      contactPhone: '028-61888888',
      contactAddress: '成都市高新区天府大道1号',
    });
    // and a complaint against 甲 is upheld during the period
    const notice = (await t.request('GET', `/api/meetings/${meetingId}/publicity`, { user: 'cd_pw' })).json().notice;
    const filed = await t.request('POST', `/api/publicity/${notice.id}/complaints`, { user: APPLICANTS[2]!, body: { dossierId: a.dossierId, reason: '其业绩材料与实际不符' } });
    expect(filed.statusCode, filed.body).toBe(201);
    const complaint = ((await t.request('GET', `/api/meetings/${meetingId}/publicity`, { user: 'cd_pw' })).json().complaints as Array<{ dossierId: number; instanceId: string }>).find((x) => x.dossierId === a.dossierId)!;
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', complaint.instanceId, 'investigate')).id, 'uphold', '经核实业绩材料不实，撤销其评审结果');

    // Then 甲's case ended as 公示期间被撤销 with the reason
    expect(await resultOf(APPLICANTS[0]!, a.dossierId)).toMatchObject({ code: 'withdrawn', label: '公示期间被撤销', reason: '经核实业绩材料不实，撤销其评审结果' });
    expect((await db.knex('process_instances').where({ id: a.instanceId }).first('status')).status).toBe('completed');

    // When the period ends (its timer) and the 授权管理单位 (成都市人社局) confirms 乙 and refuses 丙
    clock.set('2026-09-29T00:30:00+08:00');
    await t.app.scheduler.runOnce();
    await t.app.engine.deliverMessages();
    const list = (await t.request('GET', '/api/result-confirmations?kind=direct', { user: 'cd_hr' })).json() as Array<{ meetingId: number; counts: { confirming: number } }>;
    expect(list.find((m) => m.meetingId === meetingId)?.counts.confirming).toBe(2);
    const page = (await t.request('GET', `/api/result-confirmations/${meetingId}/candidates?kind=direct`, { user: 'cd_hr' })).json() as { candidates: Array<{ dossierId: number }> };
    expect(page.candidates.map((x) => x.dossierId).sort()).toEqual([b.dossierId, c.dossierId].sort());
    const file = await uploadPdf(t, 'cd_hr', '任职资格文件.pdf');
    expect((await t.request('PUT', `/api/result-confirmations/${meetingId}/qualification-file`, { user: 'cd_hr', body: { fileId: file.id } })).statusCode).toBe(200);
    // each decision names the step the list shows for the candidate
    const confirm = async (dossierId: number, what: 'review' | 'decision', body: Record<string, unknown>) => {
      const shown = (await t.request('GET', `/api/result-confirmations/${meetingId}/candidates?kind=direct`, { user: 'cd_hr' })).json() as { candidates: Array<{ dossierId: number; taskId: string | null }> };
      const taskId = shown.candidates.find((x) => x.dossierId === dossierId)?.taskId ?? undefined;
      return t.request('POST', `/api/result-confirmations/${meetingId}/candidates/${dossierId}/${what}`, { user: 'cd_hr', body: { ...body, taskId } });
    };
    for (const d of [b, c]) expect((await confirm(d.dossierId, 'review', { action: 'pass' })).statusCode).toBe(200);
    expect((await confirm(b.dossierId, 'decision', { passed: true })).statusCode).toBe(200);
    expect((await confirm(c.dossierId, 'decision', { passed: false, reason: '任职年限不符合申报条件' })).statusCode).toBe(200);
    await t.app.engine.deliverMessages();
    // and the committee sets 乙's 职称文件文号
    const numbered = await t.request('PUT', `/api/meetings/${meetingId}/confirmation/document-numbers`, { user: 'cd_pw', body: { dossierIds: [b.dossierId], documentNo: '川人社职〔2026〕21号', approvalDate: '2026-09-30' } });
    expect(numbered.statusCode, numbered.body).toBe(200);

    // Then each applicant sees their result in 我的申报: 通过 with the 文号, 确认不通过 with the reason
    expect(await resultOf(APPLICANTS[1]!, b.dossierId)).toMatchObject({ code: 'passed', label: '通过', documentNo: '川人社职〔2026〕21号' });
    expect(await resultOf(APPLICANTS[2]!, c.dossierId)).toMatchObject({ code: 'confirm_failed', label: '确认不通过', reason: '任职年限不符合申报条件' });
    // and each case received each message once: 甲 no 公示结束, 乙 and 丙 one each, and one 确认结果
    const sent = async (name: string, d: { dossierId: number }) => (await db.knex('process_messages').where({ name, correlation_key: `dossier:${d.dossierId}` })).length;
    expect([await sent('publicity-ended', a), await sent('publicity-ended', b), await sent('publicity-ended', c)]).toEqual([0, 1, 1]);
    expect([await sent('result-confirmed', b), await sent('result-confirmed', c)]).toEqual([1, 1]);
    // and 丙's case has ended while 乙's waits for its certificate
    expect((await db.knex('process_instances').where({ id: c.instanceId }).first('status')).status).toBe('completed');
    expect((await t.app.engine.waitingMessages(b.instanceId)).map((w) => w.name)).toEqual(['certificate-issued']);
  });
});
