import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
// Content-Security-Policy violations the browser reported, from the console and the DOM event
const violations: string[] = [];

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'login-security', viewport: { width: 1366, height: 768 } });
  ({ page, base } = session);
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
}, 240_000);

afterAll(async () => {
  await session?.close();
});

async function openLogin() {
  await page.goto(`${base}/?fresh=${Date.now()}#/login`);
  await page.evaluate('localStorage.clear()');
  await page.goto(`${base}/?fresh=${Date.now()}#/login`);
  await page.waitForSelector('[data-testid="login-form"]');
}

/** Submits the form; when a captcha is showing, fills in its answer, read where the server keeps it. */
async function submit(username: string, password: string, captchaId: string | null) {
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  if (captchaId) {
    const row = await session.db.knex('login_captchas').where({ id: captchaId }).first();
    await page.fill('input[name="captcha"]', String(row.answer));
  }
  const answered = page.waitForResponse((r) => r.url().includes('/api/auth/login'));
  const next = page.waitForResponse((r) => r.url().includes('/api/auth/captcha'), { timeout: 5_000 }).catch(() => null);
  await page.click('button[type="submit"]');
  await answered;
  const challenge = await next;
  return challenge ? ((await challenge.json()) as { id: string }).id : null;
}

const problem = () => page.locator('[data-testid="login-problem"]').innerText();

