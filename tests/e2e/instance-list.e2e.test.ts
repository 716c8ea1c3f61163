import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { submitDossier } from '../helpers/flow.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'instances',
    viewport: { width: 1366, height: 768 },
    prepare: async (_db, t) => {
      await submitDossier(t, 'zhangwei');
      await submitDossier(t, 'lina');
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const rows = () => page.locator('.RaDatagrid-tbody tr');

describe('流程实例: names and labels, searched by applicant, ID number and unit', () => {
  it('lists the cases with the flow’s name, the applicant, unit and labels instead of keys', async () => {
    session.keepScreenshotOnFailure('list');
    // given two declarations, and the administrator
    await login(page, base, 'admin');

    // when 流程实例 is opened
    await page.goto(`${base}/#/process-instances`);
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(2);

    // then a row reads as words: 申报材料审核, 张伟, his masked ID number, his unit, 中级 · 工程技术
    const zhang = rows().filter({ hasText: '张伟' });
    const text = await zhang.innerText();
    for (const shown of ['申报材料审核', '5101**********231X', '成都示范科技有限公司', '中级 · 工程技术']) expect(text).toContain(shown);
    const table = await page.locator('.RaDatagrid-table').innerText();
    expect(table).not.toContain('dossier-review');
    expect(table).not.toContain('intermediate');
    await screenshot(page, 'instances-1-list');
  });

  it('finds a case by the applicant’s name and by the ID number', async () => {
    session.keepScreenshotOnFailure('search');
    // when searching for 李
    await page.getByLabel('申报人').fill('李');
    // then only 李娜's case is left
    await expect.poll(async () => (await rows().allInnerTexts()).join('|'), { timeout: 20_000 }).toMatch(/^[^|]*李娜[^|]*$/);

    // when the name is cleared and 张伟's ID number is given instead
    await page.getByLabel('申报人').fill('');
    await page.getByLabel('身份证号').fill('51010419900307231X');
    // then only his case is left
    await expect.poll(async () => (await rows().allInnerTexts()).join('|'), { timeout: 20_000 }).toMatch(/^[^|]*张伟[^|]*$/);

    // and a unit nobody of theirs works in finds nothing
    await page.getByLabel('身份证号').fill('');
    await page.getByLabel('单位').fill('卫生健康');
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(0);
    await screenshot(page, 'instances-2-search');
  });
});
