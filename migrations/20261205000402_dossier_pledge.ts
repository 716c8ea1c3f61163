import type { Knex } from 'knex';

/** 诚信承诺: when the applicant last accepted the integrity pledge, at a submission (printed on the 评审表). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.timestamp('pledge_accepted_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => t.dropColumn('pledge_accepted_at'));
}
