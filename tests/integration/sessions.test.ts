import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
// the sessions' real time, moved apart from the business clock
const real = new TestClock(new Date());

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true, sessionClock: real, config: { JWT_EXPIRES_IN: '15m', SESSION_IDLE_MINUTES: '30', SESSION_WARN_SECONDS: '120' } });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

interface Issued {
  token: string;
  refreshToken: string;
  session: { idleSeconds: number; warnSeconds: number };
}

async function login(username = 'cd_hr'): Promise<Issued> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return res.json() as Issued;
}

const me = (token: string) => t.request('GET', '/api/auth/me', { token });
const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
const minutes = (n: number) => n * 60_000;

describe('login tokens', () => {
  it('are short-lived access tokens that name their session, with a refresh token and the idle policy', async () => {
    // when a clerk logs in
    const issued = await login();

    // then the access token lives 15 minutes and names a stored session; the refresh token is stored hashed only
    const claims = t.app.jwt.decode<{ iat: number; exp: number; sid: string }>(issued.token)!;
    expect(claims.exp - claims.iat).toBe(15 * 60);
    const session = await db.knex('auth_sessions').where({ id: claims.sid }).first();
    expect(session.revoked_at).toBeNull();
    const stored = await db.knex('auth_refresh_tokens').where({ session_id: claims.sid }).pluck('token_hash');
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(issued.refreshToken);
    expect(issued.session).toEqual({ idleSeconds: 1800, warnSeconds: 120 });
  });

  it('refuses a token of the old shape, without a session', async () => {
    // given a token signed with the right key but naming no session (as issued before sessions)
    const user = await db.knex('users').where({ username: 'cd_hr' }).first('id', 'password_changed_at');
    const old = t.app.jwt.sign({ sub: String(user.id), username: 'cd_hr', pv: user.password_changed_at ? new Date(user.password_changed_at).getTime() : 0 });

    // when it is used
    const res = await me(old);

    // then the caller is asked to log in again
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('登录已失效，请重新登录');
  });
});

describe('refresh', () => {
  it('exchanges a refresh token for a new pair that works', async () => {
    // given a session
    const first = await login();

    // when its refresh token is used
    const res = await refresh(first.refreshToken);

    // then a new access token and a new refresh token come back, and the new access token is accepted
    expect(res.statusCode).toBe(200);
    const next = res.json() as Issued;
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect((await me(next.token)).statusCode).toBe(200);
  });

  it('ends the whole session when a refresh token is used a second time', async () => {
    // given a session whose refresh token has been exchanged once
    const first = await login();
    const next = (await refresh(first.refreshToken)).json() as Issued;

    // when the old refresh token shows up again (a stolen copy)
    const reuse = await refresh(first.refreshToken);

    // then it is refused, and so are the legitimate new refresh token and the access tokens of the session
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().details).toEqual({ session: 'reuse' });
    expect((await refresh(next.refreshToken)).statusCode).toBe(401);
    const access = await me(next.token);
    expect(access.statusCode).toBe(401);
    expect(access.json().message).toBe('登录凭证已被重复使用，为安全起见已退出登录，请重新登录');
  });

  it('lets only one of two simultaneous uses of one refresh token through', async () => {
    // given a session
    const first = await login();

    // when its refresh token is sent twice at once
    const answers = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);

    // then at most one pair is issued, and the session ends as a reuse
    expect(answers.filter((a) => a.statusCode === 200).length).toBeLessThanOrEqual(1);
    expect(answers.some((a) => a.statusCode === 401)).toBe(true);
    const sid = t.app.jwt.decode<{ sid: string }>(first.token)!.sid;
    expect((await db.knex('auth_sessions').where({ id: sid }).first()).revoked_reason).toBe('reuse');
  });

  it('refuses an unknown refresh token and names the field of an empty one', async () => {
    // when a made-up and an empty refresh token are sent
    const unknown = await refresh('not-a-token-we-issued');
    const empty = await refresh('');

    // then 401 for the first, a Chinese 400 naming the field for the second
    expect(unknown.statusCode).toBe(401);
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json())).toContain('refreshToken');
  });

  it('is refused for a session opened before a password change', async () => {
    // given two sessions of one account, and the password changed in the first
    const a = await login('jj_hr');
    const b = await login('jj_hr');
    const changed = await t.request('POST', '/api/auth/password', { token: a.token, body: { oldPassword: DEMO_PASSWORD, newPassword: 'Change#2026ok' } });
    expect(changed.statusCode).toBe(200);

    // when the other session tries to refresh
    const res = await refresh(b.refreshToken);

    // then it is refused, while the session that changed it goes on with its new pair
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('密码已修改，请重新登录');
    expect((await refresh((changed.json() as Issued).refreshToken)).statusCode).toBe(200);
  });
});

describe('logout', () => {
  it('refuses the access token at once and the refresh token after it', async () => {
    // given a session
    const issued = await login();

    // when the user logs out
    const res = await t.request('POST', '/api/auth/logout', { token: issued.token });

    // then the same access token is refused at once, and its refresh token too
    expect(res.statusCode).toBe(200);
    const after = await me(issued.token);
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toBe('已退出登录，请重新登录');
    expect((await refresh(issued.refreshToken)).statusCode).toBe(401);
  });

  it('ends only the session logged out of', async () => {
    // given the same person logged in twice (two browsers)
    const office = await login('kj_hr');
    const home = await login('kj_hr');

    // when one logs out
    await t.request('POST', '/api/auth/logout', { token: office.token });

    // then the other still works
    expect((await me(home.token)).statusCode).toBe(200);
  });
});

describe('idle sessions', () => {
  it('end after 30 minutes unused: access and refresh refused', async () => {
    // given a session
    const issued = await login();

    // when 31 minutes of real time pass without a request
    real.advance(minutes(31));

    // then its access token and its refresh token are refused, saying why
    const access = await me(issued.token);
    expect(access.statusCode).toBe(401);
    expect(access.json()).toMatchObject({ message: '长时间未操作，已自动退出登录，请重新登录', details: { session: 'idle' } });
    expect((await refresh(issued.refreshToken)).json().details).toEqual({ session: 'idle' });
  });

  it('go on while they are used', async () => {
    // given a session used every 20 minutes
    const issued = await login();
    real.advance(minutes(20));
    expect((await me(issued.token)).statusCode).toBe(200);
    real.advance(minutes(20));

    // when it is used again, 40 minutes after the login
    const res = await refresh(issued.refreshToken);

    // then it is still alive
    expect(res.statusCode).toBe(200);
  });

  it('do not end when the business clock moves days forward', async () => {
    // given a session
    const issued = await login();

    // when the business clock (deadlines, timers) jumps ten days
    t.clock.advanceDays(10);

    // then the session, on real time, still answers
    expect((await me(issued.token)).statusCode).toBe(200);
  });
});
