import type { Knex } from 'knex';

/**
 * 常用意见 that every clerk finds out of the box: a saved opinion without a user is a preset,
 * listed to everyone before their own and changed only by a migration.
 */
export const PRESET_OPINIONS = ['同意推荐。', '材料不齐全，请补充后重新提交。'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('saved_opinions', (t) => {
    t.bigInteger('user_id').nullable().alter();
  });
  await knex('saved_opinions').insert(PRESET_OPINIONS.map((text, i) => ({ user_id: null, text, sort_order: i })));
}

export async function down(knex: Knex): Promise<void> {
  await knex('saved_opinions').whereNull('user_id').delete();
  await knex.schema.alterTable('saved_opinions', (t) => {
    t.bigInteger('user_id').notNullable().alter();
  });
}
