import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { addConfirmedExperts, addCountyClerk, addReceivedDossiers, ballotStandIn, OTHER_PARTS } from '../helpers/meeting-fixtures.ts';

/**
 * 参评人员 paged (issue 21: a meeting of 3,000 candidates): 评审会议详情 carries the counts, the
 * list is GET /api/meetings/:id/candidates, one page at a time in the meeting's order.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let meetingId: number;
let dossiers: number[];
let experts: Awaited<ReturnType<typeof addConfirmedExperts>>;
let county: { username: string; committeeId: number };

interface Page {
  total: number;
  candidates: Array<{ dossierId: number; orderNo: number; name: string; mainExpertId: number | null; statusLabel: string }>;
}
const page = async (query: string, user = 'cd_pw') => t.request('GET', `/api/meetings/${meetingId}/candidates?${query}`, { user });
const pageOk = async (query: string) => {
  const res = await page(query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true, withoutModules: OTHER_PARTS, extraModules: [ballotStandIn()] });
  dossiers = await addReceivedDossiers(db.knex, [{ name: '王一' }, { name: '李二' }, { name: '王三' }, { name: '赵四' }, { name: '王五' }]);
  county = await addCountyClerk(db.knex);
  const res = await t.request('POST', '/api/meetings', { user: 'cd_pw', body: { activityId: 1, kind: 'normal', name: '分页评审会议', startsAt: '2026-06-01T09:00:00+08:00', location: '第一会议室' } });
  expect(res.statusCode, res.body).toBe(201);
  meetingId = (res.json() as { id: number }).id;
  experts = await addConfirmedExperts(db.knex, meetingId, 2);
  // 王一 and 李二 get their 主审
  const assigned = await t.request('PUT', `/api/meetings/${meetingId}/assignments`, { user: 'cd_pw', body: { dossierIds: dossiers.slice(0, 2), mainExpertId: experts[0]!.expertId } });
  expect(assigned.statusCode, assigned.body).toBe(200);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('参评人员, one page at a time', () => {
  it('a page holds the candidates at its place in the meeting order, with the total', async () => {
    // given five candidates in the meeting
    // when the clerk opens the second page of two
    const second = await pageOk('page=2&pageSize=2');
    // then it holds the third and the fourth, and says there are five
    expect(second.total).toBe(5);
    expect(second.candidates.map((c) => [c.orderNo, c.name])).toEqual([
      [3, '王三'],
      [4, '赵四'],
    ]);
  });

  it('a page past the end is empty but still counts the list', async () => {
    // when the clerk asks for page 4 of two
    const past = await pageOk('page=4&pageSize=2');
    // then nothing is listed and the total stays
    expect(past).toEqual({ total: 5, candidates: [] });
  });

  it('the name filter matches the start of the name', async () => {
    // when the clerk searches 王
    const found = await pageOk(`name=${encodeURIComponent('王')}`);
    // then the three 王 are listed, in order, and no one whose name only contains it
    expect(found.candidates.map((c) => c.name)).toEqual(['王一', '王三', '王五']);
    expect(found.total).toBe(3);
  });

  it('未分配主审 lists only the candidates without a 主审, and the details count them', async () => {
    // when the clerk narrows the list to those without a 主审
    const free = await pageOk('assigned=false');
    // then the three not yet assigned are listed
    expect(free.candidates.map((c) => c.name)).toEqual(['王三', '赵四', '王五']);
    expect(free.candidates.every((c) => c.mainExpertId === null)).toBe(true);
    // and 评审会议详情 carries the same counts without the list itself
    const detail = (await t.request('GET', `/api/meetings/${meetingId}`, { user: 'cd_pw' })).json() as { candidateSummary: unknown; candidates?: unknown };
    expect(detail.candidateSummary).toEqual({ total: 5, unassigned: 3, byStatus: [{ status: 'candidate', label: '参评', count: 5 }] });
    expect(detail.candidates).toBeUndefined();
  });

  it('with a 主审 lists the others', async () => {
    // when the clerk narrows the list to the assigned
    const taken = await pageOk('assigned=true');
    // then 王一 and 李二 are listed with their 主审
    expect(taken.candidates.map((c) => [c.name, c.mainExpertId])).toEqual([
      ['王一', experts[0]!.expertId],
      ['李二', experts[0]!.expertId],
    ]);
  });

  it('a status filter narrows by the candidate status', async () => {
    // given 赵四 withdrawn
    await db.knex('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossiers[3] }).update({ status: 'withdrawn' });
    // when the clerk lists the withdrawn
    const withdrawn = await pageOk('status=withdrawn');
    // then only 赵四 is there, labelled 撤出
    expect(withdrawn.candidates.map((c) => [c.name, c.statusLabel])).toEqual([['赵四', '撤出']]);
    await db.knex('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossiers[3] }).update({ status: 'candidate' });
  });

  it.each([
    ['pageSize=501', 'pageSize'],
    ['page=0', 'page'],
    ['status=passedx', 'status'],
    ['assigned=maybe', 'assigned'],
    ['panelId=-1', 'panelId'],
  ])('%s is refused with 400 naming %s', async (query, field) => {
    // when the query is out of range
    const res = await page(query);
    // then the answer is 400 in Chinese naming the field
    expect(res.statusCode).toBe(400);
    expect((res.json() as { details: Array<{ field: string }> }).details.map((d) => d.field)).toContain(`querystring.${field}`);
  });

  it('a clerk of another committee is refused before anything is read', async () => {
    // when the county's committee clerk asks for the city's list, even an impossible page
    const answers = [(await page('page=1', county.username)).statusCode, (await page('page=9999', county.username)).statusCode];
    // then both are refused alike
    expect(answers).toEqual([403, 403]);
  });
});
