import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { bootstrapProvince } from '../../api/src/bootstrap.ts';

let db: TestDatabase & { drop(): Promise<void> };
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db);
});
afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('first start of a province without demo data', () => {
  it('refuses a bad credit code naming the field, and creates nothing', async () => {
    // given an empty database
    // when the province is initialised with a credit code whose check character is wrong
    const attempt = bootstrapProvince(db.knex, { name: '四川省人力资源和社会保障厅', creditCode: '115100000087024765', regionCode: '510000' });
    // then it is refused naming creditCode, and no unit exists
    await expect(attempt).rejects.toMatchObject({ details: [expect.objectContaining({ field: 'creditCode' })] });
    expect(Number((await db.knex('units').count({ n: '*' }))[0]!.n)).toBe(0);
  });

  it('creates the province bureau and an administrator who logs in with the printed password and must change it', async () => {
    // given an empty database
    // when the province is initialised
    const made = await bootstrapProvince(db.knex, { name: '四川省人力资源和社会保障厅', creditCode: '115100000087024764', regionCode: '510000' });
    // then the administrator logs in with the initial password and is asked to change it
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: made.username, password: made.password } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().user).toMatchObject({ mustChangePassword: true });
    expect(login.json().user.permissions).toContain('incident.manage');
  });

  it('refuses a second initialisation once the database holds a unit', async () => {
    // given a database already initialised (the test above)
    // when it is initialised again
    const again = bootstrapProvince(db.knex, { name: '另一个省人社厅', creditCode: '115100000087024764', regionCode: '510000' });
    // then it is refused and there is still one unit
    await expect(again).rejects.toThrow('数据库中已有单位或账号');
    expect(Number((await db.knex('units').count({ n: '*' }))[0]!.n)).toBe(1);
  });
});
