import type { Knex } from 'knex';

/**
 * A login that a security review accepts: failed attempts and locks per account, single-use
 * captcha challenges, the previous password, and the versions a token check reads so that a
 * disabled account, a lost role or a changed password ends sessions on every API process at once.
 */
export async function up(knex: Knex): Promise<void> {
  // keyed by account (`u:<id>`), or by the name typed when no account has it, so that a
  // name nobody has answers like one that exists
  await knex.schema.createTable('login_failures', (t) => {
    t.text('account_key').primary();
    t.bigInteger('user_id').references('id').inTable('users').onDelete('CASCADE');
    t.integer('failures').notNullable();
    t.timestamp('last_failed_at', { useTz: true }).notNullable();
    t.timestamp('locked_until', { useTz: true });
    t.index(['user_id']);
  });

  await knex.schema.createTable('login_captchas', (t) => {
    t.text('id').primary();
    t.text('answer').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['expires_at']);
  });

  await knex.schema.alterTable('users', (t) => {
    t.text('previous_password_hash');
    // bumped by a trigger whenever what a principal is made of changes
    t.bigInteger('auth_version').notNullable().defaultTo(0);
  });

  // one row: bumped when roles or units change, which concerns many accounts at once
  await knex.schema.createTable('auth_epoch', (t) => {
    t.integer('id').primary();
    t.bigInteger('epoch').notNullable();
  });
  await knex('auth_epoch').insert({ id: 1, epoch: 0 });

  await knex.raw(`
    create function users_auth_version() returns trigger language plpgsql as $$
    begin
      if (new.username, new.display_name, new.status, new.disabled_reason, new.must_change_password,
          new.password_changed_at, new.password_hash, new.unit_id, new.roles)
         is distinct from
         (old.username, old.display_name, old.status, old.disabled_reason, old.must_change_password,
          old.password_changed_at, old.password_hash, old.unit_id, old.roles) then
        new.auth_version := old.auth_version + 1;
      end if;
      return new;
    end $$`);
  await knex.raw('create trigger users_auth_version before update on users for each row execute function users_auth_version()');
  await knex.raw(`
    create function auth_epoch_bump() returns trigger language plpgsql as $$
    begin
      update auth_epoch set epoch = epoch + 1 where id = 1;
      return null;
    end $$`);
  await knex.raw(`
    create trigger units_auth_epoch after update on units for each row
    when ((new.name, new.path, new.unit_type, new.admin_level, new.status) is distinct from (old.name, old.path, old.unit_type, old.admin_level, old.status))
    execute function auth_epoch_bump()`);
  await knex.raw('create trigger roles_auth_epoch after insert or update or delete on roles for each statement execute function auth_epoch_bump()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists roles_auth_epoch on roles');
  await knex.raw('drop trigger if exists units_auth_epoch on units');
  await knex.raw('drop function if exists auth_epoch_bump()');
  await knex.raw('drop trigger if exists users_auth_version on users');
  await knex.raw('drop function if exists users_auth_version()');
  await knex.schema.dropTableIfExists('auth_epoch');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('auth_version');
    t.dropColumn('previous_password_hash');
  });
  await knex.schema.dropTableIfExists('login_captchas');
  await knex.schema.dropTableIfExists('login_failures');
}
