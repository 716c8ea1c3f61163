import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

/**
 * 申报材料综合查询 past 10,000 dossiers in the console: the total is left open (“共超过 … 条”),
 * and 下一页 walks on with the cursor of the page before (no page numbers to jump to).
 */
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'keyset-paging',
    viewport: { width: 1366, height: 768 },
    // 10,050 declared dossiers of the demo committee's activity, submitted one second apart
    prepare: async (db) => {
      const k = db.knex;
      const committee = await k('committees').first();
      const activity = await k('activities').where({ committee_id: committee.id }).first();
      const employer = await k('units').where({ name: '成都示范科技有限公司' }).first();
      await k.raw(
        `insert into users (username, password_hash, display_name, unit_id, roles)
         select 'kpe' || g, 'x', '翻页申报人' || g, ?, '{applicant}' from generate_series(1, 10050) g`,
        [employer.id],
      );
      await k.raw(
        `insert into dossiers (activity_id, applicant_id, year, status, data, submitted_at, created_at, updated_at)
         select ?, u.id, 2026, 'submitted', '{"series":"engineering","level":"intermediate","specialty":"机械工程"}'::jsonb,
                timestamptz '2026-03-01 09:00+08' + (substring(u.username from 4)::int || ' seconds')::interval, now(), now()
           from users u where u.username like 'kpe%'`,
        [activity.id],
      );
    },
  });
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('申报材料综合查询 past 10,000 dossiers, in Chromium', () => {
  it('shows an open total and walks 下一页 by cursor, newest first', async () => {
    const { page, base } = session;
    session.keepScreenshotOnFailure('keyset-1');
    await login(page, base, 'cd_pw');
    await page.getByRole('menuitem', { name: '申报材料综合查询' }).click();
    await expect.poll(() => page.getByTestId('dossier-queries').getByText('翻页申报人10050', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByText(/共超过 25 条/).count(), { timeout: 30_000 }).toBe(1);
    const cursorRequest = page.waitForRequest((r) => r.url().includes('/api/dossier-queries?') && r.url().includes('cursor='));
    await page.getByRole('button', { name: '下一页' }).click();
    await cursorRequest;
    await expect.poll(() => page.getByTestId('dossier-queries').getByText('翻页申报人10025', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByText(/第 26-50 条/).count(), { timeout: 30_000 }).toBe(1);
    await screenshot(page, 'keyset-paging-1366');
  });

  it('keeps 上一页 / 下一页 usable 390 px wide', async () => {
    const { page } = session;
    session.keepScreenshotOnFailure('keyset-2');
    await page.setViewportSize({ width: 390, height: 844 });
    // on a phone react-admin shows MUI's compact pagination: two arrows, 上一页 first
    const previous = page.locator('.MuiTablePagination-actions button').first();
    await expect.poll(() => previous.isEnabled(), { timeout: 30_000 }).toBe(true);
    await previous.click();
    await expect.poll(() => page.getByTestId('dossier-queries').getByText('翻页申报人10050', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await screenshot(page, 'keyset-paging-390');
  }, 120_000);
});
