import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { bootstrapProvince } from '../../api/src/bootstrap.ts';

let db: TestDatabase & { drop(): Promise<void> };
let t: TestApp;
let admin: { username: string; password: string };

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { deploy: false });
  admin = await bootstrapProvince(db.knex, { name: '四川省人力资源和社会保障厅', creditCode: '115100000087024764', regionCode: '510000' });
});
afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const login = (password: string, captcha?: { captchaId: string; captcha: string }) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password, ...captcha } });

/** A captcha challenge and its answer, read where the server keeps it. */
async function captcha(): Promise<{ captchaId: string; captcha: string }> {
  const { id } = (await t.request('GET', '/api/auth/captcha')).json() as { id: string };
  const row = await db.knex('login_captchas').where({ id }).first();
  return { captchaId: id, captcha: String(row.answer) };
}

describe('simultaneous logins at one account', () => {
  it('lets ten simultaneous logins with the right password all in, and counts none as a failure', async () => {
    // given an account with no failed logins

    // when ten logins with its right password arrive at once
    const answers = await Promise.all(Array.from({ length: 10 }, () => login(admin.password)));

    // then all ten get in and the account is neither locked nor charged
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200));
    const rows = await db.knex('login_failures').select('failures', 'locked_until');
    expect(rows.filter((r) => Number(r.failures) > 0 || r.locked_until)).toEqual([]);
  });

  it('checks exactly five of ten simultaneous wrong passwords, and the fifth locks the account', async () => {
    // given the same account, and a captcha ready for each attempt (asked from the 2nd failure on)
    const captchas = await Promise.all(Array.from({ length: 10 }, () => captcha()));

    // when ten wrong passwords arrive at once
    const answers = await Promise.all(captchas.map((c, i) => login(`Wrong#${i}pass`, c)));

    // then five are checked and refused (the last of them locks), the other five meet the lock unchecked
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([...Array(5).fill(401), ...Array(5).fill(403)]);
    const left = answers.filter((a) => a.statusCode === 401).map((a) => a.json().details.attemptsLeft).sort();
    expect(left).toEqual([0, 1, 2, 3, 4]);
    const row = await db.knex('login_failures').where('account_key', 'like', 'u:%').first();
    expect(Number(row.failures)).toBe(5);
    expect(row.locked_until).not.toBeNull();
  });

  it('refuses the right password while the simultaneous guesses keep it locked', async () => {
    // given the account locked by the guesses above

    // when its owner types the right password
    const answer = await login(admin.password);

    // then the lock holds
    expect(answer.statusCode).toBe(403);
    expect(answer.json().details.lockedUntil).not.toBeNull();
  });
});
