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
  // the demo activity holds a written exam for all and 专业组 voting; no defense, no 破格
  await setActivityOptions(db.knex, { writtenExam: 'all', panels: true, panelMethod: 'vote' });
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
  it('runs from received dossiers to each applicant’s result: exam, draw, attendance, 专业组, credentials, voting with 缺席 and 回退, tallies, messages', async () => {
    // Given five dossiers received by the committee through the dossier flow, and a pool of experts
    const cases = [];
    for (const a of APPLICANTS) cases.push(await receivedDossier(a));
    const [a, b, c, d, e] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    const passedBefore = await passedCount();
    const { committeeId } = await demoCommittee(db.knex);
    const pool = [
      ...(await addExperts(db.knex, committeeId, 14, { specialty: '机械工程' })),
      ...(await addExperts(db.knex, committeeId, 6, { specialty: '机械工程', region: '510700' })),
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

    // When 专家抽选: one group of 6 正高级 机械工程 experts, drawn ×2 and accepted
    ok(await t.request('POST', url(meeting.id, '/draw-groups'), { user: CLERK, body: { specialty: '机械工程', level: 'senior_full', count: 6 } }), 201);
    const drawn = await t.request('POST', url(meeting.id, '/draws'), { user: CLERK, body: { multiplier: 2 } });
    ok(drawn, 201);
    const list = (drawn.json() as { id: number; list: Array<{ expertId: number; role: string; altOrder: number | null; isChair: boolean; outside: boolean; name: string }> }).list;
    ok(await t.request('POST', url(meeting.id, `/draws/${drawn.json().id}/accept`), { user: CLERK }));
    await step(meeting.instanceId, 'draw');

    // When 确认出席: one principal cancels, the first alternate is promoted, then everyone is confirmed
    // a local one: the draw is random, and 确认出席 needs its quota of 外地专家 whoever the alternate is
    const cancelled = list.find((x) => x.role === 'principal' && !x.isChair && !x.outside)!;
    const firstAlt = list.find((x) => x.altOrder === 1)!;
    const cancel = await t.request('POST', url(meeting.id, '/attendance'), { user: CLERK, body: { expertIds: [cancelled.expertId], action: 'cancel', reason: '出差无法参会' } });
    ok(cancel);
    expect(cancel.json().promoted).toEqual([expect.objectContaining({ expertId: firstAlt.expertId, replacing: cancelled.name })]);
    const principals = list.filter((x) => x.role === 'principal' && x.expertId !== cancelled.expertId).map((x) => x.expertId).concat(firstAlt.expertId);
    ok(await t.request('POST', url(meeting.id, '/attendance'), { user: CLERK, body: { expertIds: principals, action: 'confirm' } }));
    // (the random list may seat two 主任委员 — the demo pool has one too: then the committee names the 执行主任)
    const chairs = list.filter((x) => x.isChair && principals.includes(x.expertId));
    if (chairs.length > 1) ok(await t.request('POST', url(meeting.id, '/executive-chair'), { user: CLERK, body: { expertId: chairs[0]!.expertId } }), 204);
    await step(meeting.instanceId, 'attendance');

    // When 专家分组: two panels of three, each with a 组长
    const members = [principals.slice(0, 3), principals.slice(3, 6)] as [number[], number[]];
    const panelIds: number[] = [];
    for (const [n, experts] of members.entries()) {
      const panel = await t.request('POST', url(meeting.id, '/panels'), { user: CLERK, body: { name: `第${n + 1}组`, specialty: '机械工程' } });
      ok(panel, 201);
      panelIds.push((panel.json() as { id: number }).id);
      ok(await t.request('PUT', url(meeting.id, '/panel-members'), { user: CLERK, body: { expertIds: experts, panelId: panelIds[n] } }));
      ok(await t.request('PUT', url(meeting.id, `/panels/${panelIds[n]}/leader`), { user: CLERK, body: { expertId: experts[0] } }));
    }
    await step(meeting.instanceId, 'panels');

    // When 人员分配: a and b to the first panel, c and d to the second, each with a 主审 and a 辅审 of its panel
    const detail = (await t.request('GET', `/api/meetings/${meeting.id}/candidates?pageSize=500`, { user: CLERK })).json() as { candidates: Array<{ dossierId: number; status: string }> };
    expect(detail.candidates.filter((x) => x.status === 'candidate').map((x) => x.dossierId).sort()).toEqual([a, b, c, d].map((x) => x.dossierId).sort());
    for (const [dossier, p] of [[a, 0], [b, 0], [c, 1], [d, 1]] as const) {
      ok(await t.request('PUT', url(meeting.id, '/assignments'), { user: CLERK, body: { dossierIds: [dossier.dossierId], mainExpertId: members[p][0], assistantExpertIds: [members[p][1]], panelId: panelIds[p] } }));
    }
    await step(meeting.instanceId, 'assignment');

    // When the credentials are issued and each expert logs in; then 开启专家投票
    // a demo expert's number is sealed (the sweep ran at start), the pool's were just written plain
    const experts = await db.knex('experts').whereIn('id', principals).select('id', 'name', 'id_number', 'id_number_enc');
    const seeded = { meetingId: meeting.id, experts: experts.map((x: { id: number; name: string; id_number: string | null; id_number_enc: string | null }) => ({ expertId: Number(x.id), name: x.name, idNumber: t.app.pii.reveal(x.id_number_enc, x.id_number)! })) } as SeededMeeting;
    const tokens = await expertTokens(t, CLERK, seeded);
    await step(meeting.instanceId, 'open_voting');
    const openBallots = (elementId: string) => db.knex('tasks').where({ root_instance_id: meeting.instanceId, element_id: elementId, status: 'open' }).pluck('id');
    expect(await openBallots('panel_ballot')).toHaveLength(6);
    const ballot = (expertId: number, choices: Array<[{ dossierId: number }, 'agree' | 'disagree']>) =>
      t.request('POST', `/api/expert/meetings/${meeting.id}/ballot/submit`, { token: tokens.get(expertId)!, body: { votes: choices.map(([x, choice]) => ({ dossierId: x.dossierId, choice })) } });

    // When the panels vote: in the second panel c gets 1 同意 of 3 (3·1 < 2·3) and d exactly 2 of 3 (3·2 ≥ 2·3),
    // in the first a and b 3 of 3; and the clerk completes the panel tally
    for (const expertId of members[0]) ok(await ballot(expertId, [[a, 'agree'], [b, 'agree']]));
    for (const [k, expertId] of members[1].entries()) ok(await ballot(expertId, [[c, k === 0 ? 'agree' : 'disagree'], [d, k < 2 ? 'agree' : 'disagree']]));
    ok(await t.request('POST', url(meeting.id, '/tally/pass'), { user: CLERK, body: {} }));
    // Then c is eliminated at the panel round, d goes on, and the plenary round has a ballot for each of the six
    expect(await db.knex('meeting_candidates').where({ meeting_id: meeting.id, dossier_id: c.dossierId }).first('status', 'result_round')).toEqual({ status: 'eliminated', result_round: 'panel' });
    expect(await openBallots('plenary_ballot')).toHaveLength(6);

    // When one expert is 缺席 at the plenary (5 of 6 attend: 3·5 ≥ 2·6, the round is valid) and the others vote:
    // a 5 同意, b 3 (3·3 < 2·5 fails), d 3 at first — the last expert's 不同意 on d is handed back and corrected, 4 (3·4 ≥ 2·5 passes)
    const [absent, ...present] = principals as [number, ...number[]];
    ok(await t.request('POST', url(meeting.id, '/tally/absent'), { user: CLERK, body: { expertId: absent, opinion: '因病未到会' } }));
    for (const [k, expertId] of present.entries()) {
      ok(await ballot(expertId, [[a, 'agree'], [b, k < 3 ? 'agree' : 'disagree'], [d, k < 3 ? 'agree' : 'disagree']]));
    }
    const corrected = present[4]!;
    ok(await t.request('POST', url(meeting.id, '/tally/return'), { user: CLERK, body: { expertId: corrected, opinion: '误选不同意，经本人确认回退' } }));
    expect(await openBallots('plenary_ballot')).toHaveLength(1);
    ok(await ballot(corrected, [[a, 'agree'], [b, 'disagree'], [d, 'agree']]));
    // and the clerk completes the plenary tally (计票完成)
    ok(await t.request('POST', url(meeting.id, '/tally/pass'), { user: CLERK, body: {} }));

    // Then every round was valid (the plenary with 5 attending of 6 confirmed), and the 2/3 rule decided: a and d passed, b failed at the plenary, c at its panel
    expect(await db.knex('meeting_rounds').where({ meeting_id: meeting.id }).orderBy('id').select('kind', 'status', 'valid', 'attending_count', 'confirmed_count')).toEqual([
      { kind: 'panel', status: 'closed', valid: true, attending_count: 3, confirmed_count: 3 },
      { kind: 'panel', status: 'closed', valid: true, attending_count: 3, confirmed_count: 3 },
      { kind: 'plenary', status: 'closed', valid: true, attending_count: 5, confirmed_count: 6 },
    ]);
    const statusOf = new Map((await db.knex('meeting_candidates').where({ meeting_id: meeting.id }).select('dossier_id', 'status', 'result_round')).map((r: { dossier_id: number; status: string; result_round: string }) => [Number(r.dossier_id), `${r.status}/${r.result_round}`]));
    expect([a, b, c, d, e].map((x) => statusOf.get(x.dossierId))).toEqual(['passed/plenary', 'failed/plenary', 'eliminated/panel', 'passed/plenary', 'failed/exam']);
    // and the meeting is closed, its case completed
    expect((await db.knex('review_meetings').where({ id: meeting.id }).first('status')).status).toBe('closed');
    expect((await db.knex('process_instances').where({ id: meeting.instanceId }).first('status')).status).toBe('completed');
    // and each dossier that sat the review got one review-result message, delivered, with its result and stage
    const reviewMessages = await db.knex('process_messages').where({ name: 'review-result' }).orderBy('correlation_key').select('correlation_key', 'status', 'payload');
    const voted: Array<[{ dossierId: number }, boolean, string]> = [[a, true, 'plenary'], [b, false, 'plenary'], [c, false, 'panel'], [d, true, 'plenary']];
    expect(reviewMessages).toEqual(
      expect.arrayContaining(voted.map(([x, reviewPassed, reviewStage]) => ({ correlation_key: `dossier:${x.dossierId}`, status: 'delivered', payload: expect.objectContaining({ reviewPassed, reviewStage }) }))),
    );
    expect(reviewMessages).toHaveLength(4);
    const dossierStatus = new Map((await db.knex('dossiers').whereIn('id', cases.map((x) => x.dossierId)).select('id', 'status')).map((r: { id: number; status: string }) => [Number(r.id), r.status]));
    expect([a, b, c, d, e].map((x) => dossierStatus.get(x.dossierId))).toEqual(['review_passed', 'review_failed', 'review_failed', 'review_passed', 'exam_failed']);
    // and 申报材料综合查询 counts the two passed
    expect(await passedCount()).toBe(passedBefore + 2);
  });
});
