import type { Knex } from 'knex';

/**
 * 通知公告管理 (manual §1.2.15.1): a unit's announcements of eight types, drafted, published on
 * the public home page and revoked (撤回); attachments are uploaded files, listed in order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('announcements', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.text('type').notNullable();
    t.text('title').notNullable();
    t.text('content').notNullable();
    // draft 草稿 | published 已发布 | revoked 已撤回
    t.text('state').notNullable().defaultTo('draft');
    t.bigInteger('created_by').notNullable().references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('published_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.integer('version').notNullable().defaultTo(1);
    t.index(['unit_id', 'state', 'id']);
  });
  await knex.raw("alter table announcements add constraint announcements_state_check check (state in ('draft', 'published', 'revoked'))");
  await knex.raw("alter table announcements add constraint announcements_type_check check (type in ('notice', 'policy', 'document', 'standard', 'upload', 'faq', 'publicity', 'eligibility'))");
  // the public list: published ones, newest first
  await knex.raw("create index announcements_published_idx on announcements (published_at desc, id desc) where state = 'published'");
  await knex.schema.createTable('announcement_files', (t) => {
    t.bigInteger('announcement_id').notNullable().references('id').inTable('announcements').onDelete('cascade');
    t.uuid('file_id').notNullable().references('id').inTable('files');
    t.integer('order_no').notNullable();
    t.primary(['announcement_id', 'file_id']);
    t.index(['file_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('announcement_files');
  await knex.schema.dropTableIfExists('announcements');
}
