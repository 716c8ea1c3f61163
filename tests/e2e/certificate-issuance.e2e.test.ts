import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { addApplicants, atConfirmation, closedMeeting, requestConfirmation } from '../helpers/result-confirmation.ts';
import { idNumber as personId } from '../helpers/fixtures.ts';

let session: ConsoleSession;
let a: number, b: number, c: number;
let stamped: string;

const idNumber = (serial: number) => personId('19860214', serial);

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'issuance',
    viewport: { width: 1366, height: 768 },
    prepare: async (db, t) => {
      // Given two candidates confirmed by the city bureau, their 文号 set and handed over by the committee
      await addApplicants(db.knex, ['cie_a', 'cie_b', 'cie_c']);
      for (const [i, username] of ['cie_a', 'cie_b', 'cie_c'].entries()) await db.knex('users').where({ username }).update({ id_number: idNumber(11 + i) });
      const meetingId = await closedMeeting(db.knex, 'normal');
      a = await atConfirmation(t, db.knex, 'cie_a', meetingId);
      b = await atConfirmation(t, db.knex, 'cie_b', meetingId);
      // and a third delegated by the 经信局, confirmed by it
      const department = Number((await db.knex('units').where({ name: '成都市经济和信息化局' }).first('id')).id);
      c = await atConfirmation(t, db.knex, 'cie_c', meetingId, department);
      await requestConfirmation(t, db.knex, meetingId, [a, b, c]);
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
      const uploadJxj = await t.app.inject({
        method: 'POST',
        url: '/api/files',
        headers: { authorization: `Bearer ${await t.token('cd_jxj')}`, 'content-type': 'multipart/form-data; boundary=x' },
        payload: Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="任职资格文件.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n\r\n--x--\r\n'),
      });
      await ok('cd_jxj', 'PUT', `/api/result-confirmations/${meetingId}/qualification-file`, { fileId: (uploadJxj.json() as Array<{ id: string }>)[0]!.id });
      await ok('cd_jxj', 'POST', `/api/result-confirmations/${meetingId}/pass-all?kind=delegated`);
      await t.app.engine.deliverMessages();
      await ok('cd_pw', 'PUT', `/api/meetings/${meetingId}/confirmation/document-numbers`, { dossierIds: [a, b], documentNo: '川人社职〔2026〕21号', approvalDate: '2026-07-01' });
      await ok('cd_pw', 'PUT', `/api/meetings/${meetingId}/confirmation/document-numbers`, { dossierIds: [c], documentNo: '川人社职〔2026〕23号', approvalDate: '2026-07-01' });
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

  it('初定发证: 录入人员 (a bad ID number shown on its field), 添加批次 → 发放中, 取消发证 back to 未发放 with the reason', async () => {
    session.keepScreenshotOnFailure('initial');
    const { page, base } = session;
    // Given the city bureau's clerk on 初定发证 → 未发放
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/certificate-issuance?kind=initial&tab=0`);
    await page.waitForSelector('[data-testid="add-person"]');
    // When a person is entered with a wrong check digit, Then the field says so
    await page.click('[data-testid="add-person"]');
    await page.fill('[data-testid="person-personName"]', '初定演示');
    await page.fill('[data-testid="person-idNumber"]', '510104199003070000');
    await page.fill('[data-testid="person-specialty"]', '机械工程');
    await page.fill('[data-testid="person-titleName"]', '助理工程师');
    await page.click('[data-testid="person-save"]');
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('校验码错误');
    // When the right number is entered, Then the person is in 未发放 with the gender from the ID number
    await page.fill('[data-testid="person-idNumber"]', idNumber(31));
    await page.click('[data-testid="person-save"]');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const row = page.locator('[data-testid^="initial-"]').filter({ hasText: '初定演示' });
    await expect.poll(() => row.innerText()).toContain('男');
    await screenshot(page, 'issuance-5-initial');

    // When the person is selected and 添加批次 pressed, Then 发放中 shows the batch without a 文号 yet
    await row.getByRole('checkbox').check();
    await page.click('[data-testid="add-batch"]');
    await page.waitForSelector('[data-testid="batch-detail"]');
    expect(await page.locator('[data-testid="batch-list"]').innerText()).toContain('未设置文号');
    await screenshot(page, 'issuance-6-initial-batch');

    // When the person's issue is cancelled with a reason
    await page.locator('[data-testid="batch-detail"]').getByRole('checkbox').first().check();
    await page.click('[data-testid="cancel-issue"]');
    await page.fill('[data-testid="reason-input"]', '职称名称有误');
    await page.click('[data-testid="reason-submit"]');
    // Then the batch is gone from 发放中 and the person is back in 未发放 with the reason
    await expect.poll(() => page.locator('body').innerText()).toContain('没有待发证的批次');
    await page.click('[data-testid="tab-0"]');
    await expect.poll(() => page.locator('[data-testid^="initial-"]').filter({ hasText: '初定演示' }).innerText()).toContain('曾取消发证：职称名称有误');

    // When the clerk corrects the 职称名称 with 修改 (the ID number left empty keeps it)
    const back = page.locator('[data-testid^="initial-"]').filter({ hasText: '初定演示' });
    await back.getByRole('button', { name: '修改' }).click();
    expect(await page.getByRole('dialog').innerText()).toContain('留空则不变');
    await page.fill('[data-testid="person-titleName"]', '技术员');
    await page.click('[data-testid="person-save"]');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // Then the row shows the new title
    await expect.poll(() => back.innerText()).toContain('技术员');
    // When it is selected and 删除 confirmed, Then it is gone from 未发放
    await back.getByRole('checkbox').check();
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid="delete-persons"]');
    await expect.poll(() => page.locator('[data-testid^="initial-"]').filter({ hasText: '初定演示' }).count()).toBe(0);
  });

  it('委托发证: the delegating unit enters the issuing data for 未处理 (a wrong year refused on the field) → 待发证', async () => {
    session.keepScreenshotOnFailure('delegated');
    const { page, base } = session;
    // Given the 经信局's clerk on 证书生成 → 委托发证 → 未处理
    await login(page, base, 'cd_jxj');
    await page.getByText('证书生成').first().click();
    await page.click('[data-testid="kind-delegated"]');
    await page.waitForSelector(`[data-testid="handover-${c}"]`);
    expect(await page.locator('[data-testid^="group-committee:"]').innerText()).toContain('成都市工程技术系列中级职称评审委员会');
    // When the person is selected and 录入发证信息 with a 文号 of the wrong year
    await page.locator(`[data-testid="handover-${c}"]`).getByRole('checkbox').check();
    await page.click('[data-testid="enter-data"]');
    await page.fill('[data-testid="approval-date"]', '2026-07-15');
    await page.fill('[data-testid="document-no"]', '成经信发〔2025〕7号');
    await page.click('[data-testid="issuing-data-save"]');
    // Then the field says so
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('职称文件文号的年份须为批准年份 2026');
    await screenshot(page, 'issuance-7-delegated-refused');
    // When the right one is entered, Then 待发证 shows the batch by that 文号
    await page.fill('[data-testid="document-no"]', '成经信发〔2026〕7号');
    await page.click('[data-testid="issuing-data-save"]');
    await page.waitForSelector('[data-testid="batch-detail"]');
    expect(await page.locator('[data-testid="batch-list"]').innerText()).toContain('成经信发〔2026〕7号');
    expect(await page.locator('[data-testid="batch-detail"]').innerText()).toContain('确认申报人3');
    await screenshot(page, 'issuance-8-delegated-batch');
  });
});
