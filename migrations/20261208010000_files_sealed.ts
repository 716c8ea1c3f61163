import type { Knex } from 'knex';

/**
 * 个人信息 at rest: uploaded files' bytes (`file_blobs.content`: ID card scans, diplomas, sheets of
 * ID numbers) are stored sealed with SM4 under the rotatable PII key; `pii_key_id` says which key
 * (null: plain bytes of an older release). The keys live outside the database, so the migration
 * cannot seal: the files module's sweep (run with the personal-information sweep: at start, every
 * SWEEP_CRON, `scripts/pii-rotate.ts`) seals plain blobs and re-seals those under a rotated-out key,
 * a few rows per transaction. `sha256` stays the plain content's hash (the dedupe key).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table file_blobs add column pii_key_id text');
  await knex.raw('create index file_blobs_pii_key_idx on file_blobs (pii_key_id, sha256)');
}

/** Refuses while any blob is sealed: its bytes would be unreadable without the column (open them first). */
export async function down(knex: Knex): Promise<void> {
  const sealed = await knex('file_blobs').whereNotNull('pii_key_id').first('sha256');
  if (sealed) throw new Error('file_blobs 中有加密存储的文件内容，不能回退本迁移（否则内容无法读取）');
  await knex.raw('drop index if exists file_blobs_pii_key_idx');
  await knex.raw('alter table file_blobs drop column if exists pii_key_id');
}
