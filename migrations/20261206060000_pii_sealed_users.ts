import type { Knex } from 'knex';

/**
 * 个人信息 at rest, first table: accounts (`users`: applicants and staff). Beside the plain ID and
 * phone numbers, their SM4 seals (`…_enc`, `sm4:<key id>:…`), the key id they were sealed with and
 * the keyed hash (HMAC-SM3) of the ID number for exact lookups. The keys live outside the database
 * (PII_KEY, PII_HASH_KEY), so this migration cannot fill them: the server's sealer does, in batches,
 * on start and on every sweep (api/modules/personal-information). A change of a plain number clears
 * its seals (trigger below), so the sealer never leaves a stale seal or hash behind whoever wrote it.
 * The plain columns stay until every reader has moved to the seals (docs/personal-information.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.text('id_number_hash');
    t.text('id_number_enc');
    t.text('phone_enc');
    t.text('pii_key_id');
  });
  await knex.raw('create index users_id_number_hash_idx on users (id_number_hash) where id_number_hash is not null');
  await knex.raw('create index users_pii_pending_idx on users (id) where pii_key_id is null');
  await knex.raw(`
    create or replace function users_pii_unseal() returns trigger language plpgsql as $$
    begin
      if new.id_number is distinct from old.id_number or new.phone is distinct from old.phone then
        new.id_number_hash := null;
        new.id_number_enc := null;
        new.phone_enc := null;
        new.pii_key_id := null;
      end if;
      return new;
    end $$`);
  await knex.raw('create trigger users_pii_unseal before update of id_number, phone on users for each row execute function users_pii_unseal()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists users_pii_unseal on users');
  await knex.raw('drop function if exists users_pii_unseal()');
  await knex.raw('drop index if exists users_pii_pending_idx');
  await knex.raw('drop index if exists users_id_number_hash_idx');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('id_number_hash');
    t.dropColumn('id_number_enc');
    t.dropColumn('phone_enc');
    t.dropColumn('pii_key_id');
  });
}
