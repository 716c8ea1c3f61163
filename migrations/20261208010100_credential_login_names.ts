import type { Knex } from 'knex';

/** An old meeting credential's login: `<ID number>-<meeting id>` (15 or 18 characters, X or x last). */
const OLD_LOGIN = '^([0-9]{15}|[0-9]{17}[0-9Xx])-[0-9]+$';

/**
 * 个人信息: an expert's meeting credential was named `<ID number>-<meeting id>` (`users.username`),
 * so the account table held the ID number in plain. It is now `zj` + the expert's id (8 digits or
 * more) + `-` + the meeting id. Experts keep signing in by typing `<ID number>-<meeting id>`: the
 * keyed hash of that text (`login_alias_hash`, unique) finds the account. The keys live outside the
 * database, so the migration renames the credentials and leaves each old name in `login_alias`
 * (plain, found by the login until then); the ballots module's sweep (with the personal-information
 * sweep: at start, every SWEEP_CRON, `scripts/pii-rotate.ts`) hashes it and empties the column.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table users add column login_alias text, add column login_alias_hash text');
  await knex.raw('create unique index users_login_alias_hash_key on users (login_alias_hash) where login_alias_hash is not null');
  await knex.raw('create index users_login_alias_pending_idx on users (id) where login_alias is not null');
  await renameCredentials(knex);
}

/** Renames the credentials still named `<ID number>-<meeting>`, each old name kept in `login_alias` for the sweep. */
export async function renameCredentials(knex: Knex): Promise<number> {
  const result = await knex.raw(
    `update users u set login_alias = u.username, username = 'zj' || lpad(me.expert_id::text, 8, '0') || '-' || me.meeting_id
       from (select distinct on (user_id) user_id, expert_id, meeting_id from meeting_experts where user_id is not null order by user_id, meeting_id desc) me
      where me.user_id = u.id and u.username ~ ?`,
    [OLD_LOGIN],
  );
  return Number((result as { rowCount?: number }).rowCount ?? 0);
}

/** Gives back the old names still pending; a name the sweep already hashed cannot be restored (its credential is re-issued). */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('update users set username = login_alias where login_alias is not null');
  await knex.raw('drop index if exists users_login_alias_pending_idx');
  await knex.raw('drop index if exists users_login_alias_hash_key');
  await knex.raw('alter table users drop column if exists login_alias_hash, drop column if exists login_alias');
}
