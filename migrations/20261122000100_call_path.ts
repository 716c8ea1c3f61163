import type { Knex } from 'knex';

/**
 * The steps that called a sub-flow instance, from the case's own flow down (`process:element`),
 * so settings made for a calling step (its due date) reach the tasks of the sub-flow it called.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_instances', (t) => {
    t.specificType('call_path', 'text[]').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_instances', (t) => t.dropColumn('call_path'));
}
