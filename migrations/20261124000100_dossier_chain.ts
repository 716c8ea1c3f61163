import type { Knex } from 'knex';

/**
 * The review chain on the dossier: who holds it and since when (转报时限, notice 003), the unit
 * that delegated it to another committee and that committee (委托评审, notice 002), and the
 * outcome of 评委会接收截止 (delivered, or not delivered with the unit that held it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    // null while the applicant holds it (draft, returned)
    t.bigInteger('holder_unit_id').references('id').inTable('units');
    t.timestamp('held_since', { useTz: true });
    t.bigInteger('delegated_by_unit_id').references('id').inTable('units');
    t.bigInteger('delegated_committee_id').references('id').inTable('committees');
    t.jsonb('delegation_letter');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('not_delivered_at', { useTz: true });
    // null with not_delivered_at set: the applicant held it at the deadline
    t.bigInteger('not_delivered_unit_id').references('id').inTable('units');
    t.index(['holder_unit_id', 'status'], 'dossiers_holder_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.dropIndex(['holder_unit_id', 'status'], 'dossiers_holder_idx');
    for (const c of ['holder_unit_id', 'held_since', 'delegated_by_unit_id', 'delegated_committee_id', 'delegation_letter', 'delivered_at', 'not_delivered_at', 'not_delivered_unit_id']) t.dropColumn(c);
  });
}
