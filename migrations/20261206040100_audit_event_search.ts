import type { Knex } from 'knex';

/** 操作审计 searches by person and by action, newest first: each with the id to page on. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index audit_events_actor_idx on audit_events (actor_id, id)');
  await knex.raw('create index audit_events_action_idx on audit_events (action, id)');
  await knex.raw('create index audit_events_created_idx on audit_events (created_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists audit_events_created_idx');
  await knex.raw('drop index if exists audit_events_action_idx');
  await knex.raw('drop index if exists audit_events_actor_idx');
}