describe('the login page in Chromium', () => {
  it('shows the tries left, then the captcha image, then the lock and until when', async () => {
    session.keepScreenshotOnFailure('lockout');
    // given the login page
    await openLogin();

    // when the committee clerk's password is typed wrongly once
    let captchaId = await submit('cd_pw', 'Wrong#1pass', null);

    // then the page says how many tries are left, and asks no captcha yet
    await expect.poll(problem).toBe('用户名或密码错误，还可尝试 4 次');
    expect(await page.locator('[data-testid="captcha-image"]').count()).toBe(0);

    // when it is wrong a second time
    captchaId = await submit('cd_pw', 'Wrong#2pass', captchaId);

    // then a captcha image is shown beside its field
    await expect.poll(problem).toBe('用户名或密码错误，还可尝试 3 次');
    const image = page.locator('[data-testid="captcha-image"]');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await screenshot(page, 'login-security-captcha');
    // and on an applicant's phone the captcha row fits without scrolling sideways
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await image.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'login-security-captcha-phone');
    await page.setViewportSize({ width: 1366, height: 768 });

    // when three more wrong passwords come, each with its captcha answered
    captchaId = await submit('cd_pw', 'Wrong#3pass', captchaId);
    await expect.poll(problem).toBe('用户名或密码错误，还可尝试 2 次');
    captchaId = await submit('cd_pw', 'Wrong#4pass', captchaId);
    await expect.poll(problem).toBe('用户名或密码错误，还可尝试 1 次');
    await submit('cd_pw', 'Wrong#5pass', captchaId);

    // then the page says the account is locked for 15 minutes and until when, and drops the captcha
    await expect.poll(problem).toMatch(/账号锁定 15 分钟，至 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 解锁/);
    expect(await page.locator('[data-testid="captcha-image"]').count()).toBe(0);
    await screenshot(page, 'login-security-locked');

    // and the right password is refused until then, saying so
    await submit('cd_pw', 'Zcps@2026', null);
    await expect.poll(problem).toMatch(/已被锁定，请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 后再试，或联系管理员解锁/);
  });

  it('lets the unit’s super admin unlock the account from 工作人员管理', async () => {
    session.keepScreenshotOnFailure('unlock');
    // given the locked clerk above, and the city bureau's super admin in 工作人员管理
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/staff`);
    const row = page.locator('[data-testid="staff"] tbody tr', { hasText: 'cd_pw' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toMatch(/密码错误次数过多，锁定至 \d{4}/);
    await screenshot(page, 'login-security-staff-locked');

    // when the admin clicks 解锁
    await row.locator('[data-testid="unlock-login"]').click();

    // then the list no longer shows the lock, and the clerk logs in
    await expect.poll(() => row.innerText()).not.toContain('锁定至');
    expect(await row.locator('[data-testid="unlock-login"]').count()).toBe(0);
    await login(page, base, 'cd_pw');
  });

  it('lets the employer unlock an applicant from 申报人账号', async () => {
    session.keepScreenshotOnFailure('unlock-applicant');
    // given an applicant locked after five wrong passwords
    const lina = await session.db.knex('users').where({ username: 'lina' }).first();
    const until = new Date(session.t.clock.now().getTime() + 15 * 60_000);
    await session.db.knex('login_failures').insert({ account_key: `u:${lina.id}`, user_id: lina.id, failures: 5, last_failed_at: session.t.clock.now(), locked_until: until });
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/applicants`);
    const row = page.locator('tbody tr', { hasText: '李娜' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toMatch(/锁定至 \d{4}/);

    // when the employer's clerk clicks 解锁
    await row.locator('[data-testid="unlock-login"]').click();

    // then the lock is gone from the list and from the database
    await expect.poll(() => row.innerText()).not.toContain('锁定至');
    expect(await session.db.knex('login_failures').where({ user_id: lina.id })).toEqual([]);
  });

  it('refuses the demo password as a new password at the forced first change, beside 新密码', async () => {
    session.keepScreenshotOnFailure('common-password');
    // given a new clerk with an initial password
    const created = await session.t.request('POST', '/api/staff', { user: 'kj_hr', body: { username: 'kj_new', displayName: '新经办人', roles: ['unit_clerk'] } });
    expect(created.statusCode, created.body).toBe(201);
    const initial = created.json().initialPassword as string;
    await openLogin();
    await submit('kj_new', initial, null);
    await page.waitForSelector('[data-testid="change-password"]', { timeout: 20_000 });

    // when the clerk picks the demo password
    await page.getByLabel('原密码').fill(initial);
    await page.getByLabel(/^新密码/).fill('Zcps@2026');
    await page.getByLabel('确认新密码').fill('Zcps@2026');
    await page.click('button:has-text("确认修改")');

    // then the page refuses it under 新密码 and stays
    await expect.poll(() => page.locator('[data-testid="change-password"]').innerText()).toContain('密码过于常见，容易被猜中，请换一个');
    await screenshot(page, 'login-security-common-password');
    expect((await session.db.knex('users').where({ username: 'kj_new' }).first()).must_change_password).toBe(true);
  });

  it('shows the login page, the inbox, the flow editor, attachments and the API documentation without any CSP violation', async () => {
    session.keepScreenshotOnFailure('csp');
    // given the console served with its Content-Security-Policy, and a watch that sees a violation
    const csp = (await page.request.get(`${base}/`)).headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    await openLogin();
    violations.length = 0;
    await page.evaluate(() => {
      const inline = document.createElement('script');
      inline.textContent = 'window.injected = true';
      document.body.appendChild(inline);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate('window.injected')).toBeUndefined();
    violations.length = 0;

    // when the login page (with its captcha), the inbox and the flow editor are opened
    await openLogin();
    await submit('kj_hr', 'Wrong#1pass', null);
    await submit('kj_hr', 'Wrong#2pass', null);
    await page.locator('[data-testid="captcha-image"]').waitFor();
    // the fresh page of the login helper would not know a captcha is due
    await session.db.knex('login_failures').delete();
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks`);
    await page.waitForSelector('text=待办事项', { timeout: 20_000 });
    await login(page, base, 'admin');
    await page.goto(`${base}/#/process-definitions`);
    await page.click('[data-testid="edit-dossier-review"]');
    await page.waitForSelector('[data-testid="modeler"] [data-element-id="unit_review"]', { timeout: 30_000 });
    await page.click('[data-testid="modeler"] [data-element-id="unit_review"]');
    await page.waitForTimeout(500);
    await screenshot(page, 'login-security-editor-with-csp');
    // an attachment opened in the console: a PDF in a frame and a picture, both from blob: URLs
    await page.evaluate(async () => {
      const frame = document.createElement('iframe');
      frame.src = URL.createObjectURL(new Blob(['%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'], { type: 'application/pdf' }));
      document.body.appendChild(frame);
      const picture = document.createElement('img');
      picture.src = URL.createObjectURL(new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'], { type: 'image/svg+xml' }));
      document.body.appendChild(picture);
      await new Promise((resolve) => setTimeout(resolve, 800));
    });
    await page.goto(`${base}/api/docs`);
    await page.waitForSelector('.swagger-ui .opblock', { timeout: 30_000 });

    // then the browser reported no violation
    expect(violations).toEqual([]);
  });
});
