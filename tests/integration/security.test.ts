import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { ROOT, startTestApp, type TestApp } from '../helpers/app.ts';
import type { Database } from '../../api/src/db.ts';
import { loadConfig } from '../../api/src/config.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
// the defaults: CORS closed
let t: TestApp;
// one partner origin allowed, and small public limits
let open: TestApp;
let pool: Database;
const PARTNER = 'https://rsks.example.gov.cn';

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  pool = await reopen(db);
  open = await startTestApp(pool, {
    deploy: false,
    config: { CORS_ORIGINS: `${PARTNER}/, https://other.example.gov.cn`, PUBLIC_RATE_LIMIT: '3', REGISTRATION_RATE_LIMIT: '2', LOGIN_RATE_LIMIT: '2' },
  });
}, 120_000);

afterAll(async () => {
  await open?.close();
  await pool?.close();
  await t?.close();
  await db?.drop();
});

describe('CORS', () => {
  it('is closed by default: no page of another origin may read an answer', async () => {
    // when a page of another origin calls a public list, and asks ahead for a POST
    const read = await t.app.inject({ method: 'GET', url: '/api/public/announcements', headers: { origin: 'https://evil.example.com' } });
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/api/auth/login', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });

    // then neither answer carries Access-Control-Allow-Origin
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('lets a listed origin call, and answers its preflight', async () => {
    // when the listed origin asks ahead for an authorised POST, then reads a list
    const preflight = await open.app.inject({ method: 'OPTIONS', url: '/api/auth/login', headers: { origin: PARTNER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    const read = await open.app.inject({ method: 'GET', url: '/api/public/activities', headers: { origin: PARTNER }, remoteAddress: '10.9.0.1' });

    // then both name that origin (and only it), and the preflight allows the Authorization header
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(PARTNER);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('Authorization');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    expect(read.headers['access-control-allow-origin']).toBe(PARTNER);
    expect(read.headers.vary).toContain('Origin');
  });

  it('refuses an origin that is not listed even when another is', async () => {
    // when a look-alike origin calls the API that lists the partner
    const read = await open.app.inject({ method: 'GET', url: '/api/public/activities', headers: { origin: 'https://rsks.example.gov.cn.evil.com' }, remoteAddress: '10.9.0.2' });

    // then no Access-Control-Allow-Origin is given
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits on public endpoints', () => {
  const wait = (res: { headers: Record<string, unknown> }) => Number(res.headers['retry-after']);
  // each case from its own address
  let address = 0;

  it.each([
    ['通知公告门户', '/api/public/announcements'],
    ['公开的评审活动', '/api/public/activities'],
    ['证书核验', '/api/public/certificates/verify?p=x&s=y'],
    ['证书核验页面', '/verify?p=x&s=y'],
  ])('answers 429 in Chinese with Retry-After beyond the limit: %s', async (_name, url) => {
    // given an address that has used its 3 reads of the minute (even malformed ones)
    const from = `10.8.0.${++address}`;
    for (let i = 0; i < 3; i++) expect((await open.app.inject({ method: 'GET', url, remoteAddress: from })).statusCode).not.toBe(429);

    // when it reads a fourth time
    const res = await open.app.inject({ method: 'GET', url, remoteAddress: from });

    // then it is told to wait, in Chinese, and for how long
    expect(res.statusCode).toBe(429);
    expect(wait(res)).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ error: 'TooManyRequests', message: expect.stringMatching(/^操作过于频繁，请 \d+ 秒后再试$/) });
  });

  it('limits registration attempts per address, malformed ones included', async () => {
    // given an address that has sent 2 registrations (incomplete ones: refused with 400)
    const send = (from: string) => open.app.inject({ method: 'POST', url: '/api/applicants/register', payload: {}, remoteAddress: from });
    expect((await send('10.7.0.1')).statusCode).toBe(400);
    expect((await send('10.7.0.1')).statusCode).toBe(400);

    // when it sends a third, and another address its first
    const third = await send('10.7.0.1');
    const elsewhere = await send('10.7.0.2');

    // then the third waits, the other address does not
    expect(third.statusCode).toBe(429);
    expect(wait(third)).toBeGreaterThan(0);
    expect(elsewhere.statusCode).toBe(400);
  });

  it('limits the unit self-registration the same way', async () => {
    // given an address that has sent 2 unit registrations
    for (let i = 0; i < 2; i++) await open.app.inject({ method: 'POST', url: '/api/registrations', payload: {}, remoteAddress: '10.7.1.1' });

    // when it sends a third
    const res = await open.app.inject({ method: 'POST', url: '/api/registrations', payload: {}, remoteAddress: '10.7.1.1' });

    // then it is slowed
    expect(res.statusCode).toBe(429);
  });

  it('limits captcha challenges with the login flood guard', async () => {
    // given an address that has fetched 2 captchas
    for (let i = 0; i < 2; i++) expect((await open.app.inject({ method: 'GET', url: '/api/auth/captcha', remoteAddress: '10.6.0.1' })).statusCode).toBe(200);

    // when it fetches a third
    const res = await open.app.inject({ method: 'GET', url: '/api/auth/captcha', remoteAddress: '10.6.0.1' });

    // then it is slowed
    expect(res.statusCode).toBe(429);
    expect(wait(res)).toBeGreaterThan(0);
  });

  it('leaves signed-in work alone', async () => {
    // when a clerk opens the inbox more often than the public limit allows
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await open.request('GET', '/api/tasks', { user: 'cd_hr' })).statusCode);

    // then every request is answered
    expect(codes.every((c) => c === 200)).toBe(true);
  });
});

describe('secrets and demo data', () => {
  it('keeps demo data off unless asked for', () => {
    // when the configuration is read without DEMO_DATA, and with it
    // then demo data is off, and on only when asked
    expect(loadConfig({}).DEMO_DATA).toBe(false);
    expect(loadConfig({ DEMO_DATA: 'true' }).DEMO_DATA).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.demo).toContain('DEMO_DATA=true');
    expect(pkg.scripts.start).not.toContain('DEMO_DATA');
  });

  it('names every secret a production configuration lacks', () => {
    // when production is configured without secrets, with some, and with all four
    // then the missing ones are named in Chinese, and a complete one is accepted
    const pii = { PII_KEY: '0123456789abcdef0123456789abcdef', PII_HASH_KEY: 'fedcba9876543210fedcba9876543210' };
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/生产环境.*JWT_SECRET、CERT_KEY_SECRET、PII_KEY、PII_HASH_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-length', ...pii })).toThrow(/CERT_KEY_SECRET，/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-length', CERT_KEY_SECRET: 'another-production-secret' })).toThrow(/PII_KEY、PII_HASH_KEY/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-length', CERT_KEY_SECRET: 'another-production-secret', ...pii }).NODE_ENV).toBe('production');
  });

  it('refuses to start the server in production without JWT_SECRET', () => {
    // given a production environment without JWT_SECRET
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-security-'));
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NODE_ENV: 'production', DATA_DIR: dataDir, CERT_KEY_SECRET: 'another-production-secret', PORT: '0' };

    // when the server is started
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/src/server.ts')], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    fs.rmSync(dataDir, { recursive: true, force: true });

    // then it stops at once, naming the variable, before touching any data
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('必须通过环境变量设置 JWT_SECRET');
    expect(run.stdout).not.toContain('已启动');
  });
});
