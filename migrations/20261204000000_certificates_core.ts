import type { Knex } from 'knex';

/**
 * Electronic certificates (电子证书): the issuers' SM2 keys (the private key encrypted with a key
 * from the environment; a rotated key stays for verifying what it signed), one row per certificate
 * with what it carries and its signed payload, and the background generation runs (a batch issued
 * in chunks with its progress, resumed after a restart; an item is issued once).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('certificate_keys', (t) => {
    t.text('key_id').primary();
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    // uncompressed point 04‖x‖y, hex
    t.text('public_key').notNullable();
    t.text('private_key_enc').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('retired_at', { useTz: true });
    t.index(['unit_id']);
  });
  // one active key per unit
  await knex.raw('create unique index certificate_keys_active on certificate_keys (unit_id) where retired_at is null');

  await knex.raw('create sequence certificate_serial');
  await knex.schema.createTable('certificates', (t) => {
    t.bigIncrements('id');
    t.text('certificate_no').notNullable().unique();
    // review 评审 | initial 初定 | delegated 委托评审 | confirm 确认 | history 历史
    t.text('kind').notNullable();
    // dossier | initial | history | recognition: what it was issued for, once
    t.text('source_type').notNullable();
    t.bigInteger('source_id').notNullable();
    t.bigInteger('dossier_id').references('id').inTable('dossiers');
    t.bigInteger('user_id').references('id').inTable('users');
    t.text('person_name').notNullable();
    t.text('id_number').notNullable();
    t.text('gender');
    t.text('series').notNullable();
    t.text('specialty').notNullable();
    t.text('title_name').notNullable();
    t.text('level').notNullable();
    t.text('committee_name');
    t.text('employer_name');
    t.bigInteger('issuer_unit_id').notNullable().references('id').inTable('units');
    t.text('issuer_name').notNullable();
    t.date('approval_date').notNullable();
    t.text('document_no').notNullable();
    t.date('review_date');
    t.text('key_id').notNullable().references('key_id').inTable('certificate_keys');
    t.text('payload').notNullable();
    t.text('signature').notNullable();
    t.text('status').notNullable().defaultTo('valid');
    t.timestamp('revoked_at', { useTz: true });
    t.bigInteger('revoked_by').references('id').inTable('users');
    t.text('revoke_reason');
    t.bigInteger('issued_by').references('id').inTable('users');
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.text('generation_ref');
    t.unique(['source_type', 'source_id']);
    t.index(['issuer_unit_id', 'kind', 'issued_at']);
    t.index(['id_number']);
    t.index(['dossier_id']);
    t.index(['user_id']);
    t.index(['document_no']);
  });
  await knex.raw("alter table certificates add constraint certificates_kind_check check (kind in ('review', 'initial', 'delegated', 'confirm', 'history'))");
  await knex.raw("alter table certificates add constraint certificates_source_check check (source_type in ('dossier', 'initial', 'history', 'recognition'))");
  await knex.raw("alter table certificates add constraint certificates_status_check check (status in ('valid', 'revoked'))");

  await knex.schema.createTable('certificate_generations', (t) => {
    t.bigIncrements('id');
    t.text('ref').notNullable().unique();
    t.bigInteger('issuer_unit_id').notNullable().references('id').inTable('units');
    t.integer('total').notNullable();
    t.integer('issued').notNullable().defaultTo(0);
    // running | done
    t.text('state').notNullable().defaultTo('running');
    t.text('message_name');
    t.text('correlation_key');
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.text('last_error');
  });
  await knex.raw("alter table certificate_generations add constraint certificate_generations_state_check check (state in ('running', 'done'))");
  await knex.raw("create index certificate_generations_running on certificate_generations (id) where state = 'running'");

  await knex.schema.createTable('certificate_generation_items', (t) => {
    t.bigInteger('generation_id').notNullable().references('id').inTable('certificate_generations');
    t.integer('seq').notNullable();
    t.jsonb('subject').notNullable();
    t.bigInteger('certificate_id').references('id').inTable('certificates');
    t.primary(['generation_id', 'seq']);
  });
  await knex.raw('create index certificate_generation_items_open on certificate_generation_items (generation_id, seq) where certificate_id is null');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['certificate_generation_items', 'certificate_generations', 'certificates', 'certificate_keys']) await knex.schema.dropTableIfExists(table);
  await knex.raw('drop sequence if exists certificate_serial');
}
