import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/index.ts';
import type { Actor, ServiceHandler, TaskRecord } from '../../../engine/types.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import { generateInitialPassword, hashPassword } from '../../src/passwords.ts';
import type { PiiCipher } from '../../src/pii.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { meetingInScope } from '../meetings/meetings.scope.ts';
import { meetingScoring } from '../meeting-prep/meeting-prep.service.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { createBallotsRepository, type BallotRow, type BallotStatus, type CandidateCountRow, type CandidateRow, type MeetingExpertRow, type RoundRow, type VoteChoice } from './ballots.repository.ts';
import { quorumOf, ratesOf, tallyRound, type TallyCounts } from './ballots.tally.ts';

export const BALLOT_STATUS_LABELS: Record<BallotStatus, string> = { draft: '未提交', submitted: '已提交', returned: '已回退', absent: '缺席' };
export const CHOICE_LABELS: Record<VoteChoice, string> = { agree: '同意', disagree: '不同意', abstain: '弃权' };
const ROUND_LABELS = { panel: '专业组评审', plenary: '评委会评审' } as const;
/** without 评分标准 (none set for the activity), a score is out of 100 */
export const DEFAULT_SCORE_MAX = 100;
const DRAIN_QUIET_MS = 50;
const DRAIN_MAX_WAIT_MS = 500;

export interface VoteInput {
  dossierId: number;
  choice?: VoteChoice | null;
  score?: number | null;
}

/**
 * The login of a meeting credential: `zj`, the expert's id (8 digits or more), `-` and the meeting's
 * number (`zj00000012-7`) — no personal number. An expert drawn for two meetings holds two
 * credentials, each printed on its own meeting's sheet, each ending with its own meeting; a login
 * never has to guess which meeting is meant.
 */
export const credentialLogin = (expertId: number, meetingId: number) => `zj${String(expertId).padStart(8, '0')}-${meetingId}`;

/**
 * What an expert may type instead (as before the credentials were renamed): `<ID number>-<meeting>`.
 * Only its keyed hash is stored (`users.login_alias_hash`), the login finds the account by it.
 */
export const credentialAlias = (idNumber: string, meetingId: number) => `${idNumber.trim()}-${meetingId}`;


const roundLabel = (r: Pick<RoundRow, 'kind'>, panelName: string | null) => (r.kind === 'panel' ? `${ROUND_LABELS.panel}（${panelName ?? '专业组'}）` : ROUND_LABELS.plenary);

