import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { buildConsole, CONSOLE_DIST } from '../../scripts/build-console.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  await buildConsole();
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

interface Attempt {
  password: string;
  captchaId?: string;
  captcha?: string;
  from?: string;
}

const login = (app: TestApp, username: string, a: Attempt) =>
  app.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: a.from ?? '10.0.0.1',
    payload: { username, password: a.password, ...(a.captchaId ? { captchaId: a.captchaId, captcha: a.captcha } : {}) },
  });

/** A captcha challenge and its answer, read where the server keeps it. */
async function captcha(app: TestApp = t): Promise<{ captchaId: string; captcha: string }> {
  const res = await app.request('GET', '/api/auth/captcha');
  expect(res.statusCode).toBe(200);
  const { id, image } = res.json() as { id: string; image: string };
  expect(image).toMatch(/^data:image\/svg\+xml;base64,/);
  const row = await db.knex('login_captchas').where({ id }).first();
  return { captchaId: id, captcha: String(row.answer) };
}

/** Fails `times` passwords in a row, solving the captcha whenever one is asked for. */
async function fail(username: string, times: number, from?: string) {
  const answers: Array<Awaited<ReturnType<typeof login>>> = [];
  for (let i = 0; i < times; i++) {
    const needs: boolean = answers.at(-1)?.json().details?.captchaRequired === true;
    answers.push(await login(t, username, { password: `Wrong#${i}pass`, from, ...(needs ? await captcha() : {}) }));
  }
  return answers;
}

describe('failed logins lock the account, not the address', () => {
  it('counts down the tries left and locks the account for 15 minutes at the 5th failure', async () => {
    // given an account with no failures

    // when its password is typed wrongly five times in a row
    const answers = await fail('cd_jxj', 5);

    // then each answer says how many tries are left, and the fifth how long the lock lasts
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.map((a) => a.json().details.attemptsLeft)).toEqual([4, 3, 2, 1, 0]);
    expect(answers[0]!.json().message).toBe('用户名或密码错误，还可尝试 4 次');
    expect(answers[3]!.json().message).toBe('用户名或密码错误，还可尝试 1 次');
    const until = new Date(t.clock.now().getTime() + 15 * 60_000);
    expect(answers[4]!.json().details.lockedUntil).toBe(until.toISOString());
    expect(answers[4]!.json().message).toContain('账号锁定 15 分钟');
    expect(answers[4]!.json().message).toMatch(/至 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 解锁/);
  });

  it('refuses the right password while locked, from any address, and takes it after the 15 minutes', async () => {
    // given the account locked above

    // when its owner types the right password, from another address
    const locked = await login(t, 'cd_jxj', { password: DEMO_PASSWORD, from: '10.9.9.9' });

    // then it is refused with the lock's end, and no rate limit message
    expect(locked.statusCode).toBe(403);
    expect(locked.json().message).toMatch(/已被锁定，请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 后再试，或联系管理员解锁/);
    expect(locked.json().details.lockedUntil).toBeTruthy();

    // when the 15 minutes have passed
    t.clock.advance(15 * 60_000 + 1_000);

    // then the right password logs in without a captcha, and the count starts again
    expect((await login(t, 'cd_jxj', { password: DEMO_PASSWORD })).statusCode).toBe(200);
    expect((await fail('cd_jxj', 1))[0]!.json().details.attemptsLeft).toBe(4);
  });

  it('lets the right password in after a few failures, and then forgets them', async () => {
    // given four failures
    await fail('cd_pw', 4);

    // when the right password comes (with the captcha it now needs)
    const ok = await login(t, 'cd_pw', { password: DEMO_PASSWORD, ...(await captcha()) });

    // then it logs in, and the next failure is the first again
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await fail('cd_pw', 1))[0]!.json().details).toMatchObject({ attemptsLeft: 4, captchaRequired: false });
    await login(t, 'cd_pw', { password: DEMO_PASSWORD });
  });

  it('answers a name nobody has exactly like an account that exists', async () => {
    // when a wrong password is typed for an account and for a name nobody has
    const [account] = await fail('sc_hr', 1);
    const [nobody] = await fail('nobody_here', 1);

    // then both answers are the same
    expect(nobody!.statusCode).toBe(account!.statusCode);
    expect(nobody!.json()).toEqual(account!.json());
    await login(t, 'sc_hr', { password: DEMO_PASSWORD });
  });
});

