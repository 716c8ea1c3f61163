import type { Knex } from 'knex';
import type { PiiCipher, SealedColumns } from '../../src/pii.ts';
import type { BadRow, GoodRow } from './experts.import.ts';

/**
 * 专家库's personal numbers at rest (docs/personal-information.md): an expert's ID number (sealed,
 * with its keyed hash for the duplicate check per committee and the import's matching) and phones.
 */
export const EXPERTS_SEALED: SealedColumns = {
  table: 'experts',
  fields: [
    { column: 'id_number', kind: 'idNumber', hash: true },
    { column: 'phone1', kind: 'phone' },
    { column: 'phone2', kind: 'phone' },
  ],
};

/** The fields of an import row that hold a personal number. */
const NUMBER_FIELDS = ['idNumber', 'phone1', 'phone2'] as const;

const isSealed = (v: unknown): v is string => typeof v === 'string' && v.startsWith('sm4:');

/** One value sealed under the current key (opened first when sealed under another one). */
function sealValue(cipher: PiiCipher, v: unknown): unknown {
  if (typeof v !== 'string' || v === '') return v;
  const plain = isSealed(v) ? cipher.open(v) : v;
  return cipher.seal(plain);
}

function openValue(cipher: PiiCipher, v: unknown): unknown {
  return isSealed(v) ? cipher.open(v) : v;
}

function mapFields<T extends object>(obj: T | undefined, f: (v: unknown) => unknown): T | undefined {
  if (!obj) return obj;
  const out: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  for (const k of NUMBER_FIELDS) if (k in out && out[k] != null) out[k] = f(out[k]);
  return out as T;
}

type Skipped = { idNumber: string } & Record<string, unknown>;

/**
 * An import's JSON rows with their numbers sealed in place (`sm4:…` strings): the uploaded
 * sheet's good rows, its problems (the cells as typed) and the rows skipped at confirmation.
 */
export const sealImportJson = {
  good: (cipher: PiiCipher, rows: GoodRow[]): GoodRow[] => rows.map((g) => ({ ...g, data: mapFields(g.data, (v) => sealValue(cipher, v))! })),
  bad: (cipher: PiiCipher, rows: BadRow[]): BadRow[] => rows.map((b) => ({ ...b, values: mapFields(b.values, (v) => sealValue(cipher, v)) ?? {} })),
  skipped: <T extends Skipped>(cipher: PiiCipher, rows: T[]): T[] => rows.map((s) => ({ ...s, idNumber: sealValue(cipher, s.idNumber) as string })),
};

/** The same rows opened for the manager's screens (a value still plain, from before sealing, is kept). */
export const openImportJson = {
  good: (cipher: PiiCipher, rows: GoodRow[]): GoodRow[] => rows.map((g) => ({ ...g, data: mapFields(g.data, (v) => openValue(cipher, v))! })),
  bad: (cipher: PiiCipher, rows: BadRow[]): BadRow[] => rows.map((b) => ({ ...b, values: mapFields(b.values, (v) => openValue(cipher, v)) ?? {} })),
  skipped: <T extends Skipped>(cipher: PiiCipher, rows: T[]): T[] => rows.map((s) => ({ ...s, idNumber: openValue(cipher, s.idNumber) as string })),
};

/**
 * Seals the import rows written before the numbers were sealed, and re-seals those under a key
 * that was rotated out, batch by batch (rows another process holds are skipped). Returns the rows done.
 */
export async function sealExpertImports(db: Knex, cipher: PiiCipher, options: { batchSize?: number; maxBatches?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  let done = 0;
  for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch += 1) {
    const n = await db.transaction(async (trx) => {
      const rows = (await trx('expert_imports')
        .select('id', 'good_rows', 'problems', 'skipped')
        .where((w) => w.whereNull('pii_key_id').orWhereNot('pii_key_id', cipher.keyId))
        .orderBy('created_at')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()) as Array<{ id: string; good_rows: GoodRow[]; problems: BadRow[]; skipped: Skipped[] | null }>;
      for (const r of rows) {
        await trx('expert_imports')
          .where({ id: r.id })
          .update({
            good_rows: JSON.stringify(sealImportJson.good(cipher, r.good_rows)),
            problems: JSON.stringify(sealImportJson.bad(cipher, r.problems)),
            skipped: r.skipped == null ? null : JSON.stringify(sealImportJson.skipped(cipher, r.skipped)),
            pii_key_id: cipher.keyId,
          });
      }
      return rows.length;
    });
    done += n;
    if (n < batchSize) break;
  }
  return done;
}
