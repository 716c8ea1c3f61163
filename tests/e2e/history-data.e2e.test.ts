import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { HISTORY_BODY, HISTORY_DOC, historyRow, historyWorkbook } from '../helpers/history-data.ts';

let session: ConsoleSession;
let dir: string;
const BODY = HISTORY_BODY;
const DOC = HISTORY_DOC;
const row = historyRow;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'history', viewport: { width: 1366, height: 768 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'history-'));
  fs.writeFileSync(path.join(dir, '历史职称数据.xlsx'), await historyWorkbook([row(1), row(2, { reviewDate: '2019-01-05' }), row(3)]));
  fs.writeFileSync(path.join(dir, '任职资格文件.pdf'), '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
}, 300_000);

afterAll(async () => {
  await session?.close();
});

describe('历史职称数据 in the console, in Chromium', () => {
  it('the city bureau adds a historical review body for the department', async () => {
    session.keepScreenshotOnFailure('1-body');
    const { page, base } = session;
    // Given the city bureau's clerk on 历史评审机构管理
    await login(page, base, 'cd_hr');
    await page.getByText('历史评审机构管理').first().click();
    await page.click('[data-testid="new-body"]');
    // When they name the body, tick 工程技术 and 中级, and choose the department by searching
    await page.fill('[data-testid="body-name"]', BODY);
    await page.getByRole('dialog').getByLabel('工程技术').check();
    await page.getByRole('dialog').getByLabel('中级').check();
    await page.getByRole('dialog').getByLabel('采集单位（搜索并选择）').fill('经济');
    await page.getByRole('option', { name: '成都市经济和信息化局' }).click();
    await screenshot(page, 'history-1-body');
    await page.click('[data-testid="body-save"]');
    // Then the list shows it with its unit
    await expect.poll(() => page.locator('table').innerText()).toContain('成都市经济和信息化局');
    expect(await page.locator('table').innerText()).toContain(BODY);
  });

  it('the department uploads a workbook, sees the bad row red with its error, edits it in place until it turns good, and submits', async () => {
    session.keepScreenshotOnFailure('2-upload');
    const { page, base } = session;
    // Given the department's clerk on 历史职称数据上传
    await login(page, base, 'cd_jxj');
    await page.getByText('历史职称数据上传').first().click();
    // When they start a batch of 职称评审 with its 文号 and upload the workbook
    await page.click('[data-testid="new-upload"]');
    await page.fill('[data-testid="document-no"]', DOC);
    await page.click('[data-testid="create-upload"]');
    await page.waitForSelector('[data-testid="workbook-input"]', { state: 'attached' });
    await page.setInputFiles('[data-testid="workbook-input"]', path.join(dir, '历史职称数据.xlsx'));
    // Then the check step counts 2 good and 1 bad, and the bad row shows its error, red
    await expect.poll(() => page.locator('[data-testid="bad-count"]').innerText()).toContain('错误 1 条');
    expect(await page.locator('[data-testid="good-count"]').innerText()).toContain('正确 2 条');
    const error = page.locator('[data-testid="error-2-reviewDate"]');
    await expect.poll(() => error.innerText()).toContain('评审时间（2019-01-05）须早于批准时间（2018-12-01）');
    expect(await error.evaluate((el) => getComputedStyle(el).color)).toMatch(/^rgb\(2\d\d, \d{1,2}, \d{1,2}\)$/);
    await screenshot(page, 'history-2-check');
    // When the row is edited in place with a review date before the approval date
    await page.click('[data-testid="edit-2"]');
    expect(await page.locator('[data-testid="edit-errors"]').innerText()).toContain('须早于批准时间');
    await page.fill('[data-testid="field-reviewDate"]', '2018-10-20');
    await screenshot(page, 'history-3-edit');
    await page.click('[data-testid="edit-save"]');
    // Then it is checked again and turns good: no bad row is left
    await expect.poll(() => page.locator('[data-testid="bad-count"]').innerText()).toContain('错误 0 条');
    expect(await page.locator('[data-testid="good-count"]').innerText()).toContain('正确 3 条');
    const stored = await session.db.knex('history_records').where({ row_no: 2 }).first('bad', 'review_date');
    expect(stored).toMatchObject({ bad: false, review_date: '2018-10-20' });

    // When they submit to the province, Then the audit path is shown and the 任职资格文件 is required
    await page.click('[data-testid="submit-open"]');
    await page.getByRole('dialog').getByRole('combobox').click();
    await page.getByRole('option', { name: '四川省人力资源和社会保障厅' }).click();
    await expect.poll(() => page.locator('[data-testid="submit-path"]').innerText()).toContain('成都市人力资源和社会保障局 - 四川省人力资源和社会保障厅');
    await page.click('[data-testid="submit"]');
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('请上传任职资格文件');
    await page.setInputFiles('[data-testid="qualification-input"]', path.join(dir, '任职资格文件.pdf'));
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('已上传');
    await screenshot(page, 'history-4-submit');
    await page.click('[data-testid="submit"]');
    // Then the batch is under review at the city bureau
    await expect.poll(() => page.locator('[data-testid="audit-path"]').innerText()).toContain('成都市人力资源和社会保障局（审核中）');
  });

  it('the city bureau checks the names against the 任职资格文件 and passes the batch', async () => {
    session.keepScreenshotOnFailure('3-review');
    const { page, base } = session;
    // Given the city bureau's clerk on 历史职称数据审核
    await login(page, base, 'cd_hr');
    await page.getByText('历史职称数据审核').first().click();
    await page.locator('[data-testid^="review-"]').getByRole('button', { name: '审核', exact: true }).click();
    // When the names of the 任职资格文件 are pasted and checked
    await page.fill('[data-testid="names"]', '历史人员1 历史人员3 王五');
    await page.click('[data-testid="name-check"]');
    // Then each person is marked present or absent, and the stranger is listed
    await expect.poll(() => page.locator('[data-testid="name-历史人员2"]').innerText()).toContain('不存在');
    expect(await page.locator('[data-testid="name-历史人员1"]').innerText()).toContain('存在');
    expect(await page.getByRole('dialog').innerText()).toContain('名单中有、本批次没有的人员：王五');
    await screenshot(page, 'history-5-names');
    // When the clerk passes, Then the batch leaves the city's list for the province
    await page.click('[data-testid="review-pass"]');
    await expect.poll(() => page.getByText('没有待审核的历史职称数据').count()).toBe(1);
    expect(await session.db.knex('history_uploads').first('status', 'current_unit_id')).toMatchObject({ status: 'reviewing' });
  });

  it('the province passes with 一键审核 and, as issuer, cancels a doubtful person, uploads the stamped summary and issues', async () => {
    session.keepScreenshotOnFailure('4-issue');
    const { page, base } = session;
    // Given the province's clerk on 历史职称数据审核, When they pass everything with 一键审核
    await login(page, base, 'sc_hr');
    await page.getByText('历史职称数据审核').first().click();
    await page.waitForSelector('[data-testid^="review-"]');
    await page.click('[data-testid="pass-all"]');
    await expect.poll(() => page.getByText('没有待审核的历史职称数据').count()).toBe(1);
    // Then 历史证书生成 lists the batch by uploader, 文号 and review body
    await page.getByText('历史证书生成').first().click();
    const group = page.locator('[data-testid^="group-"]');
    await expect.poll(() => group.innerText()).toContain(BODY);
    expect(await group.innerText()).toContain('成都市经济和信息化局');
    // When one person is cancelled with a reason
    await group.getByRole('button', { name: '批量发证' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('row', { name: /历史人员3/ }).getByRole('checkbox').check();
    await dialog.getByRole('button', { name: '取消发证', exact: true }).click();
    await page.fill('[data-testid="reason-input"]', '证书信息存疑');
    await page.click('[data-testid="reason-submit"]');
    await expect.poll(() => dialog.getByRole('row', { name: /历史人员3/ }).innerText()).toContain('取消发证：证书信息存疑');
    // and the stamped summary is uploaded and 发证 clicked
    await page.setInputFiles('[data-testid="stamped-input"]', path.join(dir, '任职资格文件.pdf'));
    await expect.poll(() => page.locator('[data-testid="issue"]').isEnabled()).toBe(true);
    await screenshot(page, 'history-6-issue');
    await page.click('[data-testid="issue"]');
    // Then the progress reaches 已发证 2 / 2 and two certificates of kind history exist
    await expect.poll(() => page.locator('[data-testid="issue-progress"]').innerText(), { timeout: 30_000 }).toContain('已发证：已生成 2 / 2 本');
    await screenshot(page, 'history-7-issued');
    const certificates = await session.db.knex('certificates').where({ source_type: 'history' }).orderBy('person_name').pluck('person_name');
    expect(certificates).toEqual(['历史人员1', '历史人员2']);
  });
});
