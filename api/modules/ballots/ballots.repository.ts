import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';

type Db = Knex | Knex.Transaction;

export type BallotStatus = 'draft' | 'submitted' | 'returned' | 'absent';
export type VoteChoice = 'agree' | 'disagree' | 'abstain';

/** A row of `meeting_ballots` (表决票): one expert's ballot for one round. */
export interface BallotRow {
  id: number;
  round_id: number;
  meeting_id: number;
  expert_id: number;
  user_id: number | null;
  status: BallotStatus;
  submitted_at: Date | null;
  updated_at: Date;
  version: number;
  /** what the ballot's votes hold, kept by the votes' triggers (migration 20261208030100) */
  agree_count: number;
  disagree_count: number;
  abstain_count: number;
  scored_count: number;
}

/** A row of `meeting_votes`: one expert's vote (or score) on one candidate in one round. */
export interface VoteRow {
  round_id: number;
  expert_id: number;
  dossier_id: number;
  choice: VoteChoice | null;
  score: string | number | null;
  updated_at: Date;
}

/** A row of `meeting_rounds`. */
export interface RoundRow {
  id: number;
  meeting_id: number;
  kind: 'panel' | 'plenary';
  panel_id: number | null;
  method: 'vote' | 'score';
  status: 'voting' | 'closed';
  confirmed_count: number | null;
  attending_count: number | null;
  valid: boolean | null;
  opened_at: Date;
  closed_at: Date | null;
  closed_by: number | null;
}

/** A confirmed expert of a meeting with the pool record's facts. */
export interface MeetingExpertRow {
  expert_id: number;
  name: string;
  /** the pool record's ID number: plain only until the sweep seals it, then in `id_number_enc` (experts module) */
  id_number: string | null;
  id_number_enc: string | null;
  employer: string;
  current_title: string;
  panel_id: number | null;
  panel_name: string | null;
  user_id: number | null;
  credential_issued_at: Date | null;
}

/** A candidate of a round, in the meeting's order. */
export interface CandidateRow {
  dossier_id: number;
  order_no: number;
  panel_id: number | null;
  panel_name: string | null;
  status: string;
  result_round: string | null;
  applicant_name: string;
  employer_name: string | null;
  source: string;
}

/** Per round and candidate: how the votes fell. */
export interface CandidateCountRow {
  round_id: number;
  dossier_id: number;
  agree: number;
  disagree: number;
  abstain: number;
  scored: number;
  score_sum: number;
}

/** Per round and expert: how far their ballot is. */
export interface ExpertCountRow {
  round_id: number;
  expert_id: number;
  agree: number;
  disagree: number;
  abstain: number;
  scored: number;
}

const n = (v: unknown) => Number(v ?? 0);

