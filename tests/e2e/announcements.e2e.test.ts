import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let db: ConsoleSession['db'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

const TITLE = '关于2026年度职称评审政策调整的通知';

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'announcements' });
  ({ db, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** Whether the page scrolls sideways (it must not at 390 px). */
const scrollsSideways = () => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);

describe('通知公告管理 and the public home page in Chromium', () => {
  it('the city bureau’s clerk adds an announcement with an attachment and publishes it', async () => {
    session.keepScreenshotOnFailure('1-manage');
    // given the clerk on 通知公告管理
    await login(page, base, 'cd_hr');
    await page.getByRole('menuitem', { name: '通知公告管理' }).click();
    await page.waitForURL(/#\/announcements/);
    // when they add a 政策法规 with a PDF and save it
    await page.getByTestId('new-announcement').click();
    await page.getByRole('dialog').getByLabel('公告类型').click();
    await page.getByRole('option', { name: '政策法规' }).click();
    await page.getByTestId('announcement-title').fill(TITLE);
    await page.getByTestId('announcement-content').fill('一、评审条件……\n二、申报时间……');
    await page.getByTestId('announcement-file').setInputFiles({ name: '政策原文.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 政策原文\n') });
    await page.getByRole('dialog').getByText('政策原文.pdf').waitFor();
    await page.getByTestId('save-announcement').click();
    // then it is listed as a draft; when published, it is 已发布
    const row = page.locator('tbody tr', { hasText: TITLE });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('草稿');
    const saved = await db.knex('announcements').where({ title: TITLE }).first();
    expect(saved).toMatchObject({ type: 'policy', state: 'draft' });
    await page.getByTestId(`publish-${saved.id}`).click();
    await expect.poll(async () => row.innerText(), { timeout: 20_000 }).toContain('已发布');
  });

  it('anyone reaches the published announcement from the login page at 390 px, filters, searches and opens it — never a draft', async () => {
    session.keepScreenshotOnFailure('2-portal');
    // given a draft beside the published one, and nobody logged in on a phone
    const unit = await db.knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id');
    const clerk = await db.knex('users').where({ username: 'cd_hr' }).first('id');
    const [draft] = await db.knex('announcements').insert({ unit_id: unit.id, type: 'policy', title: '尚未发布的草稿', content: '草稿', state: 'draft', created_by: clerk.id, created_at: new Date(), updated_at: new Date() }).returning('id');
    await page.goto(`${base}/?fresh=${Date.now()}#/login`);
    await page.evaluate('localStorage.clear()');
    await page.setViewportSize({ width: 390, height: 844 });
    // when they follow 通知公告 on the login page
    await page.goto(`${base}/?fresh=${Date.now()}#/login`);
    await page.getByRole('link', { name: '通知公告' }).click();
    await page.waitForURL(/#\/portal/);
    const list = page.getByTestId('public-announcements');
    await list.waitFor({ timeout: 20_000 });
    // then the published one is listed, the draft is not, and nothing scrolls sideways
    expect(await list.innerText()).toContain(TITLE);
    expect(await list.innerText()).not.toContain('尚未发布的草稿');
    expect(await scrollsSideways()).toBe(false);
    // when they pick 常见问题, nothing; 政策法规 and a search, the announcement
    await page.getByTestId('type-filters').getByText('常见问题').click();
    await page.getByText('暂无公告').waitFor();
    await page.getByTestId('type-filters').getByText('政策法规').click();
    await page.getByTestId('portal-search').fill('政策调整');
    await page.getByRole('button', { name: '查询' }).click();
    await list.getByText(TITLE).click();
    // then the detail shows the text and the attachment, still without sideways scrolling
    const detail = page.getByTestId('announcement-detail');
    await detail.waitFor();
    expect(await detail.innerText()).toContain('二、申报时间');
    expect(await detail.innerText()).toContain('政策原文.pdf');
    expect(await scrollsSideways()).toBe(false);
    // and a draft's address shows nothing of it
    await page.goto(`${base}/#/portal/announcements/${Number(draft.id)}`);
    await page.getByText('公告不存在').waitFor({ timeout: 20_000 });
    expect(await page.locator('body').innerText()).not.toContain('尚未发布的草稿');
    // the result publicity card sits beside the announcements
    await page.goto(`${base}/#/portal`);
    await page.getByText('评审结果公示').first().waitFor();
    await page.setViewportSize({ width: 1440, height: 1000 });
  });
});
