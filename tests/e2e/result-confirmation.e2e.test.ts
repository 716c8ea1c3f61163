import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { addApplicants, atConfirmation, closedMeeting, publish, requestConfirmation } from '../helpers/result-confirmation.ts';

let session: ConsoleSession;
let meetingId: number;
let a: number, b: number, c: number;
let pdf: string;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'confirmation',
    viewport: { width: 1366, height: 768 },
    prepare: async (db, t) => {
      await addApplicants(db.knex, ['rce_a', 'rce_b', 'rce_c']);
      meetingId = await closedMeeting(db.knex, 'normal');
      const department = Number((await db.knex('units').where({ name: '成都市经济和信息化局' }).first('id')).id);
      a = await atConfirmation(t, db.knex, 'rce_a', meetingId);
      b = await atConfirmation(t, db.knex, 'rce_b', meetingId);
      c = await atConfirmation(t, db.knex, 'rce_c', meetingId, department);
      await requestConfirmation(t, db.knex, meetingId, [a, b, c]);
    },
  });
  pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'confirm-')), '任职资格文件.pdf');
  fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
}, 300_000);

afterAll(async () => {
  await session?.close();
});

const rowText = (id: number) => session.page.locator(`[data-testid="row-${id}"]`).innerText();
const stateOf = async (id: number) => String((await session.db.knex('result_confirmations').where({ dossier_id: id }).first('state')).state);

