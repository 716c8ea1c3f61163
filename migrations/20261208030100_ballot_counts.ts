import type { Knex } from 'knex';

/**
 * What each ballot holds, kept on the ballot (docs/performance.md, "A meeting of 3,000"): the
 * 计票 screen shows every expert's 同意 / 不同意 / 弃权 / 已打分 so far, and counting them from 75,000
 * votes took 18–23 ms a request on every refresh. The counts are now written with the votes:
 *
 * - `meeting_votes_ballot_counts_*` (after each statement on `meeting_votes`): recounts the
 *   ballots the statement touched — one expert's votes in one round, read by the primary key —
 *   and stores the counts on their `meeting_ballots` row. The one writer (`saveVotes`) runs in
 *   the transaction that already holds the ballot's row (`lockBallot`, or the submission's move),
 *   so the update waits for nobody.
 * - `meeting_ballots_counts_on_insert` (before a ballot is inserted): counts votes already stored
 *   for its round and expert (none in the flow; a fixture may write votes first).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table meeting_ballots
      add column agree_count integer not null default 0,
      add column disagree_count integer not null default 0,
      add column abstain_count integer not null default 0,
      add column scored_count integer not null default 0`);
  await knex.raw(`
    create function meeting_ballot_recount() returns trigger language plpgsql as $$
    begin
      update meeting_ballots b
         set agree_count = c.agree, disagree_count = c.disagree, abstain_count = c.abstain, scored_count = c.scored
        from (
          select p.round_id, p.expert_id,
                 count(*) filter (where v.choice = 'agree') as agree,
                 count(*) filter (where v.choice = 'disagree') as disagree,
                 count(*) filter (where v.choice = 'abstain') as abstain,
                 count(v.score) as scored
            from (select distinct round_id, expert_id from touched) p
            left join meeting_votes v on v.round_id = p.round_id and v.expert_id = p.expert_id
           group by p.round_id, p.expert_id
        ) c
       where b.round_id = c.round_id and b.expert_id = c.expert_id
         and (b.agree_count, b.disagree_count, b.abstain_count, b.scored_count) is distinct from (c.agree::int, c.disagree::int, c.abstain::int, c.scored::int);
      return null;
    end $$`);
  for (const [event, relation] of [
    ['insert', 'new table as touched'],
    ['update', 'new table as touched'],
    ['delete', 'old table as touched'],
  ] as const) {
    await knex.raw(`create trigger meeting_votes_ballot_counts_${event} after ${event} on meeting_votes referencing ${relation} for each statement execute function meeting_ballot_recount()`);
  }
  await knex.raw(`
    create function meeting_ballot_counts_on_insert() returns trigger language plpgsql as $$
    begin
      select count(*) filter (where choice = 'agree'), count(*) filter (where choice = 'disagree'), count(*) filter (where choice = 'abstain'), count(score)
        into new.agree_count, new.disagree_count, new.abstain_count, new.scored_count
        from meeting_votes where round_id = new.round_id and expert_id = new.expert_id;
      return new;
    end $$`);
  await knex.raw('create trigger meeting_ballots_counts_on_insert before insert on meeting_ballots for each row execute function meeting_ballot_counts_on_insert()');
  // the ballots of today
  await knex.raw(`
    update meeting_ballots b
       set agree_count = c.agree, disagree_count = c.disagree, abstain_count = c.abstain, scored_count = c.scored
      from (
        select round_id, expert_id,
               count(*) filter (where choice = 'agree') as agree, count(*) filter (where choice = 'disagree') as disagree,
               count(*) filter (where choice = 'abstain') as abstain, count(score) as scored
          from meeting_votes group by round_id, expert_id
      ) c
     where b.round_id = c.round_id and b.expert_id = c.expert_id`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists meeting_ballots_counts_on_insert on meeting_ballots');
  await knex.raw('drop function if exists meeting_ballot_counts_on_insert()');
  for (const event of ['insert', 'update', 'delete']) await knex.raw(`drop trigger if exists meeting_votes_ballot_counts_${event} on meeting_votes`);
  await knex.raw('drop function if exists meeting_ballot_recount()');
  await knex.raw('alter table meeting_ballots drop column agree_count, drop column disagree_count, drop column abstain_count, drop column scored_count');
}
