import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { activityBody } from '../helpers/fixtures.ts';
import { complete, completeOk, employerPassData, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let committeeId: number;

const hour = 3_600_000;
/** Sets the demo activity's level deadlines, relative to the test clock's now (null: none). */
async function setDeadlines(d: { unit?: number | null; department?: number | null; revision?: number | null }) {
  const at = (h: number | null | undefined) => (h == null ? null : new Date(t.clock.now().getTime() + h * hour));
  await db.knex('activities').where({ id: 1 }).update({ unit_review_deadline: at(d.unit), department_review_deadline: at(d.department), department_revision_deadline: at(d.revision) });
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  committeeId = Number((await db.knex('committees').first()).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('an activity’s per-level review deadlines (notice 004 三)', () => {
  it('keeps the three deadlines in order between the applicant’s and the committee’s, naming the field', async () => {
    // when a level deadline lies before 个人初次提交截止时间
    const early = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(committeeId, { unitReviewDeadline: '2026-04-30T17:00:00+08:00' }) });
    // then the 400 names it
    expect(early.statusCode).toBe(400);
    expect(early.json().details).toEqual([expect.objectContaining({ field: 'body.unitReviewDeadline', message: expect.stringContaining('不能早于个人初次提交截止时间') })]);
    // a department deadline after 个人修改提交截止时间, and a revision deadline after 评委会接收截止
    const late = await t.request('POST', '/api/activities', {
      user: 'cd_pw',
      body: activityBody(committeeId, { departmentReviewDeadline: '2026-05-12T17:00:00+08:00', departmentRevisionDeadline: '2026-05-26T17:00:00+08:00' }),
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['body.departmentReviewDeadline', 'body.departmentRevisionDeadline']);
    // two level deadlines out of order with each other
    const swapped = await t.request('POST', '/api/activities', {
      user: 'cd_pw',
      body: activityBody(committeeId, { unitReviewDeadline: '2026-05-05T17:00:00+08:00', departmentReviewDeadline: '2026-05-03T17:00:00+08:00' }),
    });
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json().details).toEqual([expect.objectContaining({ field: 'body.departmentReviewDeadline' })]);

    // when they are in order they are kept and shown
    const ok = await t.request('POST', '/api/activities', {
      user: 'cd_pw',
      body: activityBody(committeeId, { unitReviewDeadline: '2026-05-03T17:00:00+08:00', departmentReviewDeadline: '2026-05-08T17:00:00+08:00', departmentRevisionDeadline: '2026-05-20T17:00:00+08:00' }),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const shown = (await t.request('GET', `/api/activities/${ok.json().id}`, { user: 'cd_pw' })).json();
    expect(shown).toMatchObject({ unitReviewDeadline: '2026-05-03T09:00:00.000Z', departmentReviewDeadline: '2026-05-08T09:00:00.000Z', departmentRevisionDeadline: '2026-05-20T09:00:00.000Z' });
  });

  it('refuses the unit’s first pass after 单位初次审核截止 and the department’s after 主管部门网上审核截止', async () => {
    // given a submitted dossier and a unit deadline an hour ago
    const id = await submitDossier(t, 'zhangwei');
    await setDeadlines({ unit: -1, department: 48, revision: 96 });
    const unitTask = await taskOf(t, 'kj_hr', id, 'unit_review');

    // when the employer passes it: 409 with the deadline named, and nothing moves
    const late = await complete(t, 'kj_hr', unitTask.id, 'pass', '同意', await employerPassData(t, 'kj_hr'));
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toContain('申报人所在单位初次审核截止时间');
    expect((await taskOf(t, 'kj_hr', id, 'unit_review')).id).toBe(unitTask.id);

    // with the deadline ahead the pass goes through, and the department meets its own deadline
    await setDeadlines({ unit: 1, department: -1, revision: 96 });
    await passEmployer(t, 'kj_hr', unitTask.id);
    const depTask = await taskOf(t, 'cd_jxj', id, 'department_review');
    const depLate = await complete(t, 'cd_jxj', depTask.id, 'pass', '同意');
    expect(depLate.statusCode).toBe(409);
    expect(depLate.json().message).toContain('主管部门网上审核截止时间');
    // a return is still allowed after the deadline
    await completeOk(t, 'cd_jxj', depTask.id, 'return', '请补充业绩材料', { returnTo: 'applicant' });
  });

  it('reviews a revision until 主管部门修改提交截止, whatever the first-review deadlines say', async () => {
    // given a dossier returned to the applicant and resubmitted, the first-review deadlines past
    const id = await submitDossier(t, 'lina');
    await setDeadlines({ unit: 1, department: 2, revision: 96 });
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'return', '请修改', { returnTo: 'applicant' });
    const resubmit = await taskOf(t, 'lina', id, 'resubmit');
    await completeOk(t, 'lina', resubmit.id, 'submit', undefined, (await db.knex('dossiers').where({ instance_id: id }).first()).data);
    await setDeadlines({ unit: -2, department: -1, revision: 1 });

    // when the employer and the department pass the revision before 主管部门修改提交截止
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    const dep = await taskOf(t, 'cd_jxj', id, 'department_review');
    // then it goes through; after that deadline the department may not pass it
    await setDeadlines({ unit: -2, department: -1, revision: -1 });
    const late = await complete(t, 'cd_jxj', dep.id, 'pass', '同意');
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toContain('主管部门修改提交截止时间');
    await setDeadlines({ unit: -2, department: -1, revision: 1 });
    await completeOk(t, 'cd_jxj', dep.id, 'pass', '同意');
    expect(await taskOf(t, 'cd_hr', id, 'bureau_review')).toBeDefined();
  });
});
