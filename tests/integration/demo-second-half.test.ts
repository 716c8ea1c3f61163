import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadMeetingDemoData } from '../../api/src/demo.ts';
import { loadResultsDemoData } from '../../api/src/demo-results.ts';

/**
 * The demo a fresh `npm start` loads, the way the server loads it (loadDemoData, then the meeting
 * and results demo through the real flows): every page of the second half has something in it.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
// a Thursday in a year the 工作日历 holds
const clock = new TestClock('2026-12-03T10:00:00+08:00');

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { clock, demo: true });
  await loadMeetingDemoData(t.app);
  await loadResultsDemoData(t.app);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('demo data of the second half, loaded as the server loads it', () => {
  it('the four meeting-demo dossiers are received cases the committee can open', async () => {
    // Given the meeting demo's applicants
    const dossiers = await db.knex('dossiers as d').join('users as u', 'u.id', 'd.applicant_id').where('u.username', 'like', 'demo_applicant_%').select('d.id', 'd.status', 'd.instance_id');
    expect(dossiers).toHaveLength(4);
    for (const d of dossiers) {
      // Then each dossier has its case waiting for the meeting, and 申报详情 opens for the committee's clerk
      expect(d.status).toBe('received');
      expect(d.instance_id).not.toBeNull();
      const res = await t.request('GET', `/api/dossiers/${d.id}`, { user: 'cd_pw' });
      expect(res.statusCode, res.body).toBe(200);
    }
    // and the demo activity offers them to a meeting
    const activities = (await t.request('GET', '/api/meeting-activities', { user: 'cd_pw' })).json() as Array<{ activityId: number; receivedNormal: number; creatable: string[] }>;
    expect(activities.find((a) => a.activityId === 1)).toMatchObject({ receivedNormal: 4, creatable: ['normal'] });
    // When the committee's clerk calls the normal meeting of the demo activity (the README's tour)
    const created = await t.request('POST', '/api/meetings', { user: 'cd_pw', body: { activityId: 1, kind: 'normal', name: '演示普通评审会议', startsAt: '2026-12-20T09:00:00+08:00', location: '第一会议室' } });
    expect(created.statusCode, created.body).toBe(201);
    // Then the four dossiers are its candidates
    const meetingId = (created.json() as { id: number }).id;
    expect((await db.knex('meeting_candidates').where({ meeting_id: meetingId }).pluck('dossier_id')).map(Number).sort()).toEqual(dossiers.map((d) => Number(d.id)).sort());
  });

  it('the public home page lists a notice 公示中 around today, without login, with a complaint 调查核实中', async () => {
    // When anyone reads the public publicity list
    const res = await t.app.inject({ method: 'GET', url: '/api/public/publicity' });
    expect(res.statusCode).toBe(200);
    const running = (res.json() as Array<{ id: number; meetingId: number; status: string; statusLabel: string; periodStart: string; periodEnd: string }>).filter((n) => n.status === 'published');
    // Then one notice is 公示中 and its period holds today
    expect(running).toHaveLength(1);
    expect(running[0]!.statusLabel).toBe('公示中');
    expect(running[0]!.periodStart <= '2026-12-03' && '2026-12-03' <= running[0]!.periodEnd).toBe(true);
    // and its complaint waits for the committee's investigation
    const view = (await t.request('GET', `/api/meetings/${running[0]!.meetingId}/publicity`, { user: 'cd_pw' })).json() as { complaints: Array<{ statusLabel: string; taskId: string | null }> };
    expect(view.complaints.map((c) => c.statusLabel)).toEqual(['调查核实中']);
    expect(view.complaints[0]!.taskId).not.toBeNull();
  });

  it('评审结果确认 of 成都市人社局 lists a candidate waiting, one confirmed with its 文号 and one refused', async () => {
    // When the 授权管理单位 opens 评审结果确认
    const res = await t.request('GET', '/api/result-confirmations?kind=direct', { user: 'cd_hr' });
    expect(res.statusCode, res.body).toBe(200);
    type Candidate = { applicantName: string; state: string; taskId: string | null; documentNo: string | null };
    const pages = await Promise.all(
      (res.json() as Array<{ meetingId: number }>).map(async (m) => (await t.request('GET', `/api/result-confirmations/${m.meetingId}/candidates?kind=direct`, { user: 'cd_hr' })).json() as { candidates: Candidate[] }),
    );
    const candidates = pages.flatMap((p) => p.candidates);
    // Then 周俊杰 waits with a task, 杨博文 passed with the 文号, 赵欣怡 was refused
    expect(candidates.map((c) => [c.applicantName, c.state]).sort()).toEqual([['周俊杰', 'confirming'], ['杨博文', 'passed'], ['赵欣怡', 'failed']].sort());
    expect(candidates.find((c) => c.applicantName === '周俊杰')!.taskId).not.toBeNull();
    expect(candidates.find((c) => c.applicantName === '杨博文')!.documentNo).toBe('川人社职〔2026〕36号');
  });

  it('the demo applicants see their results in 我的申报', async () => {
    type Mine = Array<{ result: { code: string; label: string; documentNo: string | null; reason: string | null } | null }>;
    // When 杨博文 and 赵欣怡 open 我的申报
    const passed = (await t.request('GET', '/api/dossiers/mine', { user: 'yangbowen' })).json() as Mine;
    const refused = (await t.request('GET', '/api/dossiers/mine', { user: 'zhaoxinyi' })).json() as Mine;
    // Then one sees 通过 with the 文号, the other 确认不通过 with the reason
    expect(passed.map((d) => d.result)).toEqual([expect.objectContaining({ code: 'passed', label: '通过', documentNo: '川人社职〔2026〕36号' })]);
    expect(refused.map((d) => d.result)).toEqual([expect.objectContaining({ code: 'confirm_failed', label: '确认不通过', reason: '现职称任职年限不符合申报条件' })]);
  });
});
