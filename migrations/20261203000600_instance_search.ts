import type { Knex } from 'knex';

/**
 * 流程实例's search by applicant: a name prefix finds the people, their cases are found by
 * starter. Without these both would read every user and every instance.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index users_display_name_idx on users (display_name text_pattern_ops)');
  await knex.raw('create index process_instances_started_by_idx on process_instances (started_by, started_at desc) where parent_instance_id is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists process_instances_started_by_idx');
  await knex.raw('drop index if exists users_display_name_idx');
}
