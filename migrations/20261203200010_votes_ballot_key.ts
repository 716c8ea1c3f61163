import type { Knex } from 'knex';

/**
 * Votes without per-row foreign keys. 25 experts storing 300 votes at once ran 22,500 key checks:
 * every insert locked the same 300 dossier rows and the same round row for key share from 25
 * transactions (PostgreSQL keeps multixacts on those rows). Database CPU for the 25 ballots
 * (bench/votes.ts): 230–310 ms with the three keys, 230–270 ms with one composite key to the
 * ballot, 120–140 ms with none. Votes have one writer (`ballots.repository saveVotes`), called
 * only with the ballot's own round and expert, after the service checked every dossier is a
 * candidate of the round; rounds, ballots, experts and dossiers are never deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('meeting_votes', (t) => {
    t.dropForeign(['round_id']);
    t.dropForeign(['expert_id']);
    t.dropForeign(['dossier_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('meeting_votes', (t) => {
    t.foreign('round_id').references('id').inTable('meeting_rounds');
    t.foreign('expert_id').references('id').inTable('experts');
    t.foreign('dossier_id').references('id').inTable('dossiers');
  });
}
