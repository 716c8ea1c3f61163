import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { uploadPdf } from '../helpers/files.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { copyRow, credentialsIn, deployBallotRound, expertTokens, NEW_PASSWORD, pdfText, seedMeeting, startRound, type SeededMeeting } from '../helpers/ballots.ts';
import { credentialLogin } from '../../api/modules/ballots/ballots.service.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const CLERK = 'cd_pw';
const OTHER_CLERK = 'vote_other_clerk';

type Choice = 'agree' | 'disagree' | 'abstain';

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await deployBallotRound(t);
  // a committee clerk of another unit (锦江区), whose committee supervises some meetings
  const county = await db.knex('units').where({ admin_level: 'county', unit_type: 'hr_bureau' }).first();
  const at = new Date();
  await db.knex('users').insert({ username: OTHER_CLERK, password_hash: await hashPassword(DEMO_PASSWORD), display_name: '锦江区评委会经办人', unit_id: county.id, roles: ['committee_clerk'], status: 'active', password_changed_at: at, created_at: at, updated_at: at });
  const base = await db.knex('committees').orderBy('id').first();
  await copyRow(db.knex, 'committees', base, { name: '锦江区监督评委会', organizer_unit_id: county.id, issuer_unit_id: county.id, created_at: at, updated_at: at });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const as = (token: string) => ({ token });

async function vote(token: string, meetingId: number, votes: Array<{ dossierId: number; choice?: Choice; score?: number }>) {
  return t.request('POST', `/api/expert/meetings/${meetingId}/ballot/submit`, { ...as(token), body: { votes } });
}

async function tally(meetingId: number, user = CLERK) {
  const res = await t.request('GET', `/api/meetings/${meetingId}/tally`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** One page of a round's 参评人员结果 (the 计票 screen reads them a page at a time). */
async function results(meetingId: number, roundId: number, query = 'pageSize=500', user = CLERK) {
  const res = await t.request('GET', `/api/meetings/${meetingId}/tally/rounds/${roundId}/results?${query}`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { total: number; results: Array<{ dossierId: number; orderNo: number; applicantName: string; agree: number; disagree: number; abstain: number; averageScore: number | null; passed: boolean | null }> };
}
const firstRound = (res: { json(): { rounds: Array<{ id: number }> } }) => res.json().rounds[0]!.id;

/** A meeting whose round is open, with each expert's token. */
async function openMeeting(options: { experts: number; candidates: number; panels?: number }, roundKind: 'panel' | 'plenary' = 'plenary', method: 'vote' | 'score' = 'vote') {
  const meeting = await seedMeeting(db.knex, options);
  const tokens = await expertTokens(t, CLERK, meeting);
  const instanceId = await startRound(t, meeting, roundKind, method);
  return { meeting, tokens, instanceId, token: (i: number) => tokens.get(meeting.experts[i]!.expertId)! };
}

const variablesOf = async (instanceId: string) => ((await db.knex('process_instances').where({ id: instanceId }).first()).variables ?? {}) as Record<string, unknown>;

describe('meeting credentials', () => {
  it('prints each confirmed expert with a login and a one-time password, and the first login must change it', async () => {
    // given a meeting with three confirmed experts
    const meeting = await seedMeeting(db.knex, { experts: 3, candidates: 1 });

    // when the clerk issues the credentials
    const res = await t.request('POST', `/api/meetings/${meeting.meetingId}/credentials`, { user: CLERK, body: {} });

    // then the sheet names every expert, with their login and a password
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const text = pdfText(res.rawPayload);
    expect(text).toContain('评审专家账号单');
    for (const e of meeting.experts) expect(text).toContain(e.name);
    const printed = credentialsIn(text);
    expect(printed.size).toBe(3);
    const first = meeting.experts[0]!;
    const username = credentialLogin(first.expertId, meeting.meetingId);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: printed.get(username) } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    // and nothing but the password change works before it is changed
    const before = await t.request('GET', '/api/expert/meetings', as(login.json().token));
    expect(before.statusCode).toBe(403);
    const changed = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { authorization: `Bearer ${login.json().token}` }, payload: { oldPassword: printed.get(username), newPassword: NEW_PASSWORD } });
    expect(changed.statusCode, changed.body).toBe(200);
    const after = await t.request('GET', '/api/expert/meetings', as(changed.json().token));
    expect(after.statusCode).toBe(200);
    expect(after.json().map((m: { id: number }) => m.id)).toEqual([meeting.meetingId]);
    // and a second issue without naming experts has nobody left to issue to
    const again = await t.request('POST', `/api/meetings/${meeting.meetingId}/credentials`, { user: CLERK, body: {} });
    expect(again.statusCode).toBe(409);
  });

  it('stops working when the meeting closes', async () => {
    // given an expert who has logged in
    const meeting = await seedMeeting(db.knex, { experts: 1, candidates: 1 });
    await expertTokens(t, CLERK, meeting);
    // when the meeting closes
    await db.knex('review_meetings').where({ id: meeting.meetingId }).update({ status: 'closed' });
    // then the credential no longer logs in
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `${meeting.experts[0]!.idNumber}-${meeting.meetingId}`, password: NEW_PASSWORD } });
    expect(login.statusCode).toBe(403);
    expect(login.json().message).toContain('评审会议已结束');
  });
});

