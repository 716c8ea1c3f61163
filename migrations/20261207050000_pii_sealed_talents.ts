import type { Knex } from 'knex';

/**
 * 个人信息 at rest: 专技人才 (`talents`) and 职称确认 (`title_recognitions`). Beside the plain ID
 * number, its SM4 seal (`id_number_enc`), its keyed hash (`id_number_hash`: a talent's duplicate
 * check, a recognition's "already recognised" check, the 精确查询 of the 专技人才 list) and the key
 * id the row was sealed with. The keys live outside the database, so the migration cannot fill
 * them: the sealer (api/modules/personal-information) seals what is there and empties the plain
 * column, in batches, at start and on every sweep; the partial indexes find what it has left.
 */
const TABLES = ['talents', 'title_recognitions'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.text('id_number_enc');
      t.text('id_number_hash');
      t.text('pii_key_id');
    });
    await knex.raw(`alter table ${table} alter column id_number drop not null`);
    await knex.raw(`create index ${table}_id_number_hash_idx on ${table} (id_number_hash) where id_number_hash is not null`);
    // the sweep's work: plain values left by a writer, seals without a key id
    await knex.raw(`create index ${table}_pii_pending_idx on ${table} (id) where id_number is not null or pii_key_id is null`);
  }
}

/** Drops the seals: run it only before the sweep has emptied the plain columns (their numbers would be lost). */
export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await knex.raw(`do $$ begin if not exists (select 1 from ${table} where id_number is null) then alter table ${table} alter column id_number set not null; end if; end $$`);
    await knex.raw(`drop index if exists ${table}_pii_pending_idx`);
    await knex.raw(`drop index if exists ${table}_id_number_hash_idx`);
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('id_number_enc');
      t.dropColumn('id_number_hash');
      t.dropColumn('pii_key_id');
    });
  }
}
