import type { Knex } from 'knex';

/**
 * Messages between flows (engine/messages): a thrown message is a row that commits with the step
 * that threw it; a catch event or receive task waiting for one is a subscription row written with
 * the step that reached it. Delivery joins the two in a step of the receiver.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('process_messages', (t) => {
    t.bigIncrements('id').primary();
    t.text('name').notNullable();
    t.text('correlation_key');
    t.jsonb('payload').notNullable().defaultTo('{}');
    // pending (kept until an instance waits) | delivered | expired
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('source_instance_id').references('id').inTable('process_instances').onDelete('set null');
    t.text('source_element_id');
    t.uuid('target_instance_id').references('id').inTable('process_instances').onDelete('set null');
    t.text('target_element_id');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('delivered_at', { useTz: true });
  });
  await knex.raw(`create index process_messages_pending_idx on process_messages (name, correlation_key, id) where status = 'pending'`);
  await knex.raw(`create index process_messages_status_idx on process_messages (status, created_at desc)`);
  await knex.raw(`create index process_messages_target_idx on process_messages (target_instance_id) where target_instance_id is not null`);

  await knex.schema.createTable('message_subscriptions', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('cascade');
    t.uuid('root_instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('execution_id').notNullable();
    t.text('message_name').notNullable();
    t.text('correlation_key');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['instance_id', 'execution_id']);
  });
  await knex.raw('create index message_subscriptions_key_idx on message_subscriptions (message_name, correlation_key, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('message_subscriptions');
  await knex.schema.dropTableIfExists('process_messages');
}
