import type { Knex } from 'knex';

/** An administrator may cancel a dossier's case (流程异常处理); the dossier keeps the reason. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.text('cancel_reason');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.dropColumn('cancel_reason');
  });
}
