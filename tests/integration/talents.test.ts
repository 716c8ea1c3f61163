import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { wrongCheck } from '../helpers/fixtures.ts';
import { createPerson, talentBody } from '../helpers/talents.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let units: { employer: number; department: number; city: number };

type Talent = { id: number; status: string; currentUnitId: number | null; currentUnitName: string | null; returnReason: string | null; rejectReason: string | null; auditPath: Array<{ unitId: number; name: string }>; version: number; reviewable: boolean; titleName: string | null };
type Mine = { registration: Talent | null; account: { displayName: string; unitName: string | null } };

const json = <T = Record<string, unknown>>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};

/** 张伟 (demo applicant of 成都示范科技有限公司): male, born 1990-03-07. */
const ZHANGWEI = {
  personName: '张伟',
  gender: 'male',
  birthDate: '1990-03-07',
  idNumber: '51010419900307231X',
  ethnicity: '汉族',
  politicalStatus: 'party_member',
  origin: 'mainland',
  education: 'master',
  category: 'engineering',
  titleKind: 'title',
  level: 'intermediate',
  series: 'engineering',
  titleName: '工程师',
};
/** 李娜: female, born 1988-06-15. */
const LINA = { ...ZHANGWEI, personName: '李娜', gender: 'female', birthDate: '1988-06-15', idNumber: '510107198806154823', ethnicity: '彝族', titleKind: 'certificate', level: null, series: null, titleName: null, certificateName: '注册会计师' };

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const id = async (name: string) => Number((await db.knex('units').where({ name }).first('id')).id);
  units = { employer: await id('成都示范科技有限公司'), department: await id('成都市经济和信息化局'), city: await id('成都市人力资源和社会保障局') };
  await createPerson(db.knex, 'talent_a', units.employer, '19900214', 401);
  await createPerson(db.knex, 'talent_b', units.employer, '19890516', 403);
  await createPerson(db.knex, 'talent_c', units.employer, '19900328', 404);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const mine = async (user: string) => json<Mine>(await t.request('GET', '/api/talents/mine', { user }));
const save = (user: string, body: Record<string, unknown>) => t.request('PUT', '/api/talents/mine', { user, body });
const submit = (user: string) => t.request('POST', '/api/talents/mine/submit', { user });
const review = (user: string, id: number, action: string, opinion?: string) => t.request('POST', `/api/talents/${id}/review`, { user, body: { action, opinion } });
const pending = async (user: string) => json<{ total: number; items: Talent[] }>(await t.request('GET', '/api/talents?view=pending', { user })).items;

