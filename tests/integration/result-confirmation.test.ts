import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { uploadPdf } from '../helpers/files.ts';
import { addCountyClerk } from '../helpers/meeting-fixtures.ts';
import {
  addApplicants,
  atConfirmation as dossierAtConfirmation,
  closedMeeting as closedMeetingOf,
  publish as publishTo,
  requestConfirmation as requestConfirmationOf,
} from '../helpers/result-confirmation.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let otherClerk: string;
const APPLICANTS = ['rc_a', 'rc_b', 'rc_c', 'rc_d', 'rc_e', 'rc_f'];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await addApplicants(db.knex, APPLICANTS);
  otherClerk = (await addCountyClerk(db.knex)).username;
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const closedMeeting = (kind: 'normal' | 'breakthrough') => closedMeetingOf(db.knex, kind);
const publish = (name: string, key: string, payload: Record<string, unknown> = {}) => publishTo(t, db.knex, name, key, payload);
const atConfirmation = (applicant: string, meetingId: number, delegatedBy?: number) => dossierAtConfirmation(t, db.knex, applicant, meetingId, delegatedBy);
const requestConfirmation = (meetingId: number, dossierIds: number[]) => requestConfirmationOf(t, db.knex, meetingId, dossierIds);

type Candidate = { dossierId: number; applicantName: string; state: string; stateLabel: string; step: string | null; taskId: string | null; returnReason: string | null; reason: string | null; delegated: boolean; unitName: string };
const unitList = async (user: string, kind: 'direct' | 'delegated' = 'direct') =>
  (await t.request('GET', `/api/result-confirmations?kind=${kind}`, { user })).json() as Array<{ meetingId: number; counts: Record<string, number> }>;
/** The unit's candidates of the meeting (one page of 500 holds them all); none when it confirms nobody there. */
const candidatesOf = async (user: string, meetingId: number, kind: 'direct' | 'delegated' = 'direct') => {
  if (!(await unitList(user, kind)).some((m) => m.meetingId === meetingId)) return [];
  const res = await t.request('GET', `/api/result-confirmations/${meetingId}/candidates?kind=${kind}&pageSize=500`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { candidates: Candidate[] }).candidates;
};
/** A confirming unit's decision as its list sends it: with the step the list shows for the candidate. */
const act = async (user: string, meetingId: number, dossierId: number, what: 'review' | 'decision', body: Record<string, unknown>) => {
  const listed = async (kind: 'direct' | 'delegated') => ((await t.request('GET', `/api/result-confirmations?kind=${kind}`, { user })).statusCode === 200 ? candidatesOf(user, meetingId, kind) : []);
  const shown = [...(await listed('direct')), ...(await listed('delegated'))].find((c) => c.dossierId === dossierId);
  return t.request('POST', `/api/result-confirmations/${meetingId}/candidates/${dossierId}/${what}`, { user, body: { taskId: shown?.taskId ?? undefined, ...body } });
};
const organiser = async (meetingId: number) => (await t.request('GET', `/api/meetings/${meetingId}/confirmation`, { user: 'cd_pw' })).json() as { candidates: Candidate[]; closeTaskId: string | null; closedAt: string | null };
const stateOf = async (meetingId: number, dossierId: number) => (await organiser(meetingId)).candidates.find((c) => c.dossierId === dossierId)?.state;
const dossierStatus = async (dossierId: number) => String((await db.knex('dossiers').where({ id: dossierId }).first('status')).status);
const confirmedMessages = (dossierId: number) => db.knex('process_messages').where({ name: 'result-confirmed', correlation_key: `dossier:${dossierId}` }).select('status', 'payload');

