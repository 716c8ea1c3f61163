import type { Knex } from 'knex';

/** An account's personal numbers as stored: plain (until every reader moves) and sealed. */
export interface SealableUserRow {
  id: number;
  id_number: string | null;
  phone: string | null;
  id_number_enc: string | null;
  phone_enc: string | null;
  pii_key_id: string | null;
}

export interface SealedUserValues {
  id_number_hash: string | null;
  id_number_enc: string | null;
  phone_enc: string | null;
  pii_key_id: string;
}

/** The seals of `users` (migration 20261206060000): what is left to seal, and writing the seals. */
export function createPersonalInformationRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    /**
     * A batch of accounts not sealed yet, or sealed under another key than `keyId`, locked for this
     * transaction; rows another process is sealing are skipped (several API processes run the sweep).
     */
    async pendingUsers(keyId: string, limit: number, trx: Knex.Transaction): Promise<SealableUserRow[]> {
      return q(trx)<SealableUserRow>('users')
        .select('id', 'id_number', 'phone', 'id_number_enc', 'phone_enc', 'pii_key_id')
        .where((w) => w.where((p) => p.whereNull('pii_key_id').where((n) => n.whereNotNull('id_number').orWhereNotNull('phone'))).orWhere('pii_key_id', '<>', keyId))
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked();
    },
    async seal(id: number, values: SealedUserValues, trx: Knex.Transaction): Promise<void> {
      await q(trx)('users').where({ id }).update(values);
    },
    /** Accounts per key id (null: not sealed yet), for the rotation report. */
    async countsByKey(trx?: Knex.Transaction): Promise<Record<string, number>> {
      const rows = await q(trx)('users')
        .select(knex.raw("coalesce(pii_key_id, case when id_number is null and phone is null then 'none' else 'pending' end) as key"))
        .count<{ key: string; n: string }[]>({ n: '*' })
        .groupByRaw('1');
      return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
    },
    /** The account whose ID number has this keyed hash (an exact lookup without the plain column). */
    async userIdByIdNumberHash(hash: string, trx?: Knex.Transaction): Promise<number | null> {
      const row = (await q(trx)('users').where('id_number_hash', hash).first('id')) as { id: number } | undefined;
      return row ? Number(row.id) : null;
    },
    /** The sealed values of one account (the audited 查看完整 reads these, not the plain columns). */
    async sealedOf(id: number, trx?: Knex.Transaction): Promise<Pick<SealableUserRow, 'id_number_enc' | 'phone_enc'> | null> {
      return (await q(trx)<SealableUserRow>('users').where({ id }).first('id_number_enc', 'phone_enc')) ?? null;
    },
  };
}

export type PersonalInformationRepository = ReturnType<typeof createPersonalInformationRepository>;
