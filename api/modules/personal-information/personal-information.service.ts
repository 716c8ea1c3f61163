import type { Knex } from 'knex';
import { encColumn, hashColumn, type PiiCipher, type SealedColumns } from '../../src/pii.ts';
import type { PersonalInformationRepository, SealableRow } from './personal-information.repository.ts';
import { USERS_SEALED } from '../staff/users.pii.ts';

/** Accounts' numbers (declared by the staff module, where accounts are written). */
export { USERS_SEALED };

export interface SealReport {
  sealed: number;
  resealed: number;
  batches: number;
  /**
   * Rows left as they were because their number's keyed hash is already another row's under a
   * unique key: two rows of one person the plain column told apart (an x and an X). They wait for
   * a person to merge them; the sweep goes on past them.
   */
  conflicts: Array<{ table: string; id: number }>;
}

const emptyReport = (): SealReport => ({ sealed: 0, resealed: 0, batches: 0, conflicts: [] });
const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

/**
 * A sweep over personal information that is not a table's columns (uploaded files' bytes, login
 * names): run after the tables by every sweep, with the same batch options; answers its report.
 */
export type ExtraSweep = (options: { batchSize?: number; maxBatches?: number }) => Promise<SealReport>;

/**
 * Seals the personal numbers of every registered table with the current key, batch by batch (each
 * batch its own transaction): new and changed rows, plain values a writer left behind, and rows sealed
 * under a key that was rotated out. A value sealed under an old key is opened with it (PII_KEY lists
 * it after the new one), so rotation works once the plain columns hold nothing.
 */
export function createSealer(db: Knex, repo: PersonalInformationRepository, cipher: PiiCipher) {
  const tables = new Map<string, SealedColumns>([[USERS_SEALED.table, USERS_SEALED]]);
  const extras = new Map<string, ExtraSweep>();

  function sealedValues(spec: SealedColumns, row: SealableRow) {
    const rotating = row.pii_key_id !== null && row.pii_key_id !== cipher.keyId && spec.fields.every((f) => row[f.column] === null);
    const values: Record<string, string | null> = { pii_key_id: cipher.keyId };
    for (const f of spec.fields) {
      const plain = row[f.column] as string | null;
      const sealed = row[encColumn(f.column)] as string | null;
      // a plain value a writer left is newer than the seal beside it
      const value = cipher.reveal(sealed, plain);
      const present = value !== null && value.trim() !== '';
      values[f.column] = null;
      values[encColumn(f.column)] = present ? cipher.seal(value) : null;
      if (f.hash) values[hashColumn(f.column)] = present ? cipher.hash(f.kind, value) : null;
    }
    return { rotating, values };
  }

  async function sealTable(spec: SealedColumns, report: SealReport, options: { batchSize: number; maxBatches?: number; onBatch?: (report: SealReport) => void }) {
    let batches = 0;
    // rows whose seal collided with another row's hash: not read again in this sweep
    const skipped: number[] = [];
    for (;;) {
      if (options.maxBatches !== undefined && batches >= options.maxBatches) break;
      const done = await db.transaction(async (trx) => {
        const rows = await repo.pending(spec, cipher.keyId, options.batchSize, trx, skipped);
        const sealed = rows.map((row) => ({ id: row.id, ...sealedValues(spec, row) }));
        const count = (row: (typeof sealed)[number]) => {
          if (row.rotating) report.resealed += 1;
          else report.sealed += 1;
        };
        try {
          await trx.transaction((batch) => repo.sealMany(spec, sealed, batch));
          sealed.forEach(count);
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          // one row at a time, each in a savepoint: the colliding ones stay as they were
          for (const row of sealed) {
            try {
              await trx.transaction((one) => repo.sealMany(spec, [row], one));
              count(row);
            } catch (rowErr) {
              if (!isUniqueViolation(rowErr)) throw rowErr;
              skipped.push(Number(row.id));
              report.conflicts.push({ table: spec.table, id: Number(row.id) });
            }
          }
        }
        return rows.length;
      });
      if (done === 0) break;
      batches += 1;
      report.batches += 1;
      options.onBatch?.(report);
      if (done < options.batchSize) break;
    }
  }

  return {
    /** A module's sealed table (its plugin calls this at registration). */
    register(spec: SealedColumns): void {
      if (tables.has(spec.table)) throw new Error(`个人信息加密：数据表 ${spec.table} 已登记`);
      tables.set(spec.table, spec);
    },
    tables(): SealedColumns[] {
      return [...tables.values()];
    },
    /** Personal information outside a table's columns, swept with the tables (a name each, once). */
    registerExtra(name: string, run: ExtraSweep): void {
      if (extras.has(name) || tables.has(name)) throw new Error(`个人信息加密：${name} 已登记`);
      extras.set(name, run);
    },
    /** Seals every registered table (or the named ones); `maxBatches` bounds the work per table. */
    async sweep(options: { tables?: readonly string[]; batchSize?: number; maxBatches?: number; onBatch?: (table: string, report: SealReport) => void } = {}): Promise<SealReport & { byTable: Record<string, SealReport> }> {
      const total: SealReport & { byTable: Record<string, SealReport> } = { ...emptyReport(), byTable: {} };
      for (const spec of tables.values()) {
        if (options.tables && !options.tables.includes(spec.table)) continue;
        const report = emptyReport();
        await sealTable(spec, report, { batchSize: options.batchSize ?? 500, maxBatches: options.maxBatches, onBatch: (r) => options.onBatch?.(spec.table, r) });
        total.byTable[spec.table] = report;
        total.sealed += report.sealed;
        total.resealed += report.resealed;
        total.batches += report.batches;
        total.conflicts.push(...report.conflicts);
      }
      for (const [name, run] of extras) {
        if (options.tables && !options.tables.includes(name)) continue;
        // bytes are large: an extra sweep takes its own (smaller) batch size unless one is asked for
        const report = await run({ batchSize: options.batchSize, maxBatches: options.maxBatches });
        options.onBatch?.(name, report);
        total.byTable[name] = report;
        total.sealed += report.sealed;
        total.resealed += report.resealed;
        total.batches += report.batches;
        total.conflicts.push(...report.conflicts);
      }
      return total;
    },
    /** Accounts only (the rotation test and script's first table). */
    async sealUsers(options: { batchSize?: number; maxBatches?: number; onBatch?: (report: SealReport) => void } = {}): Promise<SealReport> {
      const report = emptyReport();
      await sealTable(USERS_SEALED, report, { batchSize: options.batchSize ?? 500, maxBatches: options.maxBatches, onBatch: options.onBatch });
      return report;
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;
