import type { Knex } from 'knex';

/**
 * 专家库: who returned an expert (the organiser returning a recommendation to the recommending
 * unit, or the registrar returning a submitted expert to the organiser) decides who may fix it;
 * an import keeps what its confirmation did.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('experts', (t) => {
    // organizer | registrar, set with status returned
    t.text('returned_stage');
    t.bigInteger('returned_by_unit_id').references('id').inTable('units');
    t.timestamp('returned_at', { useTz: true });
  });
  await knex.raw(
    "alter table experts add constraint experts_status_check check (status in ('draft', 'recommended', 'pending', 'in_pool', 'returned', 'removed'))",
  );
  await knex.raw("alter table experts add constraint experts_returned_stage_check check (returned_stage is null or returned_stage in ('organizer', 'registrar'))");
  await knex.raw('create index experts_recommended_by_idx on experts (recommended_by_unit_id) where recommended_by_unit_id is not null');
  await knex.schema.alterTable('expert_imports', (t) => {
    t.integer('imported_count');
    // good rows whose ID number entered the pool between check and confirmation
    t.jsonb('skipped');
    t.index(['committee_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('expert_imports', (t) => {
    t.dropIndex(['committee_id', 'created_at']);
    t.dropColumn('imported_count');
    t.dropColumn('skipped');
  });
  await knex.raw('drop index if exists experts_recommended_by_idx');
  await knex.raw('alter table experts drop constraint if exists experts_returned_stage_check');
  await knex.raw('alter table experts drop constraint if exists experts_status_check');
  await knex.schema.alterTable('experts', (t) => {
    t.dropColumn('returned_stage');
    t.dropColumn('returned_by_unit_id');
    t.dropColumn('returned_at');
  });
}
