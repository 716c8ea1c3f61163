import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, inbox, taskOf } from '../helpers/flow.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let ids: Record<string, number>;

// credit codes valid under GB 32100 (check characters computed independently)
const CODES = { newEmployer: '91510100MA6CN4T050', other: '9151010000000000G0' };

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const units = await db.knex('units').select('id', 'name');
  const by = (name: string) => Number(units.find((u: { name: string }) => u.name === name)!.id);
  ids = {
    province: by('四川省人力资源和社会保障厅'),
    city: by('成都市人力资源和社会保障局'),
    department: by('成都市经济和信息化局'),
    employer: by('成都示范科技有限公司'),
  };
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

async function login(username: string, password: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  return res;
}

async function tokenOf(username: string, password: string): Promise<string> {
  const res = await login(username, password);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token as string;
}

async function upload(token: string, name: string) {
  const boundary = '----zcpsOrg';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`),
    Buffer.from('%PDF-1.4 营业执照'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json()[0] as { id: string; name: string; size: number; mime: string };
}

const registration = (overrides: { unit?: Record<string, unknown>; admin?: Record<string, unknown> } = {}) => ({
  unit: { creditCode: CODES.newEmployer, name: '成都新材料科技有限公司', nature: 'enterprise', unitType: 'employer', regionCode: '510104', phone: '028-85550000', parentId: ids.department, ...overrides.unit },
  admin: { username: 'xcl_admin', displayName: '新材料经办人', idNumber: '510107198506121050', phone: '13900000001', password: 'Xcl#2026pass', ...overrides.admin },
});

describe('self-registration (单位注册 → 用户权限申请 → 下级单位注册审核)', () => {
  it('refuses bad identifiers naming the field and the reason, and duplicates with 409', async () => {
    // given a code with a wrong check character
    const badCode = await t.request('POST', '/api/registrations', { body: registration({ unit: { creditCode: '91510100MA6CN4T051' } }) });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.unit.creditCode', message: expect.stringContaining('校验码错误') })]));
    const badId = await t.request('POST', '/api/registrations', { body: registration({ admin: { idNumber: '510107198502301050' } }) });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().message).toContain('出生日期无效');
    const weak = await t.request('POST', '/api/registrations', { body: registration({ admin: { password: 'abcdefgh' } }) });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().details[0].field).toBe('password');
    // an existing unit's code
    const taken = await t.request('POST', '/api/registrations', { body: registration({ unit: { creditCode: '91510100MA6CN4T04W' } }) });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toContain('已被其他单位使用');
    // a county region under a department whose business sits in the city is fine; one outside Chengdu is not
    const outside = await t.request('POST', '/api/registrations', { body: registration({ unit: { regionCode: '510302' } }) });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().details[0]).toMatchObject({ field: 'regionCode' });
    expect(await db.knex('units').where({ credit_code: CODES.newEmployer })).toHaveLength(0);
  });

  it('lets a registered unit only complete its information until its parent approves; a return goes back to it', async () => {
    // given a unit that registered under the department
    const created = await t.request('POST', '/api/registrations', { body: registration() });
    expect(created.statusCode, created.body).toBe(201);
    const unitId = created.json().unitId as number;
    expect(await db.knex('units').where({ id: unitId }).first()).toMatchObject({ status: 'registering', parent_id: null });
    const token = await tokenOf('xcl_admin', 'Xcl#2026pass');
    const me = await t.request('GET', '/api/auth/me', { token });
    expect(me.json()).toMatchObject({ unitStatus: 'registering', permissions: ['unit.profile'] });
    expect((await t.request('GET', '/api/staff', { token })).statusCode).toBe(403);
    expect((await t.request('POST', '/api/applicants', { token, body: { displayName: '某某', idNumber: '11010519491231002X', phone: '13900000009' } })).statusCode).toBe(403);

    // when it completes 用户权限申请 (prefilled with what it registered) and submits
    const [apply] = (await t.request('GET', '/api/tasks', { token })).json() as Array<{ id: string; name: string }>;
    expect(apply!.name).toBe('用户权限申请：成都新材料科技有限公司');
    const detail = (await t.request('GET', `/api/tasks/${apply!.id}`, { token })).json();
    expect(detail.initialData).toMatchObject({ creditCode: CODES.newEmployer, parentId: ids.department, regionCode: '510104' });
    const licence = await upload(token, '营业执照.pdf');
    const data = { ...detail.initialData, legalRepName: '赵建', legalRepIdNumber: '11010519491231002X', licence: [licence] };
    const missing = await t.request('POST', `/api/tasks/${apply!.id}/complete`, { token, body: { action: 'submit', data: { ...data, licence: [] } } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain('营业执照或法人证书');
    const submitted = await t.request('POST', `/api/tasks/${apply!.id}/complete`, { token, body: { action: 'submit', data } });
    expect(submitted.statusCode, submitted.body).toBe(200);

    // then the department reviews it and returns it with an opinion
    const review = await taskOf(t, 'cd_jxj', created.json().instanceId ?? (await rootOf(unitId)), 'parent_review');
    expect(review.name).toBe('下级单位注册审核：成都新材料科技有限公司');
    // another unit's reviewer does not see it
    expect((await inbox(t, 'cd_hr')).some((i) => i.id === review.id)).toBe(false);
    const noOpinion = await t.request('POST', `/api/tasks/${review.id}/complete`, { user: 'cd_jxj', body: { action: 'return' } });
    expect(noOpinion.statusCode).toBe(400);
    await completeOk(t, 'cd_jxj', review.id, 'return', '营业执照不清晰，请重新上传');
    const [again] = (await t.request('GET', '/api/tasks', { token })).json() as Array<{ id: string }>;
    const againDetail = (await t.request('GET', `/api/tasks/${again!.id}`, { token })).json();
    expect(againDetail.initialData).toMatchObject({ legalRepName: '赵建' });
    expect(againDetail.history.map((h: { opinion: string | null }) => h.opinion)).toContain('营业执照不清晰，请重新上传');
    // a self-registration cannot be withdrawn
    const withdraw = await t.request('POST', `/api/tasks/${again!.id}/complete`, { token, body: { action: 'withdraw', data: againDetail.initialData } });
    expect(withdraw.statusCode).toBe(400);
    await t.request('POST', `/api/tasks/${again!.id}/complete`, { token, body: { action: 'submit', data: { ...againDetail.initialData, licence: [await upload(token, '营业执照-清晰.pdf')] } } });

    // and approves the resubmission
    const second = (await inbox(t, 'cd_jxj')).find((i) => i.summary?.unitId === unitId)!;
    await completeOk(t, 'cd_jxj', second.id, 'pass', '同意');
    const unit = await db.knex('units').where({ id: unitId }).first();
    const parent = await db.knex('units').where({ id: ids.department }).first();
    expect(unit).toMatchObject({ status: 'active', parent_id: ids.department, pending_parent_id: null, legal_rep_name: '赵建' });
    expect(unit.path).toBe(`${parent.path}${unitId}/`);
    t.app.principals.invalidate();
    const now = await t.request('GET', '/api/auth/me', { token });
    expect(now.json().permissions).toEqual(expect.arrayContaining(['staff.manage', 'unit.subordinates', 'applicant.manage']));
    expect((await t.request('GET', '/api/staff', { token })).statusCode).toBe(200);
  });
});

async function rootOf(unitId: number): Promise<string> {
  const row = await db.knex('units').where({ id: unitId }).first();
  return String(row.registration_instance_id);
}

describe('refusing a registration (不予通过)', () => {
  it('ends a registration made with another organisation’s code, disables it and frees the code', async () => {
    // given someone who registered with a code that is not theirs
    const squatter = await t.request('POST', '/api/registrations', {
      body: registration({ unit: { creditCode: CODES.other, name: '冒名单位' }, admin: { username: 'squatter', idNumber: '51068119991231104X', password: 'Squat#2026x' } }),
    });
    expect(squatter.statusCode, squatter.body).toBe(201);
    const unitId = squatter.json().unitId as number;
    const token = await tokenOf('squatter', 'Squat#2026x');
    const [apply] = (await t.request('GET', '/api/tasks', { token })).json() as Array<{ id: string }>;
    const detail = (await t.request('GET', `/api/tasks/${apply!.id}`, { token })).json();
    await t.request('POST', `/api/tasks/${apply!.id}/complete`, {
      token,
      body: { action: 'submit', data: { ...detail.initialData, legalRepName: '某某', legalRepIdNumber: '11010519491231002X', licence: [await upload(token, '假执照.pdf')] } },
    });
    // the real organisation cannot register meanwhile
    expect((await t.request('POST', '/api/registrations', { body: registration({ unit: { creditCode: CODES.other, name: '真正的单位' }, admin: { username: 'real_admin', idNumber: '510681199912311090' } }) })).statusCode).toBe(409);

    // when the parent refuses it
    const review = (await inbox(t, 'cd_jxj')).find((i) => i.summary?.unitId === unitId)!;
    expect((await t.request('POST', `/api/tasks/${review.id}/complete`, { user: 'cd_jxj', body: { action: 'reject' } })).statusCode).toBe(400);
    await completeOk(t, 'cd_jxj', review.id, 'reject', '信用代码与营业执照不符');

    // then the unit and its account are out, and the code is free for its owner
    expect(await db.knex('units').where({ id: unitId }).first()).toMatchObject({ status: 'inactive', credit_code: null, deactivated_reason: '注册未通过审核：信用代码与营业执照不符' });
    expect((await login('squatter', 'Squat#2026x')).statusCode).toBe(403);
    const real = await t.request('POST', '/api/registrations', { body: registration({ unit: { creditCode: CODES.other, name: '真正的单位' }, admin: { username: 'real_admin', idNumber: '510681199912311090' } }) });
    expect(real.statusCode, real.body).toBe(201);
  });
});

describe('changing the parent (变更上级单位)', () => {
  it('keeps the unit under its old parent until the new one approves, then moves it with everything below', async () => {
    // given the employer, with a sub-unit of its own
    const kj = await t.token('kj_hr');
    const sub = await t.request('POST', '/api/subordinate-units', {
      token: kj,
      body: {
        unit: { deriveCreditCode: true, name: '成都示范科技有限公司研发中心', nature: 'enterprise', unitType: 'employer', regionCode: '510100', phone: '028-85000001' },
        admin: { username: 'kj_rd', displayName: '研发中心经办人', phone: '13900000002' },
      },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const subId = sub.json().unit.id as number;

    // when it asks to move under the city HR bureau
    const asked = await t.request('POST', '/api/my-unit/parent-change', { token: kj, body: { parentId: ids.city } });
    expect(asked.statusCode, asked.body).toBe(201);
    const twice = await t.request('POST', '/api/my-unit/parent-change', { token: kj, body: { parentId: ids.city } });
    expect(twice.statusCode).toBe(409);

    // then until approval it stays where it was
    expect(await db.knex('units').where({ id: ids.employer }).first()).toMatchObject({ parent_id: ids.department, pending_parent_id: ids.city });
    expect((await t.request('GET', `/api/subordinate-units/${ids.employer}`, { user: 'cd_jxj' })).statusCode).toBe(200);
    const review = (await inbox(t, 'cd_hr')).find((i) => i.summary?.unitId === ids.employer)!;
    expect(review.name).toBe('变更上级单位审核：成都示范科技有限公司');
    // the bureau may read the unit it is asked to take in
    expect((await t.request('GET', `/api/subordinate-units/${ids.employer}`, { user: 'cd_hr' })).json()).toMatchObject({ pendingParentName: '成都市人力资源和社会保障局' });
    await completeOk(t, 'cd_hr', review.id, 'pass');

    // and after it, the unit and its sub-unit sit under the bureau; the department no longer reaches them
    const city = await db.knex('units').where({ id: ids.city }).first();
    expect(await db.knex('units').where({ id: ids.employer }).first()).toMatchObject({ parent_id: ids.city, pending_parent_id: null, path: `${city.path}${ids.employer}/` });
    expect((await db.knex('units').where({ id: subId }).first()).path).toBe(`${city.path}${ids.employer}/${subId}/`);
    expect((await t.request('GET', `/api/subordinate-units/${ids.employer}`, { user: 'cd_jxj' })).statusCode).toBe(404);

    // a change can also be withdrawn, and nothing moves
    await t.request('POST', '/api/my-unit/parent-change', { token: kj, body: { parentId: ids.department } });
    const [apply] = (await inbox(t, 'cd_jxj')).filter((i) => i.summary?.unitId === ids.employer);
    expect(apply).toBeDefined();
    await completeOk(t, 'cd_jxj', apply!.id, 'return', '请先与原主管部门确认');
    const mine = (await inbox(t, 'kj_hr')).find((i) => i.elementId === 'apply')!;
    await completeOk(t, 'kj_hr', mine.id, 'withdraw', undefined, (await t.request('GET', `/api/tasks/${mine.id}`, { user: 'kj_hr' })).json().initialData);
    expect(await db.knex('units').where({ id: ids.employer }).first()).toMatchObject({ parent_id: ids.city, pending_parent_id: null, registration_instance_id: null });

    // a unit cannot change its own type or jurisdiction: those are kept by the unit above
    const own = (await t.request('GET', '/api/my-unit', { token: kj })).json();
    const base = { name: own.name, creditCode: own.creditCode, nature: own.nature, unitType: own.unitType, regionCode: own.regionCode, phone: own.phone, version: own.version };
    const typed = await t.request('PUT', '/api/my-unit', { token: kj, body: { ...base, unitType: 'hr_bureau' } });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().details[0]).toMatchObject({ field: 'unitType' });
    expect((await t.request('PUT', '/api/my-unit', { token: kj, body: { ...base, regionCode: '510104' } })).statusCode).toBe(400);
    expect((await t.request('PUT', '/api/my-unit', { token: kj, body: { ...base, address: '新地址' } })).statusCode).toBe(200);

    // a unit cannot go under one of its own sub-units
    const loop = await t.request('POST', '/api/my-unit/parent-change', { token: kj, body: { parentId: subId } });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().message).toContain('下级单位');
  });
});

describe('an HR bureau changing its parent', () => {
  it('resubmits after a return and moves on approval', async () => {
    // given the county bureau asking to report directly to the province
    const county = await db.knex('units').where({ name: '成都市锦江区人力资源和社会保障局' }).first();
    const asked = await t.request('POST', '/api/my-unit/parent-change', { user: 'jj_hr', body: { parentId: ids.province } });
    expect(asked.statusCode, asked.body).toBe(201);
    const review = (await inbox(t, 'admin')).find((i) => i.summary?.unitId === Number(county.id))!;
    await completeOk(t, 'admin', review.id, 'return', '请先说明理由');
    // when it resubmits (as an HR bureau; its type and region cannot change here)
    const apply = (await inbox(t, 'jj_hr')).find((i) => i.elementId === 'apply')!;
    const data = (await t.request('GET', `/api/tasks/${apply.id}`, { user: 'jj_hr' })).json().initialData;
    expect(data).toMatchObject({ unitType: 'hr_bureau', regionCode: '510104', parentId: ids.province });
    const moved = await t.request('POST', `/api/tasks/${apply.id}/complete`, { user: 'jj_hr', body: { action: 'submit', data: { ...data, regionCode: '510105' } } });
    expect(moved.statusCode).toBe(400);
    expect((await t.request('POST', `/api/tasks/${apply.id}/complete`, { user: 'jj_hr', body: { action: 'submit', data } })).statusCode).toBe(200);
    // then the province approves and the bureau sits under it
    const again = (await inbox(t, 'admin')).find((i) => i.summary?.unitId === Number(county.id))!;
    await completeOk(t, 'admin', again.id, 'pass');
    expect((await db.knex('units').where({ id: county.id }).first()).parent_id).toBe(ids.province);
  });
});

describe('top-down creation (新增下级单位)', () => {
  it('creates a unit with its first clerk, derives codes for sub-units without one, and limits the unit types', async () => {
    const jxj = await t.token('cd_jxj');
    const parent = await db.knex('units').where({ id: ids.department }).first();
    const make = (n: number, unit: Record<string, unknown> = {}) =>
      t.request('POST', '/api/subordinate-units', {
        token: jxj,
        body: {
          unit: { deriveCreditCode: true, name: `经信局下属中心${n}`, nature: 'institution', unitType: 'employer', regionCode: '510100', phone: '028-86000001', ...unit },
          admin: { username: `jxj_sub${n}`, displayName: `下属中心${n}经办人`, phone: '13900000003' },
        },
      });
    const first = await make(1);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().unit.creditCode).toBe(`${parent.credit_code}01`);
    expect(first.json().unit.creditCodeDerived).toBe(true);
    const second = await make(2);
    expect(second.json().unit.creditCode).toBe(`${parent.credit_code}02`);
    const password = first.json().admin.initialPassword as string;
    expect(password).toMatch(/^.{12}$/);
    // a department may not create an HR bureau
    const bureau = await make(3, { unitType: 'hr_bureau' });
    expect(bureau.statusCode).toBe(400);
    expect(bureau.json().details[0]).toMatchObject({ field: 'unitType' });
    // an existing username is a conflict, and nothing half-made stays behind
    const clash = await t.request('POST', '/api/subordinate-units', {
      token: jxj,
      body: { unit: { deriveCreditCode: true, name: '重名测试', nature: 'institution', unitType: 'employer', regionCode: '510100', phone: '028-86000001' }, admin: { username: 'kj_hr', displayName: '重名', phone: '13900000003' } },
    });
    expect(clash.statusCode).toBe(409);
    expect(await db.knex('units').where({ name: '重名测试' })).toHaveLength(0);

    // the first clerk must replace the initial password before anything else
    const token = await tokenOf('jxj_sub1', password);
    const blocked = await t.request('GET', '/api/tasks', { token });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().message).toContain('修改初始密码');
    const weak = await t.request('POST', '/api/auth/password', { token, body: { oldPassword: password, newPassword: 'jxj_sub1A!' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toContain('账号');
    const changed = await t.request('POST', '/api/auth/password', { token, body: { oldPassword: password, newPassword: 'Center#2026a' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().user.mustChangePassword).toBe(false);
    expect((await t.request('GET', '/api/tasks', { token: changed.json().token })).statusCode).toBe(200);
    // the session opened with the old password has ended
    expect((await t.request('GET', '/api/tasks', { token })).statusCode).toBe(401);
    // no answer ever carries a password or its hash
    expect(JSON.stringify((await t.request('GET', `/api/staff?filter=${encodeURIComponent(JSON.stringify({ unitId: first.json().unit.id }))}`, { token: jxj })).json())).not.toMatch(/password_hash|\$argon2|initialPassword/);
  });

  it('never deletes a unit, and deactivates one only when nothing depends on it', async () => {
    const jxj = await t.token('cd_jxj');
    const unit = await db.knex('units').where({ name: '经信局下属中心2' }).first();
    // deleting is refused, with what the unit still has
    const deleted = await t.request('DELETE', `/api/subordinate-units/${unit.id}`, { token: jxj });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().message).toContain('有 1 个工作人员账号');
    expect(deleted.json().message).toContain('只能停用');
    const clerk = await db.knex('users').where({ unit_id: unit.id }).first();
    // the parent may not disable the unit's last super admin alone: the unit goes, with its accounts
    expect((await t.request('POST', `/api/staff/${clerk.id}/disable`, { token: jxj })).statusCode).toBe(409);
    const done = await t.request('POST', `/api/subordinate-units/${unit.id}/deactivate`, { token: jxj, body: { reason: '机构撤销' } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'inactive', deactivatedReason: '机构撤销' });
    expect(await db.knex('users').where({ id: clerk.id }).first()).toMatchObject({ status: 'disabled', disabled_reason: 'unit_inactive' });
    // re-enabling brings the accounts back
    expect((await t.request('POST', `/api/subordinate-units/${unit.id}/activate`, { token: jxj })).statusCode).toBe(200);
    expect((await db.knex('users').where({ id: clerk.id }).first()).status).toBe('active');
    await t.request('POST', `/api/subordinate-units/${unit.id}/deactivate`, { token: jxj, body: { reason: '机构撤销' } });
    expect(await db.knex('units').where({ id: unit.id })).toHaveLength(1);
    expect((await db.knex('audit_events').where({ target_type: 'unit', target_id: String(unit.id), action: 'unit.deactivate' })).length).toBe(2);
    // the department's own subordinate with staff and sub-units cannot be deactivated from above either
    const withChildren = await t.request('POST', `/api/subordinate-units/${ids.employer}/deactivate`, { user: 'cd_hr', body: { reason: '测试' } });
    expect(withChildren.statusCode).toBe(409);
    expect(withChildren.json().message).toContain('下级单位');
  });

  it('exports the subordinate units to a real workbook', async () => {
    const res = await t.request('GET', '/api/subordinate-units/export', { user: 'cd_hr' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('下级单位')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '单位名称', '统一社会信用代码', '单位类型', '上级单位', '职称业务归属地', '联系电话', '状态']);
    const names = sheet.getColumn(1).values.slice(2);
    expect(names).toEqual(expect.arrayContaining(['成都市经济和信息化局', '成都示范科技有限公司', '经信局下属中心1']));
    expect(names).not.toContain('成都市人力资源和社会保障局');
  });
});
