import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, instanceView, startDossier, taskOf } from '../helpers/flow.ts';
import { activityBody } from '../helpers/fixtures.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

// the applicant: born 1992-05-05 (a man: 17th digit 3), by the check digit of GB 11643
const ID_NUMBER = '510104199205051234';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let instanceId: string;
let submitTaskId: string;
let dossierId: number;

/** What the applicant born 1992-05-05 may declare for the demo activity (工程技术, 中级, 90 学时). */
const valid = { ...VALID_DOSSIER, gender: undefined, birthDate: undefined, workStartDate: '2014-07-01', currentTitleDate: '2016-12-01', graduationDate: '2014-06-30' };

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
  await db.knex('users').insert({ username: 'wangfang', password_hash: await hashPassword(DEMO_PASSWORD), display_name: '王芳', unit_id: employer.id, roles: ['applicant'], id_number: ID_NUMBER });
  instanceId = await startDossier(t, 'wangfang');
  submitTaskId = (await taskOf(t, 'wangfang', instanceId, 'submit')).id;
  dossierId = Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** Submits `data`; expects a 400 whose details name exactly `fields`, and returns the messages by field. */
async function refused(data: Record<string, unknown>, fields: string[]): Promise<Record<string, string>> {
  const res = await complete(t, 'wangfang', submitTaskId, 'submit', undefined, data);
  expect(res.statusCode, res.body).toBe(400);
  const details = (res.json() as { details: Array<{ field: string; message: string }> }).details;
  expect([...new Set(details.map((d) => d.field))].sort()).toEqual([...fields].sort());
  return Object.fromEntries(details.map((d) => [d.field, d.message]));
}

describe('a declaration is checked against the activity', () => {
  it('refuses a series the activity does not open (农业技术 for a 工程技术 committee)', async () => {
    // given the demo activity of the 工程技术 committee
    // when the applicant declares 农业技术
    const byField = await refused({ ...valid, series: 'agriculture' }, ['data.series']);
    // then 申报系列 is refused in Chinese, naming the series it opens
    expect(byField['data.series']).toBe('申报系列须为本次评审活动开放的系列（工程技术），不能申报“农业技术”');
  });

  it('refuses a level and a specialty the activity does not open', async () => {
    const byField = await refused({ ...valid, level: 'senior_full', specialty: '农学' }, ['data.level', 'data.specialty']);
    expect(byField['data.level']).toContain('申报级别');
    expect(byField['data.specialty']).toContain('申报专业');
  });

  it('takes the committee’s specialties when the activity lists none (不填表示开设评委会评审范围内的全部专业)', async () => {
    // given the activity opening no specialty of its own
    await db.knex('activities').where({ id: 1 }).update({ specialties: [] });
    try {
      // when a specialty outside the committee's is declared, then it is refused with the committee's list
      const byField = await refused({ ...valid, specialty: '农学' }, ['data.specialty']);
      expect(byField['data.specialty']).toContain('可选：机械工程、电气工程、建筑工程');
      // and the form is offered the committee's list
      const view = (await t.request('GET', `/api/dossiers/${dossierId}/declaration`, { user: 'wangfang' })).json() as { activity: { specialties: string[] } };
      expect(view.activity.specialties).toEqual(['机械工程', '电气工程', '建筑工程']);
    } finally {
      await db.knex('activities').where({ id: 1 }).update({ specialties: ['机械工程', '电气工程', '建筑工程'] });
    }
  });

  it('refuses fewer continuing-education hours than the activity asks (notice 004: 90)', async () => {
    const byField = await refused({ ...valid, continuingEducationHours: 10 }, ['data.continuingEducationHours']);
    expect(byField['data.continuingEducationHours']).toBe('继续教育学时不足：本次活动要求不少于 90 学时，现为 10 学时');
  });

  it('takes its minimum hours from the activity, not from a constant', async () => {
    // given the activity raised to 120 hours
    await db.knex('activities').where({ id: 1 }).update({ min_continuing_education_hours: 120 });
    try {
      // when 100 hours are declared, then they are too few
      const byField = await refused({ ...valid, continuingEducationHours: 100 }, ['data.continuingEducationHours']);
      expect(byField['data.continuingEducationHours']).toContain('不少于 120 学时');
    } finally {
      await db.knex('activities').where({ id: 1 }).update({ min_continuing_education_hours: 90 });
    }
  });

  it('refuses a 联系电话 that is neither a mobile nor a fixed line with area code', async () => {
    const byField = await refused({ ...valid, phone: '12345' }, ['data.phone']);
    expect(byField['data.phone']).toMatch(/^联系电话：/);
  });
});

