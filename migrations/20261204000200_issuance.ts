import type { Knex } from 'knex';

/**
 * 证书生成 (评审发证, 初定发证, 委托发证): the batches a unit issues together (one per 文号 for review
 * and delegated issuing, one per 添加批次 for 初定), the persons in them, the 初定 persons the HR
 * bureau enters (they have no dossier in this system), and what 取消发证 hands back to the committee
 * on the confirmation's hand-over row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('issuance_batches', (t) => {
    t.bigIncrements('id').primary();
    // review 评审发证 | initial 初定发证 | delegated 委托发证
    t.text('kind').notNullable();
    t.bigInteger('issuer_unit_id').notNullable().references('id').inTable('units');
    t.text('batch_no').notNullable();
    t.text('document_no');
    t.bigInteger('committee_id').references('id').inTable('committees');
    // pending 待发放 | generating 生成中 | issued 已发放 | discarded 已撤销 (every person cancelled)
    t.text('state').notNullable().defaultTo('pending');
    t.uuid('stamped_file_id');
    t.uuid('instance_id');
    t.text('generation_ref');
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('issued_at', { useTz: true });
    t.integer('version').notNullable().defaultTo(0);
    t.unique(['issuer_unit_id', 'batch_no']);
    t.index(['issuer_unit_id', 'kind', 'state']);
  });
  await knex.raw("alter table issuance_batches add constraint issuance_batches_kind_check check (kind in ('review', 'initial', 'delegated'))");
  await knex.raw("alter table issuance_batches add constraint issuance_batches_state_check check (state in ('pending', 'generating', 'issued', 'discarded'))");

  await knex.schema.createTable('initial_persons', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.text('person_name').notNullable();
    t.text('id_number').notNullable();
    t.text('gender');
    t.text('series').notNullable();
    t.text('specialty').notNullable();
    t.text('title_name').notNullable();
    t.text('level').notNullable();
    t.text('employer_name');
    t.text('education');
    // unissued 未发放 | batched 发放中 | issued 已发放
    t.text('state').notNullable().defaultTo('unissued');
    t.text('cancel_reason');
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    // one 初定 of a title per person and bureau: an import run twice adds nobody twice
    t.unique(['unit_id', 'id_number', 'series', 'level']);
  });
  await knex.raw("alter table initial_persons add constraint initial_persons_state_check check (state in ('unissued', 'batched', 'issued'))");

  await knex.schema.createTable('issuance_batch_items', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('batch_id').notNullable().references('id').inTable('issuance_batches');
    // dossier (评审发证, 委托发证) | initial (初定发证)
    t.text('source_type').notNullable();
    t.bigInteger('source_id').notNullable();
    t.bigInteger('dossier_id').references('id').inTable('dossiers');
    t.bigInteger('meeting_id').references('id').inTable('review_meetings');
    t.text('document_no');
    t.date('approval_date');
    // pending 待发证 | cancelled 已取消发证 | issued 已发证
    t.text('state').notNullable().defaultTo('pending');
    t.text('cancel_reason');
    t.bigInteger('cancelled_by').references('id').inTable('users');
    t.timestamp('cancelled_at', { useTz: true });
    t.bigInteger('certificate_id');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['batch_id', 'state']);
  });
  await knex.raw("alter table issuance_batch_items add constraint issuance_batch_items_state_check check (state in ('pending', 'cancelled', 'issued'))");
  // a person is in one batch at a time (a double 审核通过 / 添加批次 finds them taken); a cancelled one may come again
  await knex.raw("create unique index issuance_batch_items_live_source on issuance_batch_items (source_type, source_id) where state <> 'cancelled'");

  // 取消发证: the hand-over goes back to the committee with the reason; 提交发证信息 hands it again
  await knex.schema.alterTable('certificate_handovers', (t) => {
    t.text('return_reason');
    t.timestamp('returned_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('certificate_handovers', (t) => {
    t.dropColumn('return_reason');
    t.dropColumn('returned_at');
  });
  for (const table of ['issuance_batch_items', 'initial_persons', 'issuance_batches']) await knex.schema.dropTableIfExists(table);
}
