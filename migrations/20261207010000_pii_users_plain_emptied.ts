import type { Knex } from 'knex';

/**
 * 个人信息 at rest, second step for accounts, and units' legal representatives:
 * - `users`: every reader now opens the seals, so the sweep empties the plain `id_number` / `phone`
 *   (api/modules/staff/users.pii.ts). The trigger that cleared seals when a plain value changed goes
 *   (a writer now seals as it writes; a plain value left by an old writer is newer than the seal
 *   and the sweep takes it). The ID number stays unique through its keyed hash.
 * - applicants no longer have their ID number as login name: an account whose username is its ID
 *   number gets `sq` + its id (8 digits or more); they keep signing in with the ID number (by hash).
 * - `units.legal_rep_id_number` / `legal_rep_phone`: sealed the same way (no lookup: no hash).
 */
/**
 * Applicants whose login name is their ID number get `sq` + their id (8 digits or more); the plain
 * column is still full on rows the release before sealed (it kept them). Answers how many.
 */
export async function rewriteApplicantLoginNames(knex: Knex): Promise<number> {
  const result = (await knex.raw(`
    update users set username = 'sq' || repeat('0', greatest(0, 8 - length(id::text))) || id::text
    where 'applicant' = any(roles) and upper(username) = upper(id_number)
      and not exists (select 1 from users o where o.username = 'sq' || repeat('0', greatest(0, 8 - length(users.id::text))) || users.id::text)`)) as { rowCount?: number; affectedRows?: number };
  return Number(result.rowCount ?? result.affectedRows ?? 0);
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists users_pii_unseal on users');
  await knex.raw('drop function if exists users_pii_unseal()');
  await knex.raw('drop index if exists users_id_number_hash_idx');
  await knex.raw('create unique index users_id_number_hash_key on users (id_number_hash) where id_number_hash is not null');
  await knex.raw('drop index if exists users_pii_pending_idx');
  await knex.raw('create index users_pii_pending_idx on users (id) where pii_key_id is null or id_number is not null or phone is not null');
  await rewriteApplicantLoginNames(knex);

  await knex.schema.alterTable('units', (t) => {
    t.text('legal_rep_id_number_enc');
    t.text('legal_rep_phone_enc');
    t.text('pii_key_id');
  });
  await knex.raw('create index units_pii_pending_idx on units (id) where legal_rep_id_number is not null or legal_rep_phone is not null or pii_key_id is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists units_pii_pending_idx');
  await knex.schema.alterTable('units', (t) => {
    t.dropColumn('legal_rep_id_number_enc');
    t.dropColumn('legal_rep_phone_enc');
    t.dropColumn('pii_key_id');
  });
  // usernames stay as they are: the plain ID numbers are gone once swept (they log in by ID number anyway)
  await knex.raw('drop index if exists users_pii_pending_idx');
  await knex.raw('create index users_pii_pending_idx on users (id) where pii_key_id is null');
  await knex.raw('drop index if exists users_id_number_hash_key');
  await knex.raw('create index users_id_number_hash_idx on users (id_number_hash) where id_number_hash is not null');
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
