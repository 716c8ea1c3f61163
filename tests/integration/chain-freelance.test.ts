import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { idNumber } from '../helpers/fixtures.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { hashPassword } from '../../api/src/passwords.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let county: { id: number; name: string };
let city: { id: number };

const dossierOf = (instanceId: string) => db.knex('dossiers').where({ instance_id: instanceId }).first();

/** A person registering themselves; returns the response (the account then logs in with the demo password, as the helpers do). */
async function register(body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/applicants/register', { body: { displayName: '自由职业者', phone: '13800000001', password: 'Zcps#Freelance2026', ...body } });
  if (res.statusCode === 201) await db.knex('users').where({ id: res.json().id }).update({ password_hash: await hashPassword(DEMO_PASSWORD) });
  return res;
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  county = await db.knex('units').where({ unit_type: 'hr_bureau', admin_level: 'county', region_code: '510104' }).first();
  city = await db.knex('units').where({ unit_type: 'hr_bureau', admin_level: 'city' }).first();
  // the committee admits only state-owned units: a freelancer has none and is taken all the same
  await db.knex('committees').update({ allowed_natures: ['state_owned'] });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('非公 / 自由职业: applicants without an employer apply through the HR bureau of their 属地', () => {
  it('registers a person with a 属地 instead of an employer, and refuses one with neither or both', async () => {
    // when a person registers with neither an employer nor a 属地
    const neither = await register({ idNumber: idNumber('19900101', 11) });
    // then the 400 names the employer field
    expect(neither.statusCode).toBe(400);
    expect(neither.json().details).toEqual([expect.objectContaining({ field: 'employerId' })]);
    const both = await register({ idNumber: idNumber('19900101', 12), employerId: Number(county.id), regionCode: '510104' });
    expect(both.statusCode).toBe(400);
    expect(both.json().details).toEqual([expect.objectContaining({ field: 'regionCode' })]);

    // when they name 锦江区 as their 属地
    const ok = await register({ idNumber: idNumber('19900101', 13), regionCode: '510104' });
    expect(ok.statusCode, ok.body).toBe(201);
    // then the account has no unit and keeps the 属地
    expect(await db.knex('users').where({ id: ok.json().id }).first()).toMatchObject({ unit_id: null, region_code: '510104' });
  });

  it('lists the activity for a freelancer of a region within the committee’s 评审区域, whatever the natures it admits', async () => {
    const id = idNumber('19880202', 21);
    expect((await register({ idNumber: id, regionCode: '510104' })).statusCode).toBe(201);
    const list = await t.request('GET', '/api/activities', { user: id });
    expect(list.statusCode).toBe(200);
    expect(list.json().map((a: { id: number }) => a.id)).toContain(1);
    // while an employee of a unit of another nature is refused by the same committee
    const employee = await t.request('POST', '/api/process-instances', { user: 'zhangwei', body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    expect(employee.statusCode).toBe(403);
  });

  it('takes a freelancer’s dossier through the 属地 bureau (employer level) and the city bureau to the committee', async () => {
    // given a freelancer of 锦江区
    const user = idNumber('19870303', 31);
    expect((await register({ idNumber: user, regionCode: '510104' })).statusCode).toBe(201);

    // when they apply and submit
    const id = await submitDossier(t, user);

    // then the chain starts at the 锦江区 bureau as a fact (freelance), without a competent department
    const chain = (await db.knex('process_instances').where({ id }).first()).variables.chain;
    expect(chain).toMatchObject({ employer: Number(county.id), employerName: county.name, freelance: true, department: null, bureau: Number(city.id) });
    expect(chain.superior).toBeUndefined();
    expect(await dossierOf(id)).toMatchObject({ status: 'submitted', holder_unit_id: Number(county.id) });

    // and the county bureau reviews it at the employer level, the city bureau after it, the committee receives it
    await passEmployer(t, 'jj_hr', (await taskOf(t, 'jj_hr', id, 'unit_review')).id, '属地受理，同意推荐');
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(city.id));
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass', '同意');
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
    expect(await dossierOf(id)).toMatchObject({ status: 'received' });

    // and the applicant's own pages and the 评审表 work without an employer
    const dossierId = (await dossierOf(id)).id;
    expect((await t.request('GET', '/api/dossiers/mine', { user })).statusCode).toBe(200);
    for (const path of [`/api/dossiers/${dossierId}`, `/api/dossiers/${dossierId}/declaration`, `/api/dossiers/${dossierId}/case`, `/api/dossiers/${dossierId}/review-form.pdf`]) {
      expect((await t.request('GET', path, { user })).statusCode, path).toBe(200);
    }
    expect((await t.request('GET', `/api/dossiers/${dossierId}`, { user: 'jj_hr' })).statusCode).toBe(200);

    // the applicant's progress names the 属地 bureau at the 申报单位 link
    const progress = (await t.request('GET', `/api/process-instances/${id}/progress`, { user })).json();
    expect(progress.steps.map((s: { label: string; holder: string | null }) => `${s.label}:${s.holder}`)).toEqual([
      '申报人:自由职业者',
      `申报单位:${county.name}`,
      '人社部门:成都市人力资源和社会保障局',
      expect.stringMatching(/^评委会:/),
    ]);
  });

  it('tells a freelancer of a return in their own messages, though they have no unit; nobody else sees it', async () => {
    // given a freelancer's dossier at the 锦江区 bureau
    const user = idNumber('19850505', 51);
    expect((await register({ idNumber: user, regionCode: '510104' })).statusCode).toBe(201);
    const id = await submitDossier(t, user);
    // when the bureau returns it to them
    await completeOk(t, 'jj_hr', (await taskOf(t, 'jj_hr', id, 'unit_review')).id, 'return', '请补充学历证明', { returnTo: 'applicant' });
    // then the return is among their unread messages, once, and the home page counts it
    const mine = (await t.request('GET', '/api/messages?filter={"unread":true}', { user })).json() as Array<{ title: string; body: string }>;
    const returned = mine.filter((m) => m.title.startsWith('申报材料被退回'));
    expect(returned).toHaveLength(1);
    expect(returned[0]!.body).toContain('请补充学历证明');
    expect(((await t.request('GET', '/api/home', { user })).json() as { messages: { unread: number } }).messages.unread).toBe(mine.length);
    // and neither an applicant of a unit nor the bureau's staff see a message addressed to them
    for (const other of ['zhangwei', 'jj_hr']) {
      const theirs = (await t.request('GET', '/api/messages', { user: other })).json() as Array<{ body: string | null }>;
      expect(theirs.some((m) => (m.body ?? '').includes('请补充学历证明') && m.body?.includes('您的申报材料')), other).toBe(false);
    }
  });

  it('refuses to start a dossier for an applicant with neither an employer nor a 属地', async () => {
    const user = idNumber('19860404', 41);
    const registered = await register({ idNumber: user, regionCode: '510104' });
    expect(registered.statusCode).toBe(201);
    // (the login name is the system's, not the ID number: the account is found by its id)
    await db.knex('users').where({ id: registered.json().id }).update({ region_code: null });
    const res = await t.request('POST', '/api/process-instances', { user, body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'unitId' })]);
  });
});
