import type { Knex } from 'knex';

/**
 * 非公 / 自由职业 professionals (notices 002 二(二), 004): an applicant registered without an
 * employer names their 属地 (the region where they work); the HR bureau of that region takes
 * their dossier as the employer level of the chain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.text('region_code').references('code').inTable('regions');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => t.dropColumn('region_code'));
}
