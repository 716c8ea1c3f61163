import type { Knex } from 'knex';

/**
 * 期限设置 in words: a due date of days now counts working days (`P3D` in a diagram is 3 工作日).
 * An operator's stored `P5D` was set when it meant 5 calendar days, so it becomes `5 自然日` —
 * the same due dates as before, now shown as what they are and changeable to 工作日.
 */
export async function up(knex: Knex): Promise<void> {
  await knex('task_settings')
    .whereRaw("due_date ~* '^P[0-9]{1,4}D$'")
    .update({ due_date: knex.raw("substring(upper(due_date) from 2 for length(due_date) - 2) || ' 自然日'") });
}

export async function down(knex: Knex): Promise<void> {
  await knex('task_settings')
    .whereRaw("due_date ~ '^[0-9]{1,4} (自然日|工作日)$'")
    .update({ due_date: knex.raw("'P' || split_part(due_date, ' ', 1) || 'D'") });
  await knex('task_settings')
    .whereRaw("due_date ~ '^[0-9]{1,4} 小时$'")
    .update({ due_date: knex.raw("'PT' || split_part(due_date, ' ', 1) || 'H'") });
}
