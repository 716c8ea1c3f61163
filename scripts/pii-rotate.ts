/**
 * Seals (or re-seals after a key rotation) the ID and phone numbers of every sealed table, in
 * batches, and prints how many rows each key holds per table. Rotation: set PII_KEY=k2:<new hex>,k1:<old hex> (the first
 * seals, the others still open), restart the API or run this script, then drop k1 once it reports
 * no row left on it. The server does the same in the background on every sweep.
 *
 *   PII_KEY=k2:<hex>,k1:<hex> PII_HASH_KEY=<hex> DATABASE_URL=… npx tsx scripts/pii-rotate.ts [--batch=500]
 */
import { loadConfig } from '../api/src/config.ts';
import { openDatabase } from '../api/src/db.ts';
import { createPiiCipher, resolvePiiKeys } from '../api/src/pii.ts';
import { buildApp } from '../api/src/app.ts';
import { migrateLatest } from '../migrations/index.ts';
import { createPersonalInformationRepository } from '../api/modules/personal-information/personal-information.repository.ts';
import { blobCountsByKey } from '../api/modules/files/files.pii.ts';

const config = loadConfig();
const batchArg = process.argv.find((a) => a.startsWith('--batch='));
const batchSize = batchArg ? Math.max(1, Number(batchArg.slice('--batch='.length)) || 500) : 500;
const cipher = createPiiCipher(resolvePiiKeys({ PII_KEY: config.PII_KEY, PII_HASH_KEY: config.PII_HASH_KEY, NODE_ENV: process.env.NODE_ENV }, config.DATA_DIR, (m) => console.warn(m)));
const database = await openDatabase(config);
try {
  await migrateLatest(database.knex);
  const repo = createPersonalInformationRepository(database.knex);
  // the modules register their sealed tables when the app is built (no server is started)
  const app = await buildApp({ config: { ...config, SCHEDULER: false }, database });
  await app.ready();
  const counts = async () => Object.fromEntries(await Promise.all(app.sealer.tables().map(async (spec) => [spec.table, await repo.countsByKey(spec)] as const)));
  console.log(`当前加密密钥：${cipher.keyId}；开始前各表各密钥的行数：${JSON.stringify(await counts())}`);
  const report = await app.sealer.sweep({
    batchSize,
    onBatch: (table, r) => console.log(`${table} 第 ${r.batches} 批：新加密 ${r.sealed}，换密钥重新加密 ${r.resealed}`),
  });
  console.log(`完成：新加密 ${report.sealed}，换密钥重新加密 ${report.resealed}，共 ${report.batches} 批；各表各密钥的行数：${JSON.stringify(await counts())}`);
  // two rows of one person in a table that keeps one per number: left plain, named for a person to merge
  for (const c of report.conflicts) console.log(`未加密：${c.table} 第 ${c.id} 行的证件号码与同表另一行相同（大小写 x 之差），请合并重复记录后重新运行`);
  // 专家导入 keeps an uploaded sheet's rows as JSON, their numbers sealed in place (api/modules/experts)
  const imports = await app.sealExpertImports({ batchSize });
  const importKeys = await database.knex('expert_imports').select(database.knex.raw("coalesce(pii_key_id, 'pending') as key")).count<{ key: string; n: string }[]>({ n: '*' }).groupByRaw('1');
  console.log(`expert_imports：加密或换密钥重新加密 ${imports} 行；各密钥的行数：${JSON.stringify(Object.fromEntries(importKeys.map((r) => [r.key, Number(r.n)])))}`);
  // uploaded files' bytes (file_blobs) are sealed whole; the sweep above re-sealed them too
  console.log(`file_blobs：各密钥的文件数：${JSON.stringify(await blobCountsByKey(database.knex))}`);
  await app.close();
} finally {
  await database.close();
}
