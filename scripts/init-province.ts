/**
 * First start of a province without demo data: creates the province's HR bureau (the root of the
 * unit tree) and its first administrator on an empty database, and prints the administrator's
 * initial password once (it must be changed at the first login). Everything else — cities,
 * departments, committees, staff — is then created in the console.
 *
 *   DATABASE_URL=… npx tsx scripts/init-province.ts --name 四川省人力资源和社会保障厅 \
 *     --credit-code 115100000087024764 --region 510000 [--username admin]
 */
import { loadConfig } from '../api/src/config.ts';
import { openDatabase } from '../api/src/db.ts';
import { bootstrapProvince } from '../api/src/bootstrap.ts';
import { EngineError } from '../api/src/errors.ts';
import { migrateLatest } from '../migrations/index.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const config = loadConfig();
const database = await openDatabase(config);
try {
  await migrateLatest(database.knex);
  const made = await bootstrapProvince(database.knex, {
    name: arg('name') ?? '',
    creditCode: arg('credit-code') ?? '',
    regionCode: arg('region') ?? '',
    ...(arg('username') ? { username: arg('username') } : {}),
  });
  console.log(`已创建省人社厅（单位编号 ${made.unitId}）和系统管理员账号 ${made.username}`);
  console.log(`初始密码（只显示这一次，首次登录须修改）：${made.password}`);
} catch (err) {
  if (err instanceof EngineError) {
    const details = (err.details as Array<{ field: string; message: string }> | undefined) ?? [];
    console.error(`初始化未完成：${err.message}${details.map((d) => `\n  ${d.field}：${d.message}`).join('')}`);
    process.exitCode = 1;
  } else throw err;
} finally {
  await database.close();
}
