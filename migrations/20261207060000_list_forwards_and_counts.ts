import type { Knex } from 'knex';

/**
 * Lists at province scale, second pass (docs/performance.md, "Every list at province scale,
 * second pass"; decisions in docs/dossier-queries.md):
 *
 * - `dossier_forwards`: which unit passed which dossier on (评审人员统计). Written by the dossier
 *   flow's `dossier.passed` handler in the transaction of the forwarding step; backfilled here
 *   from the completed reviews (the definition the list used before: a review of a unit of the
 *   case's chain completed with 通过, by its candidate unit or by the unit's staff). It carries
 *   the dossier's submission time (set once, at the first submission) so that one unit's page,
 *   newest first, is a walk of `dossier_forwards_unit_submitted_idx`.
 * - `dossier_count_deltas`: 综合查询's counts per committee × activity × year × status × result,
 *   kept by the trigger `dossiers_count_deltas` on every insert, change and delete of a declared
 *   dossier (one row per change, never an update: two transitions never wait on one counter
 *   row); the job `dossier-counts` folds the rows into one per key. The summary sums them.
 * - Name searches by prefix (`like '张%'`), served by `text_pattern_ops` indexes on the names of
 *   certificates and talents.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table dossier_forwards (
      unit_id bigint not null references units (id),
      dossier_id bigint not null references dossiers (id) on delete cascade,
      submitted_at timestamptz not null,
      forwarded_at timestamptz not null,
      primary key (unit_id, dossier_id)
    )`);
  await knex.raw('create index dossier_forwards_unit_submitted_idx on dossier_forwards (unit_id, submitted_at desc, dossier_id desc)');
  await knex.raw('create index dossier_forwards_dossier_idx on dossier_forwards (dossier_id)');
  await knex.raw(`
    insert into dossier_forwards (unit_id, dossier_id, submitted_at, forwarded_at)
    select x.unit_id, d.id, d.submitted_at, max(x.completed_at)
      from (
        select t.root_instance_id, t.candidate_unit_id as unit_id, t.completed_at
          from tasks t
         where t.status = 'completed' and t.action = 'pass' and t.candidate_unit_id is not null
        union all
        select t.root_instance_id, u.unit_id, t.completed_at
          from tasks t join users u on u.id = t.completed_by
         where t.status = 'completed' and t.action = 'pass' and u.unit_id is not null and not ('applicant' = any(u.roles))
      ) x
      join dossiers d on d.instance_id = x.root_instance_id
      join process_instances i on i.id = d.instance_id
     where d.submitted_at is not null
       and x.unit_id in ((i.variables->'chain'->>'employer')::bigint, (i.variables->'chain'->>'superior')::bigint,
                         (i.variables->'chain'->>'department')::bigint, (i.variables->'chain'->>'bureau')::bigint)
     group by x.unit_id, d.id, d.submitted_at`);

  await knex.raw(`
    create table dossier_count_deltas (
      id bigserial primary key,
      committee_id bigint not null,
      activity_id bigint not null,
      year integer not null,
      status text not null,
      result text,
      n integer not null
    )`);
  await knex.raw(`
    create function dossiers_count_deltas() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.submitted_at is not null and old.committee_id is not null then
        insert into dossier_count_deltas (committee_id, activity_id, year, status, result, n)
        values (old.committee_id, old.activity_id, old.year, old.status, old.result, -1);
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.submitted_at is not null and new.committee_id is not null then
        insert into dossier_count_deltas (committee_id, activity_id, year, status, result, n)
        values (new.committee_id, new.activity_id, new.year, new.status, new.result, 1);
      end if;
      return null;
    end $$`);
  await knex.raw('create trigger dossiers_count_deltas_insert after insert on dossiers for each row execute function dossiers_count_deltas()');
  await knex.raw(`
    create trigger dossiers_count_deltas_update after update on dossiers for each row
      when ((old.committee_id, old.activity_id, old.year, old.status, old.result, old.submitted_at is null)
            is distinct from (new.committee_id, new.activity_id, new.year, new.status, new.result, new.submitted_at is null))
      execute function dossiers_count_deltas()`);
  await knex.raw('create trigger dossiers_count_deltas_delete after delete on dossiers for each row execute function dossiers_count_deltas()');
  await knex.raw(`
    insert into dossier_count_deltas (committee_id, activity_id, year, status, result, n)
    select committee_id, activity_id, year, status, result, count(*)
      from dossiers where submitted_at is not null and committee_id is not null
     group by committee_id, activity_id, year, status, result`);

  await knex.raw('create index certificates_issuer_name_idx on certificates (issuer_unit_id, person_name text_pattern_ops)');
  await knex.raw("create index talents_name_idx on talents (person_name text_pattern_ops) where status <> 'draft'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists talents_name_idx');
  await knex.raw('drop index if exists certificates_issuer_name_idx');
  await knex.raw('drop trigger if exists dossiers_count_deltas_delete on dossiers');
  await knex.raw('drop trigger if exists dossiers_count_deltas_update on dossiers');
  await knex.raw('drop trigger if exists dossiers_count_deltas_insert on dossiers');
  await knex.raw('drop function if exists dossiers_count_deltas()');
  await knex.raw('drop table if exists dossier_count_deltas');
  await knex.raw('drop table if exists dossier_forwards');
}