/** The ballots, votes and rounds of the meetings, the meeting credentials, and what they read of the engine's tasks. */
export function createBallotsRepository(knex: Knex) {
  const q = (trx?: Db) => trx ?? knex;

  const candidatesQuery = (db: Db, round: Pick<RoundRow, 'meeting_id' | 'panel_id'>) => {
    const query = db('meeting_candidates as c')
      .join('dossiers as d', 'd.id', 'c.dossier_id')
      .join('users as u', 'u.id', 'd.applicant_id')
      .leftJoin('units as e', 'e.id', 'u.unit_id')
      .leftJoin('meeting_panels as p', 'p.id', 'c.panel_id')
      .where('c.meeting_id', round.meeting_id)
      .select('c.dossier_id', 'c.order_no', 'c.panel_id', 'p.name as panel_name', 'c.status', 'c.result_round', 'c.source', 'u.display_name as applicant_name', 'e.name as employer_name')
      .orderBy([{ column: 'c.order_no' }, { column: 'c.dossier_id' }]);
    if (round.panel_id != null) query.where('c.panel_id', round.panel_id);
    return query;
  };

  return {
    async meetingIdOfInstance(rootInstanceId: string, trx?: Db): Promise<number | null> {
      const row = await q(trx)('review_meetings').where({ instance_id: rootInstanceId }).first<{ id: number } | undefined>('id');
      return row ? Number(row.id) : null;
    },

    async meetingOf(meetingId: number, trx?: Db) {
      return q(trx)('review_meetings as m')
        .join('activities as a', 'a.id', 'm.activity_id')
        .join('committees as c', 'c.id', 'm.committee_id')
        .where('m.id', meetingId)
        .first<{ id: number; name: string; kind: string; status: string; activity_id: number; instance_id: string | null; activity_name: string; committee_name: string } | undefined>(
          'm.id', 'm.name', 'm.kind', 'm.status', 'm.activity_id', 'm.instance_id', 'a.name as activity_name', 'c.name as committee_name',
        );
    },

    /** The experts confirmed to attend (确认出席), in the draw's order. */
    async confirmedExperts(meetingId: number, trx?: Db): Promise<MeetingExpertRow[]> {
      return q(trx)('meeting_experts as me')
        .join('experts as x', 'x.id', 'me.expert_id')
        .leftJoin('meeting_panels as p', 'p.id', 'me.panel_id')
        .where({ 'me.meeting_id': meetingId, 'me.attendance': 'confirmed' })
        .orderBy([{ column: 'me.group_no' }, { column: 'me.expert_id' }])
        .select<MeetingExpertRow[]>('me.expert_id', 'x.name', 'x.id_number', 'x.id_number_enc', 'x.employer', 'x.current_title', 'me.panel_id', 'p.name as panel_name', 'me.user_id', 'me.credential_issued_at');
    },

    /** The meeting expert whose credential this account is (none: not an expert of that meeting). */
    async expertOfUser(meetingId: number, userId: number, trx?: Db): Promise<MeetingExpertRow | undefined> {
      return q(trx)('meeting_experts as me')
        .join('experts as x', 'x.id', 'me.expert_id')
        .leftJoin('meeting_panels as p', 'p.id', 'me.panel_id')
        .where({ 'me.meeting_id': meetingId, 'me.user_id': userId })
        .first<MeetingExpertRow | undefined>('me.expert_id', 'x.name', 'x.id_number', 'x.id_number_enc', 'x.employer', 'x.current_title', 'me.panel_id', 'p.name as panel_name', 'me.user_id', 'me.credential_issued_at');
    },

    /** The meetings an account is the credential of (a credential belongs to one meeting). */
    async meetingsOfUser(userId: number, trx?: Db) {
      return q(trx)('meeting_experts as me')
        .join('review_meetings as m', 'm.id', 'me.meeting_id')
        .where('me.user_id', userId)
        .orderBy('m.id')
        .select<Array<{ id: number; name: string; kind: string; status: string }>>('m.id', 'm.name', 'm.kind', 'm.status');
    },

    async insertCredentialUser(input: { username: string; loginAliasHash: string | null; passwordHash: string; displayName: string; at: Date }, trx: Knex.Transaction): Promise<number> {
      const [row] = await trx('users')
        .insert({
          username: input.username,
          login_alias_hash: input.loginAliasHash,
          password_hash: input.passwordHash,
          display_name: input.displayName,
          unit_id: null,
          roles: [],
          status: 'active',
          must_change_password: true,
          password_changed_at: null,
          created_at: input.at,
          updated_at: input.at,
        })
        .returning('id');
      return Number(row.id);
    },

    /** A new one-time password for an existing credential: the expert changes it again at the next login. */
    async resetCredential(userId: number, login: { username: string; loginAliasHash: string | null }, passwordHash: string, at: Date, trx: Knex.Transaction): Promise<void> {
      // an old credential (`<ID number>-<meeting>`) takes its new name here; its pending old name goes
      await trx('users').where({ id: userId }).update({ username: login.username, login_alias: null, login_alias_hash: login.loginAliasHash, password_hash: passwordHash, must_change_password: true, password_changed_at: null, status: 'active', disabled_reason: null, updated_at: at });
    },

    async setCredential(meetingId: number, expertId: number, userId: number, at: Date, trx: Knex.Transaction): Promise<void> {
      await trx('meeting_experts').where({ meeting_id: meetingId, expert_id: expertId }).update({ user_id: userId, credential_issued_at: at, updated_at: at });
    },

    /** A meeting credential's account by its name or its alias's hash (an account of no unit and no role: never a staff account). */
    async credentialUserId(username: string, loginAliasHash: string | null, trx?: Db): Promise<number | null> {
      const row = await q(trx)('users')
        .where((w) => {
          w.where({ username });
          if (loginAliasHash) w.orWhere({ login_alias_hash: loginAliasHash });
        })
        .whereNull('unit_id')
        .whereRaw("roles = '{}'")
        .first<{ id: number } | undefined>('id');
      return row ? Number(row.id) : null;
    },

    async panels(meetingId: number, trx?: Db): Promise<Array<{ id: number; name: string }>> {
      return q(trx)('meeting_panels').where({ meeting_id: meetingId }).orderBy([{ column: 'order_no' }, { column: 'id' }]).select('id', 'name');
    },

    async rounds(meetingId: number, trx?: Db): Promise<RoundRow[]> {
      return q(trx)<RoundRow>('meeting_rounds').where({ meeting_id: meetingId }).orderBy('id');
    },

    /**
     * Opens a round, or opens it again after an invalid one (a round exists once per meeting,
     * kind and panel): the earlier ballots and votes of that round are dropped.
     */
    async openRound(input: { meetingId: number; kind: 'panel' | 'plenary'; panelId: number | null; method: 'vote' | 'score'; confirmed: number; at: Date }, trx: Knex.Transaction): Promise<number> {
      const existing = await trx<RoundRow>('meeting_rounds')
        .where({ meeting_id: input.meetingId, kind: input.kind })
        .whereRaw('coalesce(panel_id, 0) = ?', [input.panelId ?? 0])
        .first();
      if (existing) {
        await trx('meeting_votes').where({ round_id: existing.id }).delete();
        await trx('meeting_ballots').where({ round_id: existing.id }).delete();
        await trx('meeting_rounds').where({ id: existing.id }).update({
          method: input.method, status: 'voting', confirmed_count: input.confirmed, attending_count: null, valid: null, opened_at: input.at, closed_at: null, closed_by: null,
        });
        return Number(existing.id);
      }
      const [row] = await trx('meeting_rounds')
        .insert({ meeting_id: input.meetingId, kind: input.kind, panel_id: input.panelId, method: input.method, status: 'voting', confirmed_count: input.confirmed, opened_at: input.at })
        .returning('id');
      return Number(row.id);
    },

    async insertBallots(rows: Array<{ roundId: number; meetingId: number; expertId: number; userId: number | null }>, at: Date, trx: Knex.Transaction): Promise<void> {
      if (!rows.length) return;
      await trx('meeting_ballots').insert(rows.map((r) => ({ round_id: r.roundId, meeting_id: r.meetingId, expert_id: r.expertId, user_id: r.userId, status: 'draft', updated_at: at })));
    },

    /** The ballots of the meeting's open rounds, with their experts. */
    async openBallots(meetingId: number, trx?: Db): Promise<Array<BallotRow & { name: string; panel_name: string | null; round_kind: string }>> {
      return q(trx)('meeting_ballots as b')
        .join('meeting_rounds as r', 'r.id', 'b.round_id')
        .join('experts as x', 'x.id', 'b.expert_id')
        .leftJoin('meeting_panels as p', 'p.id', 'r.panel_id')
        .where({ 'b.meeting_id': meetingId, 'r.status': 'voting' })
        .orderBy([{ column: 'r.id' }, { column: 'b.id' }])
        .select('b.*', 'x.name', 'p.name as panel_name', 'r.kind as round_kind');
    },

    /** The ballots of some rounds, with their experts. */
    async ballotsOfRounds(roundIds: number[], trx?: Db): Promise<Array<BallotRow & { name: string }>> {
      if (!roundIds.length) return [];
      return q(trx)('meeting_ballots as b').join('experts as x', 'x.id', 'b.expert_id').whereIn('b.round_id', roundIds).orderBy('b.id').select('b.*', 'x.name');
    },

    /** An expert's ballot in the meeting's open round (an expert sits in one round at a time). */
    async openBallotOf(meetingId: number, expertId: number, trx?: Db): Promise<(BallotRow & { round: RoundRow }) | undefined> {
      const row = await q(trx)('meeting_ballots as b')
        .join('meeting_rounds as r', 'r.id', 'b.round_id')
        .where({ 'b.meeting_id': meetingId, 'b.expert_id': expertId, 'r.status': 'voting' })
        .first<(BallotRow & { r_kind: RoundRow['kind']; r_panel_id: number | null; r_method: RoundRow['method']; r_confirmed: number | null; r_opened_at: Date }) | undefined>(
          'b.*', 'r.kind as r_kind', 'r.panel_id as r_panel_id', 'r.method as r_method', 'r.confirmed_count as r_confirmed', 'r.opened_at as r_opened_at',
        );
      if (!row) return undefined;
      const round: RoundRow = {
        id: Number(row.round_id), meeting_id: Number(row.meeting_id), kind: row.r_kind, panel_id: row.r_panel_id == null ? null : Number(row.r_panel_id), method: row.r_method,
        status: 'voting', confirmed_count: row.r_confirmed, attending_count: null, valid: null, opened_at: row.r_opened_at, closed_at: null, closed_by: null,
      };
      return { ...row, id: Number(row.id), round_id: Number(row.round_id), expert_id: Number(row.expert_id), round };
    },

    /** The candidates a round votes on: still in the running (参评), of the round's panel, in the meeting's order. */
    async candidatesOfRound(round: Pick<RoundRow, 'meeting_id' | 'panel_id'>, trx?: Db): Promise<CandidateRow[]> {
      return candidatesQuery(q(trx), round).where('c.status', 'candidate');
    },

    /** Only the ids of a round's candidates (checking a ballot needs no names). */
    async candidateIdsOfRound(round: Pick<RoundRow, 'meeting_id' | 'panel_id'>, trx?: Db): Promise<number[]> {
      const query = q(trx)('meeting_candidates').where({ meeting_id: round.meeting_id, status: 'candidate' }).select('dossier_id');
      if (round.panel_id != null) query.where('panel_id', round.panel_id);
      return (await query).map((r: { dossier_id: number }) => Number(r.dossier_id));
    },

    /** Every candidate of the meeting, in its order (results of closed rounds included). */
    async allCandidates(meetingId: number, trx?: Db): Promise<CandidateRow[]> {
      return candidatesQuery(q(trx), { meeting_id: meetingId, panel_id: null });
    },

    async votesOf(roundId: number, expertId: number, trx?: Db): Promise<VoteRow[]> {
      return q(trx)<VoteRow>('meeting_votes').where({ round_id: roundId, expert_id: expertId });
    },

    /**
     * Stores votes (each once per round, expert and candidate: a later save replaces the earlier)
     * as one statement over one JSON document: 300 votes are 1 parameter, not 1,800.
     */
    async saveVotes(roundId: number, expertId: number, votes: Array<{ dossierId: number; choice: VoteChoice | null; score: number | null }>, at: Date, trx: Knex.Transaction): Promise<void> {
      if (!votes.length) return;
      await trx.raw(
        `insert into meeting_votes (round_id, expert_id, dossier_id, choice, score, updated_at)
         select ?, ?, v.dossier_id, v.choice, v.score, ? from jsonb_to_recordset(?::jsonb) as v(dossier_id bigint, choice text, score numeric)
         on conflict (round_id, expert_id, dossier_id) do update set choice = excluded.choice, score = excluded.score, updated_at = excluded.updated_at`,
        [roundId, expertId, at, JSON.stringify(votes.map((v) => ({ dossier_id: v.dossierId, choice: v.choice, score: v.score })))],
      );
    },

    /** The round's candidates (参评) without a vote of this expert; names are read only when there are some. */
    async unvotedCandidates(round: Pick<RoundRow, 'id' | 'meeting_id' | 'panel_id'>, expertId: number, trx?: Db): Promise<CandidateRow[]> {
      const ids = q(trx)('meeting_candidates as c')
        .where({ 'c.meeting_id': round.meeting_id, 'c.status': 'candidate' })
        .whereNotExists((w) => w.select(knex.raw('1')).from('meeting_votes as v').where({ 'v.round_id': round.id, 'v.expert_id': expertId }).whereRaw('v.dossier_id = c.dossier_id'))
        .select('c.dossier_id');
      if (round.panel_id != null) ids.where('c.panel_id', round.panel_id);
      const missing = new Set((await ids).map((r: { dossier_id: number }) => Number(r.dossier_id)));
      if (!missing.size) return [];
      return (await candidatesQuery(q(trx), round).where('c.status', 'candidate')).filter((c) => missing.has(Number(c.dossier_id)));
    },

    /**
     * The 专家投票 tasks still open although their expert's ballot is submitted: the submission is
     * stored, the task is completed after it (`BallotsService.drain`). Of one meeting, or of all.
     */
    async submittedOpenTasks(meetingId: number | null, trx?: Db): Promise<Array<{ task_id: string; meeting_id: number; user_id: number }>> {
      const query = q(trx)('meeting_ballots as b')
        .join('meeting_rounds as r', 'r.id', 'b.round_id')
        .join('review_meetings as m', 'm.id', 'b.meeting_id')
        .join('tasks as t', (j) => j.on('t.root_instance_id', 'm.instance_id').andOnVal('t.form_key', 'expert-ballot').andOnVal('t.status', 'open'))
        .where({ 'b.status': 'submitted', 'r.status': 'voting' })
        .whereRaw('b.user_id = any(t.candidate_user_ids)')
        .orderBy([{ column: 'b.submitted_at' }, { column: 'b.id' }])
        .select<Array<{ task_id: string; meeting_id: number; user_id: number }>>('t.id as task_id', 'b.meeting_id', 'b.user_id');
      if (meetingId != null) query.where('b.meeting_id', meetingId);
      return (await query).map((r) => ({ task_id: r.task_id, meeting_id: Number(r.meeting_id), user_id: Number(r.user_id) }));
    },

    /** Moves a ballot on from the status the caller saw; 0 rows means another request won (409). */
    async moveBallot(ballotId: number, from: BallotStatus[], to: BallotStatus, at: Date, trx: Knex.Transaction, message: string): Promise<void> {
      const count = await trx('meeting_ballots')
        .where({ id: ballotId })
        .whereIn('status', from)
        .update({ status: to, updated_at: at, submitted_at: to === 'submitted' ? at : to === 'absent' ? null : trx.ref('submitted_at'), version: trx.raw('version + 1') });
      if (count !== 1) throw new ConflictError(message);
    },

    /** Serialises the writes on one ballot (two tabs saving at once). */
    async lockBallot(ballotId: number, trx: Knex.Transaction): Promise<BallotStatus | null> {
      const row = await trx('meeting_ballots').where({ id: ballotId }).forUpdate().first<{ status: BallotStatus } | undefined>('status');
      return row?.status ?? null;
    },

    /** Per round and candidate: the votes of the submitted ballots. */
    async candidateCounts(roundIds: number[], trx?: Db, dossierIds?: number[]): Promise<CandidateCountRow[]> {
      if (!roundIds.length || dossierIds?.length === 0) return [];
      const rows = await q(trx)('meeting_votes as v')
        // one page of the 计票 screen counts its own candidates (meeting_votes_candidate_idx)
        .modify((qb) => {
          if (dossierIds) qb.whereIn('v.dossier_id', dossierIds);
        })
        .join('meeting_ballots as b', function () {
          this.on('b.round_id', 'v.round_id').andOn('b.expert_id', 'v.expert_id');
        })
        .whereIn('v.round_id', roundIds)
        .where('b.status', 'submitted')
        .groupBy('v.round_id', 'v.dossier_id')
        .select(
          'v.round_id',
          'v.dossier_id',
          knex.raw("count(*) filter (where v.choice = 'agree') as agree"),
          knex.raw("count(*) filter (where v.choice = 'disagree') as disagree"),
          knex.raw("count(*) filter (where v.choice = 'abstain') as abstain"),
          knex.raw('count(v.score) as scored'),
          knex.raw('coalesce(sum(v.score), 0) as score_sum'),
        );
      return rows.map((r: Record<string, unknown>) => ({
        round_id: n(r.round_id), dossier_id: n(r.dossier_id), agree: n(r.agree), disagree: n(r.disagree), abstain: n(r.abstain), scored: n(r.scored), score_sum: n(r.score_sum),
      }));
    },

    /**
     * Per round and expert: what their ballot holds so far (drafts included: the tally screen's
     * progress), as the ballot keeps it (migration 20261208030100: recounted with every write of
     * its votes) rather than counted from the round's votes on every read.
     */
    async expertCounts(roundIds: number[], trx?: Db): Promise<ExpertCountRow[]> {
      if (!roundIds.length) return [];
      const rows = await q(trx)('meeting_ballots').whereIn('round_id', roundIds).select('round_id', 'expert_id', 'agree_count', 'disagree_count', 'abstain_count', 'scored_count');
      return rows.map((r: Record<string, unknown>) => ({ round_id: n(r.round_id), expert_id: n(r.expert_id), agree: n(r.agree_count), disagree: n(r.disagree_count), abstain: n(r.abstain_count), scored: n(r.scored_count) }));
    },

    async closeRound(roundId: number, result: { attending: number; valid: boolean }, at: Date, trx: Knex.Transaction): Promise<void> {
      const count = await trx('meeting_rounds').where({ id: roundId, status: 'voting' }).update({ status: 'closed', attending_count: result.attending, valid: result.valid, closed_at: at });
      if (count !== 1) throw new ConflictError('本轮已计票完成');
    },

    async setCandidateResults(meetingId: number, dossierIds: number[], status: 'eliminated' | 'passed' | 'failed', resultRound: string, trx: Knex.Transaction): Promise<void> {
      if (!dossierIds.length) return;
      await trx('meeting_candidates').where({ meeting_id: meetingId, status: 'candidate' }).whereIn('dossier_id', dossierIds).update({ status, result_round: resultRound });
    },

    /** The open 专家投票 task of a credential in the meeting's flow. */
    async openBallotTaskId(rootInstanceId: string, userId: number, trx?: Db): Promise<string | null> {
      const row = await q(trx)('tasks')
        .where({ root_instance_id: rootInstanceId, form_key: 'expert-ballot', status: 'open' })
        .whereRaw('? = any(candidate_user_ids)', [userId])
        .first<{ id: string } | undefined>('id');
      return row?.id ?? null;
    },

    /** The open 计票 task of the meeting's flow. */
    async openTallyTaskId(rootInstanceId: string, trx?: Db): Promise<string | null> {
      const row = await q(trx)('tasks').where({ root_instance_id: rootInstanceId, form_key: 'meeting-tally', status: 'open' }).first<{ id: string } | undefined>('id');
      return row?.id ?? null;
    },

    /**
     * Whether an account may read a dossier as a meeting expert: the dossier is a candidate in
     * the round the expert votes in now (a panel round: of that panel).
     */
    async expertMayRead(dossierId: number, userId: number, trx?: Db): Promise<boolean> {
      const row = await q(trx)('meeting_ballots as b')
        .join('meeting_rounds as r', 'r.id', 'b.round_id')
        .join('meeting_candidates as c', 'c.meeting_id', 'r.meeting_id')
        .where({ 'b.user_id': userId, 'r.status': 'voting', 'c.dossier_id': dossierId })
        .whereNot('b.status', 'absent')
        .where((w) => w.whereNull('r.panel_id').orWhereRaw('c.panel_id = r.panel_id'))
        .first('b.id');
      return Boolean(row);
    },

    /**
     * Whether an account may read a file as a meeting expert because it is one of the 评审材料 of
     * the meeting the account is the credential of (the same scope as the 专家端's meeting page).
     */
    async expertMayReadMaterial(fileId: string, userId: number, trx?: Db): Promise<boolean> {
      const row = await q(trx)('meeting_experts as me')
        .join('review_meetings as m', 'm.id', 'me.meeting_id')
        .where('me.user_id', userId)
        .whereRaw('m.materials @> ?::jsonb', [JSON.stringify([{ id: fileId }])])
        .first('me.expert_id');
      return Boolean(row);
    },

    /** The meeting's 评审材料 as 评审方案 stored them. */
    async materialsOf(meetingId: number, trx?: Db): Promise<Array<{ id: string; name: string; size: number; mime?: string }>> {
      const row = await q(trx)('review_meetings').where({ id: meetingId }).first<{ materials: Array<{ id: string; name: string; size: number; mime?: string }> | null } | undefined>('materials');
      return row?.materials ?? [];
    },

    /** The same for a dossier's case (its attachments belong to the case's root instance). */
    async expertMayReadCase(rootInstanceId: string, userId: number, trx?: Db): Promise<boolean> {
      const dossier = await q(trx)('dossiers').where({ instance_id: rootInstanceId }).first<{ id: number } | undefined>('id');
      return dossier ? this.expertMayRead(Number(dossier.id), userId, trx) : false;
    },
  };
}

export type BallotsRepository = ReturnType<typeof createBallotsRepository>;
