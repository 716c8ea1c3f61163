import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, inbox, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { insertExpert } from '../helpers/fixtures.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { sweepCommitteeTerms } from '../../api/modules/committees/expiry.job.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let city: number;
let province: number;
let county: number;

/** A committee of the city bureau, intermediate, issued by the city and filed with the province. */
function cityCommittee(overrides: Record<string, unknown> = {}) {
  return {
    name: '成都市经济系列中级职称评审委员会',
    officeAgency: '成都市人力资源和社会保障局',
    office: '成都市经济系列中级职称评审委员会办公室',
    reviewType: 'evaluation',
    levels: ['intermediate', 'junior'],
    issuerUnitId: city,
    registrarUnitId: province,
    contactName: '王老师',
    contactPhone: '028-86000002',
    address: '成都市青羊区人民中路 2 号',
    internal: false,
    allowedNatures: [],
    buildBy: 'series',
    series: 'economics',
    specialties: [],
    reviewRegions: ['510100', '510104'],
    funded: false,
    termYears: 3,
    ...overrides,
  };
}

const addExpert = (committeeId: number, id?: string) => insertExpert(db.knex, committeeId, id, t.clock.now());

async function create(user: string, body: Record<string, unknown>) {
  return t.request('POST', '/api/committees', { user, body });
}

/** Starts a filing and submits the request letter; returns the instance id. */
async function file(committeeId: number) {
  const started = await t.request('POST', `/api/committees/${committeeId}/filings`, { user: 'cd_pw' });
  expect(started.statusCode, started.body).toBe(201);
  const { instanceId, taskId } = started.json() as { instanceId: string; taskId: string };
  const letter = await uploadPdf(t, 'cd_pw');
  await completeOk(t, 'cd_pw', taskId, 'submit', undefined, { requestFiles: [letter], note: '请予备案' });
  return instanceId;
}

/** The issuer (city bureau) and the registrar (province) pass it. */
async function approve(instanceId: string) {
  await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', instanceId)).id, 'pass', '同意');
  await completeOk(t, 'sc_hr', (await taskOf(t, 'sc_hr', instanceId)).id, 'pass', '同意备案');
}

