import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'talents', viewport: { width: 1366, height: 768 } });
}, 300_000);

afterAll(async () => {
  await session?.close();
});

async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The horizontal overflow of the page in pixels (0 when it fits). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('专技人才 in the console, in Chromium', () => {
  it('the person fills in and submits the registration on a 390 px phone', async () => {
    session.keepScreenshotOnFailure('1-register');
    const { page, base } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    // Given 张伟 on 我的专技人才信息 (name and ID number come from his account)
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-talent`);
    await expect.poll(() => page.getByTestId('talent-personName').inputValue()).toBe('张伟');
    // When he fills in the rest and submits
    await choose(page, '性别', '男');
    await page.getByLabel('出生日期').fill('1990-03-07');
    await choose(page, '政治面貌', '中共党员');
    await choose(page, '学历', '硕士研究生');
    await choose(page, '专业技术人员类别', '工程技术人员');
    await choose(page, '职称情况', '具有专业技术职称');
    await choose(page, '职称层级', '中级');
    await choose(page, '职称系列', '工程技术');
    await page.getByLabel('职称名称').fill('工程师');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'talents-1-register-390');
    await page.getByTestId('talent-submit').click();
    // Then it is under review at his unit
    await expect.poll(() => page.getByTestId('talent-status').innerText()).toBe('审核中');
    expect(await page.locator('body').innerText()).toContain('当前由 成都示范科技有限公司 审核');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('the unit returns it with a reason; the person sees the reason and resubmits', async () => {
    session.keepScreenshotOnFailure('2-return');
    const { page, base } = session;
    // Given the employer's clerk on 专技人才审核
    await login(page, base, 'kj_hr');
    await page.getByText('专技人才审核').first().click();
    await page.getByTestId('talent-open-张伟').click();
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('工程技术人员');
    // the ID number is masked for the clerk; 查看 opens it (the view is recorded)
    expect(await page.getByTestId('talent-id-number-view-text').innerText()).toBe('5101**********231X');
    await screenshot(page, 'talents-2-review');
    await page.getByTestId('talent-id-number-view').click();
    await expect.poll(() => page.getByTestId('talent-id-number-view-text').innerText()).toBe('51010419900307231X');
    // When they return it with a reason
    await page.getByTestId('talent-return').click();
    await page.getByRole('dialog', { name: '退回修改' }).getByRole('textbox').fill('请填写职称全称');
    await page.getByRole('dialog', { name: '退回修改' }).getByRole('button', { name: '退回' }).click();
    await expect.poll(() => page.locator('body').innerText()).toContain('没有待本单位审核的专技人才信息');
    // Then the person sees the reason, edits and submits again
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-talent`);
    await expect.poll(() => page.getByTestId('talent-return-reason').innerText()).toContain('请填写职称全称');
    await page.getByLabel('职称名称').fill('机械工程师');
    await page.getByTestId('talent-submit').click();
    await expect.poll(() => page.getByTestId('talent-status').innerText()).toBe('审核中');
  });

  it('passes up the chain: batch pass at the unit, the department from its inbox, the city bureau', async () => {
    session.keepScreenshotOnFailure('3-pass');
    const { page, base } = session;
    // the unit passes it with 批量审核通过
    await login(page, base, 'kj_hr');
    await page.getByText('专技人才审核').first().click();
    await page.getByLabel('选择张伟').check();
    await page.getByTestId('talent-pass-chosen').click();
    await expect.poll(() => page.locator('body').innerText()).toContain('没有待本单位审核的专技人才信息');
    // the department opens the task from its inbox: the task lands in the review dialog
    await login(page, base, 'cd_jxj');
    await page.getByText('待办事项').first().click();
    // (the home page lists the same to-do: wait for the inbox itself)
    await page.locator('[data-testid="inbox"] tbody td', { hasText: '专技人才审核：张伟' }).click();
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('成都示范科技有限公司');
    await page.getByTestId('talent-pass').click();
    await expect.poll(() => page.locator('body').innerText()).toContain('没有待本单位审核的专技人才信息');
    // the city bureau passes it from 专技人才审核
    await login(page, base, 'cd_hr');
    await page.getByText('专技人才审核').first().click();
    await page.getByTestId('talent-open-张伟').click();
    await page.getByTestId('talent-pass').click();
    await expect.poll(() => page.locator('body').innerText()).toContain('没有待本单位审核的专技人才信息');
    // and it is approved in the bureau's list of everything
    await page.getByTestId('talent-tab-all').click();
    await expect.poll(() => page.getByTestId('talent-row-张伟').innerText()).toContain('审核通过');
  });

  it('the city bureau sees the statistics table, the chart and exports Excel', async () => {
    session.keepScreenshotOnFailure('4-stats');
    const { page, base } = session;
    await login(page, base, 'cd_hr');
    await page.getByText('专技人才统计').first().click();
    // Then the engineering row counts him: 合计 1, 中级 1, 中共党员 1, 硕士 1
    const engineering = page.getByTestId('stats-row-工程技术人员');
    await expect.poll(() => engineering.innerText()).toMatch(/^工程技术人员\s+1\s+0\s+0\s+1\s+0\s+0\s+0\s+0\s+0\s+1\s+0\s+0\s+1\s+0\s+0\s+0$/);
    expect(await page.getByTestId('talent-stats-table').innerText()).toContain('具有专业技术职称人员');
    await screenshot(page, 'talents-4-stats');
    // When the chart is chosen, Then one bar per category with people
    await page.getByTestId('stats-chart').click();
    await expect.poll(() => page.getByTestId('chart-bar-工程技术人员').innerText()).toContain('1');
    await screenshot(page, 'talents-4-chart');
    // When 导出Excel is clicked, Then a workbook is downloaded
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^专技人才统计-.*\.xlsx$/);
  });
});
