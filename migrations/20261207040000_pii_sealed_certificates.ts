import type { Knex } from 'knex';

/**
 * 个人信息 at rest for certificates and the data they are issued from: `certificates`,
 * `initial_persons` (初定) and `history_records` (历史职称数据, the rows of an upload). Each gets the
 * SM4 seal of its ID number (`id_number_enc`), the keyed hash for exact lookups (`id_number_hash`:
 * search by ID number, the 初定 duplicate, the 高风险提醒 of an import) and the key id; the plain
 * column becomes nullable and holds nothing once the sealer (api/modules/personal-information) has
 * passed — the keys live outside the database, so this migration cannot fill the seals itself.
 * 初定's one-per-person rule moves to the hash. A background generation's subject no longer keeps the
 * ID number once its certificate is issued (the certificate row has it, sealed).
 */
const TABLES = ['certificates', 'initial_persons', 'history_records'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.text('id_number_enc');
      t.text('id_number_hash');
      t.text('pii_key_id');
    });
    await knex.raw(`alter table ${table} alter column id_number drop not null`);
    // lookups go by the hash; the plain column only finds a row the sealer has not reached yet
    await knex.raw(`create index ${table}_id_number_hash_idx on ${table} (id_number_hash) where id_number_hash is not null`);
    await knex.raw(`create index ${table}_id_number_plain_idx on ${table} (id_number) where id_number is not null`);
    // what the sweep looks for: a plain value left behind, or a row not sealed under a key yet
    await knex.raw(`create index ${table}_pii_pending_idx on ${table} (id) where id_number is not null or pii_key_id is null`);
  }
  await knex.raw('drop index if exists certificates_id_number_index');
  await knex.raw('drop index if exists history_records_id_number_index');
  await knex.raw('alter table history_records alter column id_number drop default');
  await knex.schema.alterTable('initial_persons', (t) => {
    t.dropUnique(['unit_id', 'id_number', 'series', 'level']);
    t.unique(['unit_id', 'id_number_hash', 'series', 'level'], { indexName: 'initial_persons_unit_hash_series_level_unique' });
  });
  await knex.raw("update certificate_generation_items set subject = subject - 'idNumber' where certificate_id is not null and subject->'idNumber' is not null");
}

export async function down(knex: Knex): Promise<void> {
  // a sealed number cannot be opened here (no keys): refuse rather than lose it
  for (const table of TABLES) {
    const sealed = await knex(table).whereNull('id_number').whereNotNull('id_number_enc').first('id');
    if (sealed) throw new Error(`${table} 中已有加密保存的身份证号码，回滚会丢失它们：请先用旧版本的数据备份恢复`);
  }
  await knex.schema.alterTable('initial_persons', (t) => {
    t.dropUnique(['unit_id', 'id_number_hash', 'series', 'level'], 'initial_persons_unit_hash_series_level_unique');
    t.unique(['unit_id', 'id_number', 'series', 'level']);
  });
  await knex.raw("update history_records set id_number = '' where id_number is null");
  await knex.raw("alter table history_records alter column id_number set default ''");
  for (const table of TABLES) {
    await knex.raw(`drop index if exists ${table}_pii_pending_idx`);
    await knex.raw(`drop index if exists ${table}_id_number_plain_idx`);
    await knex.raw(`drop index if exists ${table}_id_number_hash_idx`);
    await knex.raw(`alter table ${table} alter column id_number set not null`);
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('id_number_enc');
      t.dropColumn('id_number_hash');
      t.dropColumn('pii_key_id');
    });
  }
  await knex.raw('create index certificates_id_number_index on certificates (id_number)');
  await knex.raw('create index history_records_id_number_index on history_records (id_number)');
}
