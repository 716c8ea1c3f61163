import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let db: ConsoleSession['db'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

const TITLE = '关于做好年度职称申报的通知';
// an empty MUI badge is hidden but keeps its last number
const badge = async () => {
  const dot = page.locator('[data-testid="messages-badge"] .MuiBadge-badge');
  if ((await dot.getAttribute('class'))?.includes('MuiBadge-invisible')) return 0;
  return Number((await dot.innerText()).trim() || '0');
};

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'messages-push' });
  ({ db, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('消息推送 and 已接收消息 in Chromium', () => {
  it('the city bureau’s clerk finds 示范科技 by name, ticks it and sends a message', async () => {
    session.keepScreenshotOnFailure('1-send');
    // given the city bureau's clerk on 消息推送
    await login(page, base, 'cd_hr');
    await page.getByRole('menuitem', { name: '消息推送' }).click();
    await page.waitForURL(/#\/message-push/);
    // when they search 示范, tick the unit, write the message and send it
    await page.getByTestId('recipient-search').fill('示范');
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
    await page.getByTestId(`recipient-${employer.id}`).click();
    await page.getByTestId('edit-message').click();
    await page.getByTestId('message-title').fill(TITLE);
    await page.getByTestId('message-content').fill('请各单位于 3 月 20 日前完成申报材料审核。');
    await page.getByTestId('send-message').click();
    // then 已发送 lists it as read by none of one
    const row = page.locator('tbody tr', { hasText: TITLE });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('已读 0 / 共 1');
    const sent = await db.knex('messages').where({ title: TITLE });
    expect(sent.map((m) => Number(m.unit_id))).toEqual([Number(employer.id)]);
  });

  it('the employer’s clerk sees the badge, opens the message with its sender and confirms it read', async () => {
    session.keepScreenshotOnFailure('2-receive');
    // given the employer's clerk logged in, with the message among the unread ones
    await login(page, base, 'kj_hr');
    await expect.poll(badge, { timeout: 20_000 }).toBeGreaterThan(0);
    const before = await badge();
    // when they open 消息 and the message
    await page.goto(`${base}/#/messages`);
    const row = page.locator('tbody tr', { hasText: TITLE }).first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('成都市人力资源和社会保障局');
    expect(await row.innerText()).toContain('未读');
    await row.locator('td').nth(2).click();
    await page.getByTestId('message-detail').waitFor();
    expect(await page.getByRole('dialog').innerText()).toContain('成都市人社局经办人');
    // and confirm it read
    await page.getByTestId('confirm-read').click();
    // then the badge drops by one and the row says 已读
    await expect.poll(badge, { timeout: 20_000 }).toBe(before - 1);
    await expect.poll(async () => page.locator('tbody tr', { hasText: TITLE }).first().innerText()).toContain('已读');
  });

  it('the sender sees who read it', async () => {
    session.keepScreenshotOnFailure('3-receipts');
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/message-push`);
    await page.getByTestId('tab-sent').click();
    const row = page.locator('tbody tr', { hasText: TITLE });
    await expect.poll(async () => row.innerText(), { timeout: 20_000 }).toContain('已读 1 / 共 1');
    await row.click();
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
    const receipt = page.getByTestId(`receipt-${employer.id}`);
    await receipt.waitFor();
    expect(await receipt.innerText()).toContain('示范科技经办人');
  });
});
