import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'applicant-pii', viewport: { width: 1366, height: 768 } });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const audited = async () => Number((await session.db.knex('audit_events').where({ action: 'pii.view', target_type: 'person' }).count<{ n: string }[]>({ n: '*' }))[0]!.n);

describe('申报人账号: masked numbers with 查看', () => {
  it('shows 张伟’s ID number masked and, on 查看, in full in a dialog, audited (1366 px)', async () => {
    session.keepScreenshotOnFailure('wide');
    // given the employer's clerk on 申报人账号
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/applicants`);
    const row = page.locator('tbody tr', { hasText: '张伟' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('5101**********231X');
    const before = await audited();

    // when they click 查看 beside the masked ID number
    await row.locator('[data-testid="pii-view-idNumber"]').click();

    // then a dialog shows the full number, the list stays masked, and the view is audited
    const dialog = page.locator('[data-testid="pii-dialog"]');
    await expect.poll(() => dialog.locator('[data-testid="pii-value"]').innerText()).toBe('51010419900307231X');
    expect(await dialog.innerText()).toContain('张伟的身份证号码');
    await screenshot(page, 'applicant-pii-1366');
    expect(await audited()).toBe(before + 1);
    await dialog.getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await row.innerText()).not.toContain('51010419900307231X');
  });

  it('keeps 查看 reachable and the dialog readable on a 390 px phone', async () => {
    session.keepScreenshotOnFailure('narrow');
    // given the same list on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/?fresh=${Date.now()}#/applicants`);
    const row = page.locator('tbody tr', { hasText: '李娜' });
    await row.waitFor({ timeout: 20_000 });

    // when the clerk taps 查看 beside 李娜's masked number
    await row.locator('[data-testid="pii-view-idNumber"]').click();

    // then the full number is shown inside the screen's width
    const value = page.locator('[data-testid="pii-value"]');
    await expect.poll(() => value.innerText()).toMatch(/^\d{17}[\dX]$/);
    const box = await value.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'applicant-pii-390');
  });
});
