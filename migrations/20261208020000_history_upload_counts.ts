import type { Knex } from 'knex';

/**
 * 历史数据 batch counts kept on the batch (docs/certificates.md, "Batch counts"): `history_uploads`
 * gets `total`, `bad` and `warned` (live records, those with errors, those with a 高风险提醒),
 * maintained by statement-level triggers on `history_records` — one update of the batch row per
 * statement and batch, from the statement's transition tables, whatever writes the records (import,
 * edit, delete, 退回 of persons to a new batch, a re-seal). Backfilled here from a full count.
 * `history_records_warned_idx` only served the count of warned rows and goes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table history_uploads
      add column total integer not null default 0,
      add column bad integer not null default 0,
      add column warned integer not null default 0`);
  await knex.raw(`
    create function history_upload_counts() returns trigger language plpgsql as $$
    begin
      -- the changes of this statement per batch; a change that moves no count (an issue state,
      -- a re-seal) updates no batch row
      if tg_op = 'INSERT' then
        update history_uploads h
           set total = h.total + d.total, bad = h.bad + d.bad, warned = h.warned + d.warned
          from (select upload_id, count(*)::int as total, (count(*) filter (where bad))::int as bad,
                       (count(*) filter (where warnings <> '[]'::jsonb))::int as warned
                  from new_rows where deleted_at is null group by upload_id) d
         where h.id = d.upload_id;
      elsif tg_op = 'DELETE' then
        update history_uploads h
           set total = h.total - d.total, bad = h.bad - d.bad, warned = h.warned - d.warned
          from (select upload_id, count(*)::int as total, (count(*) filter (where bad))::int as bad,
                       (count(*) filter (where warnings <> '[]'::jsonb))::int as warned
                  from old_rows where deleted_at is null group by upload_id) d
         where h.id = d.upload_id;
      else
        update history_uploads h
           set total = h.total + d.total, bad = h.bad + d.bad, warned = h.warned + d.warned
          from (select upload_id, sum(n)::int as total, sum(b)::int as bad, sum(w)::int as warned
                  from (select upload_id, -1 as n, -(bad::int) as b, -((warnings <> '[]'::jsonb)::int) as w
                          from old_rows where deleted_at is null
                        union all
                        select upload_id, 1, bad::int, (warnings <> '[]'::jsonb)::int
                          from new_rows where deleted_at is null) x
                 group by upload_id) d
         where h.id = d.upload_id and (d.total, d.bad, d.warned) <> (0, 0, 0);
      end if;
      return null;
    end $$`);
  await knex.raw('create trigger history_records_counts_insert after insert on history_records referencing new table as new_rows for each statement execute function history_upload_counts()');
  await knex.raw('create trigger history_records_counts_update after update on history_records referencing old table as old_rows new table as new_rows for each statement execute function history_upload_counts()');
  await knex.raw('create trigger history_records_counts_delete after delete on history_records referencing old table as old_rows for each statement execute function history_upload_counts()');
  await knex.raw(`
    update history_uploads h
       set total = d.total, bad = d.bad, warned = d.warned
      from (select upload_id, count(*)::int as total, (count(*) filter (where bad))::int as bad,
                   (count(*) filter (where warnings <> '[]'::jsonb))::int as warned
              from history_records where deleted_at is null group by upload_id) d
     where h.id = d.upload_id`);
  await knex.raw('drop index if exists history_records_warned_idx');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("create index if not exists history_records_warned_idx on history_records (upload_id) where deleted_at is null and warnings <> '[]'::jsonb");
  await knex.raw('drop trigger if exists history_records_counts_delete on history_records');
  await knex.raw('drop trigger if exists history_records_counts_update on history_records');
  await knex.raw('drop trigger if exists history_records_counts_insert on history_records');
  await knex.raw('drop function if exists history_upload_counts()');
  await knex.raw('alter table history_uploads drop column if exists warned, drop column if exists bad, drop column if exists total');
}