describe('an administrator unlocks an account', () => {
  it('lifts a staff lock, shows it in the staff list before, and records lock and unlock in the audit', async () => {
    // given a city committee clerk locked out
    await fail('cd_pw', 5);
    const clerk = await db.knex('users').where({ username: 'cd_pw' }).first();
    const listed = await t.request('GET', '/api/staff', { user: 'cd_hr' });
    expect(listed.json().find((s: { id: number }) => s.id === clerk.id).loginLockedUntil).toBeTruthy();

    // when the unit's super admin unlocks the account
    const res = await t.request('POST', `/api/staff/${clerk.id}/unlock`, { user: 'cd_hr' });

    // then the clerk logs in at once, and the audit has the lock (by the system) and the unlock (by the admin)
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().loginLockedUntil).toBeNull();
    expect((await login(t, 'cd_pw', { password: DEMO_PASSWORD })).statusCode).toBe(200);
    const events = await db.knex('audit_events').where({ target_type: 'user', target_id: String(clerk.id) }).whereIn('action', ['user.lock', 'user.unlock']).orderBy('id');
    expect(events.map((e) => [e.action, e.actor_name])).toEqual([
      ['user.lock', '系统'],
      ['user.unlock', '成都市人社局经办人'],
    ]);
    expect(events[1].data.lockedUntil).toBe(events[0].data.until);
  });

  it('lets an employer unlock its applicant, and nobody else', async () => {
    // given a locked applicant, who logs in with the ID number
    await fail('51010419900307231X', 5);
    const applicant = await db.knex('users').where({ username: 'zhangwei' }).first();
    expect((await login(t, 'zhangwei', { password: DEMO_PASSWORD })).statusCode).toBe(403);

    // when a unit outside the employer's line tries, and then the employer's clerk unlocks
    const outsider = await t.request('POST', `/api/applicants/${applicant.id}/unlock`, { user: 'jj_hr' });
    const res = await t.request('POST', `/api/applicants/${applicant.id}/unlock`, { user: 'kj_hr' });

    // then only the employer's unlock counts
    expect([403, 404]).toContain(outsider.statusCode);
    expect(res.statusCode, res.body).toBe(200);
    expect((await login(t, 'zhangwei', { password: DEMO_PASSWORD })).statusCode).toBe(200);
  });
});