describe('专技人才信息：登记与逐级审核', () => {
  it('goes from the person’s unit up to the city HR bureau, back to the person on a return, and counts once approved', async () => {
    // Given 张伟 saves his registration
    const saved = json<Mine>(await save('zhangwei', ZHANGWEI));
    expect(saved.registration).toMatchObject({ status: 'draft' });
    // When he submits it
    const submitted = json<Mine>(await submit('zhangwei')).registration!;
    // Then it waits at his unit, with the path up to the first HR bureau
    expect(submitted).toMatchObject({ status: 'reviewing', currentUnitId: units.employer });
    expect(submitted.auditPath.map((p) => p.unitId)).toEqual([units.employer, units.department, units.city]);
    const id = submitted.id;
    expect((await pending('kj_hr')).map((x) => x.id)).toContain(id);
    expect((await pending('cd_jxj')).map((x) => x.id)).not.toContain(id);

    // When the employer passes it, Then it moves to the department (the parent unit)
    expect(json<Talent>(await review('kj_hr', id, 'pass'))).toMatchObject({ status: 'reviewing', currentUnitId: units.department });
    // When the department returns it with a reason, Then it is back with the person, who sees the reason
    expect((await review('cd_jxj', id, 'return')).json().details[0].field).toBe('opinion');
    json(await review('cd_jxj', id, 'return', '职称名称请写全称'));
    const returned = (await mine('zhangwei')).registration!;
    expect(returned).toMatchObject({ status: 'returned', returnReason: '职称名称请写全称', currentUnitId: null });
    expect(await pending('cd_jxj')).toEqual([]);

    // When he edits and resubmits, Then it starts again at his unit
    json(await save('zhangwei', { ...ZHANGWEI, titleName: '机械工程师', version: returned.version }));
    expect(json<Mine>(await submit('zhangwei')).registration).toMatchObject({ status: 'reviewing', currentUnitId: units.employer, titleName: '机械工程师' });
    // and passes the employer, the department and the city bureau
    json(await review('kj_hr', id, 'pass'));
    json(await review('cd_jxj', id, 'pass'));
    expect(json<Talent>(await review('cd_hr', id, 'pass', '同意'))).toMatchObject({ status: 'approved', currentUnitId: null });
    // Then it is counted in the city bureau's statistics
    const stats = json<{ rows: Array<{ category: string; total: number; intermediate: number; party: number; master: number }> }>(await t.request('GET', '/api/talent-stats', { user: 'cd_hr' }));
    expect(stats.rows.find((r) => r.category === 'engineering')).toMatchObject({ total: 1, intermediate: 1, party: 1, master: 1 });
    // and the approved registration can no longer be changed or submitted
    expect((await save('zhangwei', ZHANGWEI)).statusCode).toBe(409);
    expect((await submit('zhangwei')).statusCode).toBe(409);
  });

  it('ends on 不通过, keeps the registration visible with its reason, and counts nothing', async () => {
    // Given 李娜's submitted registration
    json(await save('lina', LINA));
    const id = json<Mine>(await submit('lina')).registration!.id;
    // When her unit rejects it
    expect(json<Talent>(await review('kj_hr', id, 'reject', '非本单位专业技术人员'))).toMatchObject({ status: 'rejected', rejectReason: '非本单位专业技术人员' });
    // Then the case has ended and she sees why; she cannot submit again
    const registration = (await mine('lina')).registration!;
    expect(registration).toMatchObject({ status: 'rejected', rejectReason: '非本单位专业技术人员' });
    const instance = await db.knex('process_instances').where({ business_key: `talent:${id}` }).first('status');
    expect(instance.status).toBe('completed');
    expect((await submit('lina')).statusCode).toBe(409);
    // and the unit still finds it in its list
    const all = json<{ items: Talent[] }>(await t.request('GET', '/api/talents?view=all&status=rejected', { user: 'kj_hr' })).items;
    expect(all.map((x) => x.id)).toContain(id);
    const stats = json<{ total: { total: number; certificate_only: number; minority: number; female: number } }>(await t.request('GET', '/api/talent-stats', { user: 'kj_hr' }));
    expect(stats.total).toMatchObject({ total: 1, certificate_only: 0, minority: 0, female: 0 });
  });
});

