import type { Knex } from 'knex';

/**
 * A message may name a person without a unit: applicants without an employer (非公 / 自由职业,
 * registered with a 属地) are told of returns, results and defense notices like everyone else.
 * Every message still names a unit or a person.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table messages alter column unit_id drop not null');
  await knex.raw('alter table messages add constraint messages_addressee_check check (unit_id is not null or user_id is not null)');
  await knex.raw('create index messages_personal_idx on messages (user_id, created_at) where unit_id is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists messages_personal_idx');
  await knex.raw('alter table messages drop constraint if exists messages_addressee_check');
  await knex('messages').whereNull('unit_id').delete();
  await knex.raw('alter table messages alter column unit_id set not null');
}
