import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { insertExpert } from '../helpers/fixtures.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
/** 四川省经济和信息化厅: a province-level department (省直部门) */
let provinceDept: number;
let provinceBureau: number;
let cityDept: number;

/** A committee organised by the province department, issued and filed by `registrarUnitId`. */
function deptCommittee(overrides: Record<string, unknown> = {}) {
  return {
    name: '四川省经济和信息化厅工程技术系列中级职称评审委员会',
    officeAgency: '四川省经济和信息化厅',
    office: '四川省经济和信息化厅职称办',
    reviewType: 'evaluation',
    levels: ['intermediate', 'junior'],
    issuerUnitId: provinceDept,
    registrarUnitId: provinceDept,
    contactName: '李老师',
    contactPhone: '028-86000009',
    address: '成都市青羊区东城根上街 2 号',
    internal: false,
    allowedNatures: [],
    buildBy: 'series',
    series: 'engineering',
    specialties: [],
    reviewRegions: ['510000'],
    funded: false,
    termYears: 3,
    ...overrides,
  };
}

const create = (body: Record<string, unknown>) => t.request('POST', '/api/committees', { user: 'sjx_pw', body });

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const k = db.knex;
  const province = await k('units').where({ unit_type: 'hr_bureau', admin_level: 'province' }).first();
  provinceBureau = Number(province.id);
  cityDept = Number((await k('units').where({ name: '成都市经济和信息化局' }).first()).id);
  const [dept] = await k('units').insert({ parent_id: province.id, name: '四川省经济和信息化厅', unit_type: 'department', admin_level: 'province', region_code: '510000', nature: 'agency', path: '/' }).returning('*');
  await k('units').where({ id: dept.id }).update({ path: `${province.path}${dept.id}/` });
  provinceDept = Number(dept.id);
  const hash = await hashPassword(DEMO_PASSWORD);
  await k('users').insert([
    { username: 'sjx_pw', password_hash: hash, display_name: '经信厅评委会经办人', unit_id: dept.id, roles: ['committee_clerk'] },
    { username: 'sjx_hr', password_hash: hash, display_name: '经信厅经办人', unit_id: dept.id, roles: ['department_clerk'] },
  ]);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('省直部门 as a committee’s 备案单位 (manual 【备案单位】)', () => {
  it('takes a province-level department as 备案单位 of an intermediate and junior committee in its scope', async () => {
    // when the department's committee office names the department itself as 备案单位
    const ok = await create(deptCommittee());
    // then the committee is created with it
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ registrarUnitId: provinceDept, registrarName: '四川省经济和信息化厅' });
  });

  it('refuses it for a senior committee: 省人社厅 files those', async () => {
    const senior = await create(deptCommittee({ name: '四川省经济和信息化厅工程技术系列高级职称评审委员会', levels: ['senior_deputy'] }));
    expect(senior.statusCode).toBe(400);
    expect(senior.json().details).toEqual([expect.objectContaining({ field: 'registrarUnitId', message: expect.stringContaining('高级职称评委会应向省人社厅备案') })]);
    // the province bureau may file it
    const filedWithBureau = await create(deptCommittee({ name: '四川省经济和信息化厅工程技术系列高级职称评审委员会', levels: ['senior_deputy'], registrarUnitId: provinceBureau }));
    expect(filedWithBureau.statusCode, filedWithBureau.body).toBe(201);
  });

  it('refuses a department below the province and a department outside the organiser’s line', async () => {
    const cityLevel = await create(deptCommittee({ name: '四川省经济和信息化厅经济系列中级职称评审委员会', series: 'economics', registrarUnitId: cityDept }));
    expect(cityLevel.statusCode).toBe(400);
    expect(cityLevel.json().details).toEqual([expect.objectContaining({ field: 'registrarUnitId', message: '备案批复单位应为人社部门或省直部门' })]);
  });

  it('runs the filing with the department as issuer and registrar, and the committee is filed', async () => {
    // given the department's committee with an expert
    const id = (await create(deptCommittee({ name: '四川省经济和信息化厅会计系列中级职称评审委员会', series: 'accounting' }))).json().id as number;
    await insertExpert(db.knex, id, undefined, t.clock.now());
    const started = await t.request('POST', `/api/committees/${id}/filings`, { user: 'sjx_pw' });
    expect(started.statusCode, started.body).toBe(201);
    const { instanceId, taskId } = started.json() as { instanceId: string; taskId: string };
    await completeOk(t, 'sjx_pw', taskId, 'submit', undefined, { requestFiles: [await uploadPdf(t, 'sjx_pw')] });

    // when the department's clerk passes it as 授权管理单位 and then as 备案单位
    const issuer = await taskOf(t, 'sjx_hr', instanceId);
    expect(issuer.name).toContain('授权管理单位');
    await completeOk(t, 'sjx_hr', issuer.id, 'pass', '同意');
    const registrar = await taskOf(t, 'sjx_hr', instanceId);
    expect(registrar.name).toContain('备案单位');
    await completeOk(t, 'sjx_hr', registrar.id, 'pass', '同意备案');

    // then the committee is filed
    const detail = (await t.request('GET', `/api/committees/${id}`, { user: 'sjx_pw' })).json();
    expect(detail).toMatchObject({ filingStatus: 'filed' });
  });
});
