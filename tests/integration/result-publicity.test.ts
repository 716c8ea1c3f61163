import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { completeOk, complete, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { addCountyClerk } from '../helpers/meeting-fixtures.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
// a Monday before 国庆节 2026 (10月1日–7日放假, 9月20日、10月10日调休上班)
const clock = new TestClock('2026-09-21T09:00:00+08:00');
const APPLICANTS = ['pub_a', 'pub_b', 'pub_c'];
const NAMES = ['公示甲', '公示乙', '公示丙'];

let meetingId: number;
let publicityInstance: string;
const dossiers: Array<{ instanceId: string; dossierId: number }> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { clock, demo: true });
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert(APPLICANTS.map((username, i) => ({ username, password_hash: hash, display_name: NAMES[i], unit_id: employer.id, roles: ['applicant'] })));
  await addCountyClerk(db.knex);
});

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
  await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
  const dossier = await db.knex('dossiers').where({ instance_id: id }).first('id');
  return { instanceId: id, dossierId: Number(dossier.id) };
}

async function publish(name: string, correlationKey: string, payload: Record<string, unknown> = {}) {
  await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name, correlationKey, payload }));
  await t.app.engine.deliverMessages();
}

const dossierStatus = async (dossierId: number) => String((await db.knex('dossiers').where({ id: dossierId }).first('status')).status);
const candidateStatus = async (dossierId: number) => String((await db.knex('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossierId }).first('status')).status);
const messagesFor = (name: string, dossierId: number) => db.knex('process_messages').where({ name, correlation_key: `dossier:${dossierId}` });
const page = async (user: string) => t.request('GET', `/api/meetings/${meetingId}/publicity`, { user });

function pdfText(pdf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pdf-')), 'publicity.pdf');
  fs.writeFileSync(file, pdf);
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['install', '-y', '-qq', 'poppler-utils'], { stdio: 'ignore', env });
  }
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

describe('评审结果公示 after a normal meeting', () => {
  it('starts on 移交结果公示 and gives the committee the 发布公示公告 task', async () => {
    // Given three received dossiers that passed the review (their cases wait for 公示结束 or 撤销), on a closed normal meeting
    for (const applicant of APPLICANTS) dossiers.push(await receivedDossier(applicant));
    for (const d of dossiers) await publish('review-result', `dossier:${d.dossierId}`, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
    const activity = await db.knex('activities').where({ id: 1 }).first('committee_id');
    const at = clock.now();
    const [meeting] = await db
      .knex('review_meetings')
      .insert({ activity_id: 1, committee_id: activity.committee_id, kind: 'normal', name: '2026年度普通评审会议', status: 'closed', created_at: at, updated_at: at })
      .returning('id');
    meetingId = Number(meeting.id);
    await db.knex('meeting_candidates').insert(dossiers.map((d, i) => ({ meeting_id: meetingId, dossier_id: d.dossierId, order_no: i + 1, status: 'passed', result_round: 'plenary', created_at: at })));

    // When the meeting hands over (the message review-meeting.bpmn throws at its end)
    await publish('result-publicity-requested', `publicity:meeting:${meetingId}`, { meetingId, activityId: 1, committeeId: Number(activity.committee_id) });

    // Then a publicity case runs for the meeting and the committee's clerk has 发布公示公告
    const instance = await db.knex('process_instances').where({ business_key: `publicity:meeting:${meetingId}`, process_key: 'result-publicity' }).first();
    expect(instance).toBeDefined();
    publicityInstance = instance.id;
    const res = await page('cd_pw');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ access: 'manage', notice: { status: 'drafting', statusLabel: '待发布' }, publishTaskId: expect.any(String) });
    // and nothing is public yet
    expect((await t.app.inject({ method: 'GET', url: '/api/public/publicity' })).json()).toEqual([]);
  });

  it('answers 403 to another committee’s clerk and to an applicant on the committee’s routes', async () => {
    // Given a clerk of the county committee and an applicant
    for (const user of ['jj_pw', 'pub_a']) {
      // When they read the meeting's publicity page or enter an offline complaint
      const read = await page(user);
      const offline = await t.request('POST', `/api/meetings/${meetingId}/publicity/complaints`, { user, body: { dossierId: dossiers[0]!.dossierId, reason: '反映其业绩材料不实', complainantName: '张三' } }); // (no phone: scope comes before the body)
      // Then both are refused before any state is read
      expect(read.statusCode, `${user} read`).toBe(403);
      expect(offline.statusCode, `${user} offline`).toBe(403);
    }
    // and the meeting's own clerk reads it
    expect((await page('cd_pw')).statusCode).toBe(200);

    // When the county committee is named the meeting's 监督评委会
    const county = await db.knex('committees').where({ name: '锦江区工程技术系列初级职称评审委员会' }).first('id');
    await db.knex('review_meetings').where({ id: meetingId }).update({ supervisor_committee_id: county.id });
    try {
      // Then its clerk reads the page (read only) but may not enter a complaint
      const read = await page('jj_pw');
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json().access).toBe('read');
      const offline = await t.request('POST', `/api/meetings/${meetingId}/publicity/complaints`, { user: 'jj_pw', body: { dossierId: dossiers[0]!.dossierId, reason: '反映其业绩材料不实', complainantName: '张三', complainantPhone: '13700000000', complainantIdentity: '某某大学' } });
      expect(offline.statusCode).toBe(403);
    } finally {
      await db.knex('review_meetings').where({ id: meetingId }).update({ supervisor_committee_id: null });
    }
  });

  it('refuses a period under 5 working days by the 工作日历 (国庆节 counted), naming the rule', async () => {
    const taskId = (await page('cd_pw')).json().publishTaskId as string;
    const contact = { contactPerson: '王老师', contactPhone: '028-61888888', contactAddress: '成都市高新区天府大道1号' };

    // When the clerk enters 9月29日 – 10月9日: eleven days, but 10月1日–7日 are holidays and 10月3日–4日 a weekend → 4 working days
    const refused = await complete(t, 'cd_pw', taskId, 'complete', undefined, { periodStart: '2026-09-29', periodEnd: '2026-10-09', ...contact });

    // Then it is refused with the rule and the count, on 公示结束日期
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().message).toContain('公示期不少于5个工作日');
    expect(refused.json().message).toContain('仅 4 个工作日');
    expect(refused.json().details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'periodEnd' })]));

    // When the period runs to 10月10日 (a Saturday worked in exchange: 调休上班) it has 5 and is published
    await completeOk(t, 'cd_pw', taskId, 'complete', undefined, { periodStart: '2026-09-29', periodEnd: '2026-10-10', ...contact });
    const notice = (await page('cd_pw')).json().notice;
    expect(notice).toMatchObject({ status: 'published', statusLabel: '公示中', periodStart: '2026-09-29', periodEnd: '2026-10-10', contactPerson: '王老师' });
    // and its timer is due at the end of 10月10日 (Beijing time)
    const timer = await db.knex('timers').where({ instance_id: publicityInstance, status: 'pending' }).first();
    expect(new Date(timer.due_at).toISOString()).toBe(new Date('2026-10-11T00:00:00+08:00').toISOString());
  });

  it('shows the notice to everyone without login: the list, the names, and the PDF in Chinese', async () => {
    // When someone not logged in reads the public list, the notice and its PDF
    const list = await t.app.inject({ method: 'GET', url: '/api/public/publicity' });
    expect(list.statusCode).toBe(200);
    const [item] = list.json();
    expect(item).toMatchObject({ meetingId, status: 'published', passedCount: 3 });
    const detail = (await t.app.inject({ method: 'GET', url: `/api/public/publicity/${item.id}` })).json();
    expect(detail.candidates.map((c: { name: string }) => c.name)).toEqual(NAMES);
    expect(detail.candidates[0]).toMatchObject({ employer: '成都示范科技有限公司', series: '工程技术', specialty: '机械工程', level: '中级' });
    const pdf = await t.app.inject({ method: 'GET', url: `/api/public/publicity/${item.id}/pdf` });

    // Then the PDF lists every passed candidate with employer, series, specialty and level, and the period and contact
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const text = pdfText(pdf.rawPayload);
    for (const name of NAMES) expect(text).toContain(name);
    expect(text).toContain('评审结果公示');
    expect(text).toContain('成都示范科技有限公司');
    expect(text).toContain('工程技术');
    expect(text).toContain('2026年9月29日 至 2026年10月10日');
    expect(text).toContain('028-61888888');
  });

  it('withdraws a result when an online complaint (我要反馈) is upheld; the case receives result-withdrawn once, the complainant sees 属实', async () => {
    const notice = (await page('cd_pw')).json().notice;
    const [a] = dossiers;
    // Given an applicant files 我要反馈 against 公示甲 with an evidence file
    const evidence = await uploadPdf(t, 'pub_c', '证明材料.pdf');
    const filed = await t.request('POST', `/api/publicity/${notice.id}/complaints`, { user: 'pub_c', body: { dossierId: a!.dossierId, reason: '其论文系他人代写，附证明材料', evidence: [evidence.id] } });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ status: 'investigating', statusLabel: '调查核实中', kindLabel: '我要反馈', evidence: [{ id: evidence.id }] });
    // and a second upheld complaint against the same candidate arrives offline before the first is concluded
    const offline = await t.request('POST', `/api/meetings/${meetingId}/publicity/complaints`, { user: 'cd_pw', body: { dossierId: a!.dossierId, reason: '来信反映同一问题', complainantName: '李四', complainantPhone: '13700000000', complainantIdentity: '某某大学' } });
    expect(offline.statusCode, offline.body).toBe(201);

    // Then each is a 调查核实 task in the committee's inbox, and the clerk reads the evidence
    const complaints = (await page('cd_pw')).json().complaints as Array<{ id: number; instanceId: string; taskId: string; kind: string }>;
    expect(complaints).toHaveLength(2);
    const online = complaints.find((c) => c.kind === 'online')!;
    const task = await taskOf(t, 'cd_pw', online.instanceId, 'investigate');
    expect((await t.request('GET', `/api/files/${evidence.id}`, { user: 'cd_pw' })).statusCode).toBe(200);
    // a 属实 without 核实意见 is refused
    expect((await complete(t, 'cd_pw', task.id, 'uphold')).statusCode).toBe(400);

    // When the committee concludes both 属实
    await completeOk(t, 'cd_pw', task.id, 'uphold', '经查，论文署名作者对代写情况予以确认，投诉属实');
    const second = complaints.find((c) => c.kind === 'offline')!;
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', second.instanceId, 'investigate')).id, 'uphold', '与前一投诉所反映问题相同，属实');

    // Then the candidate is withdrawn, the dossier's case ended as withdrawn with the reason, and result-withdrawn was sent exactly once
    expect(await candidateStatus(a!.dossierId)).toBe('withdrawn');
    // and shows in 查看公示有异议人员
    expect((await db.knex('meeting_candidates').where({ meeting_id: meetingId, dossier_id: a!.dossierId }).first()).objection).toBe(true);
    expect(await dossierStatus(a!.dossierId)).toBe('withdrawn');
    const sent = await messagesFor('result-withdrawn', a!.dossierId);
    expect(sent).toHaveLength(1);
    expect(sent[0].payload).toMatchObject({ withdrawReason: '经查，论文署名作者对代写情况予以确认，投诉属实' });
    // and the complainant sees the conclusion in 我的反馈
    const mine = (await t.request('GET', '/api/publicity/complaints/mine', { user: 'pub_c' })).json();
    expect(mine).toEqual([expect.objectContaining({ candidateName: '公示甲', status: 'upheld', statusLabel: '属实', conclusion: '经查，论文署名作者对代写情况予以确认，投诉属实' })]);
    // and the public list marks the candidate withdrawn
    const detail = (await t.app.inject({ method: 'GET', url: `/api/public/publicity/${notice.id}` })).json();
    expect(detail.candidates.find((c: { name: string }) => c.name === '公示甲')).toMatchObject({ withdrawn: true });
    // and complaints concluded within the period do not wake the publicity (nothing left pending for 流程消息)
    expect(await db.knex('process_messages').where({ name: 'publicity-complaint-concluded' })).toEqual([]);
    // and a new complaint against a withdrawn candidate is refused

    const late = await t.request('POST', `/api/publicity/${notice.id}/complaints`, { user: 'pub_c', body: { dossierId: a!.dossierId, reason: '再次反映同一问题' } });
    expect(late.statusCode).toBe(409);
  });

  it('at the end of the period ends the publicity of those without a complaint; the one with an open offline complaint waits until it is concluded', async () => {
    const [a, b, c] = dossiers;
    // Given an offline complaint against 公示乙 (录入线下投诉结果) still being investigated
    const offline = await t.request('POST', `/api/meetings/${meetingId}/publicity/complaints`, {
      user: 'cd_pw',
      body: { dossierId: b!.dossierId, reason: '电话反映其任职年限不足', complainantName: '王五', complainantPhone: '13900000000', complainantIdentity: '510104198001010011' },
    });
    expect(offline.statusCode, offline.body).toBe(201);
    expect(offline.json()).toMatchObject({ kind: 'offline', kindLabel: '线下投诉', complainantName: '王五', status: 'investigating' });
    // (an offline complaint without the complainant's phone is refused, naming the field)
    const noPhone = await t.request('POST', `/api/meetings/${meetingId}/publicity/complaints`, { user: 'cd_pw', body: { dossierId: b!.dossierId, reason: '电话反映其任职年限不足', complainantName: '王五', complainantIdentity: '510104198001010011' } });
    expect(noPhone.statusCode).toBe(400);
    expect(JSON.stringify(noPhone.json().details)).toContain('complainantPhone');

    // When the period's timer fires at the end of 10月10日
    clock.set('2026-10-11T00:30:00+08:00');
    await t.app.scheduler.runOnce();
    await t.app.engine.deliverMessages();

    // Then 公示丙's publicity has ended on time, while 公示乙's waits for the complaint against them
    expect((await page('cd_pw')).json().notice).toMatchObject({ status: 'holding' });
    expect(await messagesFor('publicity-ended', b!.dossierId)).toHaveLength(0);
    expect(await messagesFor('publicity-ended', c!.dossierId)).toHaveLength(1);
    expect(await dossierStatus(b!.dossierId)).toBe('review_passed');
    expect(await dossierStatus(c!.dossierId)).toBe('publicity_ended');
    // and nobody is handed to confirmation yet (the meeting goes there as one list)
    expect(await db.knex('process_messages').where({ name: 'result-confirmation-requested' })).toHaveLength(0);
    // and a complaint after the period is refused
    const notice = (await page('cd_pw')).json().notice;
    const late = await t.request('POST', `/api/publicity/${notice.id}/complaints`, { user: 'pub_a', body: { dossierId: c!.dossierId, reason: '期满后才反映的问题' } });
    expect(late.statusCode).toBe(409);

    // When the complaint is concluded 不属实
    const complaint = (await page('cd_pw')).json().complaints.find((x: { dossierId: number; status: string }) => x.dossierId === b!.dossierId && x.status === 'investigating');
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', complaint.instanceId, 'investigate')).id, 'dismiss', '经核实任职年限符合要求，投诉不属实');
    await t.app.engine.deliverMessages();

    // Then publicity-ended went to 公示乙 too (公示丙 still once), not to the withdrawn 公示甲, and their cases moved on
    for (const d of [b!, c!]) {
      expect(await messagesFor('publicity-ended', d.dossierId)).toHaveLength(1);
      expect(await dossierStatus(d.dossierId)).toBe('publicity_ended');
      expect(await candidateStatus(d.dossierId)).toBe('passed');
    }
    expect(await messagesFor('publicity-ended', a!.dossierId)).toHaveLength(0);
    expect((await db.knex('meeting_candidates').where({ meeting_id: meetingId, dossier_id: b!.dossierId }).first()).objection).toBe(false);
    // and result-confirmation-requested carries exactly their dossier ids
    const handover = await db.knex('process_messages').where({ name: 'result-confirmation-requested', correlation_key: `confirmation:meeting:${meetingId}` });
    expect(handover).toHaveLength(1);
    expect(handover[0].payload).toMatchObject({ meetingId, activityId: 1, dossierIds: [b!.dossierId, c!.dossierId] });
    // and the conclusion after the period woke the publicity once
    expect(await db.knex('process_messages').where({ name: 'publicity-complaint-concluded' }).select('status')).toEqual([{ status: 'delivered' }]);
    // and the notice ended, the publicity case is complete, and 王五's complaint shows 不属实 on the committee's page
    expect((await page('cd_pw')).json().notice).toMatchObject({ status: 'ended', statusLabel: '公示结束' });
    expect((await db.knex('process_instances').where({ id: publicityInstance }).first()).status).toBe('completed');
    expect((await page('cd_pw')).json().complaints.find((x: { complainantName: string }) => x.complainantName === '王五')).toMatchObject({ statusLabel: '不属实', conclusion: '经核实任职年限符合要求，投诉不属实' });
  });
});
