import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;

beforeAll(async () => {
  // a tiny idle time (15 s, warned 6 s before) and 9-second access tokens, so the test waits seconds
  session = await startConsoleSession({
    prefix: 'sessions',
    viewport: { width: 1366, height: 768 },
    config: { SESSION_IDLE_MINUTES: '0.25', SESSION_WARN_SECONDS: '6', JWT_EXPIRES_IN: '9s' },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const dialog = () => page.locator('[data-testid="idle-warning"]');
const stored = (key: string) => page.evaluate((k) => localStorage.getItem(k), key);
const me = (token: string) => session.t.request('GET', '/api/auth/me', { token });

describe('the idle warning in the console', () => {
  it('warns before the idle end, and 继续使用 keeps the session on the server', async () => {
    session.keepScreenshotOnFailure('continue');
    // given a clerk logged in who then leaves the console alone
    await login(page, base, 'cd_hr');

    // when the idle end comes near
    await dialog().getByText('即将因长时间未操作退出登录').waitFor({ timeout: 20_000 });

    // then the warning counts down and offers 继续使用 and 退出, on a desk and on a phone
    expect(Number(await page.locator('[data-testid="idle-seconds-left"]').innerText())).toBeLessThanOrEqual(6);
    await screenshot(page, 'sessions-idle-warning');
    await page.setViewportSize({ width: 390, height: 844 });
    const box = await dialog().locator('.MuiDialog-paper').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'sessions-idle-warning-phone');
    await page.setViewportSize({ width: 1366, height: 768 });

    // when the clerk chooses 继续使用
    await dialog().getByRole('button', { name: '继续使用' }).click();

    // then the warning closes and the session answers on the server
    await dialog().waitFor({ state: 'hidden' });
    expect((await me((await stored('zcps.token'))!)).statusCode).toBe(200);
    expect(page.url()).not.toContain('#/login');
  }, 60_000);

  it('logs out at the idle end, and the server refuses the session from then on', async () => {
    session.keepScreenshotOnFailure('idle-end');
    // given a clerk logged in, with the session's tokens
    await login(page, base, 'cd_hr');
    const token = (await stored('zcps.token'))!;
    const refreshToken = (await stored('zcps.refresh'))!;

    // when nobody answers the warning
    await dialog().waitFor({ timeout: 20_000 });
    const notice = page.locator('[data-testid="signed-out-notice"]');
    await notice.waitFor({ timeout: 20_000 });

    // then the login page says why, and neither of the session's tokens is accepted any more
    expect(await notice.innerText()).toBe('长时间未操作，已自动退出登录，请重新登录');
    await screenshot(page, 'sessions-signed-out');
    expect((await me(token)).statusCode).toBe(401);
    const refresh = await session.t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
    expect(refresh.statusCode).toBe(401);
  }, 60_000);

  it('退出 in the warning ends the session on the server at once', async () => {
    session.keepScreenshotOnFailure('leave');
    // given the warning showing
    await login(page, base, 'cd_hr');
    const token = (await stored('zcps.token'))!;
    const refreshToken = (await stored('zcps.refresh'))!;
    await dialog().waitFor({ timeout: 20_000 });

    // when the clerk chooses 退出
    await dialog().getByRole('button', { name: '退出' }).click();

    // then the login page shows and the session is ended as logged out: its tokens are refused
    await page.waitForSelector('[data-testid="login-form"]');
    expect((await me(token)).statusCode).toBe(401);
    const refresh = await session.t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
    expect(refresh.json()).toMatchObject({ message: '已退出登录，请重新登录', details: { session: 'logout' } });
  }, 60_000);

  it('renews the short access token without a word while the clerk works', async () => {
    session.keepScreenshotOnFailure('renew');
    // given a clerk logged in, and the first access token
    await login(page, base, 'cd_hr');
    const first = (await stored('zcps.token'))!;

    // when the clerk keeps working for longer than an access token lives
    let warned = false;
    for (let i = 0; i < 14; i++) {
      await page.mouse.move(200 + 20 * (i % 5), 300 + 10 * (i % 3));
      await page.waitForTimeout(1_000);
      warned ||= await dialog().isVisible();
    }
    const inbox = page.waitForResponse((r) => r.url().includes('/api/tasks?'));
    await page.goto(`${base}/#/tasks`);

    // then no warning came while working, the inbox loads, and a new access token replaced the first (now expired)
    expect(warned).toBe(false);
    expect((await inbox).status()).toBe(200);
    const current = (await stored('zcps.token'))!;
    expect(current).not.toBe(first);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(current)).statusCode).toBe(200);
  }, 60_000);
});