describe('the expert portal', () => {
  it('shows the round\'s candidates in the meeting\'s order, saves a draft, and refuses an incomplete ballot naming who is missing', async () => {
    // given an open round with three candidates
    const { meeting, token } = await openMeeting({ experts: 3, candidates: 3 });
    const view = await t.request('GET', `/api/expert/meetings/${meeting.meetingId}`, as(token(0)));
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().candidates.map((c: { applicantName: string }) => c.applicantName)).toEqual(meeting.candidates.map((c) => c.name));
    expect(view.json().ballot.status).toBe('draft');

    // when the expert saves one vote and submits
    const saved = await t.request('PUT', `/api/expert/meetings/${meeting.meetingId}/ballot`, { ...as(token(0)), body: { votes: [{ dossierId: meeting.candidates[0]!.dossierId, choice: 'agree' }] } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ status: 'draft', saved: 1 });
    const reread = await t.request('GET', `/api/expert/meetings/${meeting.meetingId}`, as(token(0)));
    expect(reread.json().candidates[0].choice).toBe('agree');
    const incomplete = await vote(token(0), meeting.meetingId, []);

    // then the submission is refused with the two missing candidates named
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().message).toContain(meeting.candidates[1]!.name);
    expect(incomplete.json().message).toContain(meeting.candidates[2]!.name);
    expect(incomplete.json().details[0].field).toBe('votes');
  });

  it('a ballot is submitted from the 专家端 only: the generic task completion names what is missing, then refuses', async () => {
    // given an expert's open 专家投票 task and a draft with one of two votes
    const { meeting, token, instanceId } = await openMeeting({ experts: 1, candidates: 2 });
    const task = await db.knex('tasks').where({ root_instance_id: instanceId, form_key: 'expert-ballot', status: 'open' }).first();
    await t.request('PUT', `/api/expert/meetings/${meeting.meetingId}/ballot`, { ...as(token(0)), body: { votes: [{ dossierId: meeting.candidates[0]!.dossierId, choice: 'agree' }] } });
    // when the expert completes the task through the inbox's generic completion
    const incomplete = await t.request('POST', `/api/tasks/${task.id}/complete`, { ...as(token(0)), body: { action: 'submit' } });
    await t.request('PUT', `/api/expert/meetings/${meeting.meetingId}/ballot`, { ...as(token(0)), body: { votes: [{ dossierId: meeting.candidates[1]!.dossierId, choice: 'agree' }] } });
    const complete = await t.request('POST', `/api/tasks/${task.id}/complete`, { ...as(token(0)), body: { action: 'submit' } });
    // then the first names the missing candidate, the second is sent to the 专家端, and the task stays open
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().message).toContain(meeting.candidates[1]!.name);
    expect(complete.statusCode).toBe(409);
    expect(complete.json().message).toContain('专家端');
    expect((await db.knex('tasks').where({ id: task.id }).first()).status).toBe('open');
    expect((await vote(token(0), meeting.meetingId, [])).statusCode).toBe(200);
  });

  it('reads the full dossier of a candidate of the round, and nothing else', async () => {
    // given an expert of an open round, and a dossier of another meeting
    const { meeting, token } = await openMeeting({ experts: 1, candidates: 1 });
    const other = await seedMeeting(db.knex, { experts: 1, candidates: 1 });
    // when they open the case view of each
    const own = await t.request('GET', `/api/dossiers/${meeting.candidates[0]!.dossierId}/case`, as(token(0)));
    const foreign = await t.request('GET', `/api/dossiers/${other.candidates[0]!.dossierId}/case`, as(token(0)));
    // then only their round's candidate is readable
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().applicantName).toBe(meeting.candidates[0]!.name);
    expect(foreign.statusCode).toBe(404);
  });

  it('downloads the attachments of a candidate of the round; an expert of another meeting cannot', async () => {
    // given an attachment of a candidate's dossier (its case's file)
    const { meeting, token } = await openMeeting({ experts: 1, candidates: 1 });
    const other = await seedMeeting(db.knex, { experts: 1, candidates: 1 });
    const outsider = (await expertTokens(t, CLERK, other)).get(other.experts[0]!.expertId)!;
    const file = await uploadPdf(t, CLERK, '学历证书.pdf');
    const caseId = randomUUID();
    await db.knex('dossiers').where({ id: meeting.candidates[0]!.dossierId }).update({ instance_id: caseId });
    await db.knex('files').where({ id: file.id }).update({ root_instance_id: caseId });
    // when both experts download it
    const own = await t.request('GET', `/api/files/${file.id}`, as(token(0)));
    const foreign = await t.request('GET', `/api/files/${file.id}`, { token: outsider });
    // then only the expert of the round gets it
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toContain('pdf');
    expect(foreign.statusCode).toBe(404);
  });

  it('takes one submission when two tabs submit at once; every vote is stored once', async () => {
    // given an expert with a complete ballot in two tabs
    const { meeting, token } = await openMeeting({ experts: 2, candidates: 4 });
    const votes = meeting.candidates.map((c) => ({ dossierId: c.dossierId, choice: 'agree' as Choice }));
    // when both tabs submit at the same moment
    const [a, b] = await Promise.all([vote(token(0), meeting.meetingId, votes), vote(token(0), meeting.meetingId, votes)]);
    // then one submission wins and the other gets 409
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const stored = await db.knex('meeting_votes').where({ expert_id: meeting.experts[0]!.expertId }).count<{ count: string }[]>('* as count');
    expect(Number(stored[0]!.count)).toBe(4);
    const again = await vote(token(0), meeting.meetingId, votes);
    expect(again.statusCode).toBe(409);
    // and the expert's 专家投票 task is completed once (the 计票 screen waits for the completions under way)
    const tally = await t.request('GET', `/api/meetings/${meeting.meetingId}/tally`, { user: CLERK });
    expect(tally.statusCode, tally.body).toBe(200);
    expect(tally.json().rounds[0].experts.find((e: { expertId: number }) => e.expertId === meeting.experts[0]!.expertId).status).toBe('submitted');
    expect((await db.knex('tasks').where({ form_key: 'expert-ballot', status: 'completed' }).whereRaw('? = any(candidate_user_ids)', [await userOf(meeting, 0)])).length).toBe(1);
  });
});