describe('专技人才审核：范围与重复操作', () => {
  let id: number;
  beforeAll(async () => {
    // Given a registration waiting at the person's unit
    json(await save('talent_a', talentBody('王浩然', '19900214', 401)));
    id = json<Mine>(await submit('talent_a')).registration!.id;
  });

  it('hides another unit’s registration (404) and refuses staff without the permission (403), before any state', async () => {
    // the county bureau (a sibling branch of the tree) neither reads nor reviews it
    expect((await t.request('GET', `/api/talents/${id}`, { user: 'jj_hr' })).statusCode).toBe(404);
    expect((await review('jj_hr', id, 'pass')).statusCode).toBe(404);
    expect((await t.request('POST', '/api/talents/pass', { user: 'jj_hr', body: { ids: [id] } })).statusCode).toBe(404);
    // another applicant does not see it
    expect((await t.request('GET', `/api/talents/${id}`, { user: 'lina' })).statusCode).toBe(404);
    // a committee clerk holds no 专技人才 permission
    expect((await t.request('GET', '/api/talents?view=pending', { user: 'cd_pw' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/talent-stats', { user: 'cd_pw' })).statusCode).toBe(403);
    // staff cannot register themselves as an applicant here
    expect((await save('kj_hr', ZHANGWEI)).statusCode).toBe(403);
    // the province may read it (its subtree) but it does not wait there
    expect((await t.request('GET', `/api/talents/${id}`, { user: 'sc_hr' })).statusCode).toBe(200);
    expect((await review('sc_hr', id, 'pass')).statusCode).toBe(409);
  });

  it('makes one transition of a double click: 200 and 409', async () => {
    // When the unit's clerk passes it twice at once
    const [a, b] = await Promise.all([review('kj_hr', id, 'pass'), review('kj_hr', id, 'pass')]);
    // Then one wins and the other is told it was done
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const moved = json<Talent>(await t.request('GET', `/api/talents/${id}`, { user: 'cd_jxj' }));
    expect(moved.currentUnitId).toBe(units.department);
    // and a batch pass at the department passes it once
    const passed = json<{ passed: number; skipped: number }>(await t.request('POST', '/api/talents/pass', { user: 'cd_jxj', body: { ids: [id, id] } }));
    expect(passed).toEqual({ passed: 1, skipped: 0 });
    expect(json<Talent>(await t.request('GET', `/api/talents/${id}`, { user: 'cd_hr' })).currentUnitId).toBe(units.city);
  });

  it('submits once on a double click', async () => {
    // Given a person's draft
    json(await save('talent_b', talentBody('杨博文', '19890516', 403)));
    // When he clicks 提交 twice at once, Then 200 and 409, and one review task waits
    const [a, b] = await Promise.all([submit('talent_b'), submit('talent_b')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const mineNow = (await mine('talent_b')).registration!;
    const open = await db.knex('tasks').where({ instance_id: (await db.knex('talents').where({ id: mineNow.id }).first('instance_id')).instance_id, status: 'open' }).count({ n: '*' });
    expect(Number(open[0]!.n)).toBe(1);
  });
});

describe('专技人才信息：400 naming the field', () => {
  it('checks the ID number by GB 11643 and against the birth date and gender', async () => {
    const bad = await save('talent_c', { ...ZHANGWEI, idNumber: wrongCheck('51010419900307231X') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ field: 'idNumber', message: expect.stringContaining('校验码错误') });
    // a valid number of a woman born 1990-03-28, given as a man born 1990-03-07
    const mismatch = await save('talent_c', { ...talentBody('赵欣怡', '19900328', 404), gender: 'male', birthDate: '1990-03-07' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().details.map((d: { field: string }) => d.field)).toEqual(['birthDate', 'gender']);
  });

  it('names the missing and inconsistent fields', async () => {
    const missing = await save('talent_c', { ...ZHANGWEI, personName: '', category: 'astronaut' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details).toEqual(expect.arrayContaining([{ field: 'body.personName', message: '姓名：请填写姓名' }, expect.objectContaining({ field: 'body.category', message: expect.stringMatching(/^专业技术人员类别：/) })]));
    const noLevel = await save('talent_c', { ...ZHANGWEI, level: null });
    expect(noLevel.statusCode).toBe(400);
    expect(noLevel.json().details[0]).toMatchObject({ field: 'level', message: expect.stringContaining('职称层级') });
    const noCertificate = await save('talent_c', { ...LINA, certificateName: '' });
    expect(noCertificate.json().details[0].field).toBe('certificateName');
    // someone else's ID number is taken
    const taken = await save('talent_c', { ...ZHANGWEI });
    expect(taken.statusCode).toBe(409);
  });

  it('creates one registration and one case when the first save is clicked twice', async () => {
    // When a person's first 保存 arrives twice at once
    const body = talentBody('赵欣怡', '19900328', 404);
    const [a, b] = await Promise.all([save('talent_c', body), save('talent_c', body)]);
    // Then one creates the registration; the other is told to refresh (or, had it come second, saved the same values again)
    expect([a.statusCode, b.statusCode].sort()).toContain(200);
    expect([a.statusCode, b.statusCode].every((s) => s === 200 || s === 409)).toBe(true);
    const userId = (await db.knex('users').where({ username: 'talent_c' }).first('id')).id;
    const rows = await db.knex('talents').where({ user_id: userId }).select('instance_id');
    expect(rows).toHaveLength(1);
    const cases = await db.knex('process_instances').where({ business_key: `talent:${(await db.knex('talents').where({ user_id: userId }).first('id')).id}` }).count({ n: '*' });
    expect(Number(cases[0]!.n)).toBe(1);
    expect(rows[0]!.instance_id).not.toBeNull();
  });
});