/** Meeting credentials, ballots, the tally and the flow steps of 专家投票 and 计票. */
export function createBallotsService(db: Knex, engine: WorkflowEngine, pii: PiiCipher, log?: Pick<FastifyBaseLogger, 'error'>) {
  const repo = createBallotsRepository(db);
  const loginOf = (e: Pick<MeetingExpertRow, 'expert_id'>, meetingId: number) => credentialLogin(Number(e.expert_id), meetingId);
  // an expert's ID number is sealed in the pool record (专家库): opened only to hash the alias
  const aliasHashOf = (e: Pick<MeetingExpertRow, 'id_number' | 'id_number_enc'>, meetingId: number) => {
    const idNumber = pii.reveal(e.id_number_enc, e.id_number);
    return idNumber ? pii.hash('idNumber', credentialAlias(idNumber, meetingId)) : null;
  };
  const now = () => engine.clock.now();

  // ------------------------------------------------------------ credentials

  /**
   * Issues meeting credentials (a one-time password each) to the confirmed experts named, or to
   * every confirmed expert who has none yet; answers what the credential sheet prints. The
   * passwords exist only in this answer: they are stored hashed.
   */
  async function issueCredentials(actor: RequestActor, meetingId: number, expertIds?: number[]) {
    await meetingInScope(db, actor, meetingId, 'manage');
    const meeting = (await repo.meetingOf(meetingId))!;
    if (meeting.status === 'closed' || meeting.status === 'cancelled') throw new ConflictError('评审会议已结束，不能发放专家账号');
    const confirmed = await repo.confirmedExperts(meetingId);
    let chosen = confirmed.filter((e) => e.user_id == null);
    if (expertIds?.length) {
      const unknown = expertIds.filter((id) => !confirmed.some((e) => Number(e.expert_id) === id));
      if (unknown.length) throw new ValidationError(`专家 ${unknown.join('、')} 不是本会议确认出席的专家`, [{ field: 'expertIds', message: '只能为确认出席的专家发放账号' }]);
      chosen = confirmed.filter((e) => expertIds.includes(Number(e.expert_id)));
    }
    if (!chosen.length) throw new ConflictError(confirmed.length ? '确认出席的专家均已发放账号；如需重置，请选择专家' : '本会议还没有确认出席的专家');
    const at = now();
    const issued = await Promise.all(chosen.map(async (e) => ({ expert: e, password: generateInitialPassword(), hash: '' })));
    for (const item of issued) item.hash = await hashPassword(item.password);
    await db.transaction(async (trx) => {
      for (const { expert, hash } of issued) {
        const username = loginOf(expert, meetingId);
        const loginAliasHash = aliasHashOf(expert, meetingId);
        // a credential issued before (this meeting's, under its old name too) is reset, not doubled
        const existing = expert.user_id != null ? Number(expert.user_id) : ((await repo.credentialUserId(username, loginAliasHash, trx)) ?? null);
        const userId = existing ?? (await repo.insertCredentialUser({ username, loginAliasHash, passwordHash: hash, displayName: expert.name, at }, trx));
        if (existing != null) await repo.resetCredential(existing, { username, loginAliasHash }, hash, at, trx);
        await repo.setCredential(meetingId, Number(expert.expert_id), userId, at, trx);
      }
    });
    return {
      meeting,
      printedAt: at,
      credentials: issued.map(({ expert, password }) => ({
        expertId: Number(expert.expert_id),
        name: expert.name,
        employer: expert.employer,
        panelName: expert.panel_name,
        username: loginOf(expert, meetingId),
        password,
      })),
    };
  }

  // ------------------------------------------------------------ the expert's side

  async function expertScope(actor: RequestActor, meetingId: number) {
    const expert = Number.isSafeInteger(meetingId) && meetingId > 0 ? await repo.expertOfUser(meetingId, actor.userId) : undefined;
    // another meeting's expert learns nothing of this one (the same 403 as a staff outsider)
    if (!expert) throw new ForbiddenError('无权访问该评审会议');
    const meeting = (await repo.meetingOf(meetingId))!;
    return { expert: { ...expert, expert_id: Number(expert.expert_id) }, meeting };
  }

  /** 评分标准 (the preparation part's, per activity): its items and the maximum a score may reach. */
  async function scoreMaxOf(meetingId: number) {
    const standard = await meetingScoring(db, meetingId);
    const items = standard.items.map((i) => ({ name: i.name, maxPoints: i.maxPoints, description: i.description }));
    return { items, max: items.length ? standard.total : DEFAULT_SCORE_MAX };
  }

  /** Average scores of the closed scoring panel rounds, shown beside each candidate in the plenary round. */
  async function panelScores(meetingId: number, trx?: Knex.Transaction, dossierIds?: number[]): Promise<Map<number, number>> {
    const rounds = (await repo.rounds(meetingId, trx)).filter((r) => r.kind === 'panel' && r.method === 'score' && r.status === 'closed');
    const out = new Map<number, number>();
    for (const c of await repo.candidateCounts(rounds.map((r) => Number(r.id)), trx, dossierIds)) if (c.scored) out.set(c.dossier_id, Math.round((c.score_sum / c.scored) * 100) / 100);
    return out;
  }

  /** 专家端: the expert's meeting, round, ballot, the candidates in the meeting's order with the votes saved so far, the 评分标准 and the 评审材料. */
  async function expertView(actor: RequestActor, meetingId: number) {
    const { expert, meeting } = await expertScope(actor, meetingId);
    const ballot = await repo.openBallotOf(meetingId, expert.expert_id);
    const scoring = await scoreMaxOf(meetingId);
    const candidates = ballot ? await repo.candidatesOfRound(ballot.round) : [];
    const votes = ballot ? new Map((await repo.votesOf(ballot.round.id, expert.expert_id)).map((v) => [Number(v.dossier_id), v])) : new Map();
    const scores = ballot?.round.kind === 'plenary' ? await panelScores(meetingId) : new Map<number, number>();
    const materials = await repo.materialsOf(meetingId);
    return {
      meeting: { id: Number(meeting.id), name: meeting.name, kind: meeting.kind, status: meeting.status, activityName: meeting.activity_name, committeeName: meeting.committee_name },
      expert: { expertId: expert.expert_id, name: expert.name, panelName: expert.panel_name },
      round: ballot
        ? { id: ballot.round.id, kind: ballot.round.kind, label: roundLabel(ballot.round, expert.panel_name), method: ballot.round.method, methodLabel: ballot.round.method === 'score' ? '打分' : '投票' }
        : null,
      ballot: ballot ? { status: ballot.status, statusLabel: BALLOT_STATUS_LABELS[ballot.status], submittedAt: ballot.submitted_at ? new Date(ballot.submitted_at).toISOString() : null, editable: ballot.status === 'draft' || ballot.status === 'returned' } : null,
      candidates: candidates.map((c, i) => {
        const v = votes.get(Number(c.dossier_id));
        return {
          dossierId: Number(c.dossier_id),
          orderNo: i + 1,
          applicantName: c.applicant_name,
          employerName: c.employer_name,
          panelName: c.panel_name,
          choice: (v?.choice ?? null) as VoteChoice | null,
          score: v?.score == null ? null : Number(v.score),
          panelScore: scores.get(Number(c.dossier_id)) ?? null,
        };
      }),
      scoring: { items: scoring.items, maxTotal: scoring.max },
      materials: materials.map((f) => ({ id: f.id, name: f.name, size: Number(f.size), mime: f.mime ?? 'application/octet-stream' })),
    };
  }

  /** Checks votes against the round: its candidates only, a choice in a voting round, a score within the standard's maximum. */
  function checkVotes(votes: VoteInput[], round: RoundRow, candidateIds: number[], scoreMax: number) {
    const ids = new Set(candidateIds);
    const problems: Array<{ field: string; message: string }> = [];
    const seen = new Set<number>();
    votes.forEach((v, i) => {
      if (!ids.has(v.dossierId)) problems.push({ field: `votes.${i}.dossierId`, message: '不是本轮的参评人员' });
      if (seen.has(v.dossierId)) problems.push({ field: `votes.${i}.dossierId`, message: '同一参评人员只能表决一次' });
      seen.add(v.dossierId);
      if (round.method === 'vote' && !v.choice) problems.push({ field: `votes.${i}.choice`, message: '请选择同意、不同意或弃权' });
      if (round.method === 'score') {
        if (v.score == null) problems.push({ field: `votes.${i}.score`, message: '请打分' });
        else if (v.score < 0 || v.score > scoreMax) problems.push({ field: `votes.${i}.score`, message: `分数应在 0 至 ${scoreMax} 之间` });
      }
    });
    if (problems.length) throw new ValidationError(`表决票有 ${problems.length} 处错误：${problems[0]!.message}`, problems);
    return votes.map((v) => ({ dossierId: v.dossierId, choice: round.method === 'vote' ? (v.choice ?? null) : null, score: round.method === 'score' ? (v.score ?? null) : null }));
  }

  /** The expert's open ballot, editable (a draft or handed back): the expert and the round with it. */
  async function editableBallot(actor: RequestActor, meetingId: number) {
    const expert = Number.isSafeInteger(meetingId) && meetingId > 0 ? await repo.expertOfUser(meetingId, actor.userId) : undefined;
    // another meeting's expert learns nothing of this one (the same 403 as a staff outsider)
    if (!expert) throw new ForbiddenError('无权访问该评审会议');
    const expertId = Number(expert.expert_id);
    const ballot = await repo.openBallotOf(meetingId, expertId);
    if (!ballot) throw new ConflictError('当前没有进行中的投票');
    if (ballot.status === 'submitted') throw new ConflictError('表决票已提交，不能修改；确需修改的，请联系评委会回退');
    if (ballot.status === 'absent') throw new ConflictError('您已被标记为本轮缺席，不能投票');
    return { expertId, ballot };
  }

  /** The votes sent, checked against the round (the 评分标准 is read only for a scoring round). */
  async function checkedVotes(meetingId: number, round: RoundRow, votes: VoteInput[]) {
    if (!votes.length) return [];
    const scoreMax = round.method === 'score' ? (await scoreMaxOf(meetingId)).max : DEFAULT_SCORE_MAX;
    return checkVotes(votes, round, await repo.candidateIdsOfRound(round), scoreMax);
  }

  /** 保存 (draft): the votes given so far; the ballot stays open. */
  async function saveDraft(actor: RequestActor, meetingId: number, votes: VoteInput[]) {
    const { expertId, ballot } = await editableBallot(actor, meetingId);
    const rows = await checkedVotes(meetingId, ballot.round, votes);
    await db.transaction(async (trx) => {
      const status = await repo.lockBallot(ballot.id, trx);
      if (status !== 'draft' && status !== 'returned') throw new ConflictError('表决票已提交，不能修改');
      await repo.saveVotes(ballot.round.id, expertId, rows, now(), trx);
    });
    return { status: ballot.status, statusLabel: BALLOT_STATUS_LABELS[ballot.status], saved: rows.length, submittedAt: null };
  }

  const missingError = (missing: CandidateRow[]) =>
    new ValidationError(`还有 ${missing.length} 名参评人员未表决：${missing.map((c) => c.applicant_name).join('、')}`, [
      { field: 'votes', message: `未表决：${missing.map((c) => c.applicant_name).join('、')}` },
    ]);

  /**
   * 提交表决票: the votes sent along and the ballot's move to 已提交, one transaction of their own:
   * the ballot moves from the status read, so a second submission (another tab) gets 409, and a
   * ballot missing a candidate is refused whole. The expert's 专家投票 task is completed right after
   * by `drain`, outside the request: the 25 experts of a round are iterations of one meeting
   * instance, whose steps run one at a time, so completing each in its own request made the 25th
   * expert wait for 24 steps. The tally screen waits for the drain before it reads; a submission
   * whose task a crash left open is completed by the `ballot-submissions` job.
   */
  async function submit(actor: RequestActor, meetingId: number, votes: VoteInput[]) {
    const { expertId, ballot } = await editableBallot(actor, meetingId);
    const rows = await checkedVotes(meetingId, ballot.round, votes);
    const at = now();
    await db.transaction(async (trx) => {
      await repo.moveBallot(ballot.id, ['draft', 'returned'], 'submitted', at, trx, '表决票已提交，不能重复提交');
      await repo.saveVotes(ballot.round.id, expertId, rows, at, trx);
      const missing = await repo.unvotedCandidates(ballot.round, expertId, trx);
      if (missing.length) throw missingError(missing);
    });
    soon(meetingId);
    return { status: 'submitted' as const, statusLabel: BALLOT_STATUS_LABELS.submitted, saved: rows.length, submittedAt: at.toISOString() };
  }

  // ------------------------------------------------------------ submitted ballots → their tasks

  const draining = new Map<number, { promise: Promise<void>; again: boolean }>();
  const kicks = new Map<number, { timer: NodeJS.Timeout; first: number }>();

  /**
   * Drains the meeting once its submissions pause (50 ms without one, at most 500 ms after the
   * first): the experts of a round submit within moments of each other, and their requests then
   * do not share the process with the engine steps of the ones before. Anyone reading the tally
   * drains at once.
   */
  function soon(meetingId: number) {
    const at = Date.now();
    const pending = kicks.get(meetingId);
    if (pending && at - pending.first >= DRAIN_MAX_WAIT_MS) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      kicks.delete(meetingId);
      void drain(meetingId);
    }, DRAIN_QUIET_MS);
    timer.unref();
    kicks.set(meetingId, { timer, first: pending?.first ?? at });
  }

  /**
   * Completes the 专家投票 task of every submitted ballot of the meeting whose task is still open,
   * one engine step each, in the order submitted; one pass per meeting at a time (a call while one
   * runs asks it to go round again and shares its promise). A task another process completed
   * first answers 409 and is skipped; any other failure is logged and left for the job.
   */
  function drain(meetingId: number): Promise<void> {
    const running = draining.get(meetingId);
    if (running) {
      running.again = true;
      return running.promise;
    }
    const state = { promise: Promise.resolve(), again: true };
    state.promise = (async () => {
      try {
        while (state.again) {
          state.again = false;
          for (const pending of await repo.submittedOpenTasks(meetingId)) {
            const expert: Actor = { userId: pending.user_id, unitId: null, roles: [] };
            await engine.completeTask(pending.task_id, expert, { action: 'submit', onBehalf: true }).catch((err: unknown) => {
              if (err instanceof ConflictError || err instanceof NotFoundError) return;
              log?.error({ err, meetingId, taskId: pending.task_id }, '表决票已提交，但专家投票任务未能完成；稍后由定时任务重试');
            });
          }
        }
      } finally {
        draining.delete(meetingId);
      }
    })();
    draining.set(meetingId, state);
    return state.promise;
  }

  /** The `ballot-submissions` job: every meeting's submitted ballots whose task is still open (after a crash). */
  async function drainAll(): Promise<number> {
    const meetings = [...new Set((await repo.submittedOpenTasks(null)).map((t) => t.meeting_id))];
    for (const meetingId of meetings) await drain(meetingId);
    return meetings.length;
  }

  // ------------------------------------------------------------ the tally screen

  /**
   * Who a round votes on: an open round on who is still in the running; a closed one on who was
   * then (not those a written exam failed, nor, in the plenary round, those a panel eliminated).
   */
  function inRoundOf(r: RoundRow, all: CandidateRow[]): CandidateRow[] {
    return all.filter((c) => {
      if (r.panel_id != null && Number(c.panel_id) !== Number(r.panel_id)) return false;
      if (r.status === 'voting') return c.status === 'candidate';
      if (c.status === 'withdrawn' || c.result_round === 'exam') return false;
      return r.kind === 'panel' || c.result_round !== 'panel';
    });
  }

  /** Each listed candidate's counts and result in the round (the whole round, or one page of it). */
  function resultsOf(r: RoundRow, own: BallotRow[], listed: CandidateRow[], counted: CandidateCountRow[], scores: Map<number, number>) {
    const roundId = Number(r.id);
    const counts = new Map<number, TallyCounts>(
      counted.filter((c) => c.round_id === roundId).map((c) => [c.dossier_id, { agree: c.agree, disagree: c.disagree, abstain: c.abstain, scored: c.scored, scoreSum: c.score_sum }]),
    );
    const absent = own.filter((b) => b.status === 'absent').length;
    const submitted = own.filter((b) => b.status === 'submitted').length;
    const confirmed = Number(r.confirmed_count ?? own.length);
    const tally = tallyRound({ method: r.method, confirmed, absent, submitted, candidates: listed.map((c) => Number(c.dossier_id)), counts });
    const byDossier = new Map(listed.map((c) => [Number(c.dossier_id), c]));
    return {
      confirmed,
      attending: tally.attending,
      valid: tally.valid,
      results: tally.results.map((t) => {
        const c = byDossier.get(t.dossierId)!;
        return {
          ...t,
          orderNo: c.order_no,
          applicantName: c.applicant_name,
          employerName: c.employer_name,
          panelScore: r.kind === 'plenary' ? (scores.get(t.dossierId) ?? null) : null,
          resultLabel: t.passed == null ? '—' : t.passed ? '通过' : '未通过',
        };
      }),
    };
  }

  /**
   * Every round of the meeting with its experts' progress; with `results`, every candidate's counts
   * too (the exports). The 计票 screen reads the results a page at a time (`resultsPage`).
   */
  async function roundsView(meetingId: number, trx?: Knex.Transaction, withResults = true) {
    const rounds = await repo.rounds(meetingId, trx);
    const panels = new Map((await repo.panels(meetingId, trx)).map((p) => [Number(p.id), p.name]));
    const roundIds = rounds.map((r) => Number(r.id));
    // one after the other: a transaction's connection runs one statement at a time
    const ballots = await repo.ballotsOfRounds(roundIds, trx);
    const candidateCounts = withResults ? await repo.candidateCounts(roundIds, trx) : [];
    const expertCounts = await repo.expertCounts(roundIds, trx);
    const all = await repo.allCandidates(meetingId, trx);
    const scores = withResults ? await panelScores(meetingId, trx) : new Map<number, number>();
    return rounds.map((r) => {
      const roundId = Number(r.id);
      const panelName = r.panel_id != null ? (panels.get(Number(r.panel_id)) ?? null) : null;
      const own = ballots.filter((b) => Number(b.round_id) === roundId);
      const inRound = inRoundOf(r, all);
      const tally = resultsOf(r, own, withResults ? inRound : [], candidateCounts, scores);
      return {
        id: roundId,
        kind: r.kind,
        label: roundLabel(r, panelName),
        panelName,
        method: r.method,
        methodLabel: r.method === 'score' ? '打分' : '投票',
        status: r.status,
        statusLabel: r.status === 'voting' ? '投票中' : '计票完成',
        confirmed: tally.confirmed,
        attending: tally.attending,
        quorum: quorumOf(tally.confirmed),
        valid: r.status === 'closed' ? Boolean(r.valid) : tally.valid,
        resultCount: inRound.length,
        experts: own.map((b) => {
          const c = expertCounts.find((x) => x.round_id === roundId && x.expert_id === Number(b.expert_id)) ?? { agree: 0, disagree: 0, abstain: 0, scored: 0 };
          const cast = r.method === 'vote' ? c.agree + c.disagree + c.abstain : c.scored;
          return {
            expertId: Number(b.expert_id),
            name: b.name,
            status: b.status,
            statusLabel: BALLOT_STATUS_LABELS[b.status],
            agree: c.agree,
            disagree: c.disagree,
            abstain: c.abstain,
            notVoted: b.status === 'absent' ? 0 : Math.max(0, inRound.length - cast),
            // an absent expert has no rates (nothing to divide), a scoring ballot none either
            ...ratesOf(c, r.method === 'vote' && b.status !== 'absent' ? inRound.length : 0),
            submittedAt: b.submitted_at ? new Date(b.submitted_at).toISOString() : null,
          };
        }),
        results: tally.results,
      };
    });
  }

  /** 计票 screen, 参评人员结果: one page of a round's candidates in the meeting's order, with their counts. */
  async function resultsPage(actor: RequestActor, meetingId: number, roundId: number, query: { page: number; pageSize: number; name?: string }) {
    await meetingInScope(db, actor, meetingId, 'read');
    await drain(meetingId);
    const r = (await repo.rounds(meetingId)).find((x) => Number(x.id) === roundId);
    if (!r) throw new NotFoundError('投票轮次不存在');
    const own = await repo.ballotsOfRounds([roundId]);
    const inRound = inRoundOf(r, await repo.allCandidates(meetingId));
    const name = query.name?.trim();
    const named = name ? inRound.filter((c) => c.applicant_name.startsWith(name)) : inRound;
    const listed = named.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
    const ids = listed.map((c) => Number(c.dossier_id));
    const counted = await repo.candidateCounts([roundId], undefined, ids);
    const scores = r.kind === 'plenary' && ids.length ? await panelScores(meetingId, undefined, ids) : new Map<number, number>();
    return { total: named.length, results: resultsOf(r, own, listed, counted, scores).results };
  }

  /** 计票 screen: every round of the meeting, its experts' progress and the results per candidate. */
  async function tallyView(actor: RequestActor, meetingId: number) {
    const access = await meetingInScope(db, actor, meetingId, 'read');
    // submissions just stored have their tasks completed first, so 计票 shows what was sent
    await drain(meetingId);
    const meeting = (await repo.meetingOf(meetingId))!;
    const rounds = (await roundsView(meetingId, undefined, false)).map(({ results: _results, ...round }) => round);
    const waiting = rounds.filter((r) => r.status === 'voting').flatMap((r) => r.experts.filter((e) => e.status === 'draft' || e.status === 'returned').map((e) => e.name));
    const tallyTask = meeting.instance_id ? await repo.openTallyTaskId(meeting.instance_id) : null;
    const manage = actor.unitId != null && actor.unitId === Number(access.organizer_unit_id);
    return {
      meeting: { id: Number(meeting.id), name: meeting.name, kind: meeting.kind, status: meeting.status, activityName: meeting.activity_name, committeeName: meeting.committee_name },
      readOnly: !manage,
      rounds,
      waitingFor: waiting,
      tallyOpen: Boolean(tallyTask),
      canPass: manage && Boolean(tallyTask) && waiting.length === 0,
    };
  }

  async function organiserStep(actor: RequestActor, meetingId: number) {
    await meetingInScope(db, actor, meetingId, 'manage');
    await drain(meetingId);
    const meeting = (await repo.meetingOf(meetingId))!;
    if (!meeting.instance_id) throw new ConflictError('评审会议流程尚未开始');
    return { meeting, instanceId: meeting.instance_id };
  }

  async function waitingNames(meetingId: number) {
    return (await repo.openBallots(meetingId)).filter((b) => b.status === 'draft' || b.status === 'returned').map((b) => b.name);
  }

  /** 计票完成: refused while an attending expert has not submitted (no early termination). */
  async function passTally(actor: RequestActor, meetingId: number, opinion?: string | null) {
    const { instanceId } = await organiserStep(actor, meetingId);
    const waiting = await waitingNames(meetingId);
    if (waiting.length) throw new ConflictError(`尚有 ${waiting.length} 名出席专家未提交表决票：${waiting.join('、')}，不能计票完成`, { waitingFor: waiting });
    const taskId = await repo.openTallyTaskId(instanceId);
    if (!taskId) throw new ConflictError('当前没有待计票的投票');
    await engine.completeTask(taskId, actor, { action: 'pass', opinion: opinion ?? null, check: checked(meetingTallyCheck, actor) });
    return tallyView(actor, meetingId);
  }

  /** 回退: hands a submitted ballot back to its expert (the 计票 task's return, before the round closes). */
  async function handBackBallot(actor: RequestActor, meetingId: number, expertId: number, opinion: string) {
    const { instanceId } = await organiserStep(actor, meetingId);
    const taskId = await repo.openTallyTaskId(instanceId);
    if (!taskId) throw new ConflictError('全部出席专家提交表决票后才能回退');
    await engine.completeTask(taskId, actor, { action: 'return', opinion, data: { expertId }, check: checked(meetingTallyCheck, actor) });
    return tallyView(actor, meetingId);
  }

  /** 缺席: the committee completes the expert's open ballot task on the expert's behalf. */
  async function markAbsent(actor: RequestActor, meetingId: number, expertId: number, opinion: string) {
    const { instanceId } = await organiserStep(actor, meetingId);
    const ballot = await repo.openBallotOf(meetingId, expertId);
    if (!ballot) throw new ValidationError('该专家不在进行中的投票中', [{ field: 'expertId', message: '不是本轮投票的专家' }]);
    if (ballot.status === 'submitted') throw new ConflictError('该专家已提交表决票，不能标记缺席');
    if (ballot.status === 'absent') throw new ConflictError('该专家已标记为缺席');
    const taskId = ballot.user_id != null ? await repo.openBallotTaskId(instanceId, Number(ballot.user_id)) : null;
    if (!taskId) throw new ConflictError('该专家当前没有待提交的表决票');
    await engine.completeTask(taskId, actor, {
      action: 'absent',
      opinion,
      onBehalf: true,
      check: checked(expertBallotCheck, actor),
      withTransaction: async (trx) => repo.moveBallot(ballot.id, ['draft', 'returned'], 'absent', now(), trx, '该专家的表决票已提交或已标记缺席'),
    });
    return tallyView(actor, meetingId);
  }

  /** The results of every round, for the 表决票结果 exports. */
  async function exportData(actor: RequestActor, meetingId: number) {
    await meetingInScope(db, actor, meetingId, 'read');
    return { meeting: (await repo.meetingOf(meetingId))!, rounds: await roundsView(meetingId), printedAt: now() };
  }

  // ------------------------------------------------------------ checks

  /** A registered check, run by this module's own completions as the tasks service runs it for the inbox's. */
  const checked = (check: CompletionCheck, actor: RequestActor) => (task: TaskRecord, validated: { action: string; data: Record<string, unknown> }) => check({ task, actor, ...validated });

  /**
   * `expert-ballot`: a submission holds a vote on every candidate of the round, and comes from the
   * 专家端 (`submit` below); 缺席 is the committee's.
   */
  const expertBallotCheck: CompletionCheck = async ({ task, actor, action }) => {
    const meetingId = await repo.meetingIdOfInstance(task.rootInstanceId);
    if (meetingId == null) throw new NotFoundError('评审会议不存在');
    if (action === 'absent') {
      await meetingInScope(db, actor, meetingId, 'manage').catch(() => {
        throw new ForbiddenError('只有评委会可以标记专家缺席');
      });
      return;
    }
    const expert = await repo.expertOfUser(meetingId, actor.userId);
    if (!expert) throw new ForbiddenError('只有本会议的专家可以提交表决票');
    const ballot = await repo.openBallotOf(meetingId, Number(expert.expert_id));
    if (!ballot || ballot.status === 'submitted' || ballot.status === 'absent') throw new ConflictError('表决票已提交，不能重复提交');
    const missing = await repo.unvotedCandidates(ballot.round, Number(expert.expert_id));
    if (missing.length) throw missingError(missing);
    // the 专家端 submits with its own check, in the step that also moves the ballot; a completion
    // from elsewhere (the generic task page) would leave the ballot a draft and stall 计票完成
    throw new ConflictError('请在专家端提交表决票');
  };

  /** `meeting-tally`: 计票完成 once every attending expert submitted; 回退 only of a submitted ballot. */
  const meetingTallyCheck: CompletionCheck = async ({ task, action, data }) => {
    const meetingId = await repo.meetingIdOfInstance(task.rootInstanceId);
    if (meetingId == null) throw new NotFoundError('评审会议不存在');
    if (action === 'pass') {
      const waiting = await waitingNames(meetingId);
      if (waiting.length) throw new ConflictError(`尚有 ${waiting.length} 名出席专家未提交表决票：${waiting.join('、')}，不能计票完成`, { waitingFor: waiting });
      return;
    }
    if (action === 'return') {
      const expertId = Number(data.expertId);
      const ballot = await repo.openBallotOf(meetingId, expertId);
      if (!ballot || ballot.status !== 'submitted') {
        throw new ValidationError('只能回退本轮已提交的表决票', [{ field: 'expertId', message: '该专家本轮没有已提交的表决票' }]);
      }
    }
  };

  // ------------------------------------------------------------ handlers

  const meetingIdOf = (ctx: { input: Readonly<Record<string, unknown>>; variables: Readonly<Record<string, unknown>> }) => {
    const id = Number(ctx.input.meetingId ?? ctx.variables.meetingId);
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error('流程变量 meetingId 缺失');
    return id;
  };

  /**
   * `ballot.openRound` (roundKind 'panel' | 'plenary'): the round(s) — one per 专业组 for a panel
   * round — with a draft ballot for each attending expert; answers `voters`, one per ballot.
   */
  const openRound: ServiceHandler = async (ctx) => {
    const meetingId = meetingIdOf(ctx);
    const kind = String(ctx.input.roundKind ?? ctx.variables.roundKind ?? 'plenary') === 'panel' ? 'panel' : 'plenary';
    const method = kind === 'panel' && String(ctx.input.panelMethod ?? ctx.variables.panelMethod ?? 'vote') === 'score' ? 'score' : 'vote';
    const at = ctx.clock.now();
    const experts = await repo.confirmedExperts(meetingId, ctx.trx);
    const groups: Array<{ panelId: number | null; experts: typeof experts }> =
      kind === 'panel'
        ? (await repo.panels(meetingId, ctx.trx)).map((p) => ({ panelId: Number(p.id), experts: experts.filter((e) => Number(e.panel_id) === Number(p.id)) }))
        : [{ panelId: null, experts }];
    const voters: Array<{ expertId: number; userId: number; roundId: number }> = [];
    for (const group of groups) {
      const roundId = await repo.openRound({ meetingId, kind, panelId: group.panelId, method, confirmed: group.experts.length, at }, ctx.trx);
      const withCredential = group.experts.filter((e) => e.user_id != null);
      await repo.insertBallots(withCredential.map((e) => ({ roundId, meetingId, expertId: Number(e.expert_id), userId: Number(e.user_id) })), at, ctx.trx);
      for (const e of withCredential) voters.push({ expertId: Number(e.expert_id), userId: Number(e.user_id), roundId });
    }
    return { voters };
  };

  /** `ballot.handBack`: after 回退, the named expert's ballot is open again; answers `voters` = that expert. */
  const handBack: ServiceHandler = async (ctx) => {
    const meetingId = meetingIdOf(ctx);
    const decision = (ctx.variables.tallyDecision ?? {}) as { expertId?: unknown };
    const expertId = Number(ctx.input.expertId ?? decision.expertId);
    const ballot = await repo.openBallotOf(meetingId, expertId, ctx.trx);
    if (!ballot || ballot.user_id == null) throw new Error(`专家 ${expertId} 没有本轮表决票`);
    await repo.moveBallot(ballot.id, ['submitted'], 'returned', ctx.clock.now(), ctx.trx, '该专家的表决票未提交，不能回退');
    return { voters: [{ expertId, userId: Number(ballot.user_id), roundId: ballot.round.id }] };
  };

  /**
   * `ballot.tally`: closes the open round(s): validity, each candidate's result (a panel 投票 round
   * eliminates those who fail; a scoring round decides nobody; the plenary round passes or fails).
   */
  const tally: ServiceHandler = async (ctx) => {
    const meetingId = meetingIdOf(ctx);
    const meeting = (await repo.meetingOf(meetingId, ctx.trx))!;
    const at = ctx.clock.now();
    const open = (await repo.rounds(meetingId, ctx.trx)).filter((r) => r.status === 'voting');
    const views = (await roundsView(meetingId, ctx.trx)).filter((v) => open.some((r) => Number(r.id) === v.id));
    let roundValid = open.length > 0;
    const results: Array<{ dossierId: number; passed: boolean }> = [];
    for (const v of views) {
      await repo.closeRound(v.id, { attending: v.attending, valid: v.valid }, at, ctx.trx);
      if (!v.valid) {
        roundValid = false;
        continue;
      }
      if (v.method !== 'vote') continue;
      const passed = v.results.filter((r) => r.passed).map((r) => r.dossierId);
      const failed = v.results.filter((r) => !r.passed).map((r) => r.dossierId);
      if (v.kind === 'panel') {
        await repo.setCandidateResults(meetingId, failed, 'eliminated', 'panel', ctx.trx);
      } else {
        const stage = meeting.kind === 'breakthrough' ? 'breakthrough' : 'plenary';
        await repo.setCandidateResults(meetingId, passed, 'passed', stage, ctx.trx);
        await repo.setCandidateResults(meetingId, failed, 'failed', stage, ctx.trx);
        for (const r of v.results) results.push({ dossierId: r.dossierId, passed: Boolean(r.passed) });
      }
    }
    const remaining = (await repo.candidatesOfRound({ meeting_id: meetingId, panel_id: null }, ctx.trx)).map((c) => Number(c.dossier_id));
    return { roundValid, remaining, results };
  };

  return {
    repo,
    issueCredentials,
    expertView,
    saveDraft,
    submit,
    drain,
    drainAll,
    settled: async () => {
      for (const k of kicks.values()) clearTimeout(k.timer);
      kicks.clear();
      await Promise.all([...draining.values()].map((d) => d.promise));
    },
    tallyView,
    resultsPage,
    passTally,
    handBackBallot,
    markAbsent,
    exportData,
    meetingsOf: (actor: RequestActor) => repo.meetingsOfUser(actor.userId),
    checks: { 'expert-ballot': expertBallotCheck, 'meeting-tally': meetingTallyCheck },
    handlers: { 'ballot.openRound': openRound, 'ballot.handBack': handBack, 'ballot.tally': tally },
  };
}

export type BallotsService = ReturnType<typeof createBallotsService>;
export type { TaskRecord };
