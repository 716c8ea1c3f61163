import type { Knex } from 'knex';

/**
 * Lists that grow with the province walk an index in their own order, so a page reads its rows
 * and not the whole table (docs/performance.md, "Every list at province scale"):
 * 已发放证书 (newest first per issuer), the 专技人才 subtree list (last changed first), and a
 * 历史数据 batch's rows (in row order, with the counts the batch shows read from the index alone:
 * a batch holds up to 100,000 rows).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index certificates_issuer_issued_idx on certificates (issuer_unit_id, issued_at desc, id desc)');
  await knex.raw("create index talents_updated_idx on talents (updated_at desc, id desc) where status <> 'draft'");
  await knex.raw('create index history_records_live_idx on history_records (upload_id, row_no, id) include (bad) where deleted_at is null');
  await knex.raw("create index history_records_warned_idx on history_records (upload_id) where deleted_at is null and warnings <> '[]'::jsonb");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists history_records_warned_idx');
  await knex.raw('drop index if exists history_records_live_idx');
  await knex.raw('drop index if exists talents_updated_idx');
  await knex.raw('drop index if exists certificates_issuer_issued_idx');
}
