import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../engine/types.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import { addCandidate, addExperts, attended, createMeeting, demoCommittee, otherClerk } from '../helpers/meeting-draw.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let committeeId: number;
let year: number;
const CLERK = 'cd_pw';

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true, deploy: false });
  ({ committeeId } = await demoCommittee(db.knex));
  year = t.clock.now().getFullYear();
  await otherClerk(db.knex, 'jj_pw');
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

interface DrawnView {
  id: number;
  seed: string;
  status: string;
  list: Array<{ expertId: number; groupNo: number; role: string; altOrder: number | null; isChair: boolean; outside: boolean; name: string }>;
}

const url = (meetingId: number, path: string) => `/api/meetings/${meetingId}${path}`;

async function addGroup(meetingId: number, body: { specialty: string; level?: string; count: number }) {
  const res = await t.request('POST', url(meetingId, '/draw-groups'), { user: CLERK, body: { level: 'senior_full', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Array<{ groupNo: number; matching: number; count: number }>;
}

async function draw(meetingId: number, multiplier = 2) {
  return t.request('POST', url(meetingId, '/draws'), { user: CLERK, body: { multiplier } });
}

async function drawOk(meetingId: number, multiplier = 2): Promise<DrawnView> {
  const res = await draw(meetingId, multiplier);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as DrawnView;
}

/** a meeting of this year with one group of `count` over a pool of its own specialty */
async function meetingWithPool(specialty: string, pool: { local: number; outside: number; chairs?: number; outsideChairs?: number }, count: number) {
  const { meetingId, activityId } = await createMeeting(db.knex, committeeId, year);
  await addExperts(db.knex, committeeId, pool.local, { specialty });
  await addExperts(db.knex, committeeId, pool.outside, { specialty, region: '510700' });
  if (pool.chairs) await addExperts(db.knex, committeeId, pool.chairs, { specialty, chair: true });
  if (pool.outsideChairs) await addExperts(db.knex, committeeId, pool.outsideChairs, { specialty, chair: true, region: '510700' });
  await addGroup(meetingId, { specialty, count });
  return { meetingId, activityId };
}

async function runCheck(formKey: string, meetingId: number) {
  const check = t.app.flows.checks[formKey]!;
  const actor = await actorOf(db.knex, CLERK);
  const task = { businessKey: `meeting:${meetingId}`, rootInstanceId: '00000000-0000-0000-0000-000000000000', formKey } as TaskRecord;
  return check({ task, actor, action: 'complete', data: {} });
}

describe('draw groups', () => {
  it('shows the matching in-pool active experts, and an expert is a candidate of one group only', async () => {
    // given 6 in-pool active 正高级 experts of a specialty, plus an inactive one and a drafted one
    const { meetingId } = await createMeeting(db.knex, committeeId, year);
    await addExperts(db.knex, committeeId, 6, { specialty: '分组专业' });
    await addExperts(db.knex, committeeId, 1, { specialty: '分组专业', active: false });
    await addExperts(db.knex, committeeId, 1, { specialty: '分组专业', status: 'draft' });
    // when the clerk asks how many match, then adds a group of 4 and a second group with the same specialty and level
    const probe = await t.request('GET', url(meetingId, '/draw-groups/matching?specialty=分组专业&level=senior_full'), { user: CLERK });
    const first = await addGroup(meetingId, { specialty: '分组专业', count: 4 });
    const tooMany = await t.request('POST', url(meetingId, '/draw-groups'), { user: CLERK, body: { specialty: '分组专业', level: 'senior_full', count: 1 } });
    // then 6 match; the first group holds all 6, so none is left for a second group (400 naming the specialty)
    expect(probe.json()).toEqual({ matching: 6 });
    expect(first).toMatchObject([{ groupNo: 1, matching: 6, count: 4 }]);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().details).toEqual([{ field: 'specialty', message: '没有符合条件的在库活跃专家' }]);
  });

  it('refuses a count above the matching experts, naming the field', async () => {
    // given 3 matching experts
    const { meetingId } = await createMeeting(db.knex, committeeId, year);
    await addExperts(db.knex, committeeId, 3, { specialty: '人数专业', title: '高级工程师' });
    // when a group of 4 副高级 is asked for
    const res = await t.request('POST', url(meetingId, '/draw-groups'), { user: CLERK, body: { specialty: '人数专业', level: 'senior_deputy', count: 4 } });
    // then 400 on 抽取人数
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('抽取人数不能超过符合条件的专家人数（3 名）');
    expect(res.json().details[0].field).toBe('count');
  });

  it('splits one expert pool across two groups of different levels without overlap, and the draw keeps them apart', async () => {
    // given 10 正高级 and 10 副高级 experts of one specialty (with outside experts and a chair)
    const { meetingId } = await createMeeting(db.knex, committeeId, year);
    const full = await addExperts(db.knex, committeeId, 8, { specialty: '两组专业' });
    full.push(...(await addExperts(db.knex, committeeId, 1, { specialty: '两组专业', chair: true })));
    full.push(...(await addExperts(db.knex, committeeId, 3, { specialty: '两组专业', region: '510700' })));
    const deputy = await addExperts(db.knex, committeeId, 10, { specialty: '两组专业', title: '高级工程师', region: '510700' });
    await addGroup(meetingId, { specialty: '两组专业', count: 3 });
    await addGroup(meetingId, { specialty: '两组专业', level: 'senior_deputy', count: 3 });
    // when drawn at 2×
    const drawn = await drawOk(meetingId, 2);
    // then each group lists 6 of its own experts, and nobody twice
    const ids = drawn.list.map((e) => e.expertId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(drawn.list.filter((e) => e.groupNo === 1).every((e) => full.includes(e.expertId))).toBe(true);
    expect(drawn.list.filter((e) => e.groupNo === 2).every((e) => deputy.includes(e.expertId))).toBe(true);
    expect(drawn.list.filter((e) => e.groupNo === 1)).toHaveLength(6);
  });
});

describe('the draw', () => {
  it('lists ⌈count × multiplier⌉ per group, the first count principal and the rest alternates in order, with a stored 32-byte seed', async () => {
    // given a pool of 20 (4 outside, 1 chair) and a group of 5
    const { meetingId } = await meetingWithPool('倍数专业', { local: 15, outside: 4, chairs: 1 }, 5);
    // when drawn at 1.5×
    const drawn = await drawOk(meetingId, 1.5);
    // then 8 listed: 5 principals, alternates 1..3
    expect(drawn.list).toHaveLength(8);
    expect(drawn.list.slice(0, 5).every((e) => e.role === 'principal' && e.altOrder === null)).toBe(true);
    expect(drawn.list.slice(5).map((e) => [e.role, e.altOrder])).toEqual([
      ['alternate', 1],
      ['alternate', 2],
      ['alternate', 3],
    ]);
    expect(drawn.seed).toMatch(/^[0-9a-f]{64}$/);
    const stored = await db.knex('expert_draws').where({ id: drawn.id }).first();
    expect(stored.status).toBe('drawn');
    expect(stored.drawn_by_name).toBe('成都市评委会经办人');
    expect((stored.pool as unknown[]).length).toBe(20);
  });

  it('always seats a 主任委员 and at least 20 % from outside among the principals when the pool allows it', async () => {
    // given one chair and just enough outside experts (2 of 10 principals) in a pool of 30
    const { meetingId } = await meetingWithPool('规则专业', { local: 27, outside: 2, chairs: 1 }, 10);
    for (let i = 0; i < 5; i++) {
      // when drawn again and again
      const drawn = await drawOk(meetingId, 2);
      // then every list has the chair and both outside experts among its principals
      const principals = drawn.list.filter((e) => e.role === 'principal');
      expect(principals).toHaveLength(10);
      expect(principals.filter((e) => e.isChair)).toHaveLength(1);
      expect(principals.filter((e) => e.outside).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('replays a stored draw to the same list and says so', async () => {
    // given a stored draw
    const { meetingId } = await meetingWithPool('重放专业', { local: 20, outside: 6, chairs: 2 }, 6);
    const drawn = await drawOk(meetingId, 3);
    // when it is replayed (after the pool changed: a new expert joined)
    await addExperts(db.knex, committeeId, 5, { specialty: '重放专业' });
    const res = await t.request('POST', url(meetingId, `/draws/${drawn.id}/replay`), { user: CLERK });
    // then the same list, in the same order
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().same).toBe(true);
    expect(res.json().message).toBe('重放结果与原抽选结果完全一致');
    expect(res.json().list.map((e: { expertId: number }) => e.expertId)).toEqual(drawn.list.map((e) => e.expertId));
  });

  it('says so when a stored draw does not replay to its list', async () => {
    // given a stored draw whose stored seed was altered afterwards
    const { meetingId } = await meetingWithPool('篡改专业', { local: 20, outside: 6, chairs: 2 }, 6);
    const drawn = await drawOk(meetingId, 3);
    const other = drawn.seed.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await db.knex('expert_draws').where({ id: drawn.id }).update({ seed: other });
    // when replayed
    const res = await t.request('POST', url(meetingId, `/draws/${drawn.id}/replay`), { user: CLERK });
    // then it reports the difference
    expect(res.json().same).toBe(false);
    expect(res.json().message).toBe('重放结果与原抽选结果不一致');
  });
});

describe('rules the pool cannot satisfy are refused with the rule and the numbers', () => {
  it('20 %: too few experts from outside the locality', async () => {
    // given 10 principals to draw and only 1 outside expert (2 needed)
    const { meetingId } = await meetingWithPool('外地专业', { local: 25, outside: 1, chairs: 1 }, 10);
    // when drawn
    const res = await draw(meetingId, 2);
    // then 409 naming the rule and the shortfall, and the refused attempt is stored
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('抽选未完成：外地专家不足：需至少 2 名（正选 10 名的 20%），符合条件的仅 1 名');
    expect(res.json().details).toMatchObject({ rule: 'outside', required: 2, available: 1 });
    const stored = await db.knex('expert_draws').where({ id: res.json().details.drawId }).first();
    expect(stored.status).toBe('refused');
    expect(stored.refusal.rule).toBe('outside');
  });

  it('主任委员: none in the pool', async () => {
    // given no chair
    const { meetingId } = await meetingWithPool('无主任专业', { local: 10, outside: 3 }, 4);
    // when drawn
    const res = await draw(meetingId, 2);
    // then refused, naming the rule
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('抽选未完成：主任委员不足：需至少 1 名，符合条件的仅 0 名');
  });

  it("主任委员: last year's 执行主任 is not a chair candidate this year", async () => {
    // given the pool's only chair was the executive chair of last year's meeting
    const { meetingId } = await meetingWithPool('上年主任专业', { local: 10, outside: 3 }, 4);
    const [chair] = await addExperts(db.knex, committeeId, 1, { specialty: '上年主任专业', chair: true });
    const last = await createMeeting(db.knex, committeeId, year - 1);
    await attended(db.knex, last.meetingId, chair!, { executiveChair: true });
    // when drawn
    const res = await draw(meetingId, 2);
    // then refused, saying why the chair does not count
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('抽选未完成：主任委员不足：需至少 1 名，符合条件的仅 0 名（上年度主任委员 1 名本年度不计为主任委员备选）');
  });

  it('three consecutive years: a non-chair who attended the last three years is not drawn', async () => {
    // given a group of 3 at 2× (6 needed) over 6 experts, 2 of whom attended the last three years
    const { meetingId } = await meetingWithPool('三年专业', { local: 2, outside: 3, chairs: 1 }, 3);
    const regulars = (await db.knex('experts').where({ specialty: '三年专业', is_chair: false, region_code: '510100' }).select('id')).map((r) => Number(r.id));
    for (const y of [year - 1, year - 2, year - 3]) {
      const past = await createMeeting(db.knex, committeeId, y);
      for (const id of regulars) await attended(db.knex, past.meetingId, id);
    }
    // when drawn
    const res = await draw(meetingId, 2);
    // then refused: only 4 may be drawn
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('抽选未完成：第1组（三年专业·正高级）可抽选专家不足：按 2 倍需 6 名，符合条件的仅 4 名（另有 2 名非主任委员专家已连续三年参会，本年度不再选中）');
  });

  it('three consecutive years: two of three years do not bar an expert, and a barred one is never listed', async () => {
    // given 12 experts; one attended all three last years, another only two of them
    const { meetingId } = await meetingWithPool('两年专业', { local: 8, outside: 3, chairs: 1 }, 4);
    const [barred, twice] = (await db.knex('experts').where({ specialty: '两年专业', is_chair: false, region_code: '510100' }).orderBy('id').select('id')).map((r) => Number(r.id));
    for (const y of [year - 1, year - 2, year - 3]) {
      const past = await createMeeting(db.knex, committeeId, y);
      await attended(db.knex, past.meetingId, barred!);
      if (y !== year - 2) await attended(db.knex, past.meetingId, twice!);
    }
    // when drawn at 3× (12 listed of the 11 eligible is too many; 2× lists 8)
    const drawn = await drawOk(meetingId, 2);
    // then the barred expert is in no list; the group shows 1 barred
    expect(drawn.list.map((e) => e.expertId)).not.toContain(barred);
    const page = await t.request('GET', url(meetingId, '/draw'), { user: CLERK });
    expect(page.json().groups[0]).toMatchObject({ matching: 12, barred: 1 });
    // and the stored snapshot shows all 12 with what the rules read and what became of each
    const snapshot = (await t.request('GET', url(meetingId, `/draws/${drawn.id}/pool?offset=0&limit=50`), { user: CLERK })).json();
    expect(snapshot.total).toBe(12);
    expect(snapshot.rows.find((r: { expertId: number }) => r.expertId === barred)).toMatchObject({ threeYears: true, drawn: null, groupNo: 1 });
    expect(snapshot.rows.find((r: { expertId: number }) => r.expertId === twice).threeYears).toBe(false);
    expect(snapshot.rows.filter((r: { drawn: string | null }) => r.drawn).map((r: { drawn: string }) => r.drawn).sort()).toEqual(
      ['正选', '正选', '正选', '正选', '候补1', '候补2', '候补3', '候补4'].sort(),
    );
  });
});

describe('accepting a draw, recusal and the meeting-draw check', () => {
  it('writes the principals and alternates into meeting_experts, records recusals, and lets the step complete', async () => {
    // given a meeting with a candidate employed by 成都示范科技有限公司 and a pool where some work there
    const { meetingId, activityId } = await meetingWithPool('采用专业', { local: 6, outside: 3, chairs: 1 }, 3);
    const colleagues = await addExperts(db.knex, committeeId, 10, { specialty: '采用专业', employer: '成都示范科技有限公司', region: '510700' });
    const dossierId = await addCandidate(db.knex, meetingId, activityId, 'zhangwei');
    const drawn = await drawOk(meetingId, 3);
    // when the check runs before acceptance, then the draw is accepted
    await expect(runCheck('meeting-draw', meetingId)).rejects.toThrow('尚未采用抽选结果');
    const res = await t.request('POST', url(meetingId, `/draws/${drawn.id}/accept`), { user: CLERK });
    // then the meeting's experts are the list, with group, role, alternate order and the draw
    expect(res.statusCode, res.body).toBe(200);
    const rows = await db.knex('meeting_experts').where({ meeting_id: meetingId }).orderBy([{ column: 'role', order: 'desc' }, 'alt_order']);
    expect(rows).toHaveLength(9);
    expect(rows.filter((r) => r.role === 'principal')).toHaveLength(3);
    expect(rows.filter((r) => r.role === 'alternate').map((r) => r.alt_order)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.every((r) => r.draw_id === drawn.id && r.group_no === 1 && r.attendance === 'pending')).toBe(true);
    // and every drawn colleague of the candidate's employer is recused from that candidate, and shown so
    const drawnColleagues = drawn.list.map((e) => e.expertId).filter((id) => colleagues.includes(id));
    expect(drawnColleagues.length).toBeGreaterThan(0);
    const recusals = await db.knex('meeting_recusals').where({ meeting_id: meetingId });
    expect(recusals.map((r) => Number(r.expert_id)).sort()).toEqual(drawnColleagues.sort());
    expect(recusals.every((r) => Number(r.dossier_id) === dossierId && r.employer === '成都示范科技有限公司')).toBe(true);
    const view = await t.request('GET', url(meetingId, '/attendance'), { user: CLERK });
    const shown = view.json().experts.find((e: { expertId: number }) => e.expertId === drawnColleagues[0]);
    expect(shown.recusals).toEqual([{ dossierId, applicantName: expect.any(String), employer: '成都示范科技有限公司' }]);
    await expect(runCheck('meeting-draw', meetingId)).resolves.toBeUndefined();
    // and no second draw or acceptance is possible
    expect((await draw(meetingId, 2)).statusCode).toBe(409);
    expect((await t.request('POST', url(meetingId, `/draws/${drawn.id}/accept`), { user: CLERK })).statusCode).toBe(409);
  });
});

describe('concurrent changes', () => {
  it('two clerks accepting two draws of one meeting at once: one wins, the other gets 409', async () => {
    // given two drawn lists of one meeting
    const { meetingId } = await meetingWithPool('并发专业', { local: 10, outside: 4, chairs: 1 }, 3);
    const first = await drawOk(meetingId, 2);
    const second = await drawOk(meetingId, 2);
    // when both are accepted at the same time
    const answers = await Promise.all([first, second].map((d) => t.request('POST', url(meetingId, `/draws/${d.id}/accept`), { user: CLERK })));
    // then exactly one is accepted, the other refused, and the meeting has one list
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const accepted = await db.knex('expert_draws').where({ meeting_id: meetingId, status: 'accepted' });
    expect(accepted).toHaveLength(1);
    const rows = await db.knex('meeting_experts').where({ meeting_id: meetingId });
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.draw_id === accepted[0].id)).toBe(true);
  });

  it('two principals of one group cancelled at once: each seat goes to a different alternate', async () => {
    // given an accepted draw of 4 principals and 4 alternates
    const { meetingId } = await meetingWithPool('并发取消专业', { local: 10, outside: 4, chairs: 1 }, 4);
    const drawn = await drawOk(meetingId, 2);
    await t.request('POST', url(meetingId, `/draws/${drawn.id}/accept`), { user: CLERK });
    const [a, b] = drawn.list.filter((e) => e.role === 'principal' && !e.isChair);
    // when both are cancelled in two requests at the same time
    const answers = await Promise.all([a!, b!].map((e) => t.request('POST', url(meetingId, '/attendance'), { user: CLERK, body: { expertIds: [e.expertId], action: 'cancel', reason: '无法参会' } })));
    // then two different alternates moved up, one for each (which two depends on who is 外地: see below)
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200]);
    const promoted = answers.flatMap((r) => r.json().promoted.map((p: { expertId: number }) => p.expertId));
    expect(new Set(promoted).size).toBe(2);
    const alternates = new Set(drawn.list.filter((e) => e.role === 'alternate').map((e) => e.expertId));
    expect(promoted.every((id: number) => alternates.has(id))).toBe(true);
    const rows = await db.knex('meeting_experts').where({ meeting_id: meetingId }).whereIn('expert_id', promoted);
    expect(rows.map((r) => r.role)).toEqual(['principal', 'principal']);
  });
});

describe('确认出席', () => {
  async function acceptedMeeting(specialty: string, pool: { local: number; outside: number; chairs?: number; outsideChairs?: number }, count: number, multiplier = 2) {
    const m = await meetingWithPool(specialty, pool, count);
    const drawn = await drawOk(m.meetingId, multiplier);
    const res = await t.request('POST', url(m.meetingId, `/draws/${drawn.id}/accept`), { user: CLERK });
    expect(res.statusCode, res.body).toBe(200);
    return { ...m, drawn };
  }
  const attendance = (meetingId: number, body: unknown) => t.request('POST', url(meetingId, '/attendance'), { user: CLERK, body });

  it('cancelling a principal needs a reason and promotes the next alternate of the group', async () => {
    // given an accepted draw of 5 principals and 5 alternates
    const { meetingId, drawn } = await acceptedMeeting('出席专业', { local: 12, outside: 5, chairs: 1 }, 5);
    // (a local principal if the random list has one: a 外地 one is replaced by a 外地 alternate, tested below)
    const principal = drawn.list.find((e) => e.role === 'principal' && !e.isChair && !e.outside) ?? drawn.list.find((e) => e.role === 'principal' && !e.isChair)!;
    const alternates = drawn.list.filter((e) => e.role === 'alternate').sort((x, y) => x.altOrder! - y.altOrder!);
    const firstAlt = (principal.outside ? alternates.find((e) => e.outside) : undefined) ?? alternates[0]!;
    // when the principal is cancelled without a reason, then with one
    const noReason = await attendance(meetingId, { expertIds: [principal.expertId], action: 'cancel' });
    const res = await attendance(meetingId, { expertIds: [principal.expertId], action: 'cancel', reason: '出差无法参会' });
    // then 400 on 取消原因 first; then the first alternate becomes principal, and the page says whom he replaces
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details).toEqual([{ field: 'reason', message: '请填写取消原因' }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().promoted).toEqual([{ expertId: firstAlt.expertId, name: firstAlt.name, replacing: principal.name, groupNo: 1 }]);
    const view = (await t.request('GET', url(meetingId, '/attendance'), { user: CLERK })).json();
    const moved = view.experts.find((e: { expertId: number }) => e.expertId === firstAlt.expertId);
    expect(moved).toMatchObject({ role: 'principal', promotedFor: principal.name, attendance: 'pending' });
    const gone = view.experts.find((e: { expertId: number }) => e.expertId === principal.expertId);
    expect(gone).toMatchObject({ attendance: 'cancelled', cancelReason: '出差无法参会' });
    expect(view.events.map((e: { action: string }) => e.action)).toEqual(['promote', 'cancel']);
  });

  it('the meeting-attendance check names what is missing until every principal is called, then passes', async () => {
    // given an accepted draw of 4 principals
    const { meetingId, drawn } = await acceptedMeeting('检查专业', { local: 10, outside: 4, chairs: 1 }, 4);
    const principals = drawn.list.filter((e) => e.role === 'principal');
    // when nobody is confirmed, then the check names the 4 pending
    await expect(runCheck('meeting-attendance', meetingId)).rejects.toThrow('还有 4 名正选专家未确认出席');
    // when all four are confirmed in one batch
    const res = await attendance(meetingId, { expertIds: principals.map((e) => e.expertId), action: 'confirm' });
    expect(res.statusCode, res.body).toBe(200);
    // then the check passes
    await expect(runCheck('meeting-attendance', meetingId)).resolves.toBeUndefined();
    // and confirming one of them again is refused with the name and state
    const again = await attendance(meetingId, { expertIds: [principals[0]!.expertId], action: 'confirm' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已确认出席');
  });

  it('a cancelled 外地 principal is replaced by the next 外地 alternate, so the 20 % share still holds', async () => {
    // given a list whose alternates include experts from outside (11 in the pool, 10 listed: 6 outside)
    const { meetingId, drawn } = await acceptedMeeting('外地递补专业', { local: 4, outside: 6, chairs: 1 }, 5);
    const principal = drawn.list.find((e) => e.role === 'principal' && e.outside)!;
    const outsideAlt = drawn.list.filter((e) => e.role === 'alternate' && e.outside).sort((x, y) => x.altOrder! - y.altOrder!)[0]!;
    // when the outside principal cancels
    const res = await attendance(meetingId, { expertIds: [principal.expertId], action: 'cancel', reason: '无法参会' });
    // then the first outside alternate takes the seat, whatever his place in the list
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().promoted).toEqual([{ expertId: outsideAlt.expertId, name: outsideAlt.name, replacing: principal.name, groupNo: 1 }]);
    // and once everyone seated confirms, 确认出席 has nothing left to say about 外地专家
    const seated = (await t.request('GET', url(meetingId, '/attendance'), { user: CLERK })).json().experts.filter((e: { role: string; attendance: string }) => e.role === 'principal' && e.attendance === 'pending');
    await attendance(meetingId, { expertIds: seated.map((e: { expertId: number }) => e.expertId), action: 'confirm' });
    const view = (await t.request('GET', url(meetingId, '/attendance'), { user: CLERK })).json();
    expect(JSON.stringify(view)).not.toContain('外地专家不足');
  });

  it('names the shortfall when a group runs out of alternates', async () => {
    // given 2 principals and 1 alternate (1.5×)
    const { meetingId, drawn } = await acceptedMeeting('不足专业', { local: 3, outside: 2, chairs: 1 }, 2, 1.5);
    const nonChairs = drawn.list.filter((e) => !e.isChair);
    // when two non-chair experts cancel (a principal and whoever replaces him)
    await attendance(meetingId, { expertIds: nonChairs.map((e) => e.expertId), action: 'cancel', reason: '无法参会' });
    const chair = drawn.list.find((e) => e.isChair)!;
    await attendance(meetingId, { expertIds: [chair.expertId], action: 'confirm' });
    // then the check names the group's shortfall
    await expect(runCheck('meeting-attendance', meetingId)).rejects.toThrow('第1组（不足专业·正高级）正选专家不足：需 2 名，现有 1 名');
  });

  it('several chairs confirmed: the committee names the 执行主任', async () => {
    // given a pool of chairs only (so every principal is a chair)
    const { meetingId, drawn } = await acceptedMeeting('多主任专业', { local: 0, outside: 0, chairs: 4, outsideChairs: 2 }, 3);
    const principals = drawn.list.filter((e) => e.role === 'principal');
    await attendance(meetingId, { expertIds: principals.map((e) => e.expertId), action: 'confirm' });
    // when the check runs, then it asks for the 执行主任
    await expect(runCheck('meeting-attendance', meetingId)).rejects.toThrow('确认出席的主任委员有 3 名，请指定执行主任');
    // when an alternate (not confirmed) is named, then 400; when a confirmed chair is named, the check passes
    const alt = drawn.list.find((e) => e.role === 'alternate')!;
    const wrong = await t.request('POST', url(meetingId, '/executive-chair'), { user: CLERK, body: { expertId: alt.expertId } });
    expect(wrong.statusCode).toBe(400);
    const ok = await t.request('POST', url(meetingId, '/executive-chair'), { user: CLERK, body: { expertId: principals[0]!.expertId } });
    expect(ok.statusCode, ok.body).toBe(204);
    await expect(runCheck('meeting-attendance', meetingId)).resolves.toBeUndefined();
    const row = await db.knex('meeting_experts').where({ meeting_id: meetingId, expert_id: principals[0]!.expertId }).first();
    expect(row.is_executive_chair).toBe(true);
  });
});

describe('scope', () => {
  it('a clerk of another committee gets 403 on every draw and attendance route, before the body is read', async () => {
    // given a meeting of the city's committee with a draw
    const { meetingId } = await meetingWithPool('范围专业', { local: 6, outside: 3, chairs: 1 }, 2);
    const drawn = await drawOk(meetingId, 2);
    // when the county's committee clerk calls each route (with bodies that would be invalid)
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/draw'],
      ['GET', '/draw-groups/matching?specialty=范围专业&level=senior_full'],
      ['POST', '/draw-groups', {}],
      ['DELETE', '/draw-groups/1'],
      ['POST', '/draws', { multiplier: 7 }],
      ['GET', `/draws/${drawn.id}`],
      ['GET', `/draws/${drawn.id}/pool`],
      ['POST', `/draws/${drawn.id}/replay`],
      ['POST', `/draws/${drawn.id}/accept`],
      ['GET', '/attendance'],
      ['POST', '/attendance', {}],
      ['POST', '/executive-chair', {}],
    ];
    for (const [method, path, body] of calls) {
      const res = await t.request(method, url(meetingId, path), { user: 'jj_pw', body });
      // then 403 with the meeting's message, and nothing is learnt
      expect(res.statusCode, `${method} ${path}`).toBe(403);
      expect(res.json().message).toBe('无权访问该评审会议');
    }
    expect(await db.knex('meeting_experts').where({ meeting_id: meetingId }).first()).toBeUndefined();
  });

  it('the supervising committee reads the draw and the attendance, and changes nothing', async () => {
    // given a meeting supervised by a committee of the county bureau (whose clerk is jj_pw)
    const { meetingId } = await meetingWithPool('监督专业', { local: 6, outside: 3, chairs: 1 }, 2);
    const county = await db.knex('units').where({ name: '成都市锦江区人力资源和社会保障局' }).first('id');
    const [supervisor] = await db.knex('committees').insert({ name: '锦江区监督评委会', organizer_unit_id: county.id }).returning('id');
    await db.knex('review_meetings').where({ id: meetingId }).update({ supervisor_committee_id: supervisor.id });
    // when its clerk opens the pages and tries to draw
    const page = await t.request('GET', url(meetingId, '/draw'), { user: 'jj_pw' });
    const attendance = await t.request('GET', url(meetingId, '/attendance'), { user: 'jj_pw' });
    const run = await t.request('POST', url(meetingId, '/draws'), { user: 'jj_pw', body: { multiplier: 2 } });
    // then the pages answer read-only, and the draw is 403 as for anyone outside
    expect(page.statusCode).toBe(200);
    expect(page.json().canManage).toBe(false);
    expect(attendance.json().canManage).toBe(false);
    expect(run.statusCode).toBe(403);
    expect((await t.request('GET', url(meetingId, '/draw'), { user: CLERK })).json().canManage).toBe(true);
  });

  it('a closed meeting keeps its draw and attendance as they are', async () => {
    // given a meeting with a draw, then closed
    const { meetingId } = await meetingWithPool('结束专业', { local: 6, outside: 3, chairs: 1 }, 2);
    await db.knex('review_meetings').where({ id: meetingId }).update({ status: 'closed' });
    // when the organiser draws, then 409 saying so (reading still works)
    const res = await draw(meetingId, 2);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('评审会议已结束，不能再修改专家抽选或出席情况');
    expect((await t.request('GET', url(meetingId, '/draw'), { user: CLERK })).statusCode).toBe(200);
  });

  it('a 400 names the field in Chinese for the organiser', async () => {
    // given a meeting of the committee
    const { meetingId } = await createMeeting(db.knex, committeeId, year);
    // when an unknown multiplier is asked for
    const res = await draw(meetingId, 2.5);
    // then 400 on 抽选倍数
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('抽选倍数只能为 1.5、2 或 3');
  });
});