describe('captcha', () => {
  it('is asked for from the 2nd failure on, and a wrong, reused or expired one is refused before the password is checked', async () => {
    // given two failures
    const answers = await fail('jj_hr', 2);
    expect(answers.map((a) => a.json().details.captchaRequired)).toEqual([false, true]);

    // when the next attempt has no captcha, a wrong one, a reused one, an expired one
    const none = await login(t, 'jj_hr', { password: DEMO_PASSWORD });
    const challenge = await captcha();
    const wrong = await login(t, 'jj_hr', { password: DEMO_PASSWORD, captchaId: challenge.captchaId, captcha: 'ZZZZ' });
    const reused = await login(t, 'jj_hr', { password: DEMO_PASSWORD, ...challenge });
    const old = await captcha();
    t.clock.advance(5 * 60_000 + 1_000);
    const expired = await login(t, 'jj_hr', { password: DEMO_PASSWORD, ...old });

    // then each is a 400 naming 验证码, and none counted as a failed password
    for (const res of [none, wrong, reused, expired]) {
      expect(res.statusCode).toBe(400);
      expect(res.json().details[0].field).toBe('captcha');
    }
    expect(none.json().message).toBe('请输入验证码');
    expect(wrong.json().message).toBe('验证码错误或已过期，请重新输入');

    // when the right captcha comes with the right password (typed in lower case)
    const fresh = await captcha();
    const ok = await login(t, 'jj_hr', { password: DEMO_PASSWORD, captchaId: fresh.captchaId, captcha: fresh.captcha.toLowerCase() });

    // then it logs in
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('flood guard', () => {
  it('limits requests per address only, and says how long to wait', async () => {
    // given an API whose flood guard allows 3 login requests a minute per address
    const pool = await reopen(db);
    const second = await startTestApp(pool, { deploy: false, config: { LOGIN_RATE_LIMIT: '3' } });
    try {
      // when one address sends four
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push(await login(second, `flood_${i}`, { password: 'x', from: '10.1.1.1' }));

      // then the fourth is slowed with a wait time, and another address is not
      expect(codes.map((c) => c.statusCode)).toEqual([401, 401, 401, 429]);
      expect(codes[3]!.json().message).toMatch(/^操作过于频繁，请 \d+ 秒后再试$/);
      expect((await login(second, 'kj_hr', { password: DEMO_PASSWORD, from: '10.2.2.2' })).statusCode).toBe(200);
    } finally {
      await second.close();
      await pool.close();
    }
  });
});

describe('security headers and compression', () => {
  const asset = () => fs.readdirSync(path.join(CONSOLE_DIST, 'assets')).find((f) => /^index-.*\.js$/.test(f))!;

  it('sends the security headers with API answers, errors, the console and its files', async () => {
    for (const url of ['/api/health', '/api/tasks', '/api/no-such-route', '/', `/assets/${asset()}`]) {
      // when any of them is asked for
      const res = await t.app.inject({ method: 'GET', url });

      // then it carries a CSP without inline scripts, and the other helmet headers
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toMatch(/script-src 'self';/);
      expect(csp, url).toContain("frame-ancestors 'self'");
      expect(csp, url).toContain("object-src 'self' blob:");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('answers the console script compressed when the browser accepts it, and plain otherwise', async () => {
    const url = `/assets/${asset()}`;
    const original = fs.readFileSync(path.join(CONSOLE_DIST, 'assets', asset()));

    // when the script is asked for with and without Accept-Encoding
    const br = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
    const gzip = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    const plain = await t.app.inject({ method: 'GET', url });

    // then the compressed answers are the same script, at under a third of its size
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.brotliDecompressSync(br.rawPayload).equals(original)).toBe(true);
    expect(zlib.gunzipSync(gzip.rawPayload).equals(original)).toBe(true);
    expect(br.rawPayload.length).toBeLessThan(original.length / 3);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(original)).toBe(true);
  });

  it('compresses large API answers too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(res.rawPayload).toString()).openapi).toMatch(/^3\./);
  });
});

describe('sessions end on every API process at once', () => {
  let pool: Awaited<ReturnType<typeof reopen>>;
  let other: TestApp;
  beforeAll(async () => {
    // a second API process: its own pool and its own principal cache, on the same database
    pool = await reopen(db);
    other = await startTestApp(pool, { deploy: false, clock: t.clock });
  });
  afterAll(async () => {
    await other?.close();
    await pool?.close();
  });

  const me = (app: TestApp, token: string) => app.request('GET', '/api/auth/me', { token });

  it('takes the token of a forced first password change on the other process, and refuses the old one there', async () => {
    // given a new clerk with an initial password, whose session the other process has seen
    const created = await t.request('POST', '/api/staff', { user: 'kj_hr', body: { username: 'kj_two', displayName: '第二经办人', roles: ['unit_clerk', 'unit_admin'] } });
    expect(created.statusCode, created.body).toBe(201);
    const initial = created.json().initialPassword as string;
    const first = await login(t, 'kj_two', { password: initial });
    const oldToken = first.json().token as string;
    expect((await me(other, oldToken)).statusCode).toBe(200);

    // when the clerk replaces the password on this process
    const changed = await t.request('POST', '/api/auth/password', { token: oldToken, body: { oldPassword: initial, newPassword: 'Second#2026kj' } });
    expect(changed.statusCode, changed.body).toBe(200);

    // then, at once, the other process takes the new token and refuses the old one
    expect((await me(other, changed.json().token)).statusCode).toBe(200);
    const old = await me(other, oldToken);
    expect(old.statusCode).toBe(401);
    expect(old.json().message).toBe('密码已修改，请重新登录');
  });

  it('stops a token at once on the other process when its account loses a role, and when it is disabled', async () => {
    // given the clerk's session, seen by the other process with the staff list it may read
    const token = (await login(t, 'kj_two', { password: 'Second#2026kj' })).json().token as string;
    expect((await other.request('GET', '/api/staff', { token })).statusCode).toBe(200);
    const row = await db.knex('users').where({ username: 'kj_two' }).first();

    // when the super admin takes away 单位超级管理员 on this process
    const updated = await t.request('PUT', `/api/staff/${row.id}`, { user: 'kj_hr', body: { displayName: '第二经办人', roles: ['unit_clerk'], version: row.version } });
    expect(updated.statusCode, updated.body).toBe(200);

    // then the other process refuses what the role allowed, at once
    expect((await other.request('GET', '/api/staff', { token })).statusCode).toBe(403);

    // when the account is disabled
    expect((await t.request('POST', `/api/staff/${row.id}/disable`, { user: 'kj_hr' })).statusCode).toBe(200);

    // then the other process refuses the token, at once
    const refused = await me(other, token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toContain('停用');
  });
});

describe('password policy for a new password', () => {
  async function newClerk(username: string) {
    const created = await t.request('POST', '/api/staff', { user: 'kj_hr', body: { username, displayName: '新的经办人', roles: ['unit_clerk'] } });
    const initial = created.json().initialPassword as string;
    const token = (await login(t, username, { password: initial })).json().token as string;
    return { initial, token };
  }

  it('refuses common passwords, the demo one included, at the forced first change', async () => {
    // given a clerk who must replace the initial password
    const { initial, token } = await newClerk('kj_common');

    for (const newPassword of ['Password1', DEMO_PASSWORD, 'p@ssw0rd']) {
      // when a common password is chosen
      const res = await t.request('POST', '/api/auth/password', { token, body: { oldPassword: initial, newPassword } });

      // then it is refused, naming 新密码
      expect(res.statusCode, newPassword).toBe(400);
      expect(res.json().message).toBe('新密码：密码过于常见，容易被猜中，请换一个');
      expect(res.json().details).toEqual([{ field: 'newPassword', message: '密码过于常见，容易被猜中，请换一个' }]);
    }
    // and logging in with the demo password stays possible for the demo accounts
    expect((await login(t, 'kj_hr', { password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('refuses the previous password', async () => {
    // given a clerk who replaced the initial password by A, then A by B
    const { initial, token } = await newClerk('kj_prev');
    const a = await t.request('POST', '/api/auth/password', { token, body: { oldPassword: initial, newPassword: 'First#2026abc' } });
    const b = await t.request('POST', '/api/auth/password', { token: a.json().token, body: { oldPassword: 'First#2026abc', newPassword: 'Second#2026abc' } });
    expect(b.statusCode, b.body).toBe(200);

    // when the clerk goes back to A, or keeps B
    const back = await t.request('POST', '/api/auth/password', { token: b.json().token, body: { oldPassword: 'Second#2026abc', newPassword: 'First#2026abc' } });
    const same = await t.request('POST', '/api/auth/password', { token: b.json().token, body: { oldPassword: 'Second#2026abc', newPassword: 'Second#2026abc' } });

    // then both are refused, naming 新密码
    expect(back.statusCode).toBe(400);
    expect(back.json().details).toEqual([{ field: 'newPassword', message: '不能与上一次使用的密码相同' }]);
    expect(same.statusCode).toBe(400);
    expect(same.json().details[0].field).toBe('newPassword');
  });
});
