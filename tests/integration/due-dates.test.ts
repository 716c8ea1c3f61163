import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { submitDossier, taskOf } from '../helpers/flow.ts';
import { down as dueUnitsDown, up as dueUnitsUp } from '../../migrations/20261203000600_due_date_units.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const clock = new TestClock('2026-12-03T10:00:00+08:00'); // a Thursday

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { clock, demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`).toISOString();
const UNIT_REVIEW = 'dossier-review:unit_review';

/** A new applicant of 成都示范科技 (the demo allows one dossier per applicant and activity). */
async function applicant(username: string) {
  const template = await db.knex('users').where({ username: 'lina' }).first();
  await db.knex('users').insert({ ...template, id: undefined, username, display_name: username, id_number: null, id_number_enc: null, id_number_hash: null });
  return username;
}

async function unitReviewDue(username: string) {
  const id = await submitDossier(t, await applicant(username));
  const task = await taskOf(t, 'kj_hr', id, 'unit_review');
  return { id, dueAt: new Date((await db.knex('tasks').where({ id: task.id }).first()).due_at).toISOString() };
}

describe('due dates in working days', () => {
  it('gives a task arriving on Thursday with the diagram’s 3 days until the end of Tuesday', async () => {
    // given the diagram's zcps:dueDate="P3D" on 申报单位审核 and no setting
    // when a dossier reaches the employer on Thursday 2026-12-03
    const { dueAt } = await unitReviewDue('due_thursday');
    // then Friday, Monday and Tuesday are its three working days
    expect(dueAt).toBe(endOf('2026-12-08'));
  });

  it('shows the applicant who holds the dossier and until when, in working days left', async () => {
    // given a dossier submitted on Thursday, due at the employer on Tuesday
    await unitReviewDue('due_holder');
    // when the applicant reads 我的申报
    const mine = (await t.request('GET', '/api/dossiers/mine', { user: 'due_holder' })).json();
    // then the holder, its step and deadline are there, with Friday, Monday and Tuesday left
    expect(mine[0].currentSteps).toEqual([
      expect.objectContaining({ name: '申报单位审核', unitName: '成都示范科技有限公司', level: '申报单位', mine: false, dueAt: endOf('2026-12-08'), workingDaysLeft: 3, overdue: false }),
    ]);
    // and on Monday one working day is gone with the weekend not counted
    clock.set('2026-12-07T09:00:00+08:00');
    try {
      const later = (await t.request('GET', '/api/dossiers/mine', { user: 'due_holder' })).json();
      expect(later[0].currentSteps[0]).toMatchObject({ workingDaysLeft: 1, overdue: false });
      clock.set('2026-12-09T09:00:00+08:00');
      const late = (await t.request('GET', '/api/dossiers/mine', { user: 'due_holder' })).json();
      expect(late[0].currentSteps[0]).toMatchObject({ workingDaysLeft: 0, overdue: true });
    } finally {
      clock.set('2026-12-03T10:00:00+08:00');
    }
  });

  it('takes a number and a unit on the settings page, and refuses bad ones naming the field in Chinese', async () => {
    const put = (body: unknown) => t.request('PUT', `/api/settings/task-due-dates/${UNIT_REVIEW}`, { user: 'admin', body });
    // a number without a unit, a unit that does not exist, zero, an expression that is none
    const noUnit = await put({ amount: 3 });
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().details).toEqual([{ field: 'body.unit', message: expect.stringContaining('期限单位') }]);
    const wrongUnit = await put({ amount: 3, unit: 'weeks' });
    expect(wrongUnit.statusCode).toBe(400);
    expect(wrongUnit.json().message).toContain('期限单位');
    const zero = await put({ amount: 0, unit: 'working_days' });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().details[0]).toMatchObject({ field: 'body.amount', message: '期限数值：至少为 1' });
    const notAnExpression = await put({ expression: '五天' });
    expect(notAnExpression.statusCode).toBe(400);
    expect(notAnExpression.json().details[0]).toMatchObject({ field: 'body.expression', message: expect.stringContaining('表达式') });
    expect(await db.knex('task_settings').count({ n: '*' })).toEqual([{ n: 0 }]);

    // 2 自然日 from Thursday ends on Saturday; 12 小时 ends at 22:00 the same day
    expect((await put({ amount: 2, unit: 'natural_days' })).json()).toMatchObject({ dueDate: '2 自然日', effectiveLabel: '2 个自然日', amount: 2, unit: 'natural_days', expression: null });
    expect((await unitReviewDue('due_natural')).dueAt).toBe(endOf('2026-12-05'));
    expect((await put({ amount: 12, unit: 'hours' })).json()).toMatchObject({ dueDate: '12 小时', effectiveLabel: '12 小时' });
    expect((await unitReviewDue('due_hours')).dueAt).toBe(new Date('2026-12-03T22:00:00+08:00').toISOString());
    // an expert's expression stays possible under 表达式
    expect((await put({ expression: 'P1W' })).json()).toMatchObject({ unit: 'expression', expression: 'P1W', effectiveLabel: '1 周' });

    // back to the diagram's 3 working days
    const reset = await t.request('DELETE', `/api/settings/task-due-dates/${UNIT_REVIEW}`, { user: 'admin' });
    expect(reset.json()).toMatchObject({ dueDate: null, effective: 'P3D', effectiveLabel: '3 个工作日', amount: 3, unit: 'working_days' });
  });

  it('keeps an operator’s stored ISO setting counting the calendar days it was set for', async () => {
    // given a setting stored before due dates had units: P4D, then 4 calendar days
    await db.knex('task_settings').delete();
    await db.knex('task_settings').insert({ process_key: 'dossier-review', element_id: 'unit_review', due_date: 'P4D', updated_by: null, updated_at: clock.now() });
    await db.knex('task_settings').insert({ process_key: 'dossier-review', element_id: 'department_review', due_date: 'PT36H', updated_by: null, updated_at: clock.now() });
    // when the migration runs
    await dueUnitsUp(db.knex);
    await t.app.taskSettings.reload();
    try {
      // then it reads 4 自然日, and a task arriving on Thursday is due on Monday, not on Wednesday
      const rows = (await t.request('GET', '/api/settings/task-due-dates?processKey=dossier-review', { user: 'admin' })).json();
      expect(rows.find((r: { id: string }) => r.id === UNIT_REVIEW)).toMatchObject({ dueDate: '4 自然日', effectiveLabel: '4 个自然日' });
      expect(rows.find((r: { id: string }) => r.id === 'dossier-review:department_review')).toMatchObject({ dueDate: 'PT36H', effectiveLabel: '36 小时' });
      expect((await unitReviewDue('due_migrated')).dueAt).toBe(endOf('2026-12-07'));
      // and going back restores the ISO form
      await dueUnitsDown(db.knex);
      expect((await db.knex('task_settings').where({ element_id: 'unit_review' }).first()).due_date).toBe('P4D');
    } finally {
      await db.knex('task_settings').delete();
      await t.app.taskSettings.reload();
    }
  });

  it('counts a holiday the administrator enters in 工作日历 from then on', async () => {
    // given 2026's arrangement with Friday 12-04 made a holiday
    const year = (await t.request('GET', '/api/calendar/2026', { user: 'admin' })).json();
    const saved = await t.request('PUT', '/api/calendar/2026', { user: 'admin', body: { published: true, days: [...year.days, { day: '2026-12-04', kind: 'holiday', name: '测试放假' }] } });
    expect(saved.statusCode, saved.body).toBe(200);
    try {
      // when a dossier reaches the employer on Thursday, then Monday, Tuesday and Wednesday are its days
      expect((await unitReviewDue('due_holiday')).dueAt).toBe(endOf('2026-12-09'));
    } finally {
      await t.request('PUT', '/api/calendar/2026', { user: 'admin', body: { published: true, days: year.days } });
    }
  });

  it('does not stop a case whose due date reaches into a year not yet in the calendar', async () => {
    // given 2027 is not entered; a dossier reaching the employer on Wednesday 2026-12-30
    clock.set('2026-12-30T10:00:00+08:00');
    try {
      // then its due date counts Monday to Friday in 2027: Thursday 12-31, Friday 01-01, Monday 01-04
      expect((await unitReviewDue('due_newyear')).dueAt).toBe(endOf('2027-01-04'));
    } finally {
      clock.set('2026-12-03T10:00:00+08:00');
    }
  });
});

describe('a level reviewed through 多岗审核 posts', () => {
  it('gives each post the due date set for the level’s single-post step, unless the posts’ step has its own', async () => {
    // given 成都示范科技 reviews dossiers through two posts, and 申报单位审核 is set to 2 工作日
    const clerk = await db.knex('users').where({ username: 'kj_hr' }).first();
    const [second] = await db.knex('users').insert({ ...clerk, id: undefined, username: 'kj_hr_posts', display_name: '示范科技复核人' }).returning('id');
    const levels = await t.request('PUT', '/api/review-levels', {
      user: 'kj_hr',
      body: { unitId: Number(clerk.unit_id), matterType: 'dossier_review', posts: [{ name: '初审岗', userIds: [Number(clerk.id)] }, { name: '复核岗', userIds: [Number(second.id)] }] },
    });
    expect(levels.statusCode, levels.body).toBe(200);
    await t.request('PUT', `/api/settings/task-due-dates/${UNIT_REVIEW}`, { user: 'admin', body: { amount: 2, unit: 'working_days' } });
    try {
      // then the settings page says the posts take it
      const rows = (await t.request('GET', '/api/settings/task-due-dates?processKey=dossier-review', { user: 'admin' })).json() as Array<Record<string, unknown>>;
      expect(rows.find((r) => r.id === 'dossier-review:unit_review_posts')).toMatchObject({ dueDate: null, effective: '2 工作日', effectiveLabel: '2 个工作日' });
      expect(rows.find((r) => r.id === UNIT_REVIEW)?.note).toContain('此期限也用于“申报单位审核（多岗）”的每一个岗位');
      // when a dossier reaches the first post on Thursday, it is due at the end of Monday
      const id = await submitDossier(t, await applicant('due_posts'));
      const first = await taskOf(t, 'kj_hr', id, 'unit_review_posts');
      expect(first.name).toBe('申报单位审核（初审岗）');
      expect(new Date((await db.knex('tasks').where({ id: first.id }).first()).due_at).toISOString()).toBe(endOf('2026-12-07'));
      // and a due date of the posts' own step wins over the level's
      await t.request('PUT', '/api/settings/task-due-dates/dossier-review:unit_review_posts', { user: 'admin', body: { amount: 4, unit: 'working_days' } });
      const next = await submitDossier(t, await applicant('due_posts_own'));
      const own = await taskOf(t, 'kj_hr', next, 'unit_review_posts');
      expect(new Date((await db.knex('tasks').where({ id: own.id }).first()).due_at).toISOString()).toBe(endOf('2026-12-09'));
    } finally {
      await db.knex('task_settings').delete();
      await t.app.taskSettings.reload();
      await t.request('PUT', '/api/review-levels', { user: 'kj_hr', body: { unitId: Number(clerk.unit_id), matterType: 'dossier_review', posts: [] } });
    }
  });
});

describe('multi-post review matter types', () => {
  it('tells which matter types a deployed flow uses', async () => {
    const types = (await t.request('GET', '/api/review-levels/matter-types', { user: 'kj_hr' })).json() as Array<{ id: string; name: string; inUse: boolean }>;
    const inUse = Object.fromEntries(types.map((m) => [m.id, m.inUse]));
    // dossier-review, committee-filing, activity-publication, expert-pool-review and title-recognition call the multi-post review
    expect(inUse).toMatchObject({ dossier_review: true, committee_filing: true, activity_publication: true, expert_pool: true, title_recognition: true, talent_review: false });
  });
});