const userOf = async (meeting: SeededMeeting, i: number) => Number((await db.knex('meeting_experts').where({ meeting_id: meeting.meetingId, expert_id: meeting.experts[i]!.expertId }).first()).user_id);

describe('submissions and their tasks', () => {
  it('completes the 专家投票 task of a ballot stored before a crash, once, by the ballot-submissions job', async () => {
    // given two experts whose ballots were stored as submitted by a process that died before completing their tasks
    const { meeting, token, instanceId } = await openMeeting({ experts: 2, candidates: 2 });
    const votes = meeting.candidates.map((c) => ({ dossierId: c.dossierId, choice: 'agree' as Choice }));
    for (const i of [0, 1]) expect((await t.request('PUT', `/api/expert/meetings/${meeting.meetingId}/ballot`, { token: token(i), body: { votes } })).statusCode).toBe(200);
    await db.knex('meeting_ballots').where({ meeting_id: meeting.meetingId }).update({ status: 'submitted', submitted_at: new Date() });
    const open = () => db.knex('tasks').where({ root_instance_id: instanceId, form_key: 'expert-ballot', status: 'open' });
    expect(await open()).toHaveLength(2);

    // when the job runs, and runs again
    await t.app.scheduler.runJob('ballot-submissions');
    await t.app.scheduler.runJob('ballot-submissions');

    // then both tasks are completed once, by their experts, and 计票 is open once
    expect(await open()).toHaveLength(0);
    const done = await db.knex('tasks').where({ root_instance_id: instanceId, form_key: 'expert-ballot', status: 'completed', action: 'submit' });
    expect(done.map((d) => Number(d.completed_by)).sort()).toEqual([await userOf(meeting, 0), await userOf(meeting, 1)].sort());
    expect(await db.knex('tasks').where({ root_instance_id: instanceId, form_key: 'meeting-tally', status: 'open' })).toHaveLength(1);
  });

  it('three experts submitting at once: the 计票 screen shows three submitted ballots and 计票 open', async () => {
    // given three experts of one round
    const { meeting, token, instanceId } = await openMeeting({ experts: 3, candidates: 3 });
    const votes = meeting.candidates.map((c) => ({ dossierId: c.dossierId, choice: 'disagree' as Choice }));
    // when all three submit at once
    const answers = await Promise.all([0, 1, 2].map((i) => vote(token(i), meeting.meetingId, votes)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    // then the clerk's 计票 screen sees three submitted ballots and can close the tally
    const tally = await t.request('GET', `/api/meetings/${meeting.meetingId}/tally`, { user: CLERK });
    expect(tally.json().rounds[0].experts.map((e: { status: string }) => e.status)).toEqual(['submitted', 'submitted', 'submitted']);
    expect(tally.json().tallyOpen).toBe(true);
    expect(tally.json().canPass).toBe(true);
    expect(await db.knex('tasks').where({ root_instance_id: instanceId, form_key: 'expert-ballot', status: 'completed' })).toHaveLength(3);
  });
});

describe('the tally', () => {
  it('passes a candidate with 7 of 10 attending agreeing and fails one with 6 (3·agree ≥ 2·attending; abstention is not agreement)', async () => {
    // given ten attending experts and two candidates
    const { meeting, token, instanceId } = await openMeeting({ experts: 10, candidates: 2 });
    const [a, b] = meeting.candidates;
    // when 7 agree on A (3 disagree) and 6 agree on B (4 abstain), and the clerk closes the tally
    for (let i = 0; i < 10; i++) {
      const res = await vote(token(i), meeting.meetingId, [
        { dossierId: a!.dossierId, choice: i < 7 ? 'agree' : 'disagree' },
        { dossierId: b!.dossierId, choice: i < 6 ? 'agree' : 'abstain' },
      ]);
      expect(res.statusCode, res.body).toBe(200);
    }
    const passed = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: CLERK, body: {} });

    // then A passes, B fails, the round is valid with 10 attending
    expect(passed.statusCode, passed.body).toBe(200);
    const round = passed.json().rounds[0];
    expect(round).toMatchObject({ status: 'closed', attending: 10, confirmed: 10, valid: true });
    const shown = (await results(meeting.meetingId, round.id)).results;
    expect(shown.find((r) => r.dossierId === a!.dossierId)).toMatchObject({ agree: 7, disagree: 3, passed: true });
    expect(shown.find((r) => r.dossierId === b!.dossierId)).toMatchObject({ agree: 6, abstain: 4, passed: false });
    const statuses = await db.knex('meeting_candidates').where({ meeting_id: meeting.meetingId }).orderBy('dossier_id');
    expect(Object.fromEntries(statuses.map((s) => [Number(s.dossier_id), [s.status, s.result_round]]))).toEqual({ [a!.dossierId]: ['passed', 'plenary'], [b!.dossierId]: ['failed', 'plenary'] });
    const vars = await variablesOf(instanceId);
    expect(vars.roundValid).toBe(true);
    expect(vars.results).toEqual(expect.arrayContaining([{ dossierId: a!.dossierId, passed: true }, { dossierId: b!.dossierId, passed: false }]));
  });

  it('refuses 计票完成 while an attending expert has not submitted, naming them', async () => {
    // given three experts of whom two submitted
    const { meeting, token } = await openMeeting({ experts: 3, candidates: 1 });
    for (const i of [0, 1]) expect((await vote(token(i), meeting.meetingId, [{ dossierId: meeting.candidates[0]!.dossierId, choice: 'agree' }])).statusCode).toBe(200);
    // when the clerk closes the tally
    const res = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: CLERK, body: {} });
    // then it is refused with the third expert named, and the round stays open
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain(meeting.experts[2]!.name);
    const view = await tally(meeting.meetingId);
    expect(view.rounds[0].status).toBe('voting');
    expect(view.canPass).toBe(false);
    expect(view.rounds[0].experts.map((e: { status: string }) => e.status)).toEqual(['submitted', 'submitted', 'draft']);
  });

  it('hands a submission back to its expert, who corrects it before the tally closes', async () => {
    // given three experts who all disagreed on the candidate
    const { meeting, token } = await openMeeting({ experts: 3, candidates: 1 });
    const dossierId = meeting.candidates[0]!.dossierId;
    for (const i of [0, 1, 2]) expect((await vote(token(i), meeting.meetingId, [{ dossierId, choice: i === 2 ? 'disagree' : 'agree' }])).statusCode).toBe(200);

    // when the clerk hands the third expert's ballot back, and the expert changes to 同意 and submits again
    const back = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/return`, { user: CLERK, body: { expertId: meeting.experts[2]!.expertId, opinion: '误选不同意，经本人确认回退' } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().rounds[0].experts[2].status).toBe('returned');
    const view = await t.request('GET', `/api/expert/meetings/${meeting.meetingId}`, as(token(2)));
    expect(view.json().ballot).toMatchObject({ status: 'returned', editable: true });
    expect(view.json().candidates[0].choice).toBe('disagree');
    expect((await vote(token(2), meeting.meetingId, [{ dossierId, choice: 'agree' }])).statusCode).toBe(200);
    const passed = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: CLERK, body: {} });

    // then the corrected vote counts: 3 of 3 agree
    expect(passed.statusCode, passed.body).toBe(200);
    expect((await results(meeting.meetingId, firstRound(passed))).results[0]).toMatchObject({ agree: 3, disagree: 0, passed: true });
  });

  it('refuses to hand back a ballot that was not submitted', async () => {
    // given a round where every expert submitted
    const { meeting, token } = await openMeeting({ experts: 2, candidates: 1 });
    for (const i of [0, 1]) await vote(token(i), meeting.meetingId, [{ dossierId: meeting.candidates[0]!.dossierId, choice: 'agree' }]);
    // when the clerk names an expert of another meeting
    const other = await seedMeeting(db.knex, { experts: 1, candidates: 1 });
    const res = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/return`, { user: CLERK, body: { expertId: other.experts[0]!.expertId, opinion: '测试' } });
    // then the field is named
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toContain('expertId');
  });

  it('marks an expert 缺席: the round counts without them, and too few attending make it invalid', async () => {
    // given six confirmed experts, three of them marked 缺席 (3 < ⅔·6)
    const { meeting, token, instanceId } = await openMeeting({ experts: 6, candidates: 1 });
    const dossierId = meeting.candidates[0]!.dossierId;
    for (const i of [3, 4, 5]) {
      const res = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/absent`, { user: CLERK, body: { expertId: meeting.experts[i]!.expertId, opinion: '因病未到会' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    // an absent expert can no longer vote
    expect((await vote(token(3), meeting.meetingId, [{ dossierId, choice: 'agree' }])).statusCode).toBe(409);
    // when the three present experts agree and the clerk closes the tally
    for (const i of [0, 1, 2]) expect((await vote(token(i), meeting.meetingId, [{ dossierId, choice: 'agree' }])).statusCode).toBe(200);
    const passed = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: CLERK, body: {} });

    // then the round is invalid (3 attending of 6 confirmed) and nobody's result is decided
    expect(passed.statusCode, passed.body).toBe(200);
    expect(passed.json().rounds[0]).toMatchObject({ attending: 3, confirmed: 6, quorum: 4, valid: false, status: 'closed' });
    expect((await db.knex('meeting_candidates').where({ meeting_id: meeting.meetingId }).first()).status).toBe('candidate');
    expect((await variablesOf(instanceId)).roundValid).toBe(false);
    const absentTask = await db.knex('tasks').where({ root_instance_id: instanceId, form_key: 'expert-ballot', action: 'absent' });
    expect(absentTask).toHaveLength(3);
  });

  it('with 4 of 6 attending the round is valid and 3 agreeing of 4 pass', async () => {
    // given six confirmed experts, two absent
    const { meeting, token } = await openMeeting({ experts: 6, candidates: 1 });
    const dossierId = meeting.candidates[0]!.dossierId;
    for (const i of [4, 5]) await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/absent`, { user: CLERK, body: { expertId: meeting.experts[i]!.expertId, opinion: '未到会' } });
    // when three agree and one abstains
    for (const i of [0, 1, 2, 3]) expect((await vote(token(i), meeting.meetingId, [{ dossierId, choice: i < 3 ? 'agree' : 'abstain' }])).statusCode).toBe(200);
    const passed = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: CLERK, body: {} });
    // then 3·3 ≥ 2·4 passes in a valid round
    expect(passed.json().rounds[0]).toMatchObject({ attending: 4, valid: true });
    expect((await results(meeting.meetingId, firstRound(passed))).results[0]!.passed).toBe(true);
  });

  it('in a panel 投票 round each expert votes on their panel only, and those who fail are eliminated', async () => {
    // given two panels of two experts and two candidates each
    const { meeting, token } = await openMeeting({ experts: 4, candidates: 4, panels: 2 }, 'panel', 'vote');
    const views = await Promise.all([0, 1].map((i) => t.request('GET', `/api/expert/meetings/${meeting.meetingId}`, as(token(i)))));
    const [first, second] = views.map((v) => v.json().candidates.map((c: { dossierId: number }) => c.dossierId) as number[]);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(first!.some((id) => second!.includes(id))).toBe(false);
    // a vote on another panel's candidate is refused
    const foreign = await vote(token(0), meeting.meetingId, [{ dossierId: second![0]!, choice: 'agree' }]);
    expect(foreign.statusCode).toBe(400);
    // when every expert agrees on their panel's first candidate and disagrees on the second
    for (let i = 0; i < 4; i++) {
      const own = i % 2 === 0 ? first! : second!;
      expect((await vote(token(i), meeting.meetingId, [{ dossierId: own[0]!, choice: 'agree' }, { dossierId: own[1]!, choice: 'disagree' }])).statusCode).toBe(200);
    }
    const passed = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: CLERK, body: {} });
    // then the second candidate of each panel is eliminated, the first stays for the plenary
    expect(passed.statusCode, passed.body).toBe(200);
    const rows = await db.knex('meeting_candidates').where({ meeting_id: meeting.meetingId });
    const statusOf = (id: number) => rows.find((r) => Number(r.dossier_id) === id)!.status;
    expect([statusOf(first![0]!), statusOf(second![0]!)]).toEqual(['candidate', 'candidate']);
    expect([statusOf(first![1]!), statusOf(second![1]!)]).toEqual(['eliminated', 'eliminated']);
  });

  it('in a panel 打分 round scores stay within the maximum and nobody is eliminated', async () => {
    // given one scoring panel
    const { meeting, token } = await openMeeting({ experts: 2, candidates: 2, panels: 1 }, 'panel', 'score');
    const [a, b] = meeting.candidates;
    // when a score beyond the maximum is sent
    const over = await vote(token(0), meeting.meetingId, [{ dossierId: a!.dossierId, score: 101 }, { dossierId: b!.dossierId, score: 50 }]);
    expect(over.statusCode).toBe(400);
    expect(over.json().details[0].field).toBe('votes.0.score');
    // and valid scores are submitted and the tally closed
    for (const i of [0, 1]) expect((await vote(token(i), meeting.meetingId, [{ dossierId: a!.dossierId, score: 90 - i * 10 }, { dossierId: b!.dossierId, score: 20 }])).statusCode).toBe(200);
    const passed = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: CLERK, body: {} });
    // then the averages are shown and everyone is still a candidate
    expect(passed.statusCode, passed.body).toBe(200);
    expect((await results(meeting.meetingId, firstRound(passed))).results.map((r) => r.averageScore)).toEqual([85, 20]);
    expect((await db.knex('meeting_candidates').where({ meeting_id: meeting.meetingId, status: 'candidate' })).length).toBe(2);
  });

  it('scores within the activity\'s 评分标准 when one is set, and shows its items to the expert', async () => {
    // given a scoring round whose activity has two items worth 30 and 20 points
    const { meeting, token } = await openMeeting({ experts: 1, candidates: 1, panels: 1 }, 'panel', 'score');
    const at = new Date();
    await db.knex('activity_scoring_items').insert([
      { activity_id: meeting.activityId, name: '业绩成果', max_points: 30, order_no: 1, updated_at: at },
      { activity_id: meeting.activityId, name: '答辩表现', max_points: 20, order_no: 2, updated_at: at },
    ]);
    // when the expert opens the portal and scores 51, then 50
    const view = await t.request('GET', `/api/expert/meetings/${meeting.meetingId}`, as(token(0)));
    const over = await vote(token(0), meeting.meetingId, [{ dossierId: meeting.candidates[0]!.dossierId, score: 51 }]);
    const within = await vote(token(0), meeting.meetingId, [{ dossierId: meeting.candidates[0]!.dossierId, score: 50 }]);
    // then the standard is shown, 51 is refused naming the maximum, 50 is taken
    expect(view.json().scoring).toMatchObject({ maxTotal: 50, items: [{ name: '业绩成果', maxPoints: 30 }, { name: '答辩表现', maxPoints: 20 }] });
    expect(over.statusCode).toBe(400);
    expect(over.json().details[0]).toMatchObject({ field: 'votes.0.score', message: '分数应在 0 至 50 之间' });
    expect(within.statusCode, within.body).toBe(200);
  });

  it('the 计票 screen sends the round\'s size, and its results a page at a time in the meeting\'s order', async () => {
    // given a round of five candidates where two of three experts have agreed on the third
    const { meeting, token } = await openMeeting({ experts: 3, candidates: 5 });
    const third = meeting.candidates[2]!;
    for (const i of [0, 1]) expect((await vote(token(i), meeting.meetingId, meeting.candidates.map((c) => ({ dossierId: c.dossierId, choice: c === third ? 'agree' : 'disagree' })))).statusCode).toBe(200);
    // when the clerk opens the screen and the second page of two
    const view = await tally(meeting.meetingId);
    const page = await results(meeting.meetingId, view.rounds[0].id, 'page=2&pageSize=2');
    // then the screen counts the round without listing it, and the page holds the third and fourth
    expect(view.rounds[0]).toMatchObject({ resultCount: 5 });
    expect(view.rounds[0].results).toBeUndefined();
    expect(page.total).toBe(5);
    expect(page.results.map((r) => [r.orderNo, r.dossierId])).toEqual([
      [3, third.dossierId],
      [4, meeting.candidates[3]!.dossierId],
    ]);
    expect(page.results[0]).toMatchObject({ agree: 2, disagree: 0 });
    expect(page.results[1]).toMatchObject({ agree: 0, disagree: 2 });
  });

  it('the results are narrowed by the start of a name; an unknown round is 404', async () => {
    // given a round of three
    const { meeting } = await openMeeting({ experts: 3, candidates: 3 });
    const roundId = (await tally(meeting.meetingId)).rounds[0].id as number;
    const wanted = meeting.candidates[1]!;
    // when the clerk searches the second candidate's name
    const found = await results(meeting.meetingId, roundId, `name=${encodeURIComponent(wanted.name)}`);
    // then the list holds them and only names that start so
    expect(found.results.map((r) => r.dossierId)).toContain(wanted.dossierId);
    expect(found.results.every((r) => r.applicantName.startsWith(wanted.name))).toBe(true);
    // and a round of no meeting of theirs answers 404
    expect((await t.request('GET', `/api/meetings/${meeting.meetingId}/tally/rounds/${roundId + 1000}/results`, { user: CLERK })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/meetings/${meeting.meetingId}/tally/rounds/${roundId}/results?pageSize=0`, { user: CLERK })).json().details[0].field).toBe('querystring.pageSize');
  });

  it('each expert\'s progress on the 计票 screen equals a count of their stored votes, after drafts, changes and a hand-back', async () => {
    // given three experts: one saves a draft and changes it, one submits, one is handed back and votes again
    const { meeting, token } = await openMeeting({ experts: 3, candidates: 4 });
    const [a, b, c, d] = meeting.candidates;
    const draft = (i: number, votes: Array<{ dossierId: number; choice: Choice }>) => t.request('PUT', `/api/expert/meetings/${meeting.meetingId}/ballot`, { ...as(token(i)), body: { votes } });
    expect((await draft(0, [{ dossierId: a!.dossierId, choice: 'agree' }, { dossierId: b!.dossierId, choice: 'abstain' }])).statusCode).toBe(200);
    expect((await draft(0, [{ dossierId: b!.dossierId, choice: 'disagree' }, { dossierId: c!.dossierId, choice: 'agree' }])).statusCode).toBe(200);
    const all = (choice: Choice) => meeting.candidates.map((x) => ({ dossierId: x.dossierId, choice }));
    expect((await vote(token(1), meeting.meetingId, all('agree'))).statusCode).toBe(200);
    expect((await vote(token(2), meeting.meetingId, all('disagree'))).statusCode).toBe(200);
    await tally(meeting.meetingId);
    await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/absent`, { user: CLERK, body: { expertId: meeting.experts[0]!.expertId, opinion: '未到会' } });
    const back = await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/return`, { user: CLERK, body: { expertId: meeting.experts[2]!.expertId, opinion: '请复核' } });
    expect(back.statusCode, back.body).toBe(200);
    expect((await vote(token(2), meeting.meetingId, [...all('agree').slice(0, 3), { dossierId: d!.dossierId, choice: 'abstain' }])).statusCode).toBe(200);
    // when the clerk reads the screen
    const shown = (await tally(meeting.meetingId)).rounds[0].experts as Array<{ expertId: number; agree: number; disagree: number; abstain: number }>;
    // then each expert's counts are those of the votes stored for them
    const stored = await db.knex('meeting_votes').where({ round_id: (await tally(meeting.meetingId)).rounds[0].id }).select('expert_id', 'choice');
    const countOf = (expertId: number, choice: Choice) => stored.filter((v) => Number(v.expert_id) === expertId && v.choice === choice).length;
    expect(shown.map((e) => [e.agree, e.disagree, e.abstain])).toEqual(meeting.experts.map((e) => [countOf(e.expertId, 'agree'), countOf(e.expertId, 'disagree'), countOf(e.expertId, 'abstain')]));
    expect(shown.map((e) => [e.agree, e.disagree, e.abstain])).toEqual([
      [2, 1, 0],
      [4, 0, 0],
      [3, 0, 1],
    ]);
  });

  it('exports the 表决票结果 as Excel and as a Chinese PDF', async () => {
    // given a closed round
    const { meeting, token } = await openMeeting({ experts: 2, candidates: 2 });
    for (const i of [0, 1]) await vote(token(i), meeting.meetingId, meeting.candidates.map((c) => ({ dossierId: c.dossierId, choice: 'agree' as Choice })));
    await t.request('POST', `/api/meetings/${meeting.meetingId}/tally/pass`, { user: CLERK, body: {} });
    // when both exports are downloaded
    const xlsx = await t.request('GET', `/api/meetings/${meeting.meetingId}/tally.xlsx`, { user: CLERK });
    const pdf = await t.request('GET', `/api/meetings/${meeting.meetingId}/tally.pdf`, { user: CLERK });
    // then both list every candidate with the result
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('表决票结果')!;
    const names = [2, 3].map((r) => String(sheet.getRow(r).getCell(6).value));
    expect(names).toEqual(meeting.candidates.map((c) => c.name));
    expect(String(sheet.getRow(2).getCell(13).value)).toBe('通过');
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('表决票结果');
    for (const c of meeting.candidates) expect(text).toContain(c.name);
  });
});

describe('scope', () => {
  it('an expert of another meeting and a clerk of another committee get 403 on every route; the supervising committee reads the tally only', async () => {
    // given a meeting with an open round, an expert of another meeting, and a supervising committee
    const { meeting, token } = await openMeeting({ experts: 2, candidates: 1 });
    const other = await seedMeeting(db.knex, { experts: 1, candidates: 1 });
    const outsider = (await expertTokens(t, CLERK, other)).get(other.experts[0]!.expertId)!;
    const supervisor = await db.knex('committees').where({ name: '锦江区监督评委会' }).first();
    const m = meeting.meetingId;
    const expertId = meeting.experts[0]!.expertId;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/api/expert/meetings/${m}`],
      ['PUT', `/api/expert/meetings/${m}/ballot`, { votes: [] }],
      ['POST', `/api/expert/meetings/${m}/ballot/submit`, { votes: [] }],
      ['POST', `/api/meetings/${m}/credentials`, {}],
      ['GET', `/api/meetings/${m}/tally`],
      ['GET', `/api/meetings/${m}/tally/rounds/1/results`],
      ['POST', `/api/meetings/${m}/tally/return`, { expertId, opinion: '试' }],
      ['POST', `/api/meetings/${m}/tally/absent`, { expertId, opinion: '试' }],
      ['POST', `/api/meetings/${m}/tally/pass`, {}],
      ['GET', `/api/meetings/${m}/tally.xlsx`],
      ['GET', `/api/meetings/${m}/tally.pdf`],
    ];
    // when each calls every route of the meeting
    for (const [method, url, body] of routes) {
      const byExpert = await t.request(method, url, { token: outsider, body });
      const byClerk = await t.request(method, url, { user: OTHER_CLERK, body });
      // then each is refused alike, whether the meeting exists or not
      expect([url, byExpert.statusCode]).toEqual([url, 403]);
      expect([url, byClerk.statusCode]).toEqual([url, 403]);
    }
    // and the meeting's own expert may not use the committee's routes
    expect((await t.request('GET', `/api/meetings/${m}/tally`, as(token(0)))).statusCode).toBe(403);
    expect((await t.request('POST', `/api/meetings/${m}/tally/absent`, { ...as(token(0)), body: { expertId: meeting.experts[1]!.expertId, opinion: '试' } })).statusCode).toBe(403);

    // when the supervising committee is named, its clerk reads the tally but may not change it
    await db.knex('review_meetings').where({ id: m }).update({ supervisor_committee_id: supervisor.id });
    const read = await t.request('GET', `/api/meetings/${m}/tally`, { user: OTHER_CLERK });
    expect(read.statusCode).toBe(200);
    expect(read.json().readOnly).toBe(true);
    expect((await t.request('GET', `/api/meetings/${m}/tally.xlsx`, { user: OTHER_CLERK })).statusCode).toBe(200);
    expect((await t.request('POST', `/api/meetings/${m}/tally/pass`, { user: OTHER_CLERK, body: {} })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/meetings/${m}/tally/absent`, { user: OTHER_CLERK, body: { expertId, opinion: '试' } })).statusCode).toBe(403);
  });
});
