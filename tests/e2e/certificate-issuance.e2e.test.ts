import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { addApplicants, atConfirmation, closedMeeting, requestConfirmation } from '../helpers/result-confirmation.ts';

let session: ConsoleSession;
let a: number, b: number;
let stamped: string;

/** A valid ID number (GB 11643 check character). */
function idNumber(serial: number): string {
  const body = `51010419860214${String(serial).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, ch, i) => acc + Number(ch) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'issuance',
    viewport: { width: 1366, height: 768 },
    prepare: async (db, t) => {
      // Given two candidates confirmed by the city bureau, their 文号 set and handed over by the committee
      await addApplicants(db.knex, ['cie_a', 'cie_b']);
      for (const [i, username] of ['cie_a', 'cie_b'].entries()) await db.knex('users').where({ username }).update({ id_number: idNumber(11 + i) });
      const meetingId = await closedMeeting(db.knex, 'normal');
      a = await atConfirmation(t, db.knex, 'cie_a', meetingId);
      b = await atConfirmation(t, db.knex, 'cie_b', meetingId);
      await requestConfirmation(t, db.knex, meetingId, [a, b]);
      const ok = async (user: string, method: string, url: string, body?: unknown) => {
        const res = await t.request(method, url, { user, body });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      };
      const upload = await t.app.inject({
        method: 'POST',
        url: '/api/files',
        headers: { authorization: `Bearer ${await t.token('cd_hr')}`, 'content-type': 'multipart/form-data; boundary=x' },
        payload: Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="任职资格文件.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n\r\n--x--\r\n'),
      });
      await ok('cd_hr', 'PUT', `/api/result-confirmations/${meetingId}/qualification-file`, { fileId: (upload.json() as Array<{ id: string }>)[0]!.id });
      await ok('cd_hr', 'POST', `/api/result-confirmations/${meetingId}/pass-all?kind=direct`);
      await t.app.engine.deliverMessages();
      await ok('cd_pw', 'PUT', `/api/meetings/${meetingId}/confirmation/document-numbers`, { dossierIds: [a, b], documentNo: '川人社职〔2026〕21号', approvalDate: '2026-07-01' });
      await ok('cd_pw', 'POST', `/api/meetings/${meetingId}/confirmation/handover`);
    },
  });
  stamped = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'issuance-')), '盖章汇总表.pdf');
  fs.writeFileSync(stamped, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
}, 300_000);

afterAll(async () => {
  await session?.close();
});

describe('证书生成 in the console, in Chromium', () => {
  it('the 授权管理单位 approves 待处理, then in 待发放 生成证书: refusals shown, stamped PDF, 发证 with progress, 已发放', async () => {
    session.keepScreenshotOnFailure('review');
    const { page, base } = session;
    // Given the city bureau's clerk on 证书生成 → 评审发证 → 待处理
    await login(page, base, 'cd_hr');
    await page.getByText('证书生成').first().click();
    await page.waitForSelector(`[data-testid="handover-${a}"]`);
    expect(await page.locator(`[data-testid="handover-${a}"]`).innerText()).toContain('川人社职〔2026〕21号');
    await screenshot(page, 'issuance-1-pending');

    // When both are selected and 审核通过
    await page.getByRole('button', { name: '全选' }).click();
    await page.click('[data-testid="approve"]');
    // Then 待发放 shows the batch by its 文号 with both persons
    await page.waitForSelector('[data-testid="batch-detail"]');
    expect(await page.locator('[data-testid="batch-list"]').innerText()).toContain('川人社职〔2026〕21号');
    await expect.poll(() => page.locator('[data-testid="batch-detail"]').innerText()).toContain('确认申报人2');
    await screenshot(page, 'issuance-2-batch');

    // When 生成证书 is opened and 发证 pressed before the stamped summary is uploaded
    await page.click('[data-testid="generate"]');
    await page.click('[data-testid="issue"]');
    // Then the refusal names the 盖章汇总表
    await expect.poll(() => page.locator('[data-testid="issue-error"]').innerText()).toContain('盖章汇总表');

    // When a 文号 of the wrong year is set, Then the field says so; the right one is accepted
    await page.click('[data-testid="set-data"]');
    await page.fill('[data-testid="approval-date"]', '2026-07-01');
    await page.fill('[data-testid="document-no"]', '川人社职〔2025〕21号');
    await page.click('[data-testid="issuing-data-save"]');
    await expect.poll(() => page.getByRole('dialog').last().innerText()).toContain('职称文件文号的年份须为批准年份 2026');
    await page.fill('[data-testid="document-no"]', '川人社职〔2026〕22号');
    await page.click('[data-testid="issuing-data-save"]');
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('川人社职〔2026〕22号');

    // When the stamped PDF is uploaded and 发证 pressed
    await page.setInputFiles('[data-testid="stamped-upload"]', stamped);
    await page.waitForSelector('[data-testid="stamped-file"]');
    await page.click('[data-testid="issue"]');
    // Then the progress runs to the end in the dialog
    await expect.poll(() => page.locator('[data-testid="generation-progress"]').innerText(), { timeout: 30_000 }).toContain('证书已全部生成：2 / 2');
    await screenshot(page, 'issuance-3-progress');
    expect(await page.locator('[data-testid="generate-close"]').innerText()).toBe('关闭');
    await page.click('[data-testid="generate-close"]');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // and 已发放 lists the two certificates, linked to the certificate pages
    await page.click('[data-testid="tab-2"]');
    await page.waitForSelector('[data-testid="certificates"]');
    const text = await page.locator('[data-testid="certificates"]').innerText();
    expect(text).toContain('确认申报人1');
    expect(text).toContain('川人社职〔2026〕22号');
    const rows = await session.db.knex('certificates').whereIn('dossier_id', [a, b]).select('certificate_no', 'id');
    expect(rows).toHaveLength(2);
    expect(await page.locator(`a[href$="/certificates/${rows[0].id}"]`).innerText()).toBe(rows[0].certificate_no);
    await screenshot(page, 'issuance-4-issued');
    // and the dossiers are certified
    await expect.poll(async () => (await session.db.knex('dossiers').whereIn('id', [a, b]).pluck('status')).sort()).toEqual(['certified', 'certified']);
  });
});
