import type { Knex } from 'knex';
import type { PiiCipher } from '../../src/pii.ts';
import type { SealReport } from '../personal-information/personal-information.service.ts';

/**
 * Hashes the old names of renamed meeting credentials (migration 20261208010100 left each in
 * `users.login_alias`, plain) into `login_alias_hash` and empties the column, a batch per
 * transaction. The hash key is not rotated, so a rotation has nothing to redo here.
 */
export async function hashCredentialAliases(db: Knex, cipher: PiiCipher, options: { batchSize?: number; maxBatches?: number } = {}): Promise<SealReport> {
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const report: SealReport = { sealed: 0, resealed: 0, batches: 0, conflicts: [] };
  for (;;) {
    if (options.maxBatches !== undefined && report.batches >= options.maxBatches) break;
    const done = await db.transaction(async (trx) => {
      const rows = (await trx('users').select('id', 'login_alias').whereNotNull('login_alias').orderBy('id').limit(batchSize).forUpdate().skipLocked()) as Array<{ id: number; login_alias: string }>;
      for (const row of rows) {
        await trx('users').where({ id: row.id }).update({ login_alias: null, login_alias_hash: cipher.hash('idNumber', row.login_alias) });
      }
      return rows.length;
    });
    if (done === 0) break;
    report.sealed += done;
    report.batches += 1;
    if (done < batchSize) break;
  }
  return report;
}
