import type { Knex } from 'knex';
import type { PiiCipher } from '../../src/pii.ts';
import type { SealReport } from '../personal-information/personal-information.service.ts';

/** Blobs per transaction: an upload may be 20 MB, so a batch holds a few, never the table. */
export const BLOB_BATCH = 8;
const BLOB_BATCH_MAX = 32;

interface BlobRow {
  sha256: string;
  content: Buffer;
  pii_key_id: string | null;
}

/**
 * Seals uploaded files' bytes left plain (an older release's, a bench generator's) and re-seals
 * those under a key rotated out of PII_KEY, a few blobs per transaction (claimed `FOR UPDATE SKIP
 * LOCKED`: several API processes). Run by the personal-information sweep (`registerExtra`).
 */
export async function sealFileBlobs(db: Knex, cipher: PiiCipher, options: { batchSize?: number; maxBatches?: number } = {}): Promise<SealReport> {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? BLOB_BATCH, BLOB_BATCH_MAX));
  const report: SealReport = { sealed: 0, resealed: 0, batches: 0, conflicts: [] };
  const bytes = cipher.bytes;
  for (;;) {
    if (options.maxBatches !== undefined && report.batches >= options.maxBatches) break;
    const done = await db.transaction(async (trx) => {
      const rows = await trx<BlobRow>('file_blobs')
        .select('sha256', 'content', 'pii_key_id')
        .where((w) => w.whereNull('pii_key_id').orWhere('pii_key_id', '<>', bytes.keyId))
        .orderBy('sha256')
        .limit(batchSize)
        .forUpdate()
        .skipLocked();
      for (const row of rows) {
        const plain = row.pii_key_id == null ? row.content : bytes.openBytes(row.content);
        await trx('file_blobs').where({ sha256: row.sha256 }).update({ content: bytes.sealBytes(plain), pii_key_id: bytes.keyId });
        if (row.pii_key_id == null) report.sealed += 1;
        else report.resealed += 1;
      }
      return rows.length;
    });
    if (done === 0) break;
    report.batches += 1;
    if (done < batchSize) break;
  }
  return report;
}

/** Blobs per key id (`plain`: not sealed yet), for the rotation report and the tests. */
export async function blobCountsByKey(db: Knex): Promise<Record<string, number>> {
  const rows = await db('file_blobs').select(db.raw("coalesce(pii_key_id, 'plain') as key")).count<{ key: string; n: string }[]>({ n: '*' }).groupByRaw('1');
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
}
