import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk } from '../helpers/flow.ts';
import { addConfirmedExperts, addReceivedDossiers, ballotStandIn, OTHER_PARTS, setActivityOptions, type AgreeOf } from '../helpers/meeting-fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

/**
 * Stand-in for the vote part's ballots: the 同意 votes of each candidate, per round kind. The
 * stand-in tally applies the 2/3 rule to them (3·agree ≥ 2·attending).
 */
const agree: Record<'panel' | 'plenary', Map<number, number>> = { panel: new Map(), plenary: new Map() };
const scripted: AgreeOf = async (_trx, round) => agree[round.kind];

beforeAll(async () => {
  db = await createTestDatabase();
  // the draw's and the vote's steps are stood in for: confirmed experts with credentials, scripted votes
  t = await startTestApp(db, { demo: true, withoutModules: OTHER_PARTS, extraModules: [ballotStandIn(scripted)] });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

interface TaskRow {
  id: string;
  element_id: string;
  candidate_user_ids: string[];
}

const openTasks = (knex: Knex, instanceId: string, elementId: string): Promise<TaskRow[]> =>
  knex('tasks').where({ root_instance_id: instanceId, element_id: elementId, status: 'open' }).orderBy('created_at').select('id', 'element_id', 'candidate_user_ids');

async function step(instanceId: string, elementId: string, action = 'complete', data?: unknown) {
  const [task] = await openTasks(db.knex, instanceId, elementId);
  expect(task, `the meeting should wait at ${elementId}`).toBeDefined();
  return completeOk(t, 'cd_pw', task!.id, action, action === 'return' ? '请核对后重新提交' : undefined, data);
}

/** Every open ballot of the step is submitted by its expert. */
async function voteAll(instanceId: string, elementId: string, experts: Array<{ userId: number | null; username: string }>) {
  const tasks = await openTasks(db.knex, instanceId, elementId);
  for (const task of tasks) {
    const expert = experts.find((e) => task.candidate_user_ids.map(Number).includes(Number(e.userId)));
    expect(expert, 'each ballot belongs to one attending expert').toBeDefined();
    await completeOk(t, expert!.username, task.id, 'submit');
  }
  return tasks.length;
}

async function createMeeting(kind: 'breakthrough' | 'normal', name: string) {
  const res = await t.request('POST', '/api/meetings', { user: 'cd_pw', body: { activityId: 1, kind, name, startsAt: '2026-06-01T09:00:00+08:00', location: '成都市人社局 3 楼会议室' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; instanceId: string; candidateCount: number };
}

async function assignAll(meetingId: number, mainExpertId: number, assistantExpertIds: number[], panelOf?: (dossierId: number) => number) {
  const detail = (await t.request('GET', `/api/meetings/${meetingId}/candidates?pageSize=500`, { user: 'cd_pw' })).json() as { candidates: Array<{ dossierId: number }> };
  for (const c of detail.candidates) {
    const res = await t.request('PUT', `/api/meetings/${meetingId}/assignments`, {
      user: 'cd_pw',
      body: { dossierIds: [c.dossierId], mainExpertId, assistantExpertIds, ...(panelOf ? { panelId: panelOf(c.dossierId) } : {}) },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}

const candidates = (meetingId: number) => db.knex('meeting_candidates').where({ meeting_id: meetingId }).orderBy('order_no').select('dossier_id', 'source', 'status', 'result_round', 'panel_id');

describe('a meeting run on the diagrams: the breakthrough meeting feeding the normal one, panels then plenary', () => {
  let bt1: number, bt2: number, n1: number, n2: number, n3: number, n4: number;
  let breakthroughId: number;

  it('the 破格评审会议 is created only for an activity with 破格 and received 破格 dossiers', async () => {
    // given an activity without 破格
    await setActivityOptions(db.knex, { breakthrough: false, panels: true, panelMethod: 'vote' });
    [bt1, bt2] = (await addReceivedDossiers(db.knex, [{ name: '破格甲', breakthrough: true }, { name: '破格乙', breakthrough: true }])) as [number, number];
    // when the clerk asks for a 破格评审会议
    const refused = await t.request('POST', '/api/meetings', { user: 'cd_pw', body: { activityId: 1, kind: 'breakthrough', name: '破格评审会议', startsAt: '2026-06-01T09:00:00+08:00', location: '会议室' } });
    // then it is refused naming the field
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().details).toEqual([{ field: 'kind', message: '该评审活动未设置破格' }]);
  });

  it('破格评审会议: draw → attendance → assignment → voting → tally; a round without quorum goes back to 确认出席; the passed candidate is kept for the normal meeting', async () => {
    // given 破格 on, two received 破格 dossiers and four normal ones
    await setActivityOptions(db.knex, { breakthrough: true, panels: true, panelMethod: 'vote' });
    [n1, n2, n3, n4] = (await addReceivedDossiers(db.knex, [
      { name: '普通甲', specialty: '机械工程' },
      { name: '普通乙', specialty: '机械工程' },
      { name: '普通丙', specialty: '电气工程' },
      { name: '普通丁', specialty: '电气工程' },
    ])) as [number, number, number, number];
    // when the clerk creates the 破格评审会议
    const meeting = await createMeeting('breakthrough', '2026年度破格评审会议');
    breakthroughId = meeting.id;
    // then its case waits at 专家抽选 with the 破格 candidates only
    expect(meeting.candidateCount).toBe(2);
    expect((await candidates(meeting.id)).map((c) => Number(c.dossier_id))).toEqual([bt1, bt2]);
    const experts = await addConfirmedExperts(db.knex, meeting.id, 3);
    await step(meeting.instanceId, 'draw');
    await step(meeting.instanceId, 'attendance');
    await assignAll(meeting.id, experts[0]!.expertId, [experts[1]!.expertId]);
    await step(meeting.instanceId, 'assignment');
    await step(meeting.instanceId, 'open_voting');
    // when two of the three confirmed experts are absent from the round (1 < ⅔ of 3)
    for (const e of experts.slice(1)) {
      const [task] = (await openTasks(db.knex, meeting.instanceId, 'ballot')).filter((b) => b.candidate_user_ids.map(Number).includes(Number(e.userId)));
      await completeOk(t, e.username, task!.id, 'absent', '临时有事，无法出席');
    }
    expect(await voteAll(meeting.instanceId, 'ballot', experts)).toBe(1);
    const invalid = await step(meeting.instanceId, 'tally', 'pass');
    // then the round is invalid and the meeting goes back to 确认出席, nobody decided
    expect(invalid.nextTasks.map((n) => n.elementId)).toEqual(['attendance']);
    expect(await db.knex('meeting_rounds').where({ meeting_id: meeting.id }).select('kind', 'status', 'valid', 'attending_count', 'confirmed_count')).toEqual([
      { kind: 'plenary', status: 'closed', valid: false, attending_count: 1, confirmed_count: 3 },
    ]);
    expect((await candidates(meeting.id)).map((c) => c.status)).toEqual(['candidate', 'candidate']);
    // when, an hour later, attendance is confirmed again and the round is held again with everyone
    t.clock.advance(3600_000);
    await step(meeting.instanceId, 'attendance');
    await step(meeting.instanceId, 'assignment');
    await step(meeting.instanceId, 'open_voting');
    // then every attending expert gets a ballot
    expect(await voteAll(meeting.instanceId, 'ballot', experts)).toBe(3);
    // when the tally completes with 2 of 3 同意 for 破格甲 and 1 of 3 for 破格乙
    agree.plenary = new Map([
      [bt1, 2],
      [bt2, 1],
    ]);
    const done = await step(meeting.instanceId, 'tally', 'pass');
    // then the case ends, 破格甲 passed and 破格乙 failed at the breakthrough round
    expect(done.instance.status).toBe('completed');
    expect(await candidates(meeting.id)).toMatchObject([
      { dossier_id: bt1, status: 'passed', result_round: 'breakthrough' },
      { dossier_id: bt2, status: 'failed', result_round: 'breakthrough' },
    ]);
    const row = await db.knex('review_meetings').where({ id: meeting.id }).first('status');
    expect(row.status).toBe('closed');
    const instance = await db.knex('process_instances').where({ id: meeting.instanceId }).first('variables');
    // and only the failed candidate is told (review-result to the dossier's case): the passed one goes on to the normal meeting
    expect(instance.variables.results).toEqual([{ dossierId: bt2, passed: false, stage: 'breakthrough', reason: expect.stringContaining('破格评审未通过') }]);
    const sent = await db.knex('process_messages').where({ name: 'review-result' }).whereIn('correlation_key', [`dossier:${bt1}`, `dossier:${bt2}`]).select('correlation_key', 'payload');
    expect(sent).toEqual([{ correlation_key: `dossier:${bt2}`, payload: expect.objectContaining({ reviewPassed: false, reviewStage: 'breakthrough' }) }]);
  });

  it('普通评审会议 with 专业组: the panel round eliminates, a handed-back ballot is voted again, the plenary decides', async () => {
    // given the normal meeting, created after the breakthrough meeting closed
    const meeting = await createMeeting('normal', '2026年度普通评审会议');
    // then its candidates are the received normal dossiers and the breakthrough pass
    expect(await candidates(meeting.id)).toMatchObject([
      { dossier_id: n1, source: 'received' },
      { dossier_id: n2, source: 'received' },
      { dossier_id: n3, source: 'received' },
      { dossier_id: n4, source: 'received' },
      { dossier_id: bt1, source: 'breakthrough' },
    ]);
    const instance = await db.knex('process_instances').where({ id: meeting.instanceId }).first('variables');
    expect(instance.variables).toMatchObject({ hasExam: false, hasDefense: false, hasPanels: true, panelMethod: 'vote', stage: 'panel' });
    const mech = await addConfirmedExperts(db.knex, meeting.id, 3, { specialty: '机械工程' });
    const elec = await addConfirmedExperts(db.knex, meeting.id, 3, { specialty: '电气工程' });
    await step(meeting.instanceId, 'draw');
    await step(meeting.instanceId, 'attendance');
    // when 专家分组 is done: two panels, each with its experts and one 组长
    const panelIds: number[] = [];
    for (const [name, members] of [
      ['机械组', mech],
      ['电气组', elec],
    ] as const) {
      const created = await t.request('POST', `/api/meetings/${meeting.id}/panels`, { user: 'cd_pw', body: { name, specialty: name === '机械组' ? '机械工程' : '电气工程' } });
      expect(created.statusCode, created.body).toBe(201);
      const panelId = (created.json() as { id: number }).id;
      panelIds.push(panelId);
      expect((await t.request('PUT', `/api/meetings/${meeting.id}/panel-members`, { user: 'cd_pw', body: { expertIds: members.map((e) => e.expertId), panelId } })).statusCode).toBe(200);
      expect((await t.request('PUT', `/api/meetings/${meeting.id}/panels/${panelId}/leader`, { user: 'cd_pw', body: { expertId: members[0]!.expertId } })).statusCode).toBe(200);
    }
    await step(meeting.instanceId, 'panels');
    const mechPanel = new Set([n1, n2, bt1]);
    await assignAll(meeting.id, mech[0]!.expertId, [elec[0]!.expertId], (d) => (mechPanel.has(d) ? panelIds[0]! : panelIds[1]!));
    await step(meeting.instanceId, 'assignment');
    await step(meeting.instanceId, 'open_voting');
    // then one panel ballot per attending expert
    expect(await voteAll(meeting.instanceId, 'panel_ballot', [...mech, ...elec])).toBe(6);
    // when the clerk hands one expert's ballot back
    const handedBack = await step(meeting.instanceId, 'panel_tally', 'return', { expertId: elec[1]!.expertId });
    // then only that expert has a ballot again
    expect(handedBack.nextTasks.map((n) => n.elementId)).toEqual(['panel_ballot']);
    expect(await voteAll(meeting.instanceId, 'panel_ballot', elec)).toBe(1);
    // when the panel tally completes: 普通丁 gets 1 of 3 同意 in its panel and is eliminated
    agree.panel = new Map([
      [n1, 3],
      [n2, 2],
      [bt1, 2],
      [n3, 3],
      [n4, 1],
    ]);
    await step(meeting.instanceId, 'panel_tally', 'pass');
    expect((await candidates(meeting.id)).find((c) => Number(c.dossier_id) === n4)).toMatchObject({ status: 'eliminated', result_round: 'panel' });
    // then the plenary round has a ballot for each of the 6 experts
    expect(await voteAll(meeting.instanceId, 'plenary_ballot', [...mech, ...elec])).toBe(6);
    // when the plenary tally completes: 4 of 6 同意 passes (3·4 ≥ 2·6), 3 of 6 fails
    agree.plenary = new Map([
      [n1, 6],
      [n2, 3],
      [n3, 4],
      [bt1, 4],
    ]);
    const done = await step(meeting.instanceId, 'plenary_tally', 'pass');
    // then the meeting is closed with each candidate's result and stage
    expect(done.instance.status).toBe('completed');
    const byId = new Map((await candidates(meeting.id)).map((c) => [Number(c.dossier_id), c]));
    expect([n1, n2, n3, n4, bt1].map((d) => byId.get(d)?.status)).toEqual(['passed', 'failed', 'passed', 'eliminated', 'passed']);
    const ended = await db.knex('process_instances').where({ id: meeting.instanceId }).first('variables');
    expect(ended.variables.results).toEqual(
      expect.arrayContaining([
        { dossierId: n4, passed: false, stage: 'panel', reason: '专业组评审未通过，未进入评委会评审' },
        { dossierId: n2, passed: false, stage: 'plenary', reason: expect.stringContaining('评委会评审未通过') },
        { dossierId: bt1, passed: true, stage: 'plenary', reason: null },
      ]),
    );
    // and each decided candidate's case is sent one review-result message with its result
    const sent = await db.knex('process_messages').where({ name: 'review-result' }).whereIn('correlation_key', [n1, n2, n3, n4, bt1].map((d) => `dossier:${d}`)).select('correlation_key', 'payload');
    expect(sent).toHaveLength(5);
    expect(new Map(sent.map((m: { correlation_key: string; payload: { reviewPassed: boolean } }) => [m.correlation_key, m.payload.reviewPassed]))).toEqual(
      new Map([n1, n2, n3, n4, bt1].map((d) => [`dossier:${d}`, byId.get(d)?.status === 'passed'])),
    );
    expect(breakthroughId).toBeGreaterThan(0);
  });
});
