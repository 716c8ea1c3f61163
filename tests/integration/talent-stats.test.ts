import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTalentsRepository } from '../../api/modules/talents/talents.repository.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createPerson, registerAndApprove, talentBody } from '../helpers/talents.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

type Row = { category: string; label: string } & Record<string, number>;
type Stats = { unitName: string; rows: Row[]; total: Record<string, number> };

const json = <T>(res: { statusCode: number; body: string; json: () => unknown }): T => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
};
const stats = async (user: string) => json<Stats>(await t.request('GET', '/api/talent-stats', { user }));
const row = (s: Stats, category: string) => s.rows.find((r) => r.category === category)!;
const CHAIN = ['kj_hr', 'cd_jxj', 'cd_hr'];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const id = async (name: string) => Number((await db.knex('units').where({ name }).first('id')).id);
  const employer = await id('成都示范科技有限公司');
  const county = await id('成都市锦江区人力资源和社会保障局');
  // Given five approved people of the employer (under the department), one approved in the county
  // bureau (the department's sibling) and one of the employer still under review
  const people: Array<[string, number, string, number, Record<string, unknown>, string[]]> = [
    ['s1', employer, '19800101', 11, { category: 'university_teacher', level: 'senior_full', politicalStatus: 'party_member', education: 'doctorate' }, CHAIN],
    ['s2', employer, '19850202', 22, { category: 'university_teacher', level: 'intermediate', ethnicity: '彝族', education: 'master' }, CHAIN],
    ['s3', employer, '19860303', 32, { titleKind: 'certificate', level: null, series: null, titleName: null, certificateName: '一级建造师', politicalStatus: 'probationary_member' }, CHAIN],
    ['s4', employer, '19870404', 41, { titleKind: 'none', level: null, series: null, titleName: null, ethnicity: '藏族', politicalStatus: 'league_member', origin: 'hk_mo_tw', education: 'associate' }, CHAIN],
    ['s5', employer, '19880505', 51, { category: 'health', level: 'junior', series: 'health', origin: 'foreign', idNumber: 'E12345678', education: 'high_school' }, CHAIN],
    ['s6', county, '19810606', 62, { category: 'university_teacher', level: 'senior_deputy', politicalStatus: 'party_member', education: 'doctorate' }, ['jj_hr']],
    ['s7', employer, '19820707', 71, { category: 'university_teacher', level: 'senior_full' }, ['kj_hr']],
  ];
  for (const [username, unitId, birth, seq, overrides, reviewers] of people) {
    await createPerson(db.knex, username, unitId, birth, seq);
    await registerAndApprove(t, username, talentBody(username, birth, seq, overrides), reviewers);
  }
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('专技人才统计', () => {
  it('counts the approved people of the department’s subtree per category and column, not its sibling’s', async () => {
    // When the department looks at its statistics
    const s = await stats('cd_jxj');
    // Then the employer's five approved people are counted, the county's and the one under review are not
    expect(s.total.total).toBe(5);
    expect(row(s, 'university_teacher')).toMatchObject({ label: '高等学校教师', total: 2, senior_full: 1, senior_deputy: 0, intermediate: 1, female: 1, minority: 1, party: 1, doctorate: 1, master: 1 });
    expect(row(s, 'engineering')).toMatchObject({ total: 2, certificate_only: 1, other: 1, female: 1, minority: 1, party: 1, overseas: 1, bachelor: 1, associate: 1 });
    expect(row(s, 'health')).toMatchObject({ total: 1, junior: 1, overseas: 1, secondary_below: 1, female: 0 });
    expect(row(s, 'archives').total).toBe(0);
  });

  it('adds the sibling’s people for the parent, and shows the sibling only its own', async () => {
    const city = await stats('cd_hr');
    expect(city.total.total).toBe(6);
    expect(row(city, 'university_teacher')).toMatchObject({ total: 3, senior_full: 1, senior_deputy: 1, female: 2, party: 2, doctorate: 2 });
    const county = await stats('jj_hr');
    expect(county.total).toMatchObject({ total: 1, senior_deputy: 1, female: 1 });
    // and the province's table has every category row, in the manual's order first
    const province = await stats('sc_hr');
    expect(province.rows.slice(0, 3).map((r) => r.label)).toEqual(['高等学校教师', '哲学社会科学研究人员', '自然科学研究人员']);
    expect(province.total.total).toBe(6);
  });

  it('keeps the summary equal to the aggregate over the registrations themselves', async () => {
    const repo = createTalentsRepository(db.knex);
    for (const name of ['四川省人力资源和社会保障厅', '成都市经济和信息化局', '成都市锦江区人力资源和社会保障局']) {
      const { path } = await db.knex('units').where({ name }).first('path');
      const sorted = (rows: Array<{ category: string }>) => [...rows].sort((a, b) => a.category.localeCompare(b.category));
      expect(sorted(await repo.summaryUnder(path))).toEqual(sorted(await repo.liveUnder(path)));
    }
  });

  it('exports the same table to Excel with the merged headers', async () => {
    // When the department exports
    const res = await t.request('GET', '/api/talent-stats/export', { user: 'cd_jxj' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    // Then the header rows are the manual's, merged
    expect(sheet.getCell('A2').value).toBe('项目');
    expect(sheet.getCell('B2').value).toBe('专业技术人员类别');
    expect(sheet.getCell('I2').value).toBe('基本情况');
    expect(sheet.getCell('M2').value).toBe('学历');
    expect(sheet.getCell('C3').value).toBe('具有专业技术职称人员');
    expect([sheet.getCell('C4').value, sheet.getCell('F4').value]).toEqual(['正高级', '初级']);
    expect(sheet.getCell('F3').isMerged && sheet.getCell('F3').master.address).toBe('C3');
    expect(sheet.getCell('A4').master.address).toBe('A2');
    // and the rows carry the counts the screen shows
    const s = await stats('cd_jxj');
    expect(sheet.getCell('A5').value).toBe('高等学校教师');
    expect([2, 3, 4, 5].map((c) => sheet.getRow(5).getCell(c).value)).toEqual([2, 1, 0, 1]);
    const last = sheet.getRow(5 + s.rows.length);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.getCell(2).value).toBe(5);
    expect(last.getCell(12).value).toBe(s.total.overseas);
  });

  it('refuses staff without 专技人才统计 (403)', async () => {
    expect((await t.request('GET', '/api/talent-stats/export', { user: 'cd_pw' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/talent-stats', { user: 'zhangwei' })).statusCode).toBe(403);
  });
});
