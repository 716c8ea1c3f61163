import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let session: ConsoleSession;
let dir: string;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'recognition', viewport: DESKTOP });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recognition-'));
  fs.writeFileSync(path.join(dir, '职称证书扫描件.pdf'), '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  fs.writeFileSync(path.join(dir, '任职资格文件.pdf'), '%PDF-1.4\n2 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
}, 300_000);

afterAll(async () => {
  await session?.close();
});

async function choose(field: string, option: string) {
  const { page } = session;
  await page.click(`[data-testid="field-${field}"]`);
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('职称确认 in the console, in Chromium', () => {
  let id: number;

  it('the person applies on a phone', async () => {
    session.keepScreenshotOnFailure('1-apply');
    const { page, base } = session;
    // Given 张伟 on a 390 px phone, on 我的职称确认
    await page.setViewportSize(PHONE);
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-title-recognitions`);
    await page.click('[data-testid="recognition-apply"]');
    // When he submits with the specialty missing, Then the field says so
    await choose('series', '工程技术');
    await page.fill('[data-testid="field-titleName"]', '工程师');
    await choose('level', '中级');
    await choose('acquisition', '外省（市）评审取得');
    await page.fill('[data-testid="field-originalBody"]', '重庆市工程技术系列中级职称评审委员会');
    await page.fill('[data-testid="field-obtainedDate"]', '2019-12-20');
    await page.fill('[data-testid="field-originalDocumentNo"]', '渝人社职〔2019〕88号');
    await page.setInputFiles('[data-testid="upload-certificateFileId"]', path.join(dir, '职称证书扫描件.pdf'));
    await page.setInputFiles('[data-testid="upload-qualificationFileId"]', path.join(dir, '任职资格文件.pdf'));
    await expect.poll(() => page.getByRole('dialog').innerText()).not.toContain('未上传');
    await page.fill('[data-testid="field-reason"]', '由重庆调入，申请确认原评审取得的工程师职称');
    await page.click('[data-testid="recognition-submit"]');
    await expect.poll(() => page.locator('[data-testid="recognition-problem"]').innerText()).toContain('请填写专业');
    // When he fills it in and submits, Then his application waits at his unit
    await page.fill('[data-testid="field-specialty"]', '机械工程');
    await screenshot(page, 'recognition-1-apply-390');
    await page.click('[data-testid="recognition-submit"]');
    await expect.poll(() => page.locator('[data-testid^="recognition-card-"]').first().innerText()).toContain('审核中');
    const row = await session.db.knex('title_recognitions').where({ specialty: '机械工程' }).first('id', 'status');
    expect(row.status).toBe('reviewing');
    id = Number(row.id);
    // and nothing is wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'recognition-2-mine-390');
  });

  it('his unit returns it with a reason, and he resubmits', async () => {
    session.keepScreenshotOnFailure('2-return');
    const { page, base } = session;
    // Given the unit's clerk on 职称确认审核 at 1366×768
    await page.setViewportSize(DESKTOP);
    await login(page, base, 'kj_hr');
    await page.getByText('职称确认审核').first().click();
    await page.click(`[data-testid="open-${id}"]`);
    // the ID number is masked for the clerk; 查看 opens it (the view is recorded)
    await expect.poll(() => page.getByTestId('recognition-id-number-view-text').innerText()).toBe('5101**********231X');
    await screenshot(page, 'recognition-3-review');
    await page.getByTestId('recognition-id-number-view').click();
    await expect.poll(() => page.getByTestId('recognition-id-number-view-text').innerText()).toBe('51010419900307231X');
    // When they return it without a reason, Then 400 shown at the opinion; with a reason it goes back
    await page.click('[data-testid="review-return"]');
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('请填写退回原因');
    await page.fill('[data-testid="opinion"]', '任职资格文件不清晰，请重新上传');
    await page.click('[data-testid="review-return"]');
    await expect.poll(async () => (await session.db.knex('title_recognitions').where({ id }).first('status')).status).toBe('returned');
    // When 张伟 opens 我的职称确认, Then he reads the reason and resubmits
    await page.setViewportSize(PHONE);
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-title-recognitions`);
    await expect.poll(() => page.locator(`[data-testid="recognition-card-${id}"]`).innerText()).toContain('退回原因：任职资格文件不清晰');
    await page.click(`[data-testid="resubmit-${id}"]`);
    await page.setInputFiles('[data-testid="upload-qualificationFileId"]', path.join(dir, '任职资格文件.pdf'));
    await page.click('[data-testid="recognition-submit"]');
    await expect.poll(() => page.locator(`[data-testid="status-${id}"]`).innerText()).toBe('审核中');
  });

  it('the bureau confirms with the 文号 and the person downloads the certificate', async () => {
    session.keepScreenshotOnFailure('3-confirm');
    const { page, base, t } = session;
    // Given the unit and the department have passed it
    for (const user of ['kj_hr', 'cd_jxj']) {
      // each decision names the step the reviewing screen shows
      const { taskId } = (await t.request('GET', `/api/title-recognitions/${id}`, { user })).json() as { taskId: string };
      expect((await t.request('POST', `/api/title-recognitions/${id}/review`, { user, body: { action: 'pass', taskId } })).statusCode).toBe(200);
    }
    // When the city bureau's clerk passes it with a malformed 文号, Then the field says so
    await page.setViewportSize(DESKTOP);
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/title-recognition-reviews`);
    await page.click(`[data-testid="open-${id}"]`);
    await page.fill('[data-testid="approvalDate"]', '2026-02-20');
    await page.fill('[data-testid="documentNo"]', '成人社职(2026)15号');
    await page.click('[data-testid="review-pass"]');
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('六角括号');
    // When the 文号 is right, Then it is confirmed with one 确认 certificate
    await page.fill('[data-testid="documentNo"]', '成人社职〔2026〕15号');
    await screenshot(page, 'recognition-4-confirm');
    await page.click('[data-testid="review-pass"]');
    await expect.poll(async () => (await session.db.knex('title_recognitions').where({ id }).first('status')).status).toBe('confirmed');
    const certs = await session.db.knex('certificates').where({ source_type: 'recognition', source_id: id });
    expect(certs.map((c) => c.kind)).toEqual(['confirm']);
    // and 张伟 sees it confirmed, with 下载证书
    await page.setViewportSize(PHONE);
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-title-recognitions`);
    await expect.poll(() => page.locator(`[data-testid="recognition-card-${id}"]`).innerText()).toContain(certs[0].certificate_no);
    await page.locator(`[data-testid="download-${id}"]`).waitFor();
    await screenshot(page, 'recognition-5-confirmed-390');
  });
});
