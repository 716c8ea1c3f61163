import type { Knex } from 'knex';

/**
 * 职称确认审核 (manual §1.2.14): a person's title obtained elsewhere (another province, before the
 * system, a 部属单位 …) applied for recognition, walked up the unit chain by `title-recognition`
 * to the HR bureau that confirms it and issues a certificate of kind 确认. A 不通过 stays as a
 * record (no deletion: the manual says “无法删除”).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('title_recognitions', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users');
    // the person's unit when applying: where the review starts
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.text('person_name').notNullable();
    t.text('id_number').notNullable();
    t.text('series').notNullable();
    t.text('specialty').notNullable();
    t.text('title_name').notNullable();
    t.text('level').notNullable();
    // other_province 外省评审 | before_system 系统外（历史）取得 | central_unit 部属单位评审 | other 其他
    t.text('acquisition').notNullable();
    t.text('original_body').notNullable();
    t.text('obtained_date').notNullable();
    t.text('original_document_no').notNullable();
    t.uuid('certificate_file_id').notNullable().references('id').inTable('files');
    t.uuid('qualification_file_id').notNullable().references('id').inTable('files');
    t.text('reason').notNullable();
    // reviewing 审核中 | returned 已退回 | confirmed 确认通过 | rejected 不通过
    t.text('status').notNullable().defaultTo('reviewing');
    // the units reviewing in turn: the person's unit up to the confirming HR bureau
    t.specificType('audit_path', 'bigint[]').notNullable().defaultTo('{}');
    t.bigInteger('confirm_unit_id').notNullable().references('id').inTable('units');
    t.bigInteger('current_unit_id').references('id').inTable('units');
    t.text('return_reason');
    t.integer('return_count').notNullable().defaultTo(0);
    t.text('reject_reason');
    t.uuid('instance_id');
    // entered by the confirming bureau when it passes
    t.text('approval_date');
    t.text('document_no');
    t.bigInteger('certificate_id').references('id').inTable('certificates');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('submitted_at', { useTz: true }).notNullable();
    t.timestamp('decided_at', { useTz: true });
    t.index(['user_id']);
    t.index(['current_unit_id', 'status']);
  });
  await knex.raw("alter table title_recognitions add constraint title_recognitions_status_check check (status in ('reviewing', 'returned', 'confirmed', 'rejected'))");
  // one open application per person and title: a double click on 提交 makes one
  await knex.raw("create unique index title_recognitions_open_unique on title_recognitions (user_id, title_name, level) where status in ('reviewing', 'returned')");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('title_recognitions');
}
