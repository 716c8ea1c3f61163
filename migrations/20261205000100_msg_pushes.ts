import type { Knex } from 'knex';

/**
 * 消息推送: a message a unit's staff send to chosen subordinate units or to chosen applicants of
 * their own unit. The push is the sender's record (已发送); every recipient gets one row of
 * `messages` pointing at it, so the recipients' lists, read state and unread counts stay the
 * ones the flows' reminders already use.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_pushes', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('sender_unit_id').notNullable().references('id').inTable('units');
    t.bigInteger('sender_user_id').notNullable().references('id').inTable('users');
    // unit: 下级单位 | person: 本单位申报人
    t.text('recipient_kind').notNullable();
    t.text('title').notNullable();
    t.text('content').notNullable();
    t.integer('recipient_count').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['sender_unit_id', 'created_at']);
  });
  await knex.raw("alter table message_pushes add constraint message_pushes_kind_check check (recipient_kind in ('unit', 'person'))");
  await knex.schema.alterTable('messages', (t) => {
    t.bigInteger('push_id').references('id').inTable('message_pushes');
    t.index(['push_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => t.dropColumn('push_id'));
  await knex.schema.dropTableIfExists('message_pushes');
}