const detail = async (id: number, user = 'cd_pw') => (await t.request('GET', `/api/committees/${id}`, { user })).json();

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const units = await db.knex('units').select('id', 'admin_level').where({ unit_type: 'hr_bureau' });
  province = Number(units.find((u: { admin_level: string }) => u.admin_level === 'province').id);
  city = Number(units.find((u: { admin_level: string }) => u.admin_level === 'city').id);
  county = Number(units.find((u: { admin_level: string }) => u.admin_level === 'county').id);
  // the county bureau organises committees too
  await db.knex('users').where({ username: 'jj_hr' }).update({ roles: ['hr_clerk', 'unit_admin', 'committee_clerk'] });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('新增评委会: the region rules of notice 000 and the levels', () => {
  it('lets a city committee review regions inside its city only', async () => {
    const outside = await create('cd_pw', cityCommittee({ reviewRegions: ['510100', '510300'] }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().details).toEqual([expect.objectContaining({ field: 'reviewRegions', message: expect.stringContaining('只能选择本市（州）内的区域') })]);
    const ok = await create('cd_pw', cityCommittee());
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ organizerName: '成都市人力资源和社会保障局', filingStatus: 'unfiled', filingStatusName: '未备案', reviewRegionNames: ['四川省 / 成都市（市本级）', '四川省 / 成都市 / 锦江区'] });
  });

  it('lets a county committee review its own county only, and only junior titles', async () => {
    const base = { name: '锦江区工程技术系列初级职称评审委员会', issuerUnitId: county, registrarUnitId: county, levels: ['junior'] };
    const neighbour = await create('jj_hr', cityCommittee({ ...base, reviewRegions: ['510105'] }));
    expect(neighbour.statusCode).toBe(400);
    expect(neighbour.json().message).toContain('县（市、区）级单位组建的评委会只能选择本县（市、区）');
    const intermediate = await create('jj_hr', cityCommittee({ ...base, levels: ['intermediate'], reviewRegions: ['510104'] }));
    expect(intermediate.statusCode).toBe(400);
    expect(intermediate.json().details.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['levels', 'registrarUnitId']));
    const ok = await create('jj_hr', cityCommittee({ ...base, reviewRegions: ['510104'] }));
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('lets a self-review unit review only itself', async () => {
    const created = await t.request('POST', '/api/subordinate-units', {
      user: 'cd_hr',
      body: {
        unit: { creditCode: '12510100MB0000001U', name: '成都理工研究院', nature: 'institution', unitType: 'self_review_unit', regionCode: '510100', phone: '028-84000000' },
        admin: { username: 'lg_admin', displayName: '研究院经办人', phone: '13900000041' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const unitId = created.json().unit.id as number;
    await db.knex('users').where({ username: 'lg_admin' }).update({ password_hash: await hashPassword(DEMO_PASSWORD), must_change_password: false, roles: ['unit_admin', 'committee_clerk'] });
    const body = cityCommittee({ name: '成都理工研究院工程技术系列中级职称评审委员会', issuerUnitId: city, registrarUnitId: city });
    const withRegions = await create('lg_admin', body);
    expect(withRegions.statusCode).toBe(400);
    expect(withRegions.json().details.map((f: { field: string }) => f.field)).toEqual(['internal', 'reviewRegions']);
    const ok = await create('lg_admin', { ...body, internal: true, reviewRegions: [] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().organizerUnitId).toBe(unitId);
  });

  it('names the fields of a bad form in Chinese, and asks for the specialties of a committee built by specialty', async () => {
    const bad = await create('cd_pw', cityCommittee({ name: '', contactPhone: '123', buildBy: 'specialty' }));
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().details as Array<{ field: string; message: string }>;
    expect(fields.map((f) => f.field)).toEqual(expect.arrayContaining(['name', 'contactPhone', 'specialties']));
    expect(fields.find((f) => f.field === 'specialties')?.message).toContain('按专业创建的评委会请填写评审专业');
  });

  it('keeps committees to their organiser', async () => {
    const mine = (await t.request('GET', '/api/committees', { user: 'cd_pw' })).json() as Array<{ id: number; name: string }>;
    expect(mine.map((c) => c.name)).toContain('成都市经济系列中级职称评审委员会');
    const id = mine.find((c) => c.name === '成都市经济系列中级职称评审委员会')!.id;
    expect((await t.request('GET', '/api/committees', { user: 'kj_hr' })).statusCode).toBe(403);
    const county = (await t.request('GET', '/api/committees', { user: 'jj_hr' })).json() as Array<{ id: number }>;
    expect(county.map((c) => c.id)).not.toContain(id);
    expect((await t.request('GET', `/api/committees/${id}`, { user: 'jj_hr' })).statusCode).toBe(404);
    const version = (await detail(id)).version;
    expect((await t.request('PUT', `/api/committees/${id}`, { user: 'jj_hr', body: { ...cityCommittee(), version } })).statusCode).toBe(404);
    // the registrar may look at it
    expect((await t.request('GET', `/api/committees/${id}`, { user: 'sc_hr' })).statusCode).toBe(200);
    // a filing never starts from the generic start: only the system starts its flow
    expect((await t.request('POST', '/api/process-instances', { user: 'cd_pw', body: { processKey: 'committee-filing', variables: { committeeId: id } } })).statusCode).toBe(404);
  });
});

describe('评委会备案: issuer, then registrar, with a return and a re-filing', () => {
  let id: number;

  it('needs the expert list, then goes to the issuer and the registrar; a return comes back to the organiser', async () => {
    id = (await create('cd_pw', cityCommittee({ name: '成都市会计系列中级职称评审委员会', series: 'accounting' }))).json().id;
    const empty = await t.request('POST', `/api/committees/${id}/filings`, { user: 'cd_pw' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('请先在专家库中录入评委会的专家名单');
    await addExpert(id);

    const started = await t.request('POST', `/api/committees/${id}/filings`, { user: 'cd_pw' });
    expect(started.statusCode, started.body).toBe(201);
    const { instanceId, taskId } = started.json();
    // a second click finds the filing open
    expect((await t.request('POST', `/api/committees/${id}/filings`, { user: 'cd_pw' })).statusCode).toBe(409);
    // the request letter is required
    const noLetter = await complete(t, 'cd_pw', taskId, 'submit', undefined, { requestFiles: [] });
    expect(noLetter.statusCode).toBe(400);
    expect(noLetter.json().message).toContain('核准备案请示');
    await completeOk(t, 'cd_pw', taskId, 'submit', undefined, { requestFiles: [await uploadPdf(t, 'cd_pw')] });
    expect((await detail(id)).openFiling).toMatchObject({ status: 'submitted', statusName: '审核中' });
    // under review the committee cannot be edited
    const locked = await t.request('PUT', `/api/committees/${id}`, { user: 'cd_pw', body: { ...cityCommittee({ name: '成都市会计系列中级职称评审委员会', series: 'accounting' }), version: 1 } });
    expect(locked.statusCode).toBe(409);

    // the registrar has nothing before the issuer passes
    expect((await inbox(t, 'sc_hr')).filter((i) => i.rootInstanceId === instanceId)).toEqual([]);
    const issuerTask = await taskOf(t, 'cd_hr', instanceId);
    expect(issuerTask.name).toBe('评委会备案审核（授权管理单位）：成都市会计系列中级职称评审委员会');
    expect(issuerTask.summary).toMatchObject({ subject: '成都市会计系列中级职称评审委员会', matter: '评委会备案', expertCount: 1 });
    await completeOk(t, 'cd_hr', issuerTask.id, 'pass', '同意');
    const registrarTask = await taskOf(t, 'sc_hr', instanceId);
    expect(registrarTask.name).toBe('评委会备案审核（备案单位）：成都市会计系列中级职称评审委员会');
    // a return needs a reason
    expect((await complete(t, 'sc_hr', registrarTask.id, 'return')).statusCode).toBe(400);
    await completeOk(t, 'sc_hr', registrarTask.id, 'return', '评审区域与批复不符，请修改');

    const returned = await detail(id);
    expect(returned.openFiling).toMatchObject({ status: 'returned', statusName: '已退回' });
    expect(returned.filings[0]).toMatchObject({ status: 'returned', opinion: '评审区域与批复不符，请修改' });
    expect(returned.filingStatus).toBe('unfiled');
    const revise = await taskOf(t, 'cd_pw', instanceId, 'submit');
    expect(revise.name).toBe('备案退回修改：成都市会计系列中级职称评审委员会');

    // the organiser corrects the committee and submits again: the issuer reviews again
    const edited = await t.request('PUT', `/api/committees/${id}`, { user: 'cd_pw', body: { ...cityCommittee({ name: '成都市会计系列中级职称评审委员会', series: 'accounting', reviewRegions: ['510100'] }), version: returned.version } });
    expect(edited.statusCode, edited.body).toBe(200);
    await completeOk(t, 'cd_pw', revise.id, 'submit', undefined, { requestFiles: [await uploadPdf(t, 'cd_pw', '核准备案请示（修改）.pdf')] });
    await approve(instanceId);

    const filed = await detail(id);
    expect(filed).toMatchObject({ filingStatus: 'filed', filingStatusName: '已备案', validFrom: '2026-03-02', validTo: '2029-03-01', openFiling: null, refilingDue: false });
    expect(filed.filings).toHaveLength(1);
    expect(filed.filings[0]).toMatchObject({ status: 'approved', validFrom: '2026-03-02', validTo: '2029-03-01', expertCount: 1 });
    expect((await t.request('GET', '/api/committees/usable', { user: 'cd_pw' })).json().map((c: { id: number }) => c.id)).toContain(id);
  });

  it('walks the registrar’s review posts from the lowest up', async () => {
    const second = (await create('cd_pw', cityCommittee({ name: '成都市统计系列中级职称评审委员会', series: 'statistics' }))).json().id;
    await addExpert(second, '510104198001010029');
    const staff = await db.knex('users').whereIn('username', ['sc_hr', 'admin']).select('id', 'username');
    const idOf = (u: string) => Number(staff.find((s: { username: string }) => s.username === u).id);
    const levels = await t.request('PUT', '/api/review-levels', {
      user: 'admin',
      body: { unitId: province, matterType: 'committee_filing', posts: [{ name: '初审岗', userIds: [idOf('sc_hr')] }, { name: '复核岗', userIds: [idOf('admin')] }] },
    });
    expect(levels.statusCode, levels.body).toBe(200);
    const instanceId = await file(second);
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', instanceId)).id, 'pass');
    const first = await taskOf(t, 'sc_hr', instanceId);
    expect(first.name).toContain('（初审岗）');
    // the second post sees nothing yet
    expect((await inbox(t, 'admin')).filter((i) => i.rootInstanceId === instanceId)).toEqual([]);
    await completeOk(t, 'sc_hr', first.id, 'pass');
    const top = await taskOf(t, 'admin', instanceId);
    expect(top.name).toContain('（复核岗）');
    await completeOk(t, 'admin', top.id, 'pass', '同意备案');
    expect((await detail(second)).filingStatus).toBe('filed');
    await db.knex('review_levels').where({ unit_id: province, matter_type: 'committee_filing' }).delete();
  });

  it('ends a refused filing, and the committee stays unfiled', async () => {
    const third = (await create('cd_pw', cityCommittee({ name: '成都市审计系列中级职称评审委员会', series: 'auditing' }))).json().id;
    await addExpert(third, '510104198001010037');
    const instanceId = await file(third);
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', instanceId)).id, 'reject', '不具备组建条件');
    const refused = await detail(third);
    expect(refused).toMatchObject({ filingStatus: 'unfiled', openFiling: null });
    expect(refused.filings[0]).toMatchObject({ status: 'rejected', statusName: '不予备案', opinion: '不具备组建条件' });
    expect((await t.request('GET', '/api/committees/usable', { user: 'cd_pw' })).json().map((c: { id: number }) => c.id)).not.toContain(third);
  });

  it('reminds the organiser two months before the term ends, opens re-filing then, and continues the term without a gap', async () => {
    // two months and a day before 2029-03-01: nothing yet, and no re-filing
    t.clock.set('2028-12-31T09:00:00+08:00');
    expect((await sweepCommitteeTerms(db.knex, t.clock.now())).reminded).not.toContain(id);
    const early = await t.request('POST', `/api/committees/${id}/filings`, { user: 'cd_pw' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('评委会备案有效期至 2029-03-01，届满前 2 个月（2029-01-01 起）方可重新备案');

    t.clock.set('2029-01-01T09:00:00+08:00');
    const sweep = await sweepCommitteeTerms(db.knex, t.clock.now());
    expect(sweep.reminded).toContain(id);
    // once per term
    expect((await sweepCommitteeTerms(db.knex, t.clock.now())).reminded).toEqual([]);
    const messages = (await t.request('GET', '/api/messages', { user: 'cd_pw' })).json() as Array<{ id: number; title: string; link: string; read: boolean }>;
    const reminder = messages.find((m) => m.title.startsWith('成都市会计系列中级职称评审委员会备案将于 2029-03-01 届满'));
    expect(reminder).toMatchObject({ read: false, link: `/committees/${id}/show` });
    // addressed to the organiser's committee clerks: not to the bureau's other staff, nor to other units
    expect(((await t.request('GET', '/api/messages', { user: 'cd_hr' })).json() as unknown[]).length).toBe(0);
    expect(((await t.request('GET', '/api/messages', { user: 'jj_hr' })).json() as Array<{ title: string }>).some((m) => m.title.includes('会计系列'))).toBe(false);
    expect((await t.request('GET', '/api/messages/unread-count', { user: 'cd_pw' })).json().count).toBeGreaterThan(0);
    await t.request('POST', `/api/messages/${reminder!.id}/read`, { user: 'cd_pw' });
    expect((await t.request('GET', '/api/messages', { user: 'cd_pw' })).json().find((m: { id: number }) => m.id === reminder!.id).read).toBe(true);
    expect((await t.request('POST', `/api/messages/${reminder!.id}/read`, { user: 'jj_hr' })).statusCode).toBe(404);

    expect((await detail(id)).refilingDue).toBe(true);
    const instanceId = await file(id);
    expect((await taskOf(t, 'cd_hr', instanceId)).summary).toMatchObject({ matter: '届满重新备案' });
    await approve(instanceId);
    const renewed = await detail(id);
    expect(renewed).toMatchObject({ filingStatus: 'filed', validFrom: '2026-03-02', validTo: '2032-03-01' });
    expect(renewed.filings.map((f: { status: string; validFrom: string }) => [f.status, f.validFrom])).toEqual([
      ['approved', '2029-03-02'],
      ['approved', '2026-03-02'],
    ]);
  });

  it('marks a committee past its term expired: it cannot start activities until filed again', async () => {
    const statistics = (await t.request('GET', '/api/committees?filter={"q":"统计"}', { user: 'cd_pw' })).json()[0];
    expect(statistics.validTo).toBe('2029-03-01');
    t.clock.set('2029-03-02T09:00:00+08:00');
    // expired by its date even before the nightly sweep
    expect((await detail(statistics.id)).filingStatus).toBe('expired');
    expect((await t.request('GET', '/api/committees/usable', { user: 'cd_pw' })).json().map((c: { id: number }) => c.id)).not.toContain(statistics.id);
    const sweep = await sweepCommitteeTerms(db.knex, t.clock.now());
    expect(sweep.expired).toContain(statistics.id);
    expect(sweep.expired).not.toContain(id);
    expect((await db.knex('committees').where({ id: statistics.id }).first()).filing_status).toBe('expired');
    const titles = ((await t.request('GET', '/api/messages', { user: 'cd_pw' })).json() as Array<{ title: string }>).map((m) => m.title);
    expect(titles).toContain('成都市统计系列中级职称评审委员会备案已过期，不能开展评审活动');

    // filed again after expiry: a fresh term from the day of approval
    const instanceId = await file(statistics.id);
    await approve(instanceId);
    expect(await detail(statistics.id)).toMatchObject({ filingStatus: 'filed', validFrom: '2029-03-02', validTo: '2032-03-01' });
  });
});
