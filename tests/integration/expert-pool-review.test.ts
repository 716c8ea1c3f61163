import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { idNumber } from '../helpers/fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let committeeId: number;
let province: number;
let seq = 500;

type Expert = { id: number; status: string; returnedStage: string | null; returnedReason: string | null };

const pool = (path = '') => `/api/expert-pools/${committeeId}${path}`;
const json = <T = Record<string, unknown>>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};

async function addExpert(name: string): Promise<number> {
  const body = { name, idNumber: idNumber('19700315', seq++), employer: '成都示范科技有限公司', post: '总工程师', phone1: '13800000011', honours: '无', specialty: '机械工程', currentTitle: '正高级工程师' };
  return json<{ id: number }>(await t.request('POST', pool('/experts'), { user: 'cd_pw', body }), 201).id;
}
const expertOf = async (id: number) => json<Expert>(await t.request('GET', `/api/experts/${id}`, { user: 'cd_pw' }));
/** The review steps the registrar's list shows for the chosen experts. */
const shownSteps = async (ids: number[]) => {
  const shown = json<Array<{ id: number; reviewStepId: string | null }>>(await t.request('GET', `${pool('/experts')}?filter=${encodeURIComponent('{"status":"pending"}')}&range=[0,999]`, { user: 'sc_hr' }));
  return [...new Set(shown.filter((e) => ids.includes(e.id) && e.reviewStepId).map((e) => e.reviewStepId!))];
};
const decide = (ids: number[], action: 'pass' | 'return', stepIds: string[], opinion?: string) =>
  t.request('POST', pool('/review'), { user: 'sc_hr', body: { ids, action, stepIds, ...(opinion ? { opinion } : {}) } });
