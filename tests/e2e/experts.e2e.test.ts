import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { idNumber, wrongCheck } from '../helpers/fixtures.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'experts' });
  ({ db, t, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** The downloaded template with two good rows and one whose ID number has a wrong check character. */
async function workbook(): Promise<Buffer> {
  const template = await t.request('GET', '/api/expert-imports/template', { user: 'cd_pw' });
  expect(template.statusCode).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('专家信息')!;
  const good = idNumber('19700101', 201);
  const bad = idNumber('19720202', 203);
  const rows = [
    ['周工', good],
    ['吴工', idNumber('19710101', 202)],
    ['郑工', wrongCheck(bad)],
  ];
  rows.forEach(([name, id], i) => {
    const values = [name, id, null, null, '否', '成都示范科技有限公司', null, '工程师', null, '13800000021', null, '无', '工程技术', '机械工程', '高级工程师'];
    const row = sheet.getRow(3 + i);
    values.forEach((v, j) => {
      if (v !== null) row.getCell(j + 1).value = v;
    });
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('专家库 in the console, in Chromium', () => {
  it('the organiser imports a workbook: the check lists the bad row with its reason, and only the good rows are imported on confirmation', async () => {
    session.keepScreenshotOnFailure('1-import');
    const committee = await db.knex('committees').first();
    const before = await db.knex('experts').where({ committee_id: committee.id }).count({ n: '*' });
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/experts`);
    await page.click('[data-testid="import-experts"]');
    await page.locator('[data-testid="import-file"]').setInputFiles({ name: '专家名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await workbook() });
    await page.click('[data-testid="import-check"]');
    await expect.poll(() => page.locator('[data-testid="import-summary"]').innerText(), { timeout: 20_000 }).toContain('共 3 行：检验正确 2 行，错误 1 行');
    // the bad row, with the reason for its cell; nothing imported yet
    await page.getByText('错误数据 1').click();
    await expect.poll(() => page.locator('[data-testid="import-bad"]').innerText()).toContain('校验码错误');
    expect((await db.knex('experts').where({ committee_id: committee.id }).count({ n: '*' }))[0]).toEqual(before[0]);

    await page.click('[data-testid="import-confirm"]');
    await expect.poll(() => page.locator('[data-testid="import-done"]').innerText(), { timeout: 20_000 }).toContain('已导入 2 名专家');
    const imported = await db.knex('experts').where({ committee_id: committee.id, status: 'draft' }).orderBy('name');
    expect(imported.map((e: { name: string }) => e.name).sort()).toEqual(['吴工', '周工']);
    expect(await db.knex('experts').where({ name: '郑工' })).toHaveLength(0);
  });
});
