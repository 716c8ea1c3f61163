import type { Knex } from 'knex';
import type { PiiCipher } from '../../src/pii.ts';
import type { PersonalInformationRepository, SealableUserRow } from './personal-information.repository.ts';

export interface SealReport {
  sealed: number;
  resealed: number;
  batches: number;
}

/**
 * Seals accounts' ID and phone numbers with the current key, batch by batch (each batch its own
 * transaction): new and changed rows, and rows sealed under a key that was rotated out. A value
 * sealed under an old key is opened with it (PII_KEY lists it after the new one) rather than read
 * from the plain column, so rotation keeps working once the plain columns are gone.
 */
export function createSealer(db: Knex, repo: PersonalInformationRepository, cipher: PiiCipher) {
  const valueOf = (sealed: string | null, plain: string | null) => (sealed ? cipher.open(sealed) : plain);
  function sealedValues(row: SealableUserRow) {
    const rotating = row.pii_key_id !== null && row.pii_key_id !== cipher.keyId;
    const idNumber = rotating ? valueOf(row.id_number_enc, row.id_number) : row.id_number;
    const phone = rotating ? valueOf(row.phone_enc, row.phone) : row.phone;
    return {
      rotating,
      values: {
        id_number_hash: idNumber ? cipher.hash('idNumber', idNumber) : null,
        id_number_enc: idNumber ? cipher.seal(idNumber) : null,
        phone_enc: phone ? cipher.seal(phone) : null,
        pii_key_id: cipher.keyId,
      },
    };
  }
  return {
    async sealUsers(options: { batchSize?: number; maxBatches?: number; onBatch?: (report: SealReport) => void } = {}): Promise<SealReport> {
      const report: SealReport = { sealed: 0, resealed: 0, batches: 0 };
      const batchSize = options.batchSize ?? 500;
      for (;;) {
        if (options.maxBatches !== undefined && report.batches >= options.maxBatches) break;
        const done = await db.transaction(async (trx) => {
          const rows = await repo.pendingUsers(cipher.keyId, batchSize, trx);
          for (const row of rows) {
            const { rotating, values } = sealedValues(row);
            await repo.seal(row.id, values, trx);
            if (rotating) report.resealed += 1;
            else report.sealed += 1;
          }
          return rows.length;
        });
        if (done === 0) break;
        report.batches += 1;
        options.onBatch?.(report);
        if (done < batchSize) break;
      }
      return report;
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;
