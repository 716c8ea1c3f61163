import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadMeetingDemoData } from '../../api/src/demo.ts';
import { loadResultsDemoData } from '../../api/src/demo-results.ts';
import { loadIssuanceDemoData } from '../../api/modules/certificate-issuance/certificate-issuance.demo.ts';

/**
 * 首页 (issue 20): 单位信息, 消息, 待办 counts equal to the inbox's, 评审工作监督 per scope with each
 * activity's stage, and the administrator's overview — on the demo a fresh `npm start` loads.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const clock = new TestClock('2026-12-03T10:00:00+08:00');

interface Home {
  unit: { name: string; unitTypeName: string; parentName: string | null } | null;
  messages: { unread: number; latest: Array<{ title: string; read: boolean }> };
  supervision: {
    scope: 'own' | 'subtree';
    tiles: { committees: number; filed: number; unfiled: number; runningActivities: number };
    committees: Array<{ id: number; name: string; filingStatus: string; activities: Array<{ id: number; name: string; stage: string; stageName: string }> }>;
  } | null;
}

const home = async (user: string) => {
  const res = await t.request('GET', '/api/home', { user });
  expect(res.statusCode).toBe(200);
  return res.json() as Home;
};
const unitOf = async (username: string) => Number((await db.knex('users').where({ username }).first('unit_id')).unit_id);
const stageOf = (h: Home, name: string) => h.supervision!.committees.flatMap((c) => c.activities).find((a) => a.name.includes(name))?.stageName;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { clock, demo: true });
  await loadMeetingDemoData(t.app);
  await loadResultsDemoData(t.app);
  await loadIssuanceDemoData(t.app);
  // a committee the department 成都市经信局 organises and has not filed
  await db.knex('committees').insert({ name: '成都市经信局工程技术系列初级职称评审委员会', organizer_unit_id: await unitOf('cd_jxj'), admin_level: 'city', filing_status: 'unfiled' });
}, 180_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('首页：评审工作监督', () => {
  it('a city bureau sees the committees organised in its subtree; a department only its own; a county bureau and an employer none', async () => {
    // When each unit opens its home page
    const [city, dept, county, employer, province] = await Promise.all([home('cd_hr'), home('cd_jxj'), home('jj_hr'), home('kj_hr'), home('sc_hr')]);
    // Then 成都市人社局 sees its own filed committee and the department's unfiled one
    expect(city.supervision!.scope).toBe('subtree');
    expect(city.supervision!.committees.map((c) => [c.name, c.filingStatus]).sort()).toEqual([
      ['成都市工程技术系列中级职称评审委员会', 'filed'],
      ['成都市经信局工程技术系列初级职称评审委员会', 'unfiled'],
    ]);
    expect(city.supervision!.tiles).toMatchObject({ committees: 2, filed: 1, unfiled: 1 });
    // the province sees the same two from above
    expect(province.supervision!.tiles.committees).toBe(2);
    // the department organises one committee and does not see the bureau's
    expect(dept.supervision!.scope).toBe('own');
    expect(dept.supervision!.committees.map((c) => c.name)).toEqual(['成都市经信局工程技术系列初级职称评审委员会']);
    // a county bureau oversees no subtree and organises nothing here; an employer neither
    expect(county.supervision!.committees).toEqual([]);
    expect(employer.supervision!.committees).toEqual([]);
    // an applicant's home has no supervision at all
    expect((await home('zhangwei')).supervision).toBeNull();
  });

  it('each activity shows its current stage, and the tile counts those under way', async () => {
    // Given the demo: the 轨道交通 activity has a confirmed person handed to certificate issuance,
    // the 智能制造 one a meeting in publicity, the annual one is open for applications (till 12-31)
    const h = await home('cd_hr');
    expect(stageOf(h, '轨道交通')).toBe('发证中');
    expect(stageOf(h, '智能制造')).toBe('公示中');
    expect(stageOf(h, '2026年度成都市工程技术系列中级职称评审')).toBe('申报中');
    expect(h.supervision!.tiles.runningActivities).toBe(3);
  });

  it('the stage follows the work: 取消发证 leaves the confirmation open (确认中); its 办结 ends the activity (已办结)', async () => {
    const activity = (await db.knex('activities').where('name', 'like', '%轨道交通%').first('id')).id;
    const meetings = await db.knex('review_meetings').where({ activity_id: activity }).whereNot('status', 'cancelled').pluck('id');
    // When the issuing unit sends every handed-over person back to the committee
    await db.knex('certificate_handovers').whereIn('meeting_id', meetings).update({ returned_at: clock.now(), return_reason: '测试' });
    const afterCancel = await home('cd_hr');
    // Then the activity is back in 确认中 (its meeting's confirmation is not closed)
    expect(stageOf(afterCancel, '轨道交通')).toBe('确认中');
    // When every meeting of it is closed (办结)
    for (const id of meetings) await db.knex('confirmation_closures').insert({ meeting_id: id, closed_at: clock.now() }).onConflict('meeting_id').ignore();
    const done = await home('cd_hr');
    // Then it is 已办结 and no longer counted as under way
    expect(stageOf(done, '轨道交通')).toBe('已办结');
    expect(done.supervision!.tiles.runningActivities).toBe(2);
  });
});

describe('首页：单位信息、消息、待办', () => {
  it('shows the unit, and the unread count the messages list has', async () => {
    const h = await home('kj_hr');
    expect(h.unit).toMatchObject({ name: '成都示范科技有限公司', unitTypeName: '申报单位', parentName: '成都市经济和信息化局' });
    const unread = (await t.request('GET', '/api/messages/unread-count', { user: 'kj_hr' })).json() as { count: number };
    expect(unread.count).toBeGreaterThan(0);
    expect(h.messages.unread).toBe(unread.count);
    expect(h.messages.latest.length).toBeGreaterThan(0);
    // When the clerk marks everything read, the home page says so
    await t.request('POST', '/api/messages/read-all', { user: 'kj_hr' });
    const after = await home('kj_hr');
    expect(after.messages.unread).toBe(0);
    expect(after.messages.latest.every((m) => m.read)).toBe(true);
  });

  it('the to-do counts by type equal what the inbox lists under each filter', async () => {
    let checked = 0;
    for (const user of ['cd_hr', 'cd_pw', 'sc_hr', 'kj_hr']) {
      const counts = (await t.request('GET', '/api/tasks/counts', { user })).json() as Array<{ processKey: string; elementId: string; count: number }>;
      checked += counts.length;
      for (const c of counts) {
        const filter = encodeURIComponent(JSON.stringify({ processKey: c.processKey, elementId: c.elementId }));
        const res = await t.request('GET', `/api/tasks?filter=${filter}&range=[0,0]`, { user });
        const total = Number(/\/(\d+)$/.exec(String(res.headers['content-range']))![1]);
        expect(total, `${user} ${c.processKey}:${c.elementId}`).toBe(Number(c.count));
      }
    }
    expect(checked, 'the demo has to-dos to compare').toBeGreaterThan(1);
  });
});

describe('首页：系统管理员', () => {
  it('the administrator sees running cases, open incidents, overdue tasks and recent deployments; a clerk is refused', async () => {
    expect((await t.request('GET', '/api/home/admin', { user: 'cd_hr' })).statusCode).toBe(403);
    const res = await t.request('GET', '/api/home/admin', { user: 'admin' });
    expect(res.statusCode).toBe(200);
    const a = res.json() as { counts: { running: number; incidents: number; overdue: number }; runningByProcess: Array<{ count: number }>; deployments: Array<{ key: string }> };
    const running = Number((await db.knex('process_instances').where({ status: 'running' }).whereNull('parent_instance_id').count('* as n').first())!.n);
    expect(a.counts.running).toBe(running);
    expect(a.runningByProcess.reduce((n, r) => n + r.count, 0)).toBeLessThanOrEqual(running);
    const incidents = Number((await db.knex('incidents').where({ status: 'open' }).count('* as n').first())!.n);
    expect(a.counts.incidents).toBe(incidents);
    expect(a.deployments.length).toBe(5);
  });
});
