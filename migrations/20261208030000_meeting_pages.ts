import type { Knex } from 'knex';

/**
 * A meeting's screens page their candidates (docs/performance.md, "A meeting of 3,000"):
 * - `meeting_candidates_order_idx`: one page of 评审会议详情 / 人员分配 in the meeting's order;
 * - `meeting_votes_candidate_idx`: the 计票 screen counts the votes of one page's candidates
 *   (the primary key leads with the expert, so a candidate's votes were spread over it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists meeting_candidates_order_idx on meeting_candidates (meeting_id, order_no)');
  await knex.raw('create index if not exists meeting_votes_candidate_idx on meeting_votes (round_id, dossier_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists meeting_votes_candidate_idx');
  await knex.raw('drop index if exists meeting_candidates_order_idx');
}
