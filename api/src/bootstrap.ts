import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { creditCodeSchema, usernameSchema } from '../../forms/validators.ts';
import { createUnitsRepository } from '../modules/units/units.repository.ts';
import { ValidationError, ConflictError } from './errors.ts';
import { hashPassword } from './passwords.ts';
import { isEmptyDatabase } from './demo.ts';

/** What a province needs before anybody can log in: its HR bureau and the first administrator. */
export const provinceBootstrapSchema = z.object({
  name: z.string({ error: '请填写省人社厅名称' }).trim().min(2, '单位名称至少 2 个字').max(100, '单位名称最长 100 个字'),
  creditCode: creditCodeSchema(),
  regionCode: z.string({ error: '请填写行政区划代码' }).trim().regex(/^\d{2}0000$/, '省级行政区划代码为 6 位数字，后四位为 0（如 510000）'),
  username: usernameSchema.default('admin'),
  displayName: z.string().trim().min(1).max(50).default('系统管理员'),
});

export type ProvinceBootstrap = z.input<typeof provinceBootstrapSchema>;

/** 12 characters from letters, digits and marks, at least one of each kind: an initial password. */
export function initialPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#%+='];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  while (chars.length < 12) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/**
 * On an empty database, creates the province's HR bureau (the root of the unit tree) and its first
 * administrator (系统管理员 + 单位超级管理员) with a generated initial password that must be changed
 * at the first login. Refused once the database holds any unit or account.
 */
export async function bootstrapProvince(db: Knex, input: ProvinceBootstrap, now = new Date()): Promise<{ unitId: number; username: string; password: string }> {
  const parsed = provinceBootstrapSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError('初始化参数不正确', parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
  }
  const v = parsed.data;
  const password = initialPassword();
  const hash = await hashPassword(password);
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['zcps.demo']);
    if (!(await isEmptyDatabase(trx))) throw new ConflictError('数据库中已有单位或账号，不能再次初始化');
    const unit = await createUnitsRepository(trx).insert(
      { parentId: null, name: v.name, unitType: 'hr_bureau', adminLevel: 'province', regionCode: v.regionCode, creditCode: v.creditCode, nature: 'agency' },
      trx,
    );
    await trx('users').insert({
      username: v.username,
      password_hash: hash,
      display_name: v.displayName,
      unit_id: unit.id,
      roles: ['admin', 'unit_admin'],
      status: 'active',
      must_change_password: true,
      created_at: now,
      updated_at: now,
    });
    return { unitId: unit.id, username: v.username, password };
  });
}
