import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { submitDossier } from '../helpers/flow.ts';

/** 首页 in Chromium (issue 20): 单位信息, 消息, 待办 linking to the filtered inbox, 评审工作监督, 运行概况. */
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'home',
    viewport: { width: 1366, height: 768 },
    prepare: async (_db, t) => {
      // Given two dossiers waiting at the demo employer
      await submitDossier(t, 'zhangwei');
      await submitDossier(t, 'lina');
    },
  });
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const noSidewaysScroll = () => session.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('首页 in the console', () => {
  it('the employer clerk sees the unit, messages and to-dos; a to-do opens the inbox filtered to the same count', async () => {
    session.keepScreenshotOnFailure('employer');
    const { page, base, t } = session;
    await login(page, base, 'kj_hr');
    // Then the unit card names the unit and its parent
    await page.waitForSelector('[data-testid="home-unit"]');
    expect(await page.locator('[data-testid="home-unit"]').innerText()).toContain('成都示范科技有限公司');
    expect(await page.locator('[data-testid="home-unit"]').innerText()).toContain('成都市经济和信息化局');
    await page.waitForSelector('[data-testid="home-messages"]');
    // and the to-do list holds the API's count per kind
    const counts = (await t.request('GET', '/api/tasks/counts', { user: 'kj_hr' })).json() as Array<{ count: number }>;
    const total = counts.reduce((n, c) => n + c.count, 0);
    expect(total).toBeGreaterThanOrEqual(2);
    await page.waitForFunction((n) => document.querySelector('[data-testid="todo-total"]')?.textContent === String(n), total);
    // When the clerk clicks the first kind
    const first = Number(await page.locator('[data-testid="home-todo-count"]').first().innerText());
    await page.locator('[data-testid="home-todo-link"]').first().click();
    // Then the inbox opens filtered to it, listing as many rows as the home page said
    await page.waitForURL(/#\/tasks/);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="inbox"] tbody tr').length === n, first, { timeout: 15_000 });
  });

  it('the city bureau sees 评审工作监督: the tiles and each committee with its activities and their stage', async () => {
    session.keepScreenshotOnFailure('bureau');
    const { page, base, t } = session;
    await login(page, base, 'cd_hr');
    await page.waitForSelector('[data-testid="home-supervision"]');
    const home = (await t.request('GET', '/api/home', { user: 'cd_hr' })).json() as { supervision: { tiles: { committees: number; filed: number }; committees: Array<{ name: string; activities: Array<{ stageName: string }> }> } };
    expect(await page.locator('[data-testid="tile-committees"]').innerText()).toBe(String(home.supervision.tiles.committees));
    expect(await page.locator('[data-testid="tile-filed"]').innerText()).toBe(String(home.supervision.tiles.filed));
    const table = await page.locator('[data-testid="home-supervision"] table').innerText();
    for (const c of home.supervision.committees) expect(table).toContain(c.name);
    const stages = await page.locator('[data-testid="activity-stage"]').allInnerTexts();
    expect(stages).toEqual(home.supervision.committees.flatMap((c) => c.activities.map((a) => a.stageName)));
    expect(stages.length).toBeGreaterThan(0);
    expect(await noSidewaysScroll()).toBe(true);
    // and on a phone the page does not scroll sideways either
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector('[data-testid="home-supervision"]');
    expect(await noSidewaysScroll()).toBe(true);
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('the administrator sees 运行概况 with the running cases the API counts', async () => {
    session.keepScreenshotOnFailure('admin');
    const { page, base, t } = session;
    await login(page, base, 'admin');
    await page.waitForSelector('[data-testid="home-admin"]');
    const admin = (await t.request('GET', '/api/home/admin', { user: 'admin' })).json() as { counts: { running: number } };
    expect(admin.counts.running).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="admin-running"]').innerText()).toBe(String(admin.counts.running));
    expect(await page.locator('[data-testid="home-admin"]').innerText()).toContain('最近部署');
  });

  it('an applicant sees messages and their to-dos, without 评审工作监督, on a phone', async () => {
    session.keepScreenshotOnFailure('applicant');
    const { page, base } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, base, 'zhangwei');
    await page.waitForSelector('[data-testid="home-messages"]');
    expect(await page.locator('[data-testid="home-supervision"]').count()).toBe(0);
    expect(await noSidewaysScroll()).toBe(true);
    await page.setViewportSize({ width: 1366, height: 768 });
  });
});
