import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { submitDossier } from '../helpers/flow.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { rewriteApplicantLoginNames } from '../../migrations/20261207010000_pii_users_plain_emptied.ts';

// 张伟 (demo applicant of 成都示范科技有限公司) and the demo employer's 法人代表
const ZHANG_ID = '51010419900307231X';
const LEGAL_REP_ID = '510107198506121050';
const LEGAL_REP_PHONE = '13800000000';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let zhangId: number;
let employerId: number;
let zhangCase: string;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  zhangId = Number((await db.knex('users').where({ username: 'zhangwei' }).first('id')).id);
  employerId = Number((await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id')).id);
  zhangCase = await submitDossier(t, 'zhangwei');
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const login = (username: string, password = DEMO_PASSWORD) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('accounts sealed at rest: no plain ID or phone number left', () => {
  it('empties users.id_number and users.phone for every account after the sweep', async () => {
    // given the demo accounts, swept as the server does at start
    // when the stored rows are counted
    const [counts] = await db.knex('users').select(
      db.knex.raw('count(*) filter (where id_number is not null)::int as plain_ids'),
      db.knex.raw('count(*) filter (where phone is not null)::int as plain_phones'),
      db.knex.raw('count(*) filter (where id_number_enc is not null)::int as sealed_ids'),
    );
    // then no plain number is left, and the accounts that had one hold a seal
    expect(counts).toMatchObject({ plain_ids: 0, plain_phones: 0 });
    expect(counts.sealed_ids).toBeGreaterThan(0);
  });

  it('stores 张伟’s row without his number in any column', async () => {
    // given 张伟's account
    // when his stored row is read as a whole
    const row = await db.knex('users').where({ id: zhangId }).first();
    // then his ID number is nowhere in it (either case of x), and his seal opens to it
    expect(JSON.stringify(row).toUpperCase()).not.toContain(ZHANG_ID);
    expect(t.app.pii.open(row.id_number_enc)).toBe(ZHANG_ID);
  });
});

describe('login by ID number through the keyed hash', () => {
  it('signs 张伟 in with his ID number, upper-case X', async () => {
    // given his sealed account
    // when he signs in with his ID number
    const res = await login(ZHANG_ID);
    // then it is his account
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.id).toBe(zhangId);
  });

  it('signs 张伟 in with his ID number, lower-case x', async () => {
    // when he types the check digit in lower case
    const res = await login(ZHANG_ID.toLowerCase());
    // then it is still his account
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.id).toBe(zhangId);
  });

  it('keeps the demo applicants’ own login names', async () => {
    // when 张伟 signs in with his name
    const res = await login('zhangwei');
    // then it works as before
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('registration stores no plain number and no ID number as login name', () => {
  const body = () => ({ displayName: '钱多', idNumber: '11010119900307109x', phone: '13900000031', password: 'Qian#2026a', employerId });

  it('seals the numbers as it writes them (before any sweep), with a system login name', async () => {
    // given a person registering with a lower-case x
    // when they register
    const res = await t.request('POST', '/api/applicants/register', { body: body() });
    // then the row holds seals only, and the login name is `sq` + the id, not the ID number
    expect(res.statusCode, res.body).toBe(201);
    const row = await db.knex('users').where({ id: res.json().id }).first();
    expect([row.id_number, row.phone]).toEqual([null, null]);
    expect(t.app.pii.open(row.id_number_enc)).toBe('11010119900307109X');
    expect(t.app.pii.open(row.phone_enc)).toBe('13900000031');
    expect(row.username).toBe(`sq${String(row.id).padStart(8, '0')}`);
    expect(res.json().username).toBe(row.username);
    expect(JSON.stringify(row).toUpperCase()).not.toContain('11010119900307109X');
  });

  it('lets the new applicant sign in with the ID number they registered', async () => {
    // when they sign in with the number in upper case
    const res = await login('11010119900307109X', 'Qian#2026a');
    // then they are in
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.isApplicant).toBe(true);
  });

  it('refuses a second account for the same ID number, whatever the case of x', async () => {
    // when someone registers the same number again (upper-case X this time)
    const res = await t.request('POST', '/api/applicants/register', { body: { ...body(), displayName: '钱多二', idNumber: '11010119900307109X', phone: '13900000032' } });
    // then 409, and the message does not repeat the number
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().message).toBe('该身份证号码已有账号');
  });

  it('refuses a clerk’s new account for an ID number that has one (by hash)', async () => {
    // when the employer's clerk opens an account for 张伟's number
    const res = await t.request('POST', '/api/applicants', { user: 'kj_hr', body: { displayName: '张伟二', idNumber: ZHANG_ID.toLowerCase(), phone: '13900000033' } });
    // then 409
    expect(res.statusCode, res.body).toBe(409);
  });

  it('shows the account in the applicant list as 身份证号登录 with the number masked', async () => {
    // when the employer's clerk lists applicants
    const list = (await t.request('GET', '/api/applicants', { user: 'kj_hr' })).json() as Array<{ displayName: string; login: string; idNumber: string; phone: string }>;
    const qian = list.find((a) => a.displayName === '钱多')!;
    // then the account reads as signing in by ID number, masked, with the phone masked too
    expect(qian).toMatchObject({ login: '身份证号登录（1101**********109X）', idNumber: '1101**********109X', phone: '139****0031' });
  });

  it('finds the applicant in the list by the whole ID number (exact)', async () => {
    // when the clerk searches by the number in lower case
    const res = await t.request('GET', `/api/applicants?filter=${encodeURIComponent(JSON.stringify({ q: '11010119900307109x' }))}`, { user: 'kj_hr' });
    // then that applicant, and only them
    expect((res.json() as Array<{ displayName: string }>).map((a) => a.displayName)).toEqual(['钱多']);
  });

  it('answers the full phone through the audited 查看', async () => {
    // given the new applicant's id
    const id = Number((await db.knex('users').where({ display_name: '钱多' }).first('id')).id);
    // when the clerk asks for the full phone
    const res = await t.request('GET', `/api/applicants/${id}/pii?field=phone`, { user: 'kj_hr' });
    // then it is opened from the seal, and the view is audited
    expect(res.json()).toEqual({ field: 'phone', value: '13900000031' });
    expect(await db.knex('audit_events').where({ action: 'pii.view', target_id: `user:${id}` }).first('id')).toBeTruthy();
  });

  it('lists the phone a message would be sent to (本单位人员), masked, from the seal', async () => {
    // when the employer's clerk picks recipients among its applicants
    const persons = (await t.request('GET', '/api/message-recipients/persons', { user: 'kj_hr' })).json() as Array<{ name: string; detail: string | null }>;
    // then the new applicant's phone is read from its seal and shown masked
    expect(persons.find((p) => p.name === '钱多')?.detail).toBe('139****0031');
  });
});

describe('readers of accounts in other modules', () => {
  it('finds 张伟’s case in 流程实例 by his ID number (x or X), shown masked', async () => {
    // when the administrator searches by his number in lower case
    const res = await t.request('GET', `/api/process-instances?filter=${encodeURIComponent(JSON.stringify({ idNumber: ZHANG_ID.toLowerCase() }))}`, { user: 'admin' });
    // then his case, with the number masked
    const rows = res.json() as Array<{ id: string; idNumber: string | null }>;
    expect(rows.map((r) => r.id)).toEqual([zhangCase]);
    expect(rows[0]?.idNumber).toBe('5101**********231X');
  });

  it('fills 性别 and 出生日期 of a submitted declaration from the sealed ID number', async () => {
    // given 张伟's submitted case
    // when its dossier data is read
    const dossier = await db.knex('dossiers').where({ instance_id: zhangCase }).first('data');
    const data = typeof dossier.data === 'string' ? JSON.parse(dossier.data) : dossier.data;
    // then the person's facts come from his number
    expect(data).toMatchObject({ gender: 'male', birthDate: '1990-03-07' });
  });
});

describe('units’ legal representatives sealed', () => {
  it('keeps no plain 法人代表 number in units after the sweep', async () => {
    // given the demo employer with its 法人代表
    // when its row is read
    const row = await db.knex('units').where({ id: employerId }).first();
    // then the plain columns are empty and the seals open to the numbers
    expect([row.legal_rep_id_number, row.legal_rep_phone]).toEqual([null, null]);
    expect(t.app.pii.open(row.legal_rep_id_number_enc)).toBe(LEGAL_REP_ID);
    expect(JSON.stringify(row)).not.toContain(LEGAL_REP_ID);
  });

  it('shows the unit’s own record in full, without an audit row', async () => {
    // when the employer's own admin opens 本单位基本信息
    const before = await db.knex('audit_events').where({ action: 'pii.view', target_id: `unit:${employerId}` }).count<{ n: string }[]>({ n: '*' });
    const res = await t.request('GET', '/api/my-unit', { user: 'kj_hr' });
    const after = await db.knex('audit_events').where({ action: 'pii.view', target_id: `unit:${employerId}` }).count<{ n: string }[]>({ n: '*' });
    // then the numbers are in full, and nothing is audited
    expect(res.json()).toMatchObject({ legalRepIdNumber: LEGAL_REP_ID, legalRepPhone: LEGAL_REP_PHONE });
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
  });

  it('shows a unit above the record in full for editing, audited', async () => {
    // when the department above opens the employer's record
    const res = await t.request('GET', `/api/subordinate-units/${employerId}`, { user: 'cd_jxj' });
    // then full numbers, and a pii.view row naming the unit
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ legalRepIdNumber: LEGAL_REP_ID });
    const audit = await db.knex('audit_events').where({ action: 'pii.view', target_id: `unit:${employerId}` }).orderBy('id', 'desc').first();
    expect(audit.data).toMatchObject({ subject: 'unit', fields: ['legalRepIdNumber', 'legalRepPhone'] });
  });

  it('seals a changed 法人代表 number as it is saved', async () => {
    // given the employer's own record
    const unit = (await t.request('GET', '/api/my-unit', { user: 'kj_hr' })).json();
    // when its admin saves a new 法人代表 phone
    const res = await t.request('PUT', '/api/my-unit', {
      user: 'kj_hr',
      body: { name: unit.name, creditCode: unit.creditCode, unitType: unit.unitType, nature: unit.nature, regionCode: unit.regionCode, phone: unit.phone, address: unit.address, legalRepName: unit.legalRepName, legalRepIdNumber: unit.legalRepIdNumber, legalRepPhone: '13800000009', version: unit.version },
    });
    // then the row has seals only, before any sweep
    expect(res.statusCode, res.body).toBe(200);
    const row = await db.knex('units').where({ id: employerId }).first();
    expect([row.legal_rep_id_number, row.legal_rep_phone]).toEqual([null, null]);
    expect(t.app.pii.open(row.legal_rep_phone_enc)).toBe('13800000009');
  });
});

describe('migration 20261207010000: login names that were ID numbers', () => {
  it('gives an applicant whose username is their ID number the system login name', async () => {
    // given an applicant as the release before stored them: username = plain ID number
    const [row] = await db.knex('users').insert({ username: '110101199003071137', password_hash: 'x', display_name: '旧账号', roles: ['applicant'], id_number: '110101199003071137' }).returning('id');
    // when the migration's rewrite runs
    const changed = await rewriteApplicantLoginNames(db.knex);
    // then that account (and only such accounts) signs in by ID number under `sq` + id
    expect(changed).toBe(1);
    expect((await db.knex('users').where({ id: row.id }).first('username')).username).toBe(`sq${String(row.id).padStart(8, '0')}`);
    expect((await db.knex('users').where({ username: 'zhangwei' }).first('id')).id).toBeDefined();
  });
});
