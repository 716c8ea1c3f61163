import type { Knex } from 'knex';

/**
 * A double submit of the same attachment stores one file: an upload records its key (content
 * hash, form field and name), unique per uploader while the file is not yet part of a case.
 * Files uploaded before have no key and stay as they are.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table files add column upload_key text');
  await knex.raw('create unique index files_upload_key_idx on files (uploaded_by, upload_key) where upload_key is not null and root_instance_id is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists files_upload_key_idx');
  await knex.raw('alter table files drop column if exists upload_key');
}
