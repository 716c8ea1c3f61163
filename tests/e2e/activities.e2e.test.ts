import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { activityBody } from '../helpers/fixtures.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'activities' });
  ({ db, t, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const NAME = '2027年度成都市工程技术系列中级职称专项评审';

describe('评审活动发布 in the console, in Chromium', () => {
  it('the organiser submits a prepared activity, the issuer passes it from the inbox, and it appears on the public page', async () => {
    session.keepScreenshotOnFailure('1-publish');
    // a draft with every step filled in (the server's clock is 2026-03-02, so the start is 30 days out)
    const committee = await db.knex('committees').first('id');
    const created = await t.request('POST', '/api/activities', {
      user: 'cd_pw',
      body: activityBody(Number(committee.id), { breakthrough: false, panels: false, panelMethod: undefined, breakthroughConditions: [], specialties: ['机械工程'] }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;

    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/activities`);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 20_000 }).toContain(NAME);
    await page.goto(`${base}/#/activities/${id}`);
    // walk through the steps, saving each, to the last one and submit
    for (const next of ['offering', 'achievements', 'breakthrough', 'materials']) {
      await page.click('[data-testid="save-activity"]');
      await page.waitForSelector(`[data-testid="step-${next}"]`, { timeout: 20_000 });
    }
    await page.click('[data-testid="submit-activity"]');
    await expect.poll(async () => (await db.knex('activities').where({ id }).first()).status, { timeout: 20_000 }).toBe('reviewing');

    // the issuer (city bureau) passes it from the inbox
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/tasks`);
    const row = page.locator('[data-testid="inbox"] tbody tr', { hasText: NAME }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.locator('td').nth(1).click();
    await page.waitForSelector('[data-testid="case-data"]');
    await page.click('button[data-action="pass"]');
    await page.waitForSelector('text=/已(提交|审核通过|退回|接收|办理)/', { timeout: 20_000 });
    await expect.poll(async () => (await db.knex('activities').where({ id }).first()).status).toBe('published');

    // anyone sees it on the public page, without logging in
    await page.evaluate('localStorage.clear()');
    await page.goto(`${base}/?fresh=${Date.now()}#/public/activities`);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 20_000 }).toContain(NAME);
  });
});