describe('a declaration is checked against time and the ID number', () => {
  it('refuses a 参加工作时间 in the future', async () => {
    // today is 2026-03-02 on the test clock
    const byField = await refused({ ...valid, workStartDate: '2030-07-01', currentTitleDate: undefined }, ['data.workStartDate']);
    expect(byField['data.workStartDate']).toBe('参加工作时间不能晚于今天（2026-03-02）');
  });

  it('refuses a 参加工作时间 before the 16th birthday of the ID number’s birth date', async () => {
    const byField = await refused({ ...valid, workStartDate: '2008-05-04', currentTitleDate: '2010-01-01' }, ['data.workStartDate']);
    expect(byField['data.workStartDate']).toBe('参加工作时间应在出生 16 年之后（出生日期 1992-05-05，不早于 2008-05-05）');
  });

  it('refuses a 现职称评定时间 before 参加工作时间', async () => {
    const byField = await refused({ ...valid, currentTitleDate: '2014-06-30' }, ['data.currentTitleDate']);
    expect(byField['data.currentTitleDate']).toBe('现职称评定时间不能早于参加工作时间（2014-07-01）');
  });

  it('refuses future dates of certificates, work history and achievements, each at its field', async () => {
    await refused(
      { ...valid, qualifications: [{ name: '机械工程师资格', date: '2027-01-01' }], workHistory: [{ from: '2014-07-01', to: '2026-12-31', unit: '成都示范科技有限公司' }], achievements: [{ title: '某型减速器设计', date: '2026-03-03' }] },
      ['data.qualifications.0.date', 'data.workHistory.0.to', 'data.achievements.0.date'],
    );
  });

  it('stores 性别 and 出生日期 from the ID number, whatever the body sent', async () => {
    // given the form shows them derived from the ID number
    const view = (await t.request('GET', `/api/dossiers/${dossierId}/declaration`, { user: 'wangfang' })).json() as { applicant: Record<string, unknown>; activity: Record<string, unknown> };
    expect(view.applicant).toMatchObject({ gender: 'male', genderLabel: '男', birthDate: '1992-05-05' });
    expect(view.activity).toMatchObject({ series: ['engineering'], levels: ['intermediate'], minContinuingEducationHours: 90 });

    // when a body sends another birth date and sex
    await completeOk(t, 'wangfang', submitTaskId, 'submit', undefined, { ...valid, birthDate: '2030-01-01', gender: 'female' });

    // then the stored declaration and the case carry the ID number's
    const row = await db.knex('dossiers').where({ id: dossierId }).first('data');
    const stored = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, unknown>;
    expect(stored).toMatchObject({ gender: 'male', birthDate: '1992-05-05', series: 'engineering' });
    const view2 = await instanceView(t, 'wangfang', instanceId);
    expect(view2.variables.dossier).toMatchObject({ gender: 'male', birthDate: '1992-05-05' });
  });
});

describe('an activity’s 文号 and 继续教育最低学时', () => {
  it('refuses a 文号 not of the form X〔YYYY〕N号, naming 文号', async () => {
    const committeeId = Number((await db.knex('committees').first('id')).id);
    // when the organiser saves "成人社2026-3"
    const res = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(committeeId, { documentNumber: '成人社2026-3' }) });
    // then
    expect(res.statusCode, res.body).toBe(400);
    const details = (res.json() as { details: Array<{ field: string; message: string }> }).details;
    expect(details).toEqual([{ field: 'body.documentNumber', message: expect.stringMatching(/^文号：文号格式应为“机关代字〔年份〕序号号”/) }]);
  });

  it('stores the minimum hours and shows them in the notice; 90 when not given', async () => {
    const committeeId = Number((await db.knex('committees').first('id')).id);
    const given = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(committeeId, { documentNumber: '成人社发〔2026〕12号', minContinuingEducationHours: 120 }) });
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json()).toMatchObject({ documentNumber: '成人社发〔2026〕12号', minContinuingEducationHours: 120 });
    const body = activityBody(committeeId) as Record<string, unknown>;
    delete body.minContinuingEducationHours;
    const omitted = await t.request('POST', '/api/activities', { user: 'cd_pw', body });
    expect(omitted.statusCode, omitted.body).toBe(201);
    expect(omitted.json()).toMatchObject({ minContinuingEducationHours: 90 });
  });
});
