import type { Knex } from 'knex';

/**
 * 专家投票: each attending expert's ballot (表决票) for a round and the votes on it (同意 / 不同意 /
 * 弃权, or a score in a scoring panel round). A meeting credential (`meeting_experts.user_id`) is
 * an account of its own whose username names the meeting; closing or cancelling the meeting
 * disables it in the same statement, whichever code path closes it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('meeting_ballots', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('round_id').notNullable().references('id').inTable('meeting_rounds');
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('expert_id').notNullable().references('id').inTable('experts');
    t.bigInteger('user_id').references('id').inTable('users');
    // draft 未提交 | submitted 已提交 | returned 已回退 | absent 缺席
    t.text('status').notNullable().defaultTo('draft');
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.unique(['round_id', 'expert_id']);
    t.index(['meeting_id']);
    t.index(['user_id']);
  });
  await knex.raw("alter table meeting_ballots add constraint meeting_ballots_status_check check (status in ('draft', 'submitted', 'returned', 'absent'))");

  await knex.schema.createTable('meeting_votes', (t) => {
    t.bigInteger('round_id').notNullable().references('id').inTable('meeting_rounds');
    t.bigInteger('expert_id').notNullable().references('id').inTable('experts');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    // agree 同意 | disagree 不同意 | abstain 弃权 (a voting round)
    t.text('choice');
    // 打分 (a scoring panel round): the sum of the scoring items
    t.decimal('score', 8, 2);
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['round_id', 'expert_id', 'dossier_id']);
  });
  await knex.raw("alter table meeting_votes add constraint meeting_votes_choice_check check (choice is null or choice in ('agree', 'disagree', 'abstain'))");
  await knex.raw('alter table meeting_votes add constraint meeting_votes_one_kind_check check ((choice is null) <> (score is null))');

  // the one-time password's sheet is printed once per issue; the credential knows its meeting
  await knex.schema.alterTable('meeting_experts', (t) => {
    t.timestamp('credential_issued_at', { useTz: true });
  });

  await knex.raw(`
    create function meeting_credentials_end() returns trigger language plpgsql as $$
    begin
      if new.status in ('closed', 'cancelled') and old.status is distinct from new.status then
        update users set status = 'disabled', disabled_reason = 'meeting_closed', disabled_at = now()
         where id in (select user_id from meeting_experts where meeting_id = new.id and user_id is not null)
           and status = 'active';
      end if;
      return null;
    end $$`);
  await knex.raw('create trigger review_meetings_credentials_end after update of status on review_meetings for each row execute function meeting_credentials_end()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists review_meetings_credentials_end on review_meetings');
  await knex.raw('drop function if exists meeting_credentials_end()');
  await knex.schema.alterTable('meeting_experts', (t) => {
    t.dropColumn('credential_issued_at');
  });
  await knex.schema.dropTableIfExists('meeting_votes');
  await knex.schema.dropTableIfExists('meeting_ballots');
}