/** A decision sent from a freshly loaded list. */
const review = async (ids: number[], action: 'pass' | 'return', opinion?: string) => decide(ids, action, await shownSteps(ids), opinion);
const doneSteps = async (expertId: number) => {
  const s = await db.knex('expert_submissions').where({ id: await submissionOf(expertId) }).first('instance_id');
  return (await db.knex('tasks').where({ root_instance_id: s.instance_id, status: 'completed' }).select('name')).map((r: { name: string }) => r.name);
};
const openSteps = async (submissionId: number) => {
  const s = await db.knex('expert_submissions').where({ id: submissionId }).first('instance_id');
  return (await db.knex('tasks').where({ root_instance_id: s.instance_id, status: 'open' }).select('name')).map((r: { name: string }) => r.name);
};
const submissionOf = async (expertId: number) => Number((await db.knex('experts').where({ id: expertId }).first('submission_id')).submission_id);

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  committeeId = Number((await db.knex('committees').where({ name: '成都市工程技术系列中级职称评审委员会' }).first('id')).id);
  province = Number((await db.knex('units').where({ name: '四川省人力资源和社会保障厅' }).first('id')).id);
  // Given the registrar (the province) reviews 专家库审核 through two posts
  const clerk = Number((await db.knex('users').where({ username: 'sc_hr' }).first('id')).id);
  await db.knex('review_levels').insert([
    { unit_id: province, matter_type: 'expert_pool', level_no: 1, name: '初审', user_ids: [clerk] },
    { unit_id: province, matter_type: 'expert_pool', level_no: 2, name: '复审', user_ids: [clerk] },
  ]);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('专家库审核 as a flow', () => {
  it('starts one case per submission and walks the registrar’s posts before the experts enter the pool', async () => {
    // Given two experts of the organiser, When it submits them together
    const a = await addExpert('钱一');
    const b = await addExpert('钱二');
    expect(json(await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [a, b] } }))).toEqual({ count: 2 });
    // Then one submission holds both, waiting at the first post
    const submission = await submissionOf(a);
    expect(await submissionOf(b)).toBe(submission);
    expect(await openSteps(submission)).toEqual([expect.stringContaining('（初审）')]);
    // When the first post passes both, Then they are still waiting, at the second post
    expect(json(await review([a, b], 'pass'))).toEqual({ count: 2 });
    expect((await expertOf(a)).status).toBe('pending');
    expect(await openSteps(submission)).toEqual([expect.stringContaining('（复审）')]);
    // When the second post passes, Then both are in the pool and the case is over
    expect(json(await review([a, b], 'pass'))).toEqual({ count: 2 });
    expect((await expertOf(a)).status).toBe('in_pool');
    expect((await expertOf(b)).status).toBe('in_pool');
    expect(await openSteps(submission)).toEqual([]);
    expect((await db.knex('expert_submissions').where({ id: submission }).first('status')).status).toBe('done');
    // and a repeated decision is a 409
    expect((await review([a], 'pass')).statusCode).toBe(409);
    // and the matter is in use for 多岗审核配置
    const matters = json<Array<{ id: string; inUse: boolean }>>(await t.request('GET', '/api/review-levels/matter-types', { user: 'sc_hr' }));
    expect(matters.find((m) => m.id === 'expert_pool')).toMatchObject({ inUse: true });
  });

  it('returns some experts to the organiser with the reason and keeps the rest under review', async () => {
    // Given two submitted experts
    const c = await addExpert('孙三');
    const d = await addExpert('孙四');
    json(await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [c, d] } }));
    const submission = await submissionOf(c);
    // When the first post returns one without a reason, Then 400; with a reason, it reaches the organiser
    expect((await review([c], 'return')).statusCode).toBe(400);
    expect(json(await review([c], 'return', '现职称与证书不符'))).toEqual({ count: 1 });
    expect(await expertOf(c)).toMatchObject({ status: 'returned', returnedStage: 'registrar', returnedReason: '现职称与证书不符' });
    const returned = json<Array<{ id: number; returnedReason: string }>>(await t.request('GET', `${pool('/experts')}?filter=${encodeURIComponent('{"status":"returned"}')}&range=[0,999]`, { user: 'cd_pw' }));
    expect(returned.find((e) => e.id === c)?.returnedReason).toBe('现职称与证书不符');
    // Then the other is still waiting, back at the first post
    expect((await expertOf(d)).status).toBe('pending');
    expect(await openSteps(submission)).toEqual([expect.stringContaining('（初审）')]);
    // When the organiser submits the returned one again, Then it is a new case
    json(await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [c] } }));
    expect(await submissionOf(c)).not.toBe(submission);
    // When the registrar passes both at once through the two posts, Then each case completes its own step
    expect(json(await review([c, d], 'pass'))).toEqual({ count: 2 });
    expect(json(await review([c, d], 'pass'))).toEqual({ count: 2 });
    expect((await expertOf(c)).status).toBe('in_pool');
    expect((await expertOf(d)).status).toBe('in_pool');
    expect(await openSteps(submission)).toEqual([]);
  });

  it('is a 409 for the whole decision when one chosen expert is no longer waiting, and moves nothing', async () => {
    const e = await addExpert('周五');
    const f = await addExpert('周六');
    json(await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [e] } }));
    // When the registrar decides on a waiting expert and a draft one together, Then 409 and neither moves
    expect((await review([e, f], 'pass')).statusCode).toBe(409);
    expect((await expertOf(e)).status).toBe('pending');
    expect((await expertOf(f)).status).toBe('draft');
  });

  it('refuses a second click that arrives after the first committed, and leaves the next post undecided', async () => {
    // Given a submitted expert and the registrar's list showing its first post
    const e = await addExpert('郑八');
    json(await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [e] } }));
    const seen = await shownSteps([e]);
    expect(seen).toHaveLength(1);
    // When the clerk (holding both posts) clicks 通过 twice from that list, one after the other
    const first = await decide([e], 'pass', seen);
    const second = await decide([e], 'pass', seen);
    // Then the first passes the first post, the second is refused and the second post is still open
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toBe('该记录已由他人处理，请刷新');
    expect(await openSteps(await submissionOf(e))).toEqual([expect.stringContaining('（复审）')]);
    expect((await doneSteps(e)).filter((n) => n.includes('（复审）'))).toEqual([]);
    expect((await expertOf(e)).status).toBe('pending');
  });

  it('completes one step for two clicks at once from the same list', async () => {
    // Given a submitted expert shown at its first post
    const e = await addExpert('郑九');
    json(await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [e] } }));
    const seen = await shownSteps([e]);
    // When two clicks from that list arrive together
    const [x, y] = await Promise.all([decide([e], 'pass', seen), decide([e], 'pass', seen)]);
    // Then one passes, the other is a 409, and only the first post's step is completed
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const done = await doneSteps(e);
    expect(done.filter((n) => n.includes('（初审）'))).toHaveLength(1);
    expect(done.filter((n) => n.includes('（复审）'))).toHaveLength(0);
  });

  it('answers 400 naming stepIds when a decision on a case names no step or a malformed one', async () => {
    // Given a submitted expert
    const e = await addExpert('郑十');
    json(await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [e] } }));
    // When the decision carries no step, Then 400 naming the field, and nothing moves
    const none = await t.request('POST', pool('/review'), { user: 'sc_hr', body: { ids: [e], action: 'pass' } });
    expect(none.statusCode).toBe(400);
    expect(none.json().details).toEqual([expect.objectContaining({ field: 'stepIds' })]);
    // When the step is not an id, Then 400 in Chinese naming the field
    const bad = await t.request('POST', pool('/review'), { user: 'sc_hr', body: { ids: [e], action: 'pass', stepIds: ['x'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('stepIds');
    expect(bad.body).toContain('审核环节编号格式不正确');
    expect(await doneSteps(e)).toEqual([]);
  });

  it('keeps units without a part in the pool out, before any state', async () => {
    const g = await addExpert('吴七');
    json(await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [g] } }));
    // Given the county bureau's clerk (holds 专家库审核, but only recommends to this committee)
    // When it reviews, Then 403 (another part than the registrar's), and 404 for a committee that does not exist
    expect((await t.request('POST', pool('/review'), { user: 'jj_hr', body: { ids: [g], action: 'pass' } })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/expert-pools/999999/review`, { user: 'jj_hr', body: { ids: [g], action: 'pass' } })).statusCode).toBe(404);
    // even with a malformed decision, scope is answered first
    expect((await t.request('POST', pool('/review'), { user: 'jj_hr', body: { ids: [g], action: 'return' } })).statusCode).toBe(403);
    // and the organiser (no 专家库审核 part) gets 403
    expect((await t.request('POST', pool('/review'), { user: 'cd_pw', body: { ids: [g], action: 'pass' } })).statusCode).toBe(403);
    expect((await expertOf(g)).status).toBe('pending');
    // and the step is in no other unit's inbox
    const tasks = json<Array<{ rootInstanceId: string }>>(await t.request('GET', '/api/tasks', { user: 'jj_hr' }));
    const submission = await db.knex('expert_submissions').where({ id: await submissionOf(g) }).first('instance_id');
    expect(tasks.map((task) => task.rootInstanceId)).not.toContain(submission.instance_id);
  });
});
