import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { sendMessage } from '../../api/modules/messages/messages.service.ts';

let db: ConsoleSession['db'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'calendar-messages' });
  ({ db, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('工作日历 and 消息 in the console, in Chromium', () => {
  it('the administrator enters next year’s arrangement', async () => {
    session.keepScreenshotOnFailure('1-calendar');
    await login(page, base, 'admin');
    await page.goto(`${base}/#/calendar`);
    await page.getByLabel('年份').click();
    await page.getByRole('option', { name: '2027 年（未录入）' }).click();
    // January 2027 in the month grid: Friday the 1st becomes a holiday named 元旦
    await page.getByLabel('月份').click();
    await page.getByRole('option', { name: '1 月', exact: true }).click();
    await page.locator('[data-day="2027-01-01"]').click();
    await page.locator('[data-testid="selected-day"] input').fill('元旦');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(async () => (await db.knex('calendar_days').whereRaw("day = '2027-01-01'").first())?.name).toBe('元旦');
    expect(await db.knex('calendar_years').where({ year: 2027 }).first()).toMatchObject({ published: true });
  });

  it('a committee clerk sees the unit’s reminder as unread, and opening it marks it read and follows its link', async () => {
    session.keepScreenshotOnFailure('2-messages');
    const city = await db.knex('committees').first('organizer_unit_id', 'id');
    await sendMessage(db.knex, { unitId: Number(city.organizer_unit_id), permission: 'committee.manage', kind: 'committee.expiry', title: '评委会备案将于 2029-01-29 届满，请开展重新备案', link: `/committees/${city.id}/show` }, new Date());
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/messages`);
    const row = page.locator('tbody tr', { hasText: '请开展重新备案' }).first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('未读');
    await row.locator('td').nth(1).click();
    await page.waitForURL(/#\/committees\/\d+\/show/);
    const user = await db.knex('users').where({ username: 'cd_pw' }).first('id');
    await expect.poll(async () => (await db.knex('message_reads').where({ user_id: user.id })).length).toBe(1);
  });
});
