import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { idNumber } from '../helpers/fixtures.ts';
import { upload } from '../helpers/files.ts';
import { expertTokens, type SeededMeeting } from '../helpers/ballots.ts';
import { addExperts, demoCommittee } from '../helpers/meeting-draw.ts';
import { setActivityOptions } from '../helpers/meeting-fixtures.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

/**
 * A whole 普通评审会议 on the real modules (dossiers, meeting-prep, expert-draw, meetings, ballots,
 * process messages): from dossiers received by the committee to each applicant's result.
 */

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const CLERK = 'cd_pw';
const APPLICANTS = ['whole_a', 'whole_b', 'whole_c', 'whole_d', 'whole_e'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  // the demo activity holds a written exam for all, no defense, no panels, no 破格
  await setActivityOptions(db.knex, { writtenExam: 'all' });
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert(APPLICANTS.map((username, i) => ({ username, password_hash: hash, display_name: `整体申报人${i + 1}`, unit_id: employer.id, roles: ['applicant'], id_number: idNumber('19880101', 700 + i, '510107') })));
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** A dossier submitted by `applicant`, passed up the chain and received by the committee. */
async function receivedDossier(applicant: string): Promise<{ instanceId: string; dossierId: number }> {
  const id = await submitDossier(t, applicant);
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
  await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
  await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
  await completeOk(t, CLERK, (await taskOf(t, CLERK, id, 'committee_receipt')).id, 'pass', '予以接收');
  const dossier = await db.knex('dossiers').where({ instance_id: id }).first('id');
  return { instanceId: id, dossierId: Number(dossier.id) };
}

/** The clerk completes the meeting's open task at `elementId` through the inbox's task completion. */
async function step(instanceId: string, elementId: string) {
  const task = await taskOf(t, CLERK, instanceId, elementId);
  return completeOk(t, CLERK, task.id, 'complete');
}

const ok = (res: { statusCode: number; body: string }, code = 200) => expect(res.statusCode, res.body).toBe(code);
const url = (meetingId: number, path: string) => `/api/meetings/${meetingId}${path}`;
const passedCount = async () => Number((await t.request('GET', '/api/dossier-queries/summary', { user: CLERK })).json().totals.passed);

describe('a whole 普通评审会议 through the real API', () => {
  it('runs from received dossiers to each applicant’s result: exam, draw, attendance, credentials, voting with 缺席 and 回退, tally, messages', async () => {
    // Given five dossiers received by the committee through the dossier flow, and a pool of experts
    const cases = [];
    for (const a of APPLICANTS) cases.push(await receivedDossier(a));
    const [a, b, c, d, e] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    const passedBefore = await passedCount();
    const { committeeId } = await demoCommittee(db.knex);
    const pool = [
      ...(await addExperts(db.knex, committeeId, 8, { specialty: '机械工程' })),
      ...(await addExperts(db.knex, committeeId, 4, { specialty: '机械工程', region: '510700' })),
      ...(await addExperts(db.knex, committeeId, 1, { specialty: '机械工程', chair: true })),
    ];
    // the meeting credential's login is the expert's 证件号码
    for (const [i, expertId] of pool.entries()) await db.knex('experts').where({ id: expertId }).update({ id_number: idNumber('19700101', 500 + i, '510104') });

    // When the clerk creates the normal meeting
    const created = await t.request('POST', '/api/meetings', { user: CLERK, body: { activityId: 1, kind: 'normal', name: '2026年度普通评审会议（整体）', startsAt: '2026-06-01T09:00:00+08:00', location: '成都市人社局 3 楼会议室' } });
    ok(created, 201);
    const meeting = created.json() as { id: number; instanceId: string; candidateCount: number };
    // Then its candidates are the five received dossiers
    expect(meeting.candidateCount).toBe(5);

    // When 导入笔试成绩: the template is filled in, e fails the exam
    const template = await t.request('GET', url(meeting.id, '/exam/template'), { user: CLERK });
    ok(template);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const failedName = '整体申报人5';
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const failing = String(row.getCell(1).value) === failedName;
      row.getCell(4).value = failing ? 41 : 80;
      row.getCell(5).value = failing ? '不合格' : '合格';
    });
    const fileRes = await upload(t, CLERK, [{ name: '笔试成绩.xlsx', type: XLSX, content: Buffer.from(await wb.xlsx.writeBuffer()) }]);
    ok(fileRes, 201);
    const checked = await t.request('POST', url(meeting.id, '/exam/imports'), { user: CLERK, body: { fileId: (fileRes.json() as Array<{ id: string }>)[0]!.id } });
    ok(checked, 201);
    expect(checked.json().badCount, JSON.stringify(checked.json().bad)).toBe(0);
    ok(await t.request('POST', url(meeting.id, `/exam/imports/${checked.json().id}/confirm`), { user: CLERK }));
    await step(meeting.instanceId, 'exam');
    // Then the failed candidate's case ends as 笔试不通过 through the exam-result message
    expect((await db.knex('dossiers').where({ id: e.dossierId }).first('status')).status).toBe('exam_failed');
    const examMessages = await db.knex('process_messages').where({ name: 'exam-result' }).select('correlation_key', 'status');
    expect(examMessages.map((m: { correlation_key: string }) => m.correlation_key).sort()).toEqual(cases.map((x) => `dossier:${x.dossierId}`).sort());
    expect(examMessages.every((m: { status: string }) => m.status === 'delivered')).toBe(true);

    // When 专家抽选: one group of 4 正高级 机械工程 experts, drawn ×2 and accepted
    ok(await t.request('POST', url(meeting.id, '/draw-groups'), { user: CLERK, body: { specialty: '机械工程', level: 'senior_full', count: 4 } }), 201);
    const drawn = await t.request('POST', url(meeting.id, '/draws'), { user: CLERK, body: { multiplier: 2 } });
    ok(drawn, 201);
    const list = (drawn.json() as { id: number; list: Array<{ expertId: number; role: string; altOrder: number | null; isChair: boolean; name: string }> }).list;
    ok(await t.request('POST', url(meeting.id, `/draws/${drawn.json().id}/accept`), { user: CLERK }));
    await step(meeting.instanceId, 'draw');

    // When 确认出席: one principal cancels, the first alternate is promoted, then everyone is confirmed
    const cancelled = list.find((x) => x.role === 'principal' && !x.isChair)!;
    const firstAlt = list.find((x) => x.altOrder === 1)!;
    const cancel = await t.request('POST', url(meeting.id, '/attendance'), { user: CLERK, body: { expertIds: [cancelled.expertId], action: 'cancel', reason: '出差无法参会' } });
    ok(cancel);
    expect(cancel.json().promoted).toEqual([expect.objectContaining({ expertId: firstAlt.expertId, replacing: cancelled.name })]);
    const principals = list.filter((x) => x.role === 'principal' && x.expertId !== cancelled.expertId).map((x) => x.expertId).concat(firstAlt.expertId);
    ok(await t.request('POST', url(meeting.id, '/attendance'), { user: CLERK, body: { expertIds: principals, action: 'confirm' } }));
    await step(meeting.instanceId, 'attendance');

    // When 人员分配: each remaining candidate gets a 主审 and a 辅审
    const detail = (await t.request('GET', `/api/meetings/${meeting.id}`, { user: CLERK })).json() as { candidates: Array<{ dossierId: number; status: string }> };
    for (const cand of detail.candidates.filter((x) => x.status === 'candidate')) {
      ok(await t.request('PUT', url(meeting.id, '/assignments'), { user: CLERK, body: { dossierIds: [cand.dossierId], mainExpertId: principals[0], assistantExpertIds: [principals[1]] } }));
    }
    await step(meeting.instanceId, 'assignment');

    // When the credentials are issued and each expert logs in; then 开启专家投票
    const experts = await db.knex('experts').whereIn('id', principals).select('id', 'name', 'id_number');
    const seeded = { meetingId: meeting.id, experts: experts.map((x: { id: number; name: string; id_number: string }) => ({ expertId: Number(x.id), name: x.name, idNumber: x.id_number })) } as SeededMeeting;
    const tokens = await expertTokens(t, CLERK, seeded);
    await step(meeting.instanceId, 'open_voting');
    expect(await db.knex('tasks').where({ root_instance_id: meeting.instanceId, element_id: 'plenary_ballot', status: 'open' }).pluck('candidate_user_ids')).toHaveLength(4);

    // When one expert is 缺席 (3 of 4 attend: 3·3 ≥ 2·4, the round is valid) and the others vote:
    // a 3 同意, b 2 (3·2 ≥ 2·3 passes), c 1 (fails), d 1 at first — the third expert's 不同意 on d is handed back and corrected to 同意
    const [absent, v1, v2, v3] = principals as [number, number, number, number];
    ok(await t.request('POST', url(meeting.id, '/tally/absent'), { user: CLERK, body: { expertId: absent, opinion: '因病未到会' } }));
    const ballot = (expertId: number, choices: Array<[number, 'agree' | 'disagree']>) =>
      t.request('POST', `/api/expert/meetings/${meeting.id}/ballot/submit`, { token: tokens.get(expertId)!, body: { votes: choices.map(([dossierId, choice]) => ({ dossierId, choice })) } });
    ok(await ballot(v1, [[a.dossierId, 'agree'], [b.dossierId, 'agree'], [c.dossierId, 'agree'], [d.dossierId, 'agree']]));
    ok(await ballot(v2, [[a.dossierId, 'agree'], [b.dossierId, 'agree'], [c.dossierId, 'disagree'], [d.dossierId, 'disagree']]));
    ok(await ballot(v3, [[a.dossierId, 'agree'], [b.dossierId, 'disagree'], [c.dossierId, 'disagree'], [d.dossierId, 'disagree']]));
    ok(await t.request('POST', url(meeting.id, '/tally/return'), { user: CLERK, body: { expertId: v3, opinion: '误选不同意，经本人确认回退' } }));
    ok(await ballot(v3, [[a.dossierId, 'agree'], [b.dossierId, 'disagree'], [c.dossierId, 'disagree'], [d.dossierId, 'agree']]));
    // and the clerk completes the tally (计票完成)
    ok(await t.request('POST', url(meeting.id, '/tally/pass'), { user: CLERK, body: {} }));

    // Then the round was valid with 3 attending of 4 confirmed, and the 2/3 rule decided a, b, d passed and c failed
    expect(await db.knex('meeting_rounds').where({ meeting_id: meeting.id }).select('kind', 'status', 'valid', 'attending_count', 'confirmed_count')).toEqual([
      { kind: 'plenary', status: 'closed', valid: true, attending_count: 3, confirmed_count: 4 },
    ]);
    const statusOf = new Map((await db.knex('meeting_candidates').where({ meeting_id: meeting.id }).select('dossier_id', 'status', 'result_round')).map((r: { dossier_id: number; status: string; result_round: string }) => [Number(r.dossier_id), `${r.status}/${r.result_round}`]));
    expect([a, b, c, d, e].map((x) => statusOf.get(x.dossierId))).toEqual(['passed/plenary', 'passed/plenary', 'failed/plenary', 'passed/plenary', 'failed/exam']);
    // and the meeting is closed, its case completed
    expect((await db.knex('review_meetings').where({ id: meeting.id }).first('status')).status).toBe('closed');
    expect((await db.knex('process_instances').where({ id: meeting.instanceId }).first('status')).status).toBe('completed');
    // and each voted dossier got one review-result message, delivered, and its status says the result
    const reviewMessages = await db.knex('process_messages').where({ name: 'review-result' }).select('correlation_key', 'status', 'payload');
    const voted = [a, b, c, d];
    expect(reviewMessages.filter((m: { status: string }) => m.status === 'delivered').map((m: { correlation_key: string }) => m.correlation_key).sort()).toEqual(voted.map((x) => `dossier:${x.dossierId}`).sort());
    const dossierStatus = new Map((await db.knex('dossiers').whereIn('id', cases.map((x) => x.dossierId)).select('id', 'status')).map((r: { id: number; status: string }) => [Number(r.id), r.status]));
    expect([a, b, c, d, e].map((x) => dossierStatus.get(x.dossierId))).toEqual(['review_passed', 'review_passed', 'review_failed', 'review_passed', 'exam_failed']);
    // and 申报材料综合查询 counts the three passed
    expect(await passedCount()).toBe(passedBefore + 3);
  });
});
