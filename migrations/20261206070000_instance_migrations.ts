import type { Knex } from 'knex';

/**
 * 迁移运行中实例: one row per run of a migration from one version of a flow to another, with its
 * progress (updated after every batch) and each instance's outcome. One run per flow at a time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instance_migrations', (t) => {
    t.bigIncrements('id').primary();
    t.text('process_key').notNullable();
    t.integer('from_version').notNullable();
    t.integer('to_version').notNullable();
    t.jsonb('mapping').notNullable().defaultTo('{}');
    // running | done | failed
    t.text('status').notNullable().defaultTo('running');
    t.integer('total').notNullable().defaultTo(0);
    t.integer('migrated').notNullable().defaultTo(0);
    t.integer('already').notNullable().defaultTo(0);
    t.integer('refused').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    // [{ instanceId, status, reason }] of the instances not migrated (refused, failed)
    t.jsonb('problems').notNullable().defaultTo('[]');
    t.text('error');
    t.bigInteger('started_by').references('id').inTable('users');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.index(['process_key', 'started_at']);
  });
  await knex.raw("create unique index instance_migrations_one_running_idx on instance_migrations (process_key) where status = 'running'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('instance_migrations');
}