describe('评审结果确认', () => {
  let meetingId: number;
  let a: number, b: number, c: number, d: number;
  let department: number;

  beforeAll(async () => {
    meetingId = await closedMeeting('normal');
    department = Number((await db.knex('units').where({ name: '成都市经济和信息化局' }).first('id')).id);
    a = await atConfirmation('rc_a', meetingId);
    b = await atConfirmation('rc_b', meetingId);
    c = await atConfirmation('rc_c', meetingId, department);
    d = await atConfirmation('rc_d', meetingId);
    await requestConfirmation(meetingId, [a, b, c, d]);
  });

  it('groups the candidates by confirming unit: the 授权管理单位 for direct ones, the delegating unit for 委托 ones', async () => {
    // Given the meeting's candidates handed over by publicity (in beforeAll)
    // Then the committee's 授权管理单位 (the city bureau) has the three directly reviewed ones at 材料审阅
    const direct = await candidatesOf('cd_hr', meetingId);
    expect(direct.map((x) => x.dossierId).sort()).toEqual([a, b, d].sort());
    expect(direct.every((x) => x.state === 'confirming' && x.step === 'review' && !x.delegated)).toBe(true);
    expect(await candidatesOf('cd_hr', meetingId, 'delegated')).toEqual([]);
    // and the department that delegated the fourth has it in its 委托 tab, not the bureau
    const delegated = await candidatesOf('cd_jxj', meetingId, 'delegated');
    expect(delegated).toMatchObject([{ dossierId: c, delegated: true, unitName: '成都市经济和信息化局', step: 'review' }]);
    expect(await candidatesOf('cd_jxj', meetingId)).toEqual([]);
    // and each candidate runs its own called flow, started with its own item of the multi-instance call
    const children = await db.knex('process_instances').where({ business_key: `confirmation:meeting:${meetingId}`, process_key: 'result-confirmation-candidate' }).select('variables');
    expect(children.map((ch) => Number(ch.variables.dossierId)).sort((x, y) => x - y)).toEqual([a, b, c, d].sort((x, y) => x - y));
    // and the organiser sees all four 确认中
    expect((await organiser(meetingId)).candidates.map((x) => x.stateLabel)).toEqual(['确认中', '确认中', '确认中', '确认中']);
  });

  it('pages the lists: the organiser and the confirming unit read a page in the meeting order, each row with its step, the counts of the whole', async () => {
    // Given the four candidates waiting (in beforeAll)
    const whole = (await t.request('GET', `/api/meetings/${meetingId}/confirmation?pageSize=500`, { user: 'cd_pw' })).json() as { candidates: Candidate[] };
    // When the organiser reads the second page of two, and the bureau its second page of one
    const organiserPage = (await t.request('GET', `/api/meetings/${meetingId}/confirmation?page=2&pageSize=2`, { user: 'cd_pw' })).json() as { total: number; counts: Record<string, number>; candidates: Candidate[] };
    const unitPage = await t.request('GET', `/api/result-confirmations/${meetingId}/candidates?kind=direct&page=2&pageSize=1`, { user: 'cd_hr' });
    // Then the organiser's page holds the third and fourth of the meeting, with the counts of all four
    expect(organiserPage.total).toBe(4);
    expect(organiserPage.candidates.map((x) => x.dossierId)).toEqual(whole.candidates.slice(2, 4).map((x) => x.dossierId));
    expect(organiserPage.counts).toEqual({ confirming: 4, supplement: 0, passed: 0, failed: 0, notHandedOver: 0 });
    // and the bureau's page holds its second candidate, at 材料审阅 with the bureau's task
    expect(unitPage.statusCode, unitPage.body).toBe(200);
    const own = unitPage.json() as { total: number; candidates: Candidate[] };
    expect(own.total).toBe(3);
    expect(own.candidates).toHaveLength(1);
    expect(own.candidates[0]).toMatchObject({ step: 'review', delegated: false });
    expect((await unitList('cd_hr')).find((m) => m.meetingId === meetingId)?.counts).toMatchObject({ confirming: 3 });
  });

  it('narrows the lists by state and by the start of a name; a bad state is a 400 naming it', async () => {
    // When the organiser lists the passed (none yet) and a name
    const passed = (await t.request('GET', `/api/meetings/${meetingId}/confirmation?state=passed`, { user: 'cd_pw' })).json() as { total: number; candidates: Candidate[] };
    const first = (await organiser(meetingId)).candidates[0]!;
    const named = (await t.request('GET', `/api/meetings/${meetingId}/confirmation?name=${encodeURIComponent(first.applicantName)}`, { user: 'cd_pw' })).json() as { candidates: Candidate[] };
    const bad = await t.request('GET', `/api/result-confirmations/${meetingId}/candidates?state=done`, { user: 'cd_hr' });
    // Then nobody is passed, the name finds its candidate, and the bad state is refused
    expect(passed).toMatchObject({ total: 0, candidates: [] });
    expect(named.candidates.map((x) => x.dossierId)).toContain(first.dossierId);
    expect(named.candidates.every((x) => x.applicantName.startsWith(first.applicantName))).toBe(true);
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { details: Array<{ field: string }> }).details.map((x) => x.field)).toEqual(['querystring.state']);
  });

  it('refuses another committee’s clerk and the applicant with 403 on every confirmation route', async () => {
    // Given a clerk of another committee (评审会议管理 elsewhere) and an applicant of the meeting
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/api/meetings/${meetingId}/confirmation`],
      ['POST', `/api/meetings/${meetingId}/confirmation/supplements/${a}`, { note: '补充' }],
      ['PUT', `/api/meetings/${meetingId}/confirmation/document-numbers`, { dossierIds: [a], documentNo: '川人社职〔2026〕1号', approvalDate: '2026-07-01' }],
      ['POST', `/api/meetings/${meetingId}/confirmation/handover`],
      ['POST', `/api/meetings/${meetingId}/confirmation/close`],
      ['GET', `/api/result-confirmations?kind=direct`],
      ['GET', `/api/result-confirmations/${meetingId}/candidates`],
      ['GET', `/api/result-confirmations/${meetingId}/candidates/${a}`],
      ['POST', `/api/result-confirmations/${meetingId}/candidates/${a}/review`, { action: 'pass' }],
      ['POST', `/api/result-confirmations/${meetingId}/candidates/${a}/decision`, { passed: true }],
      ['POST', `/api/result-confirmations/${meetingId}/pass-all`],
      ['GET', `/api/result-confirmations/${meetingId}/export`],
    ];
    for (const user of [otherClerk, 'rc_a']) {
      for (const [method, url, body] of routes) {
        // When they call it
        const res = await t.request(method, url, { user, body });
        // Then it is 403, whatever the state
        expect({ user, url, status: res.statusCode }).toEqual({ user, url, status: 403 });
      }
    }
    // and the bureau cannot act on the department's delegated candidate
    expect((await act('cd_hr', meetingId, c, 'review', { action: 'pass' })).statusCode).toBe(409);
    expect(await stateOf(meetingId, c)).toBe('confirming');
  });

  it('returns a candidate for 补充材料 with the reason; the committee supplements; the candidate comes back and is confirmed', async () => {
    // When the bureau returns candidate a without a reason, then with one
    const noReason = await act('cd_hr', meetingId, a, 'review', { action: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details).toEqual([expect.objectContaining({ field: 'reason' })]);
    const returned = await act('cd_hr', meetingId, a, 'review', { action: 'return', reason: '缺少继续教育证明' });
    expect(returned.statusCode).toBe(200);

    // Then the organiser sees 补充材料 with the reason and holds the step; the others are untouched
    const view = await organiser(meetingId);
    expect(view.candidates.find((x) => x.dossierId === a)).toMatchObject({ state: 'supplement', stateLabel: '补充材料', returnReason: '缺少继续教育证明', step: 'supplement' });
    expect(view.candidates.find((x) => x.dossierId === b)).toMatchObject({ state: 'confirming' });
    expect((await candidatesOf('cd_hr', meetingId)).find((x) => x.dossierId === a)?.step).toBeNull();

    // When the committee supplements and resubmits
    const supplemented = await t.request('POST', `/api/meetings/${meetingId}/confirmation/supplements/${a}`, { user: 'cd_pw', body: { note: '已补充继续教育证明' } });
    expect(supplemented.statusCode).toBe(200);

    // Then the candidate is back at the bureau's 材料审阅, 确认中
    expect((await candidatesOf('cd_hr', meetingId)).find((x) => x.dossierId === a)).toMatchObject({ state: 'confirming', step: 'review' });
    // and a second resubmission finds no step
    expect((await t.request('POST', `/api/meetings/${meetingId}/confirmation/supplements/${a}`, { user: 'cd_pw', body: { note: '再次' } })).statusCode).toBe(409);

    // When the bureau's decision names no step, Then 400 naming taskId; a step its list did not show, Then 409
    const bare = await t.request('POST', `/api/result-confirmations/${meetingId}/candidates/${a}/review`, { user: 'cd_hr', body: { action: 'pass' } });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().details).toEqual([expect.objectContaining({ field: 'taskId' })]);
    const stale = await t.request('POST', `/api/result-confirmations/${meetingId}/candidates/${a}/review`, { user: 'cd_hr', body: { action: 'pass', taskId: '00000000-0000-4000-8000-000000000000' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toBe('该记录已由他人处理，请刷新');
    // When the bureau reviews it and tries to pass it before uploading the 任职资格文件
    expect((await act('cd_hr', meetingId, a, 'review', { action: 'pass' })).statusCode).toBe(200);
    const early = await act('cd_hr', meetingId, a, 'decision', { passed: true });
    // Then it is refused, naming the file
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('任职资格文件');

    // When the file is uploaded and the candidate passed
    const file = await uploadPdf(t, 'cd_hr', '任职资格文件.pdf');
    expect((await t.request('PUT', `/api/result-confirmations/${meetingId}/qualification-file`, { user: 'cd_hr', body: { fileId: file.id } })).statusCode).toBe(200);
    expect((await act('cd_hr', meetingId, a, 'decision', { passed: true })).statusCode).toBe(200);

    // Then the dossier's case received 确认结果 once, as passed
    expect(await stateOf(meetingId, a)).toBe('passed');
    expect(await dossierStatus(a)).toBe('confirmed');
    expect(await confirmedMessages(a)).toEqual([expect.objectContaining({ status: 'delivered', payload: { confirmed: true, confirmReason: '' } })]);
  });

  it('不通过 needs a reason and ends the application as 确认不通过; 一键通过 passes the rest of the list', async () => {
    // When the bureau refuses d without a reason, then with one
    expect((await act('cd_hr', meetingId, d, 'review', { action: 'pass' })).statusCode).toBe(200);
    const noReason = await act('cd_hr', meetingId, d, 'decision', { passed: false });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect((await act('cd_hr', meetingId, d, 'decision', { passed: false, reason: '学历证书核验不符' })).statusCode).toBe(200);
    // Then d is 不通过 with the reason, and its case ended 确认不通过
    expect((await organiser(meetingId)).candidates.find((x) => x.dossierId === d)).toMatchObject({ state: 'failed', reason: '学历证书核验不符' });
    expect(await dossierStatus(d)).toBe('confirm_failed');
    expect(await confirmedMessages(d)).toEqual([expect.objectContaining({ payload: { confirmed: false, confirmReason: '学历证书核验不符' } })]);

    // When the bureau passes its whole list with 一键通过 (b is still at 材料审阅)
    const all = await t.request('POST', `/api/result-confirmations/${meetingId}/pass-all?kind=direct`, { user: 'cd_hr' });
    expect(all.statusCode).toBe(200);
    // Then b is confirmed and nothing else changed: a stays passed, d stays failed, c is not the bureau's
    expect(all.json()).toEqual({ passed: 1, remaining: 0 });
    expect(await stateOf(meetingId, b)).toBe('passed');
    expect(await dossierStatus(b)).toBe('confirmed');
    expect(await stateOf(meetingId, d)).toBe('failed');
    expect(await stateOf(meetingId, c)).toBe('confirming');
  });

  it('the delegating unit confirms its delegated candidate; the case gets 确认结果 exactly once per candidate', async () => {
    // Given the department's 任职资格文件
    const file = await uploadPdf(t, 'cd_jxj', '委托任职资格文件.pdf');
    expect((await t.request('PUT', `/api/result-confirmations/${meetingId}/qualification-file`, { user: 'cd_jxj', body: { fileId: file.id } })).statusCode).toBe(200);
    // When the department reviews and passes candidate c
    expect((await act('cd_jxj', meetingId, c, 'review', { action: 'pass' })).statusCode).toBe(200);
    expect((await act('cd_jxj', meetingId, c, 'decision', { passed: true })).statusCode).toBe(200);
    // Then c is confirmed
    expect(await dossierStatus(c)).toBe('confirmed');
    expect((await candidatesOf('cd_jxj', meetingId, 'delegated'))[0]).toMatchObject({ state: 'passed', stateLabel: '确认通过' });
    // and every candidate's case received exactly one 确认结果
    for (const id of [a, b, c, d]) expect(await confirmedMessages(id)).toHaveLength(1);
    // and the export holds the department's list with its results
    const xlsx = await t.request('GET', `/api/result-confirmations/${meetingId}/export?kind=delegated`, { user: 'cd_jxj' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).values).toEqual(expect.arrayContaining(['确认申报人3', '委托评审', '确认通过']));
  });

  it('sets the 职称文件文号 only in the form X〔YYYY〕N号 with the approval year, hands over, and refuses 办结 until the certificates are issued', async () => {
    const put = (body: unknown) => t.request('PUT', `/api/meetings/${meetingId}/confirmation/document-numbers`, { user: 'cd_pw', body });
    // When the number has the wrong form
    const form = await put({ dossierIds: [a, b], documentNo: '川人社职2026-12', approvalDate: '2026-07-01' });
    // Then it is refused naming the field and the rule
    expect(form.statusCode).toBe(400);
    expect(form.json()).toMatchObject({ message: expect.stringContaining('X〔YYYY〕N号'), details: [expect.objectContaining({ field: 'documentNo' })] });
    // When its year is not the approval year
    const year = await put({ dossierIds: [a, b], documentNo: '川人社职〔2025〕12号', approvalDate: '2026-07-01' });
    expect(year.statusCode).toBe(400);
    expect(year.json()).toMatchObject({ message: expect.stringContaining('2026'), details: [expect.objectContaining({ field: 'documentNo' })] });
    // When a candidate who did not pass is among them
    expect((await put({ dossierIds: [a, d], documentNo: '川人社职〔2026〕12号', approvalDate: '2026-07-01' })).statusCode).toBe(409);
    // Then nothing was written
    expect((await db.knex('dossiers').whereIn('id', [a, b, c, d]).whereNotNull('document_no')).length).toBe(0);

    // When 提交发证信息 comes before every passed candidate has a number
    expect((await put({ dossierIds: [a, b], documentNo: '川人社职〔2026〕12号', approvalDate: '2026-07-01' })).statusCode).toBe(200);
    const early = await t.request('POST', `/api/meetings/${meetingId}/confirmation/handover`, { user: 'cd_pw' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('确认申报人3');
    expect((await put({ dossierIds: [c], documentNo: '成经信职〔2026〕3号', approvalDate: '2026-07-02' })).statusCode).toBe(200);
    const handed = await t.request('POST', `/api/meetings/${meetingId}/confirmation/handover`, { user: 'cd_pw' });
    expect(handed.json()).toEqual({ handedOver: 3 });
    expect(await db.knex('dossiers').where({ id: a }).first('document_no')).toEqual({ document_no: '川人社职〔2026〕12号' });
    expect((await db.knex('certificate_handovers').where({ meeting_id: meetingId }).orderBy('dossier_id')).map((h) => [Number(h.dossier_id), h.document_no])).toEqual(
      [
        [a, '川人社职〔2026〕12号'],
        [b, '川人社职〔2026〕12号'],
        [c, '成经信职〔2026〕3号'],
      ].sort((x, y) => Number(x[0]) - Number(y[0])),
    );

    // When the organiser uploads the report and closes while certificates are pending
    const report = await uploadPdf(t, 'cd_pw', '评审工作报告.pdf');
    expect((await t.request('PUT', `/api/meetings/${meetingId}/confirmation/report`, { user: 'cd_pw', body: { fileId: report.id } })).statusCode).toBe(200);
    const refused = await t.request('POST', `/api/meetings/${meetingId}/confirmation/close`, { user: 'cd_pw' });
    // Then 办结 is refused naming the candidates without a certificate
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('证书');
    await publish('certificate-issued', `dossier:${a}`, { certificateNo: 'ZS-1' });
    await publish('certificate-issued', `dossier:${b}`, { certificateNo: 'ZS-2' });
    const stillOne = await t.request('POST', `/api/meetings/${meetingId}/confirmation/close`, { user: 'cd_pw' });
    expect(stillOne.statusCode).toBe(409);
    expect(stillOne.json().message).toContain('确认申报人3');

    // When the last certificate is issued
    await publish('certificate-issued', `dossier:${c}`, { certificateNo: 'ZS-3' });
    expect((await t.request('POST', `/api/meetings/${meetingId}/confirmation/close`, { user: 'cd_pw' })).statusCode).toBe(200);
    // Then the confirmation case has ended
    expect((await organiser(meetingId)).closedAt).not.toBeNull();
    const main = await db.knex('process_instances').where({ business_key: `confirmation:meeting:${meetingId}`, process_key: 'result-confirmation' }).first('status');
    expect(main.status).toBe('completed');
  });
});

describe('评审结果确认 through 多岗审核 posts', () => {
  it('a unit with posts for 评审结果确认 reviews through them, and the matter is no longer 尚未启用', async () => {
    // Given the bureau configures one post for 评审结果确认
    const types = (await t.request('GET', '/api/review-levels/matter-types', { user: 'cd_hr' })).json() as Array<{ id: string; inUse: boolean }>;
    expect(types.find((m) => m.id === 'result_confirmation')).toMatchObject({ inUse: true });
    const city = await db.knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id');
    const hr = await db.knex('users').where({ username: 'cd_hr' }).first('id');
    const saved = await t.request('PUT', '/api/review-levels', { user: 'cd_hr', body: { unitId: Number(city.id), matterType: 'result_confirmation', posts: [{ name: '初审岗', userIds: [Number(hr.id)] }] } });
    expect(saved.statusCode).toBe(200);
    const meetingId = await closedMeeting('breakthrough');
    const e = await atConfirmation('rc_e', meetingId);

    // When the candidate is handed over
    await requestConfirmation(meetingId, [e]);

    // Then the review is the post's task, named after it, and worked from the same page
    const [row] = await candidatesOf('cd_hr', meetingId);
    expect(row).toMatchObject({ dossierId: e, step: 'review' });
    const post = await db.knex('tasks').where({ status: 'open', form_key: 'confirmation-review' }).whereLike('name', '%确认申报人5%').first('name', 'process_key');
    expect(post).toEqual({ name: '材料审阅：确认申报人5（初审岗）', process_key: 'multi-post-review' });
    // and a post cannot refuse (不通过 is 结果确认's)
    const task = await db.knex('tasks').where({ status: 'open', form_key: 'confirmation-review' }).whereLike('name', '%确认申报人5%').first('id');
    const reject = await t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'cd_hr', body: { action: 'reject', opinion: '不同意' } });
    expect(reject.statusCode).toBe(400);
    // When the post returns it for 补充材料
    expect((await act('cd_hr', meetingId, e, 'review', { action: 'return', reason: '职称证书复印件不清晰' })).statusCode).toBe(200);
    // Then it is with the committee with the reason
    expect((await organiser(meetingId)).candidates[0]).toMatchObject({ state: 'supplement', returnReason: '职称证书复印件不清晰' });
  });
});
