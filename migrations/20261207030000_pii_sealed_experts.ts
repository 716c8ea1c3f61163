import type { Knex } from 'knex';

/**
 * 个人信息 at rest, 专家库: experts' ID number (`id_number`) and phones (`phone1`, `phone2`) sealed
 * with SM4 (`…_enc`), the ID number's keyed hash (`id_number_hash`) answering the exact lookups
 * (duplicates per committee, the import's matching), and the key id the row was sealed with. The
 * keys live outside the database, so this migration cannot fill the seals: the server's sealer does
 * (api/modules/personal-information), and empties the plain columns. The uniqueness of an expert per
 * committee moves to the hash.
 *
 * `expert_imports` keeps the uploaded sheet's rows as JSON until confirmed: the numbers inside them
 * are sealed in place (`sm4:…` strings) and `pii_key_id` says under which key; the experts module
 * seals rows written before this release and re-seals after a rotation.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('experts', (t) => {
    t.text('id_number_hash');
    t.text('id_number_enc');
    t.text('phone1_enc');
    t.text('phone2_enc');
    t.text('pii_key_id');
  });
  await knex.raw('alter table experts alter column id_number drop not null');
  await knex.raw('alter table experts alter column phone1 drop not null');
  await knex.raw('alter table experts drop constraint if exists experts_committee_id_id_number_unique');
  await knex.raw('alter table experts add constraint experts_committee_id_id_number_hash_unique unique (committee_id, id_number_hash)');
  // rows a writer left plain (demo data, a bench generator, an older release): what the sweep seals
  await knex.raw('create index experts_pii_pending_idx on experts (id) where id_number is not null or phone1 is not null or phone2 is not null');
  await knex.schema.alterTable('expert_imports', (t) => {
    t.text('pii_key_id');
  });
  await knex.raw('create index expert_imports_pii_pending_idx on expert_imports (created_at) where pii_key_id is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists expert_imports_pii_pending_idx');
  await knex.schema.alterTable('expert_imports', (t) => {
    t.dropColumn('pii_key_id');
  });
  await knex.raw('drop index if exists experts_pii_pending_idx');
  await knex.raw('alter table experts drop constraint if exists experts_committee_id_id_number_hash_unique');
  // the plain numbers come back only where the seals were never made (down is for a database the
  // sweep has not reached; a sealed database needs the keys to be opened first)
  await knex.raw("update experts set id_number = coalesce(id_number, 'sealed:' || id::text), phone1 = coalesce(phone1, '')");
  await knex.raw('alter table experts alter column id_number set not null');
  await knex.raw('alter table experts alter column phone1 set not null');
  await knex.raw('alter table experts add constraint experts_committee_id_id_number_unique unique (committee_id, id_number)');
  await knex.schema.alterTable('experts', (t) => {
    t.dropColumn('id_number_hash');
    t.dropColumn('id_number_enc');
    t.dropColumn('phone1_enc');
    t.dropColumn('phone2_enc');
    t.dropColumn('pii_key_id');
  });
}
