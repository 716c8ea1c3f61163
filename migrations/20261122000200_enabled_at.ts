import type { Knex } from 'knex';

/** When an account was last re-enabled: the 3-month inactivity rule counts from it as from a login. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('enabled_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => t.dropColumn('enabled_at'));
}