describe('评审结果确认 in the console, in Chromium', () => {
  it('the 授权管理单位 returns a candidate for 补充材料, the committee supplements, and the unit confirms with 一键通过', async () => {
    session.keepScreenshotOnFailure('1-unit');
    const { page, base } = session;
    // Given the city bureau's clerk on 评审结果确认
    await login(page, base, 'cd_hr');
    await page.getByText('评审结果确认').first().click();
    await page.waitForSelector(`[data-testid="meeting-${meetingId}"]`);
    // Then the direct tab lists the two directly reviewed candidates, not the delegated one
    expect(await rowText(a)).toContain('确认申报人1');
    expect(await rowText(b)).toContain('材料审阅');
    expect(await page.locator(`[data-testid="row-${c}"]`).count()).toBe(0);
    // and 查看材料 shows the dossier with the meeting's result
    await page.locator(`[data-testid="row-${a}"]`).getByRole('button', { name: '查看材料' }).click();
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('评委会评审通过');
    expect(await page.getByRole('dialog').innerText()).toContain('西南交通大学');
    await screenshot(page, 'confirmation-1-dossier');
    await page.getByRole('button', { name: '关闭' }).click();

    // When the clerk returns candidate a for 补充材料 with a reason
    await page.click(`[data-testid="return-${a}"]`);
    await page.fill('[data-testid="reason-input"]', '缺少继续教育证明');
    await page.click('[data-testid="reason-submit"]');
    // Then a shows 补充材料 with the reason
    await expect.poll(() => rowText(a)).toContain('缺少继续教育证明');
    expect(await rowText(a)).not.toContain('审阅无误');
    expect(await stateOf(a)).toBe('supplement');
    await screenshot(page, 'confirmation-2-returned');

    // When the committee's clerk supplements on the organiser's page
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/meetings/${meetingId}/confirmation`);
    await page.waitForSelector(`[data-testid="supplement-${a}"]`);
    expect(await page.locator('[data-testid="counts"]').innerText()).toContain('补充材料 1');
    await page.click(`[data-testid="supplement-${a}"]`);
    await page.fill('[data-testid="reason-input"]', '已补充继续教育证明');
    await page.click('[data-testid="reason-submit"]');
    // Then a is back 确认中, at the bureau's 材料审阅
    await expect.poll(() => rowText(a)).toContain('确认中');
    expect(await rowText(a)).toContain('材料审阅');
    await screenshot(page, 'confirmation-3-organiser');

    // When the bureau uploads the 任职资格文件 and passes its whole list with 一键通过
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/result-confirmations`);
    await page.waitForSelector(`[data-testid="meeting-${meetingId}"]`);
    await page.setInputFiles('[data-testid="qualification-upload"]', pdf);
    await expect.poll(() => page.locator('[data-testid="qualification-file"]').innerText()).toContain('任职资格文件.pdf');
    await page.click('[data-testid="pass-all"]');
    // Then both are 确认通过 and their cases got the result
    await expect.poll(() => rowText(a)).toContain('确认通过');
    await expect.poll(() => rowText(b)).toContain('确认通过');
    expect(await stateOf(a)).toBe('passed');
    expect(String((await session.db.knex('dossiers').where({ id: b }).first('status')).status)).toBe('confirmed');
    await screenshot(page, 'confirmation-4-passed');
  });

  it('the delegating department confirms its candidate on the 委托 tab, refusing first without a reason', async () => {
    session.keepScreenshotOnFailure('2-delegated');
    const { page, base } = session;
    // Given the department's clerk on the 线上委托结果确认 tab
    await login(page, base, 'cd_jxj');
    await page.goto(`${base}/#/result-confirmations`);
    await page.click('[data-testid="tab-delegated"]');
    await page.waitForSelector(`[data-testid="row-${c}"]`);
    // When the clerk reviews and tries 不通过 without a reason
    await page.click(`[data-testid="reviewed-${c}"]`);
    await page.waitForSelector(`[data-testid="reject-${c}"]`);
    await page.click(`[data-testid="reject-${c}"]`);
    await page.click('[data-testid="reason-submit"]');
    // Then the refusal names the reason, and nothing changed
    await expect.poll(() => page.getByText('确认不通过须填写原因').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await stateOf(c)).toBe('confirming');
    await page.getByRole('button', { name: '取消' }).click();
    // When the file is uploaded and the candidate passed
    await page.setInputFiles('[data-testid="qualification-upload"]', pdf);
    await expect.poll(() => page.locator('[data-testid="qualification-file"]').innerText()).toContain('任职资格文件.pdf');
    await page.click(`[data-testid="pass-${c}"]`);
    // Then it is 确认通过
    await expect.poll(() => rowText(c)).toContain('确认通过');
    expect(await stateOf(c)).toBe('passed');
  });

  it('the organiser sets the 文号 (a wrong year is refused naming the rule), hands over, and 办结 waits for the certificates', async () => {
    session.keepScreenshotOnFailure('3-organiser');
    const { page, base, db, t } = session;
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/meetings/${meetingId}/confirmation`);
    await page.waitForSelector(`[data-testid="row-${a}"]`);
    // When the clerk selects a and b and enters a number of another year
    await page.getByRole('checkbox', { name: '选择确认申报人1' }).check();
    await page.getByRole('checkbox', { name: '选择确认申报人2' }).check();
    await page.click('[data-testid="set-document-no"]');
    await page.fill('[data-testid="document-no"]', '川人社职〔2025〕12号');
    await page.fill('[data-testid="approval-date"]', '2026-07-01');
    await page.click('[data-testid="document-no-submit"]');
    // Then the dialog names the rule and nothing is stored
    await expect.poll(() => page.locator('[data-testid="document-no-error"]').innerText()).toContain('须与批准日期的年份（2026）一致');
    expect((await db.knex('dossiers').where({ id: a }).first('document_no')).document_no).toBeNull();
    await screenshot(page, 'confirmation-5-document-no');
    // When it is corrected
    await page.fill('[data-testid="document-no"]', '川人社职〔2026〕12号');
    await page.click('[data-testid="document-no-submit"]');
    await expect.poll(() => rowText(a)).toContain('川人社职〔2026〕12号');
    // and c gets its number, and the clerk hands over
    await page.getByRole('checkbox', { name: '选择确认申报人3' }).check();
    await page.click('[data-testid="set-document-no"]');
    await page.fill('[data-testid="document-no"]', '成经信职〔2026〕3号');
    await page.fill('[data-testid="approval-date"]', '2026-07-02');
    await page.click('[data-testid="document-no-submit"]');
    await expect.poll(() => rowText(c)).toContain('成经信职〔2026〕3号');
    await page.click('[data-testid="handover"]');
    await expect.poll(() => rowText(b)).toContain('已提交');
    expect(await db.knex('certificate_handovers').where({ meeting_id: meetingId })).toHaveLength(3);
    // When the clerk closes while certificates are pending
    await page.setInputFiles('[data-testid="report-upload"]', pdf);
    await expect.poll(() => page.locator('[data-testid="report"]').innerText()).toContain('任职资格文件.pdf');
    await page.click('[data-testid="close"]');
    // Then 办结 is refused
    await expect.poll(() => page.locator('[data-testid="close-error"]').innerText()).toContain('证书尚未全部发放，不能办结：确认申报人1、确认申报人2、确认申报人3');
    // When the certificates are issued, 办结 goes through
    for (const id of [a, b, c]) await publish(t, db.knex, 'certificate-issued', `dossier:${id}`, { certificateNo: `ZS-${id}` });
    await page.reload();
    await expect.poll(() => rowText(a)).toContain('证书已发放');
    await page.click('[data-testid="close"]');
    await expect.poll(() => page.getByText('本次评审结果确认已办结').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(page, 'confirmation-6-closed');
  });
});
