import type { Knex } from 'knex';

/**
 * What the console needs beyond the platform core: saved opinions (常用意见), uploaded files
 * (content kept once by hash), drafts of diagrams being edited, and operator-set due dates per
 * flow step.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('saved_opinions', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users');
    t.text('text').notNullable();
    t.integer('sort_order').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'sort_order']);
  });

  // file contents by SHA-256: the same bytes uploaded twice are stored once
  await knex.schema.createTable('file_blobs', (t) => {
    t.text('sha256').primary();
    t.binary('content').notNullable();
    t.bigInteger('size').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('files', (t) => {
    t.uuid('id').primary();
    t.text('sha256').notNullable().references('sha256').inTable('file_blobs');
    t.text('name').notNullable();
    t.text('mime').notNullable();
    t.bigInteger('size').notNullable();
    t.bigInteger('uploaded_by').references('id').inTable('users');
    // the case the file was submitted with; who may read that case may read the file
    t.uuid('root_instance_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['root_instance_id']);
  });

  await knex.schema.createTable('process_drafts', (t) => {
    t.text('key').primary();
    t.text('xml').notNullable();
    // the version the draft was started from
    t.integer('base_version');
    t.bigInteger('updated_by').references('id').inTable('users');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // 期限设置: an operator's due date for a flow step, overriding the diagram's zcps:dueDate
  await knex.schema.createTable('task_settings', (t) => {
    t.text('process_key').notNullable();
    t.text('element_id').notNullable();
    t.text('due_date');
    t.bigInteger('updated_by').references('id').inTable('users');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['process_key', 'element_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['task_settings', 'process_drafts', 'files', 'file_blobs', 'saved_opinions']) {
    await knex.schema.dropTableIfExists(table);
  }
}
