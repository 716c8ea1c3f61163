import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, lockWaitOf } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { monthsBefore } from '../../api/modules/staff/inactivity.job.ts';
import { hashPassword } from '../../api/src/passwords.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('staff and roles (工作人员管理, 角色管理)', () => {
  it('composes a unit role from the catalogue the unit type allows and gives it to new staff', async () => {
    // given the catalogue the employer may grant
    const catalogue = (await t.request('GET', '/api/permissions', { user: 'kj_hr' })).json() as Array<{ id: string }>;
    expect(catalogue.map((p) => p.id)).toEqual(expect.arrayContaining(['dossier.review.own', 'staff.manage', 'review_levels.manage']));
    expect(catalogue.map((p) => p.id)).not.toContain('process.manage');
    expect(catalogue.map((p) => p.id)).not.toContain('routing.manage');
    expect(catalogue.map((p) => p.id)).not.toContain('dossier.apply');

    // when the super admin makes a role and an account with it
    const refused = await t.request('POST', '/api/roles', { user: 'kj_hr', body: { name: '系统管理', permissions: ['process.manage'] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('流程管理');
    const role = await t.request('POST', '/api/roles', { user: 'kj_hr', body: { name: '初审员', description: '只审核申报材料', permissions: ['dossier.review.own'] } });
    expect(role.statusCode, role.body).toBe(201);
    const roleKey = role.json().id as string;
    expect((await t.request('POST', '/api/roles', { user: 'kj_hr', body: { name: '初审员', permissions: ['dossier.review.own'] } })).statusCode).toBe(409);
    const created = await t.request('POST', '/api/staff', { user: 'kj_hr', body: { username: 'kj_reviewer', displayName: '初审员甲', phone: '13900000011', roles: [roleKey] } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().staff.roleNames).toEqual(['初审员']);
    // a role of another unit type, or of another unit, cannot be given
    expect((await t.request('POST', '/api/staff', { user: 'kj_hr', body: { username: 'kj_x', displayName: '某某', roles: ['hr_clerk'] } })).statusCode).toBe(400);
    const otherRole = await t.request('POST', '/api/roles', { user: 'cd_jxj', body: { name: '部门角色', permissions: ['dossier.review.own'] } });
    expect((await t.request('POST', '/api/staff', { user: 'kj_hr', body: { username: 'kj_y', displayName: '某某', roles: [otherRole.json().id] } })).statusCode).toBe(400);

    // then the new clerk can do what the role allows after replacing the initial password
    const first = await login('kj_reviewer', created.json().initialPassword);
    expect(first.json().user.mustChangePassword).toBe(true);
    const changed = await t.request('POST', '/api/auth/password', { token: first.json().token, body: { oldPassword: created.json().initialPassword, newPassword: 'Review#2026x' } });
    const token = changed.json().token as string;
    expect((await t.request('GET', '/api/auth/me', { token })).json().permissions).toEqual(['dossier.review.own']);
    expect((await t.request('GET', '/api/staff', { token })).statusCode).toBe(403);

    // changing the role changes what its holders may do at once
    await t.request('PUT', `/api/roles/${encodeURIComponent(roleKey)}`, { user: 'kj_hr', body: { name: '初审员', permissions: ['dossier.review.own', 'review_levels.manage'] } });
    expect((await t.request('GET', '/api/auth/me', { token })).json().permissions).toEqual(['dossier.review.own', 'review_levels.manage']);
    // a role in use cannot be deleted; built-in roles cannot be touched
    const inUse = await t.request('DELETE', `/api/roles/${encodeURIComponent(roleKey)}`, { user: 'kj_hr' });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().message).toContain('已分配给 1 名工作人员');
    expect((await t.request('PUT', '/api/roles/unit_clerk', { user: 'kj_hr', body: { name: 'x', permissions: ['dossier.review.own'] } })).statusCode).toBe(400);
  });

  it('disables and re-enables staff; a disabled account is refused at once, and a unit keeps one super admin', async () => {
    const reviewer = await db.knex('users').where({ username: 'kj_reviewer' }).first();
    const token = (await login('kj_reviewer', 'Review#2026x')).json().token as string;
    expect((await t.request('POST', `/api/staff/${reviewer.id}/disable`, { user: 'kj_hr' })).json()).toMatchObject({ status: 'disabled', disabledReasonName: '管理员停用' });
    const after = await t.request('GET', '/api/tasks', { token });
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toContain('停用');
    const again = await login('kj_reviewer', 'Review#2026x');
    expect(again.statusCode).toBe(403);
    expect(again.json().message).toContain('超级管理员');
    expect((await t.request('POST', `/api/staff/${reviewer.id}/enable`, { user: 'kj_hr' })).json().status).toBe('active');

    const me = await db.knex('users').where({ username: 'kj_hr' }).first();
    expect((await t.request('POST', `/api/staff/${me.id}/disable`, { user: 'kj_hr' })).statusCode).toBe(409);
    // nobody changes their own roles
    const self = await t.request('PUT', `/api/staff/${me.id}`, { user: 'kj_hr', body: { displayName: '示范科技经办人', roles: ['unit_clerk'], version: Number(me.version) } });
    expect(self.statusCode).toBe(403);
    expect(self.json().message).toContain('不能修改自己的角色');
    // and the unit above cannot take the last super admin away either
    const demote = await t.request('PUT', `/api/staff/${me.id}`, { user: 'cd_jxj', body: { displayName: '示范科技经办人', roles: ['unit_clerk'], version: Number(me.version) } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().message).toContain('唯一的超级管理员');
    // a stale edit loses
    const stale = await t.request('PUT', `/api/staff/${reviewer.id}`, { user: 'kj_hr', body: { displayName: '初审员乙', roles: [(reviewer.roles as string[])[0]], version: 1 } });
    expect(stale.statusCode).toBe(409);
  });

  it('resets a password to a new initial one that must be changed', async () => {
    const reviewer = await db.knex('users').where({ username: 'kj_reviewer' }).first();
    const reset = await t.request('POST', `/api/staff/${reviewer.id}/reset-password`, { user: 'kj_hr' });
    expect(reset.statusCode).toBe(200);
    expect((await login('kj_reviewer', 'Review#2026x')).statusCode).toBe(401);
    const fresh = await login('kj_reviewer', reset.json().initialPassword);
    expect(fresh.json().user.mustChangePassword).toBe(true);
  });

  it('answers a disable that another one overtook with 409, and records it once', async () => {
    // given an active clerk, and another administrator's disable that has taken the account but not yet committed
    const created = await t.request('POST', '/api/staff', { user: 'kj_hr', body: { username: 'kj_twice', displayName: '停用两次', roles: ['unit_clerk'] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { staff: { id: number } }).staff.id;
    const other = await db.knex.transaction();
    try {
      await other('users').where({ id }).update({ status: 'disabled', disabled_reason: 'by_admin' });

      // when the super admin disables it meanwhile, and the other disable commits
      const disabling = t.request('POST', `/api/staff/${id}/disable`, { user: 'kj_hr' });
      await lockWaitOf(db.knex, 'update "users"%');
      await other.commit();
      const res = await disabling;

      // then the later one is refused and leaves no audit entry of its own
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().message).toBe('该账号已停用');
    } finally {
      if (!other.isCompleted()) await other.rollback();
    }
    expect(await db.knex('audit_events').where({ action: 'user.disable', target_id: String(id) })).toHaveLength(0);
  });

  it('answers a role deletion that another one overtook with 409, and records it once', async () => {
    // given an unassigned role, and another administrator's deletion of it that has not yet committed
    const created = await t.request('POST', '/api/roles', { user: 'kj_hr', body: { name: '临时角色', permissions: ['dossier.review.own'] } });
    expect(created.statusCode, created.body).toBe(201);
    const key = (created.json() as { id: string }).id;
    const id = Number(key.slice('role:'.length));
    const other = await db.knex.transaction();
    try {
      await other('roles').where({ id }).delete();

      // when the super admin deletes it meanwhile, and the other deletion commits
      const deleting = t.request('DELETE', `/api/roles/${encodeURIComponent(key)}`, { user: 'kj_hr' });
      await lockWaitOf(db.knex, 'delete from "roles"%');
      await other.commit();
      const res = await deleting;

      // then the later one is refused and leaves no audit entry
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().message).toBe('角色已被删除，请刷新后重试');
    } finally {
      if (!other.isCompleted()) await other.rollback();
    }
    expect(await db.knex('audit_events').where({ action: 'role.delete', target_id: String(id) })).toHaveLength(0);
  });

  it('answers a password change that another one overtook with 409, and keeps the other', async () => {
    // given a signed-in clerk, and a change of their password elsewhere that has not yet committed
    const created = await t.request('POST', '/api/staff', { user: 'kj_hr', body: { username: 'kj_pw', displayName: '改密码', roles: ['unit_clerk'] } });
    expect(created.statusCode, created.body).toBe(201);
    const { staff, initialPassword } = created.json() as { staff: { id: number }; initialPassword: string };
    const token = (await login('kj_pw', initialPassword)).json().token as string;
    const elsewhere = await db.knex.transaction();
    try {
      await elsewhere('users').where({ id: staff.id }).update({ password_hash: await hashPassword('Elsewhere#2026') });

      // when the clerk changes it with the old password meanwhile, and the other change commits
      const changing = t.request('POST', '/api/auth/password', { token, body: { oldPassword: initialPassword, newPassword: 'Mine#2026xyz' } });
      await lockWaitOf(db.knex, 'update "users"%');
      await elsewhere.commit();
      const res = await changing;

      // then the later change is refused, and the password set elsewhere holds
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().message).toBe('密码已被修改，请使用新密码重新登录');
    } finally {
      if (!elsewhere.isCompleted()) await elsewhere.rollback();
    }
    expect((await login('kj_pw', 'Mine#2026xyz')).statusCode).toBe(401);
    expect((await login('kj_pw', 'Elsewhere#2026')).statusCode).toBe(200);
  });
});

describe('privilege boundaries', () => {
  it('keeps a staff manager from promoting anyone, themselves included, or taking over a super admin', async () => {
    // given a clerk whose own role only manages staff, and another whose role only manages roles
    const kj = await t.token('kj_hr');
    const staffRole = (await t.request('POST', '/api/roles', { token: kj, body: { name: '人事管理', permissions: ['staff.manage'] } })).json().id as string;
    const roleRole = (await t.request('POST', '/api/roles', { token: kj, body: { name: '角色维护', permissions: ['role.manage'] } })).json().id as string;
    const hash = (await db.knex('users').where({ username: 'kj_hr' }).first()).password_hash;
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
    await db.knex('users').insert([
      { username: 'kj_mgr', password_hash: hash, display_name: '人事专员', unit_id: employer.id, roles: [staffRole], created_at: t.clock.now() },
      { username: 'kj_roles', password_hash: hash, display_name: '角色专员', unit_id: employer.id, roles: [roleRole], created_at: t.clock.now() },
    ]);
    const mgr = await db.knex('users').where({ username: 'kj_mgr' }).first();
    const admin = await db.knex('users').where({ username: 'kj_hr' }).first();

    // then it may not give itself more, nor give 单位超级管理员 or roles with permissions it lacks
    const self = await t.request('PUT', `/api/staff/${mgr.id}`, { user: 'kj_mgr', body: { displayName: '人事专员', roles: [staffRole, 'unit_admin'], version: Number(mgr.version) } });
    expect(self.statusCode).toBe(403);
    expect((await t.request('POST', '/api/staff', { user: 'kj_mgr', body: { username: 'kj_sock', displayName: '马甲', roles: ['unit_admin'] } })).statusCode).toBe(403);
    const beyond = await t.request('POST', '/api/staff', { user: 'kj_mgr', body: { username: 'kj_sock', displayName: '马甲', roles: ['unit_clerk'] } });
    expect(beyond.statusCode).toBe(403);
    expect(beyond.json().message).toContain('只能授予自己拥有的权限');
    // nor reset, disable or edit the super admin's account
    expect((await t.request('POST', `/api/staff/${admin.id}/reset-password`, { user: 'kj_mgr' })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/staff/${admin.id}/disable`, { user: 'kj_mgr' })).statusCode).toBe(403);
    // but it manages the ordinary staff it may
    expect((await t.request('POST', '/api/staff', { user: 'kj_mgr', body: { username: 'kj_helper', displayName: '助理', roles: [staffRole] } })).statusCode).toBe(201);

    // a role manager composes only what it holds, and cannot widen its own role
    const wider = await t.request('POST', '/api/roles', { user: 'kj_roles', body: { name: '大权限', permissions: ['staff.manage'] } });
    expect(wider.statusCode).toBe(403);
    const own = await t.request('PUT', `/api/roles/${encodeURIComponent(roleRole)}`, { user: 'kj_roles', body: { name: '角色维护', permissions: ['role.manage', 'staff.manage'] } });
    expect(own.statusCode).toBe(403);
    expect((await t.request('GET', '/api/auth/me', { user: 'kj_roles' })).json().permissions).toEqual(['role.manage']);
  });

  it('puts only staff on review posts, never an applicant', async () => {
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
    const applicant = await db.knex('users').where({ username: 'zhangwei' }).first();
    const res = await t.request('PUT', '/api/review-levels', { user: 'kj_hr', body: { unitId: Number(employer.id), matterType: 'dossier_review', posts: [{ name: '初审岗', userIds: [Number(applicant.id)] }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('“张伟”是申报人，不能担任审核岗位');
  });

  it('answers a malformed id in a list filter with 400, not a crash', async () => {
    for (const url of ['/api/units', '/api/staff', '/api/subordinate-units', '/api/applicants']) {
      const field = url === '/api/units' || url === '/api/subordinate-units' ? 'parentId' : 'unitId';
      const res = await t.request('GET', `${url}?filter=${encodeURIComponent(JSON.stringify({ [field]: 'x' }))}`, { user: 'kj_hr' });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().message, url).toContain('应为编号');
    }
  });
});

describe('applicant accounts (申报人)', () => {
  it('registers with a checked ID number, one account per number, and logs in with it', async () => {
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
    const body = { displayName: '周杰', idNumber: '51130219780101101x', phone: '13900000021', password: 'Zhou#2026a', employerId: Number(employer.id) };
    const bad = await t.request('POST', '/api/applicants/register', { body: { ...body, idNumber: '511302197801011011' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ field: 'body.idNumber', message: '身份证号码：校验码错误' });
    const registering = await db.knex('units').insert({ name: '未审核单位', unit_type: 'employer', path: '/', status: 'registering' }).returning('id');
    const notApproved = await t.request('POST', '/api/applicants/register', { body: { ...body, employerId: Number(registering[0].id) } });
    expect(notApproved.statusCode).toBe(400);
    expect(notApproved.json().details[0].field).toBe('employerId');

    const ok = await t.request('POST', '/api/applicants/register', { body });
    expect(ok.statusCode, ok.body).toBe(201);
    // the login name is the system's (`sq` + id), never the ID number: they sign in with the number
    expect(ok.json().username).toMatch(/^sq\d{8}$/);
    const dup = await t.request('POST', '/api/applicants/register', { body: { ...body, displayName: '周杰二' } });
    expect(dup.statusCode).toBe(409);
    const logged = await login('51130219780101101x', 'Zhou#2026a');
    expect(logged.statusCode).toBe(200);
    expect(logged.json().user).toMatchObject({ isApplicant: true, permissions: ['dossier.apply'], mustChangePassword: false });
  });

  it('lets an employer open accounts for its staff who apply, listed with birth date and sex from the ID number', async () => {
    const created = await t.request('POST', '/api/applicants', { user: 'kj_hr', body: { displayName: '吴敏', idNumber: '511302197801011060', phone: '13900000022' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().applicant).toMatchObject({ login: '身份证号登录（511302197801011060）', birthDate: '1978-01-01', sex: '女', mustChangePassword: true });
    expect(created.json().applicant.username).toMatch(/^sq\d{8}$/);
    const list = (await t.request('GET', '/api/applicants', { user: 'kj_hr' })).json() as Array<{ displayName: string }>;
    expect(list.map((a) => a.displayName)).toEqual(expect.arrayContaining(['张伟', '李娜', '周杰', '吴敏']));
    // the department above sees them, a unit beside it does not
    expect((await t.request('GET', '/api/applicants', { user: 'cd_jxj' })).json().length).toBeGreaterThanOrEqual(4);
    expect((await t.request('GET', '/api/applicants', { user: 'jj_hr' })).json()).toEqual([]);
  });
});

describe('accounts unused for three months (川人社函〔2024〕586号)', () => {
  it('disables city and county HR accounts only, tells the user why, and lets the city bureau re-enable them', async () => {
    // given everyone logged in on the clock's day, and one county clerk 3 months and a day ago
    const now = t.clock.now();
    await db.knex('users').update({ last_login_at: now });
    await db.knex('users').where({ username: 'jj_hr' }).update({ last_login_at: new Date(monthsBefore(now, 3).getTime() - 24 * 3600 * 1000) });
    await db.knex('users').where({ username: 'sc_hr' }).update({ last_login_at: monthsBefore(now, 6) });
    await db.knex('users').where({ username: 'kj_hr' }).update({ last_login_at: monthsBefore(now, 6) });
    await db.knex('users').where({ username: 'cd_pw' }).update({ last_login_at: monthsBefore(now, 3) });

    // when the daily job runs
    const disabled = (await t.app.scheduler.runJob('disable-inactive-accounts')) as number[];

    // then only the county bureau's clerk is disabled: not the province (the notice names city and
    // county bureaus), not an employer, not one exactly at the 3-month mark
    const jj = await db.knex('users').where({ username: 'jj_hr' }).first();
    expect(disabled).toEqual([Number(jj.id)]);
    expect(jj).toMatchObject({ status: 'disabled', disabled_reason: 'inactive' });
    const refused = await login('jj_hr', 'Zcps@2026');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('账号超过 3 个月未登录已被停用，请联系所在市（州）人社局解禁');
    expect(await t.app.scheduler.runJob('disable-inactive-accounts')).toEqual([]);

    // the county cannot re-enable itself, and to an employer's clerk the account does not exist; the city bureau sees it in 账号解禁 and can
    expect((await t.request('POST', `/api/staff/${jj.id}/enable`, { user: 'kj_hr' })).statusCode).toBe(404);
    const locked = (await t.request('GET', '/api/locked-accounts', { user: 'cd_hr' })).json() as Array<{ username: string }>;
    expect(locked.map((a) => a.username)).toEqual(['jj_hr']);
    expect((await t.request('GET', '/api/locked-accounts', { user: 'kj_hr' })).statusCode).toBe(403);
    const enabled = await t.request('POST', `/api/staff/${jj.id}/enable`, { user: 'cd_hr' });
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect((await login('jj_hr', 'Zcps@2026')).statusCode).toBe(200);
    // re-enabling counts like a login: the next night's run leaves the account alone
    await db.knex('users').where({ id: jj.id }).update({ last_login_at: monthsBefore(now, 4) });
    t.clock.advanceDays(1);
    const nextNight = (await t.app.scheduler.runJob('disable-inactive-accounts')) as number[];
    expect(nextNight).not.toContain(Number(jj.id));
    // (while the clerk left at exactly 3 months yesterday is now past it)
    expect(nextNight).toEqual([Number((await db.knex('users').where({ username: 'cd_pw' }).first()).id)]);
    expect((await db.knex('audit_events').where({ action: 'user.disable_inactive', target_id: String(jj.id) })).length).toBe(1);
  });

  it('counts calendar months, clamping to the end of a shorter month', () => {
    expect(monthsBefore(new Date('2026-05-31T02:00:00Z'), 3).toISOString()).toBe('2026-02-28T02:00:00.000Z');
    expect(monthsBefore(new Date('2026-03-02T01:00:00Z'), 3).toISOString()).toBe('2025-12-02T01:00:00.000Z');
  });
});
