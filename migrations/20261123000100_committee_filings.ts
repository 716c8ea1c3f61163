import type { Knex } from 'knex';

/**
 * A filing exists from the moment the organiser opens it (draft: the request letter is being
 * prepared), so "one filing in progress per committee" covers drafts too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists committee_filings_open_idx');
  await knex.raw("create unique index committee_filings_open_idx on committee_filings (committee_id) where status in ('draft', 'submitted', 'returned')");
  await knex.raw("alter table committee_filings add constraint committee_filings_status_check check (status in ('draft', 'submitted', 'returned', 'approved', 'rejected', 'withdrawn'))");
  await knex.raw("alter table committees add constraint committees_filing_status_check check (filing_status in ('unfiled', 'filed', 'expired'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table committees drop constraint if exists committees_filing_status_check');
  await knex.raw('alter table committee_filings drop constraint if exists committee_filings_status_check');
  await knex.raw('drop index if exists committee_filings_open_idx');
  await knex.raw("create unique index committee_filings_open_idx on committee_filings (committee_id) where status in ('submitted', 'returned')");
}
