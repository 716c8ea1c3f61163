import type { Knex } from 'knex';

/**
 * 历史职称数据 (manual §1.2.8.2): the historical review bodies an HR bureau keeps and the units
 * that may upload their records, the uploads (one per 取得方式 and 文号, each walked along its
 * audit path by `history-data-approval`) and their rows as typed, with the errors and warnings of
 * the checks, so a bad row can be shown red and edited in place.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('history_bodies', (t) => {
    t.bigIncrements('id').primary();
    t.text('name').notNullable();
    t.specificType('series', 'text[]').notNullable().defaultTo('{}');
    t.specificType('levels', 'text[]').notNullable().defaultTo('{}');
    // the HR bureau that keeps the body
    t.bigInteger('owner_unit_id').notNullable().references('id').inTable('units');
    // active | disabled
    t.text('status').notNullable().defaultTo('active');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['owner_unit_id', 'name']);
  });
  await knex.raw("alter table history_bodies add constraint history_bodies_status_check check (status in ('active', 'disabled'))");

  await knex.schema.createTable('history_body_units', (t) => {
    t.bigInteger('body_id').notNullable().references('id').inTable('history_bodies').onDelete('CASCADE');
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.primary(['body_id', 'unit_id']);
    t.index(['unit_id']);
  });

  await knex.schema.createTable('history_uploads', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.bigInteger('created_by').references('id').inTable('users');
    // review 评审 | initial 初定 | recognition 确认 | delegated 委托评审
    t.text('acquisition_type').notNullable();
    t.text('document_no').notNullable();
    // draft 待提交 | reviewing 审核中 | returned 已退回 | approved 待发证 | issuing 发证中 | issued 已发证
    t.text('status').notNullable().defaultTo('draft');
    t.bigInteger('issuer_unit_id').references('id').inTable('units');
    t.uuid('qualification_file_id').references('id').inTable('files');
    // the units reviewing in turn, from the uploader's parent up to the issuer
    t.specificType('audit_path', 'bigint[]').notNullable().defaultTo('{}');
    t.bigInteger('current_unit_id').references('id').inTable('units');
    t.text('return_reason');
    t.integer('return_count').notNullable().defaultTo(0);
    t.uuid('instance_id');
    // the summary table stamped offline (PDF), and who issued
    t.uuid('stamped_file_id').references('id').inTable('files');
    t.bigInteger('issued_by').references('id').inTable('users');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('approved_at', { useTz: true });
    t.timestamp('issued_at', { useTz: true });
    t.index(['unit_id', 'status']);
    t.index(['current_unit_id', 'status']);
    t.index(['issuer_unit_id', 'status']);
  });
  await knex.raw("alter table history_uploads add constraint history_uploads_type_check check (acquisition_type in ('review', 'initial', 'recognition', 'delegated'))");
  await knex.raw("alter table history_uploads add constraint history_uploads_status_check check (status in ('draft', 'reviewing', 'returned', 'approved', 'issuing', 'issued'))");

  await knex.schema.createTable('history_records', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('upload_id').notNullable().references('id').inTable('history_uploads');
    t.integer('row_no').notNullable();
    // the cells as typed (text), so a bad row is shown and edited as it came
    t.text('person_name').notNullable().defaultTo('');
    t.text('gender').notNullable().defaultTo('');
    t.text('id_number').notNullable().defaultTo('');
    t.text('birth_date').notNullable().defaultTo('');
    t.text('employer_name').notNullable().defaultTo('');
    t.text('series').notNullable().defaultTo('');
    t.text('specialty').notNullable().defaultTo('');
    t.text('title_name').notNullable().defaultTo('');
    t.text('level').notNullable().defaultTo('');
    t.text('acquisition').notNullable().defaultTo('');
    t.text('review_body').notNullable().defaultTo('');
    t.text('review_date').notNullable().defaultTo('');
    t.text('approval_date').notNullable().defaultTo('');
    t.text('document_no').notNullable().defaultTo('');
    // [{ field, message }] — a row with errors is bad; warnings (高风险提醒) do not block
    t.jsonb('errors').notNullable().defaultTo('[]');
    t.jsonb('warnings').notNullable().defaultTo('[]');
    t.boolean('bad').notNullable().defaultTo(false);
    // issuing: null (待发证) | cancelled 取消发证 | issued
    t.text('issue_state');
    t.text('issue_reason');
    t.bigInteger('certificate_id');
    t.timestamp('deleted_at', { useTz: true });
    t.index(['upload_id', 'bad', 'row_no']);
    t.index(['id_number']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('history_records');
  await knex.schema.dropTableIfExists('history_uploads');
  await knex.schema.dropTableIfExists('history_body_units');
  await knex.schema.dropTableIfExists('history_bodies');
}
