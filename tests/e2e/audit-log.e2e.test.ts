import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'audit-log',
    viewport: { width: 1366, height: 768 },
    prepare: async (_db, t) => {
      // an administrative change with a before and an after: a role's permissions
      const created = await t.request('POST', '/api/roles', { user: 'admin', body: { name: '材料审核岗', permissions: ['unit.profile'] } });
      await t.request('PUT', `/api/roles/${created.json().id}`, { user: 'admin', body: { name: '材料审核岗', permissions: ['unit.profile', 'staff.manage'] } });
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const rows = () => page.locator('.RaDatagrid-tbody tr');

describe('操作审计: search the administrative changes, see before and after, export', () => {
  it('lists the changes and finds the role change by its action', async () => {
    session.keepScreenshotOnFailure('list');
    // given the administrator
    await login(page, base, 'admin');
    // when 操作审计 is opened from the menu and searched for 编辑角色权限
    await page.getByRole('menuitem', { name: '操作审计' }).click();
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBeGreaterThan(1);
    await page.getByLabel('操作', { exact: true }).click();
    await page.getByRole('option', { name: '编辑角色权限' }).click();
    // then only that change is left, with who did it and what changed
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(1);
    const text = await rows().first().innerText();
    for (const shown of ['系统管理员', '编辑角色权限', '角色', '权限']) expect(text).toContain(shown);
    await screenshot(page, 'audit-log-1-list');
  });

  it('shows the permissions before and after in the detail drawer, the changed field marked', async () => {
    session.keepScreenshotOnFailure('detail');
    // when the row is opened
    await rows().first().click();
    // then the drawer compares the fields, the permissions marked as changed
    const drawer = page.getByTestId('audit-detail');
    await expect.poll(() => drawer.isVisible(), { timeout: 10_000 }).toBe(true);
    const changed = drawer.locator('tr[data-changed="true"]');
    await expect.poll(() => changed.count()).toBe(1);
    const row = await changed.innerText();
    expect(row).toContain('权限');
    expect(row).toContain('本级单位信息维护');
    expect(row).toContain('本级单位信息维护、工作人员管理');
    await screenshot(page, 'audit-log-2-detail');
    await drawer.getByRole('button', { name: '关闭' }).click();
  });

  it('exports the search as an Excel workbook', async () => {
    session.keepScreenshotOnFailure('export');
    // when 导出 Excel is clicked
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    // then the workbook holds the role change
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('操作审计')!;
    expect(sheet.rowCount).toBe(2);
    expect(String(sheet.getRow(2).getCell(4).value)).toBe('编辑角色权限');
  });

  it('fits a phone: the list and the drawer at 390 px', async () => {
    session.keepScreenshotOnFailure('phone');
    // given a phone-wide window
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const item = page.getByText(/系统管理员 · 角色/).first();
    await expect.poll(() => item.isVisible(), { timeout: 20_000 }).toBe(true);
    // when the first change of the list (one line per change on a phone) is opened
    await item.click();
    // then the drawer takes the width and nothing overflows the page
    const drawer = page.getByTestId('audit-detail');
    await expect.poll(() => drawer.isVisible(), { timeout: 10_000 }).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'audit-log-3-phone');
  });
});
