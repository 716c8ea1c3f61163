import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, completedSteps, instanceView, openTasksAt, submitDossier, taskOf, passEmployer } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let employerId: number;
let committeeId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  // given an employer opened directly by the city HR bureau: no competent department above it
  const created = await t.request('POST', '/api/subordinate-units', {
    user: 'cd_hr',
    body: {
      unit: { creditCode: '9151010000000000G0', name: '锦江精密制造有限公司', nature: 'enterprise', unitType: 'employer', regionCode: '510104', phone: '028-84440000' },
      admin: { username: 'jm_admin', displayName: '精密制造经办人', phone: '13900000031' },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  employerId = created.json().unit.id;
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').where({ username: 'jm_admin' }).update({ password_hash: hash, must_change_password: false, roles: ['unit_admin', 'unit_clerk'] });
  await db.knex('users').insert([
    { username: 'jm_check', password_hash: hash, display_name: '精密制造复核人', unit_id: employerId, roles: ['unit_clerk'], created_at: t.clock.now() },
    { username: 'jm_a', password_hash: hash, display_name: '钱工', unit_id: employerId, roles: ['applicant'], created_at: t.clock.now() },
    { username: 'jm_b', password_hash: hash, display_name: '孙工', unit_id: employerId, roles: ['applicant'], created_at: t.clock.now() },
  ]);
  committeeId = Number((await db.knex('committees').first()).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the review chain from the unit tree and 主管部门配置', () => {
  it('goes straight to the HR bureau when the employer has no competent department', async () => {
    const id = await submitDossier(t, 'jm_a');
    const view = await instanceView(t, 'jm_a', id);
    expect(view.variables.chain).toMatchObject({ employerName: '锦江精密制造有限公司', department: null, bureauName: '成都市人力资源和社会保障局' });
    await passEmployer(t, 'jm_admin', (await taskOf(t, 'jm_admin', id, 'unit_review')).id);
    expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(1);
    // the diagram's 无主管部门 flow went around the department's level
    const { trail } = await db.knex('process_instances').where({ id }).first('trail');
    expect(trail).toContain('f_department_skip');
    expect(trail).not.toContain('department_review');
    // and the bureau is offered no return to a department the chain does not have
    const task = (await t.request('GET', `/api/tasks/${(await taskOf(t, 'cd_hr', id, 'bureau_review')).id}`, { user: 'cd_hr' })).json();
    expect(task.form.properties.returnTo.options).toEqual([
      { value: 'applicant', label: '申报人' },
      { value: 'employer', label: '申报单位' },
    ]);
  });

  it('routes through the department the city bureau configured, and through the unit’s two review posts', async () => {
    // given the city bureau's setting for its region and the employer's two posts
    const routes = (await t.request('GET', '/api/department-routes', { user: 'cd_hr' })).json() as Array<{ committeeId: number; departmentName: string | null }>;
    expect(routes).toEqual([expect.objectContaining({ committeeId, departmentName: null, regionName: '四川省 / 成都市（市本级）' })]);
    const department = await db.knex('units').where({ name: '成都市经济和信息化局' }).first();
    const outside = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
    expect((await t.request('PUT', `/api/department-routes/${committeeId}`, { user: 'cd_hr', body: { departmentUnitId: Number(outside.id) } })).statusCode).toBe(400);
    expect((await t.request('PUT', `/api/department-routes/${committeeId}`, { user: 'cd_jxj', body: { departmentUnitId: Number(department.id) } })).statusCode).toBe(403);
    const set = await t.request('PUT', `/api/department-routes/${committeeId}`, { user: 'cd_hr', body: { departmentUnitId: Number(department.id) } });
    expect(set.statusCode, set.body).toBe(200);
    // the county sees the city's setting as inherited
    const county = (await t.request('GET', '/api/department-routes', { user: 'jj_hr' })).json();
    expect(county[0]).toMatchObject({ departmentName: null, inheritedDepartmentName: '成都市经济和信息化局', inheritedFrom: '四川省 / 成都市（市本级）' });

    const staff = await db.knex('users').whereIn('username', ['jm_admin', 'jm_check']).orderBy('username');
    const [admin, check] = [staff.find((s: { username: string }) => s.username === 'jm_admin'), staff.find((s: { username: string }) => s.username === 'jm_check')];
    const posts = await t.request('PUT', '/api/review-levels', {
      user: 'jm_admin',
      body: { unitId: employerId, matterType: 'dossier_review', posts: [{ name: '初审岗', userIds: [Number(admin.id)] }, { name: '复核岗', userIds: [Number(check.id)] }] },
    });
    expect(posts.statusCode, posts.body).toBe(200);

    const due = await t.request('PUT', '/api/settings/task-due-dates/dossier-review:unit_review_posts', { user: 'admin', body: { amount: 7, unit: 'natural_days' } });
    expect(due.json()).toMatchObject({ kind: 'call', dueDate: '7 自然日' });

    // when an applicant of the employer submits and every post and level passes
    const id = await submitDossier(t, 'jm_b');
    expect((await instanceView(t, 'jm_b', id)).variables.chain).toMatchObject({ departmentName: '成都市经济和信息化局', departmentVia: 'mapping' });
    const first = await taskOf(t, 'jm_admin', id, 'unit_review_posts');
    // the step's due date (办理期限设置 on the calling step) reaches every post's task
    const sevenDaysOn = new Date(t.clock.now().getTime() + 7 * 24 * 3600 * 1000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    expect(new Date((await db.knex('tasks').where({ id: first.id }).first()).due_at).toISOString()).toBe(new Date(`${sevenDaysOn}T23:59:59.999+08:00`).toISOString());
    expect(first.name).toBe('申报单位审核（初审岗）');
    // the second post's clerk has nothing yet
    expect((await t.request('GET', '/api/tasks', { user: 'jm_check' })).json()).toEqual([]);
    await completeOk(t, 'jm_admin', first.id, 'pass', '初审通过');
    const second = await taskOf(t, 'jm_check', id, 'unit_review_posts');
    expect(second.name).toBe('申报单位审核（复核岗）');
    await completeOk(t, 'jm_check', second.id, 'pass', '复核通过');
    // after its posts the employer uploads the 公示 proof and the 综合推荐材料
    await passEmployer(t, 'jm_admin', (await taskOf(t, 'jm_admin', id, 'unit_materials')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass');

    // then the history reads like the chain
    expect(await completedSteps(db.knex, id)).toEqual(['提交申报材料', '申报单位审核（初审岗）', '申报单位审核（复核岗）', '上传公示证明和综合推荐材料', '主管部门审核', '人社部门审核', '评委会接收']);
    expect((await db.knex('dossiers').where({ instance_id: id }).first()).status).toBe('received');
  });

  it('applies a change of the posts to tasks not yet created, never to one already waiting', async () => {
    const other = await db.knex('users').where({ username: 'jm_a' }).first();
    await db.knex('users').insert({ username: 'jm_c', password_hash: other.password_hash, display_name: '李工', unit_id: employerId, roles: ['applicant'], created_at: t.clock.now() });
    const id = await submitDossier(t, 'jm_c');
    const waiting = await taskOf(t, 'jm_admin', id, 'unit_review_posts');
    // the employer drops the second post while the first is in the inbox
    const admin = await db.knex('users').where({ username: 'jm_admin' }).first();
    await t.request('PUT', '/api/review-levels', { user: 'jm_admin', body: { unitId: employerId, matterType: 'dossier_review', posts: [{ name: '审核岗', userIds: [Number(admin.id)] }] } });
    expect((await taskOf(t, 'jm_admin', id, 'unit_review_posts')).id).toBe(waiting.id);
    expect(waiting.name).toBe('申报单位审核（初审岗）');
    await completeOk(t, 'jm_admin', waiting.id, 'pass');
    // the next post would have been 复核岗; now there is none and the employer's uploads follow
    expect(await openTasksAt(db.knex, id, 'unit_materials')).toBe(1);
  });
});
