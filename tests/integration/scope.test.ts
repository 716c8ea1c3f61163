import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { upload } from '../helpers/files.ts';
import { activityBody } from '../helpers/fixtures.ts';

/**
 * The scope matrix: for every module, who may read or change the data of unit A (成都示范科技,
 * under 成都市经信局 under 成都市人社局): its own staff and the units above it as their roles
 * allow — never a sibling (unit B, also under 经信局), an unrelated county bureau, or a role
 * without the permission. To those outside A's tree a record of A does not exist (404, as for
 * an id nobody has); a caller who may see it but lacks the permission is refused (403).
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const ctx: Record<string, string | number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  // unit B beside A, with a super admin and clerk of its own
  const created = await t.request('POST', '/api/subordinate-units', {
    user: 'cd_jxj',
    body: {
      unit: { creditCode: '9151010000000000G0', name: '成都另一家科技有限公司', nature: 'enterprise', unitType: 'employer', regionCode: '510100', phone: '028-84440000' },
      admin: { username: 'b_hr', displayName: '另一家经办人', phone: '13900000041' },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  await db.knex('users').where({ username: 'b_hr' }).update({ password_hash: await hashPassword(DEMO_PASSWORD), must_change_password: false, roles: ['unit_admin', 'unit_clerk'] });

  const a = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
  ctx.unitA = Number(a.id);
  ctx.kjHr = Number((await db.knex('users').where({ username: 'kj_hr' }).first()).id);
  ctx.lina = Number((await db.knex('users').where({ username: 'lina' }).first()).id);
  ctx.committee = Number((await db.knex('committees').first()).id);
  ctx.instance = await submitDossier(t, 'zhangwei');
  ctx.task = (await taskOf(t, 'kj_hr', String(ctx.instance), 'unit_review')).id;
  // a file that belongs to the case
  const up = await upload(t, 'zhangwei', [{ name: '证明.pdf', type: 'application/pdf', content: Buffer.from('%PDF 证明') }]);
  ctx.file = up.json()[0].id;
  await db.knex('files').where({ id: ctx.file }).update({ root_instance_id: ctx.instance });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

type Case = [user: string, method: string, url: () => string, status: number, body?: () => unknown];

const A = () => ctx.unitA;
const cases: Record<string, Case[]> = {
  '本级单位 (my-unit)': [
    ['kj_hr', 'GET', () => '/api/my-unit', 200],
    ['zhangwei', 'GET', () => '/api/my-unit', 403],
    ['cd_pw', 'PUT', () => '/api/my-unit', 403, () => ({ name: 'x', nature: 'agency', unitType: 'hr_bureau', regionCode: '510100', phone: '028-86000000', creditCode: '11510100008701234C', version: 1 })],
  ],
  '下级单位 (subordinate-units)': [
    ['cd_jxj', 'GET', () => `/api/subordinate-units/${A()}`, 200],
    ['cd_hr', 'GET', () => `/api/subordinate-units/${A()}`, 200],
    ['b_hr', 'GET', () => `/api/subordinate-units/${A()}`, 404],
    ['kj_hr', 'GET', () => `/api/subordinate-units/${A()}`, 403],
    ['jj_hr', 'GET', () => `/api/subordinate-units/${A()}`, 404],
    ['cd_pw', 'GET', () => `/api/subordinate-units/${A()}`, 403],
    ['b_hr', 'POST', () => `/api/subordinate-units/${A()}/deactivate`, 404, () => ({ reason: '越权停用' })],
    ['jj_hr', 'PUT', () => `/api/subordinate-units/${A()}`, 404, () => ({ name: '越权', nature: 'enterprise', unitType: 'employer', regionCode: '510100', phone: '028-86000000', creditCode: '91510100MA6CN4T04W', version: 1 })],
  ],
  '工作人员 (staff)': [
    ['kj_hr', 'GET', () => `/api/staff?filter=${encodeURIComponent(JSON.stringify({ unitId: A() }))}`, 200],
    ['cd_jxj', 'GET', () => `/api/staff?filter=${encodeURIComponent(JSON.stringify({ unitId: A() }))}`, 200],
    ['b_hr', 'GET', () => `/api/staff?filter=${encodeURIComponent(JSON.stringify({ unitId: A() }))}`, 403],
    ['jj_hr', 'GET', () => `/api/staff?filter=${encodeURIComponent(JSON.stringify({ unitId: A() }))}`, 403],
    ['b_hr', 'POST', () => '/api/staff', 403, () => ({ unitId: A(), username: 'intruder', displayName: '越权', roles: ['unit_clerk'] })],
    ['b_hr', 'POST', () => `/api/staff/${ctx.kjHr}/disable`, 404],
    ['cd_pw', 'POST', () => `/api/staff/${ctx.kjHr}/disable`, 403],
    ['b_hr', 'POST', () => `/api/staff/${ctx.kjHr}/reset-password`, 404],
    ['b_hr', 'GET', () => `/api/roles?unitId=${A()}`, 404],
    ['cd_jxj', 'GET', () => `/api/roles?unitId=${A()}`, 200],
  ],
  '多岗审核配置 (review-levels)': [
    ['kj_hr', 'GET', () => `/api/review-levels?unitId=${A()}&matterType=dossier_review`, 200],
    ['cd_jxj', 'GET', () => `/api/review-levels?unitId=${A()}&matterType=dossier_review`, 200],
    ['b_hr', 'GET', () => `/api/review-levels?unitId=${A()}&matterType=dossier_review`, 404],
    ['zhangwei', 'GET', () => `/api/review-levels?unitId=${A()}&matterType=dossier_review`, 403],
    ['b_hr', 'PUT', () => '/api/review-levels', 404, () => ({ unitId: A(), matterType: 'dossier_review', posts: [] })],
  ],
  '待办与流程实例 (tasks, instances, files)': [
    ['kj_hr', 'GET', () => `/api/tasks/${ctx.task}`, 200],
    ['b_hr', 'GET', () => `/api/tasks/${ctx.task}`, 404],
    ['b_hr', 'POST', () => `/api/tasks/${ctx.task}/complete`, 404, () => ({ action: 'pass' })],
    ['b_hr', 'POST', () => `/api/tasks/${ctx.task}/claim`, 404],
    ['zhangwei', 'GET', () => `/api/process-instances/${ctx.instance}`, 200],
    ['lina', 'GET', () => `/api/process-instances/${ctx.instance}`, 404],
    ['b_hr', 'GET', () => `/api/process-instances/${ctx.instance}`, 404],
    ['zhangwei', 'GET', () => `/api/process-instances/${ctx.instance}/progress`, 200],
    ['lina', 'GET', () => `/api/process-instances/${ctx.instance}/progress`, 404],
    ['b_hr', 'GET', () => `/api/process-instances/${ctx.instance}/progress`, 404],
    // a clerk's list is their own cases (instance-search.test.ts); an applicant has none
    ['zhangwei', 'GET', () => '/api/process-instances', 403],
    ['kj_hr', 'GET', () => `/api/files/${ctx.file}`, 200],
    ['b_hr', 'GET', () => `/api/files/${ctx.file}`, 404],
  ],
  '申报人账号 (applicants)': [
    ['b_hr', 'POST', () => `/api/applicants/${ctx.lina}/reset-password`, 404],
    ['zhangwei', 'GET', () => '/api/applicants', 403],
    ['kj_hr', 'POST', () => `/api/applicants/${ctx.lina}/reset-password`, 200],
  ],
  '评委会 (committees), 消息, 工作日历': [
    ['cd_pw', 'GET', () => `/api/committees/${ctx.committee}`, 200],
    ['sc_hr', 'GET', () => `/api/committees/${ctx.committee}`, 200],
    ['jj_hr', 'GET', () => `/api/committees/${ctx.committee}`, 404],
    ['kj_hr', 'GET', () => `/api/committees/${ctx.committee}`, 404],
    ['kj_hr', 'GET', () => '/api/committees', 403],
    ['sc_hr', 'POST', () => `/api/committees/${ctx.committee}/filings`, 403],
    ['cd_hr', 'PUT', () => `/api/committees/${ctx.committee}`, 403, () => ({ version: 1 })],
    ['zhangwei', 'GET', () => '/api/messages', 200],
    ['cd_hr', 'PUT', () => '/api/calendar/2027', 403, () => ({ published: true, days: [] })],
  ],
  '专家库 (expert pools), 评审活动 (activities)': [
    ['cd_pw', 'GET', () => `/api/expert-pools/${ctx.committee}`, 200],
    ['zhangwei', 'GET', () => '/api/expert-pools', 403],
    ['kj_hr', 'POST', () => `/api/expert-pools/${ctx.committee}/submit`, 403, () => ({ ids: [1] })],
    ['cd_jxj', 'POST', () => `/api/expert-pools/${ctx.committee}/review`, 403, () => ({ ids: [1], action: 'pass' })],
    ['kj_hr', 'GET', () => '/api/expert-imports/template', 403],
    ['cd_pw', 'GET', () => '/api/activities/managed', 200],
    ['kj_hr', 'GET', () => '/api/activities/managed', 403],
    ['jj_hr', 'POST', () => '/api/activities', 403, () => ({ committeeId: ctx.committee })],
    ['zhangwei', 'GET', () => '/api/published-activities', 200],
  ],
  '主管部门配置, 解禁, 系统管理': [
    ['cd_hr', 'GET', () => '/api/department-routes', 200],
    ['kj_hr', 'GET', () => '/api/department-routes', 403],
    ['cd_jxj', 'PUT', () => '/api/department-routes/1', 403, () => ({ departmentUnitId: 1 })],
    ['cd_jxj', 'GET', () => '/api/locked-accounts', 403],
    ['cd_hr', 'PUT', () => '/api/settings/task-due-dates/dossier-review:committee_receipt', 403, () => ({ dueDate: 'P5D' })],
    ['cd_hr', 'POST', () => '/api/process-definitions', 403, () => ({ xml: '<x/>' })],
    ['kj_hr', 'GET', () => '/api/incidents', 403],
    ['kj_hr', 'GET', () => '/api/roles', 200],
    ['zhangwei', 'GET', () => '/api/roles', 403],
  ],
};

describe('scope: who may read and change unit A’s data', () => {
  for (const [module, rows] of Object.entries(cases)) {
    it(module, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const [user, method, url, status, body] of rows) {
        const res = await t.request(method, url(), { user, ...(body ? { body: body() } : {}) });
        got.push(`${user} ${method} ${url()} → ${res.statusCode}`);
        want.push(`${user} ${method} ${url()} → ${status}`);
        if (status === 403) expect(res.json().message, `${user} ${method} ${url()}`).toMatch(/[\u4e00-\u9fa5]/);
      }
      expect(got).toEqual(want);
    });
  }

  it('lists only what lies in the caller’s subtree', async () => {
    const forB = (await t.request('GET', '/api/subordinate-units', { user: 'b_hr' })).json() as Array<{ name: string }>;
    expect(forB).toEqual([]);
    const forDepartment = (await t.request('GET', '/api/subordinate-units', { user: 'cd_jxj' })).json() as Array<{ name: string }>;
    expect(forDepartment.map((u) => u.name).sort()).toEqual(['成都另一家科技有限公司', '成都示范科技有限公司']);
    const applicantsOfB = (await t.request('GET', '/api/applicants', { user: 'b_hr' })).json();
    expect(applicantsOfB).toEqual([]);
    expect((await t.request('GET', '/api/tasks', { user: 'b_hr' })).json()).toEqual([]);
  });
});

describe('scope before state: another unit’s record answers exactly like one that does not exist', () => {
  type Probe = [label: string, user: string, method: string, url: (id: string | number) => string, real: () => string | number, missing: string | number, body?: unknown];
  const NO_ID = 999_999;
  const NO_UUID = '00000000-0000-4000-8000-000000000000';
  const dossier = () => ctx.dossier!;
  const activity = () => ctx.draftActivity!;

  beforeAll(async () => {
    ctx.dossier = Number((await db.knex('dossiers').where({ instance_id: ctx.instance }).first()).id);
    const draft = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(Number(ctx.committee)) });
    expect(draft.statusCode, draft.body).toBe(201);
    ctx.draftActivity = draft.json().id;
  });

  const probes: Probe[] = [
    // the outsider's probe from the issue: an active account of unit A used to answer 409 「该账号未停用」
    ['enable an active account', 'b_hr', 'POST', (id) => `/api/staff/${id}/enable`, () => ctx.kjHr!, NO_ID],
    ['disable an account', 'b_hr', 'POST', (id) => `/api/staff/${id}/disable`, () => ctx.kjHr!, NO_ID],
    ['read an account', 'b_hr', 'GET', (id) => `/api/staff/${id}`, () => ctx.kjHr!, NO_ID],
    ['edit an account', 'b_hr', 'PUT', (id) => `/api/staff/${id}`, () => ctx.kjHr!, NO_ID, { displayName: '越权修改', roles: ['unit_clerk'], version: 1 }],
    ['reset a password', 'b_hr', 'POST', (id) => `/api/staff/${id}/reset-password`, () => ctx.kjHr!, NO_ID],
    ['reset an applicant’s password', 'b_hr', 'POST', (id) => `/api/applicants/${id}/reset-password`, () => ctx.lina!, NO_ID],
    ['read a unit', 'b_hr', 'GET', (id) => `/api/subordinate-units/${id}`, () => ctx.unitA!, NO_ID],
    ['re-enable an active unit', 'b_hr', 'POST', (id) => `/api/subordinate-units/${id}/activate`, () => ctx.unitA!, NO_ID],
    ['read a task', 'b_hr', 'GET', (id) => `/api/tasks/${id}`, () => ctx.task!, NO_UUID],
    ['complete a task', 'b_hr', 'POST', (id) => `/api/tasks/${id}/complete`, () => ctx.task!, NO_UUID, { action: 'pass' }],
    ['claim a task', 'b_hr', 'POST', (id) => `/api/tasks/${id}/claim`, () => ctx.task!, NO_UUID],
    ['give a task back', 'b_hr', 'POST', (id) => `/api/tasks/${id}/unclaim`, () => ctx.task!, NO_UUID],
    ['read a case', 'b_hr', 'GET', (id) => `/api/process-instances/${id}`, () => ctx.instance!, NO_UUID],
    ['read a case’s diagram', 'b_hr', 'GET', (id) => `/api/process-instances/${id}/diagram`, () => ctx.instance!, NO_UUID],
    ['download a file', 'b_hr', 'GET', (id) => `/api/files/${id}`, () => ctx.file!, NO_UUID],
    // a dossier not returned used to answer 409 「不在退回修改中」 to anybody
    ['set a revision deadline', 'b_hr', 'PUT', (id) => `/api/dossiers/${id}/revision-deadline`, dossier, NO_ID, { at: '2027-01-01T00:00:00+08:00' }],
    ['read a dossier', 'b_hr', 'GET', (id) => `/api/dossiers/${id}`, dossier, NO_ID],
    ['read a declaration', 'b_hr', 'GET', (id) => `/api/dossiers/${id}/declaration`, dossier, NO_ID],
    ['print a review form', 'b_hr', 'GET', (id) => `/api/dossiers/${id}/review-form.pdf`, dossier, NO_ID],
    ['read an unpublished activity', 'b_hr', 'GET', (id) => `/api/activities/${id}`, activity, NO_ID],
    ['read its deadline changes', 'b_hr', 'GET', (id) => `/api/activities/${id}/deadline-changes`, activity, NO_ID],
    ['read a committee', 'jj_hr', 'GET', (id) => `/api/committees/${id}`, () => ctx.committee!, NO_ID],
  ];

  for (const [label, user, method, url, real, missing, body] of probes) {
    it(`${label}`, async () => {
      // given a record of unit A and an id nobody has
      // when another unit's clerk asks for each
      const outside = await t.request(method, url(real()), { user, ...(body ? { body } : {}) });
      const absent = await t.request(method, url(missing), { user, ...(body ? { body } : {}) });
      // then both answers are the same 404
      expect(absent.statusCode).toBe(404);
      expect({ status: outside.statusCode, body: outside.json() }).toEqual({ status: 404, body: absent.json() });
    });
  }
});
