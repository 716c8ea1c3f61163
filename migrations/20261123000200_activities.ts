import type { Knex } from 'knex';

/**
 * 评审活动发布: the statuses of an activity's publication, when its submission windows were
 * closed by the deadline job, the issuer's last opinion, and the lookup from a dossier's case to
 * its activity that the deadline checks make on every submission and review.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('activities', (t) => {
    // set once by the deadline job when 个人初次提交截止 / 个人修改提交截止 has passed; cleared when an approved extension reopens it
    t.timestamp('first_closed_at', { useTz: true });
    t.timestamp('revision_closed_at', { useTz: true });
    // the issuer's opinion when it returned or rejected the activity
    t.text('review_opinion');
    t.index(['committee_id', 'year']);
  });
  await knex.raw("alter table activities add constraint activities_status_check check (status in ('draft', 'reviewing', 'returned', 'published', 'rejected'))");
  await knex.raw("alter table activities add constraint activities_kind_check check (kind in ('annual', 'special'))");
  await knex.raw("alter table activity_deadline_changes add constraint activity_deadline_changes_status_check check (status in ('requested', 'approved', 'rejected', 'withdrawn'))");
  await knex.raw('create index activity_deadline_changes_activity_idx on activity_deadline_changes (activity_id, id)');
  await knex.raw('create index dossiers_instance_idx on dossiers (instance_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists dossiers_instance_idx');
  await knex.raw('drop index if exists activity_deadline_changes_activity_idx');
  await knex.raw('alter table activity_deadline_changes drop constraint if exists activity_deadline_changes_status_check');
  await knex.raw('alter table activities drop constraint if exists activities_kind_check');
  await knex.raw('alter table activities drop constraint if exists activities_status_check');
  await knex.schema.alterTable('activities', (t) => {
    t.dropIndex(['committee_id', 'year']);
    t.dropColumn('first_closed_at');
    t.dropColumn('revision_closed_at');
    t.dropColumn('review_opinion');
  });
}
