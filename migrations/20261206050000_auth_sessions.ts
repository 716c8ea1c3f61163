import type { Knex } from 'knex';

/**
 * Login sessions: an access token names its session (`sid`), so a logout or an idle end refuses
 * it at once. Each session keeps a chain of refresh tokens, stored as SHA-256 hashes only; a
 * token answers once (rotation), and a token shown again after its rotation ends the session.
 * Times are real time, not the business clock the engine is given.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('auth_sessions', (t) => {
    t.uuid('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    // the password's change time at login (as tokens carry it): a later change ends the session
    t.bigInteger('password_version').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable();
    // the longest a session lasts, whatever its use
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    // logout | idle | reuse | expired | password
    t.string('revoked_reason', 16);
    t.index(['user_id']);
  });
  await knex.schema.createTable('auth_refresh_tokens', (t) => {
    t.string('token_hash', 64).primary();
    t.uuid('session_id').notNullable().references('id').inTable('auth_sessions').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    // set when the token was exchanged for the next one
    t.timestamp('rotated_at', { useTz: true });
    t.index(['session_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('auth_refresh_tokens');
  await knex.schema.dropTableIfExists('auth_sessions');
}
