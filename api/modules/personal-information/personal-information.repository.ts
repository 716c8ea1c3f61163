import type { Knex } from 'knex';
import { encColumn, hashColumn, type SealedColumns } from '../../src/pii.ts';

/** A row as the sweep reads it: its id, key id, and plain and sealed value of each sealed field. */
export type SealableRow = { id: number | string; pii_key_id: string | null } & Record<string, string | number | null>;

/**
 * The seals of every registered table (api/src/pii.ts `SealedColumns`): what is left to seal or
 * re-seal, and writing the seals. Table and column names come from the modules' declarations, never
 * from a request.
 */
export function createPersonalInformationRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const idOf = (spec: SealedColumns) => spec.idColumn ?? 'id';

  /** Rows whose seals are missing, stale (a plain value written after them) or under another key. */
  function pendingWhere(spec: SealedColumns, keyId: string) {
    return (w: Knex.QueryBuilder) => {
      const plain = spec.fields.map((f) => f.column);
      const enc = spec.fields.map((f) => encColumn(f.column));
      w.where((n) => plain.forEach((c) => n.orWhereNotNull(c)))
        .orWhere((p) => p.whereNull('pii_key_id').where((n) => enc.forEach((c) => n.orWhereNotNull(c))));
      w.orWhere((p) => p.whereNotNull('pii_key_id').where('pii_key_id', '<>', keyId));
    };
  }

  return {
    /** A batch of rows to (re)seal, locked for this transaction; rows another process holds are skipped. */
    async pending(spec: SealedColumns, keyId: string, limit: number, trx: Knex.Transaction, except: readonly number[] = []): Promise<SealableRow[]> {
      const columns = [`${idOf(spec)} as id`, 'pii_key_id', ...spec.fields.flatMap((f) => [f.column, encColumn(f.column)])];
      const query = q(trx)(spec.table).select(columns).where(pendingWhere(spec, keyId));
      if (except.length) void query.whereNotIn(idOf(spec), except);
      return query.orderBy(idOf(spec)).limit(limit).forUpdate().skipLocked() as Promise<SealableRow[]>;
    },
    /**
     * Writes the seals of a batch in one statement (one row per id; every row sets the same columns).
     * The ids are numeric primary keys.
     */
    async sealMany(spec: SealedColumns, rows: ReadonlyArray<{ id: number | string; values: Record<string, string | null> }>, trx: Knex.Transaction): Promise<void> {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!.values);
      const payload = JSON.stringify(rows.map((r) => ({ ...r.values, id: Number(r.id) })));
      await q(trx).raw(
        `update ?? as t set ${columns.map(() => '?? = v.??').join(', ')} from jsonb_to_recordset(?::jsonb) as v(id bigint, ${columns.map(() => '?? text').join(', ')}) where t.?? = v.id`,
        [spec.table, ...columns.flatMap((c) => [c, c]), payload, ...columns, idOf(spec)],
      );
    },
    /** Rows per key id (`pending`: not sealed yet; `none`: nothing to seal), for the rotation report. */
    async countsByKey(spec: SealedColumns, trx?: Knex.Transaction): Promise<Record<string, number>> {
      const anyPlain = spec.fields.map((f) => `${f.column} is not null`).join(' or ');
      const anyValue = spec.fields.flatMap((f) => [`${f.column} is not null`, `${encColumn(f.column)} is not null`]).join(' or ');
      const rows = await q(trx)(spec.table)
        .select(knex.raw(`case when (${anyPlain}) then 'pending' when pii_key_id is not null then pii_key_id when (${anyValue}) then 'pending' else 'none' end as key`))
        .count<{ key: string; n: string }[]>({ n: '*' })
        .groupByRaw('1');
      return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
    },
    /** The id of the row whose field has this keyed hash (an exact lookup without the plain column). */
    async idByHash(spec: SealedColumns, column: string, hash: string, trx?: Knex.Transaction): Promise<number | null> {
      const row = (await q(trx)(spec.table).where(hashColumn(column), hash).first(`${idOf(spec)} as id`)) as { id: number } | undefined;
      return row ? Number(row.id) : null;
    },
  };
}

export type PersonalInformationRepository = ReturnType<typeof createPersonalInformationRepository>;
