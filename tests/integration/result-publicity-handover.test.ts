import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk } from '../helpers/flow.ts';
import { addConfirmedExperts, addReceivedDossiers, ballotStandIn, OTHER_PARTS, setActivityOptions, type AgreeOf } from '../helpers/meeting-fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const agree = new Map<number, number>();
const scripted: AgreeOf = async () => agree;

beforeAll(async () => {
  db = await createTestDatabase();
  // the draw's and the vote's steps are stood in for, as in meeting-flows.test.ts
  t = await startTestApp(db, { demo: true, withoutModules: OTHER_PARTS, extraModules: [ballotStandIn(scripted)] });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const openTasks = (knex: Knex, instanceId: string, elementId: string): Promise<Array<{ id: string; candidate_user_ids: string[] }>> =>
  knex('tasks').where({ root_instance_id: instanceId, element_id: elementId, status: 'open' }).orderBy('created_at').select('id', 'candidate_user_ids');

async function step(instanceId: string, elementId: string, action = 'complete') {
  const [task] = await openTasks(db.knex, instanceId, elementId);
  expect(task, `the meeting should wait at ${elementId}`).toBeDefined();
  return completeOk(t, 'cd_pw', task!.id, action);
}

/** A meeting run to its end: every expert agrees to every candidate. */
async function runMeeting(kind: 'breakthrough' | 'normal', ballot: string, tally: string) {
  const res = await t.request('POST', '/api/meetings', { user: 'cd_pw', body: { activityId: 1, kind, name: kind === 'normal' ? '2026年度普通评审会议' : '2026年度破格评审会议', startsAt: '2026-06-01T09:00:00+08:00', location: '成都市人社局 3 楼会议室' } });
  expect(res.statusCode, res.body).toBe(201);
  const meeting = res.json() as { id: number; instanceId: string };
  const experts = await addConfirmedExperts(db.knex, meeting.id, 3);
  await step(meeting.instanceId, 'draw');
  await step(meeting.instanceId, 'attendance');
  const detail = (await t.request('GET', `/api/meetings/${meeting.id}/candidates?pageSize=500`, { user: 'cd_pw' })).json() as { candidates: Array<{ dossierId: number }> };
  for (const c of detail.candidates) {
    agree.set(c.dossierId, 3);
    const assigned = await t.request('PUT', `/api/meetings/${meeting.id}/assignments`, { user: 'cd_pw', body: { dossierIds: [c.dossierId], mainExpertId: experts[0]!.expertId, assistantExpertIds: [experts[1]!.expertId] } });
    expect(assigned.statusCode, assigned.body).toBe(200);
  }
  await step(meeting.instanceId, 'assignment');
  await step(meeting.instanceId, 'open_voting');
  for (const task of await openTasks(db.knex, meeting.instanceId, ballot)) {
    const expert = experts.find((e) => task.candidate_user_ids.map(Number).includes(Number(e.userId)));
    await completeOk(t, expert!.username, task.id, 'submit');
  }
  const done = await step(meeting.instanceId, tally, 'pass');
  expect(done.instance.status).toBe('completed');
  await t.app.engine.deliverMessages();
  return meeting;
}

const publicityCases = () => db.knex('process_instances').where({ process_key: 'result-publicity' }).select('id', 'business_key', 'variables');

describe('移交结果公示: the closed normal meeting hands its results to the publicity', () => {
  it('the breakthrough meeting hands nothing over; the normal one starts 评审结果公示 with 发布公示公告 for the committee', async () => {
    // Given an activity with 破格, one received 破格 dossier and one normal one
    await setActivityOptions(db.knex, { breakthrough: true });
    await addReceivedDossiers(db.knex, [{ name: '破格甲', breakthrough: true }, { name: '普通甲' }]);

    // When the 破格评审会议 closes
    const breakthrough = await runMeeting('breakthrough', 'ballot', 'tally');
    // Then no result-publicity-requested was thrown and no publicity case runs
    expect(await db.knex('process_messages').where({ name: 'result-publicity-requested' })).toEqual([]);
    expect(await publicityCases()).toEqual([]);
    expect(breakthrough.id).toBeGreaterThan(0);

    // When the 普通评审会议 closes
    const normal = await runMeeting('normal', 'plenary_ballot', 'plenary_tally');

    // Then exactly one result-publicity-requested went out for it, and it started the publicity case
    const thrown = await db.knex('process_messages').where({ name: 'result-publicity-requested' }).select('correlation_key', 'payload', 'status');
    expect(thrown).toEqual([{ correlation_key: `publicity:meeting:${normal.id}`, payload: { meetingId: normal.id, activityId: 1, committeeId: expect.any(Number) }, status: 'delivered' }]);
    const cases = await publicityCases();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ business_key: `publicity:meeting:${normal.id}`, variables: expect.objectContaining({ meetingId: normal.id, meetingName: '2026年度普通评审会议' }) });
    // and the committee's clerk has 发布公示公告 for that meeting
    const [task] = await openTasks(db.knex, cases[0].id, 'publish');
    expect(task).toBeDefined();
    const page = await t.request('GET', `/api/meetings/${normal.id}/publicity`, { user: 'cd_pw' });
    expect(page.json()).toMatchObject({ notice: { status: 'drafting' }, publishTaskId: task!.id });
  });
});
