import { maskIdNumber, maskInText, type PiiCipher } from '../../src/pii.ts';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { createFilesRepository } from '../files/files.repository.ts';
import { sendMessage } from '../messages/messages.service.ts';
import { meetingInScope } from '../meetings/meetings.scope.ts';
import type { MeetingAccessRow } from '../meetings/meetings.repository.ts';
import {
  buildPrepErrorWorkbook,
  buildPrepTemplate,
  checkPrepRows,
  parsePrepWorkbook,
  type BadRow,
  type DefenseRow,
  type ExamRow,
  type PrepCandidate,
  type PrepImportKind,
} from './meeting-prep.import.ts';
import { createMeetingPrepRepository, type PrepCandidateRow, type ScoringItem } from './meeting-prep.repository.ts';
import { meetingOptions, type MeetingOptions } from './options.ts';

type Db = Knex | Knex.Transaction;
type Actor = Pick<RequestActor, 'userId' | 'unitId' | 'roles'>;

const KIND_NAME: Record<PrepImportKind, string> = { exam: '笔试成绩', defense: '答辩安排' };
const STEP_FORM: Record<PrepImportKind, string> = { exam: 'meeting-exam', defense: 'meeting-defense' };
const REVIEW_PERMISSIONS = ['dossier.review.own', 'dossier.review.subordinate', 'dossier.receive', 'dossier.query'];
const CANDIDATE_STATUS: Record<string, string> = { candidate: '参评', eliminated: '专业组未通过', passed: '通过', failed: '未通过', withdrawn: '撤出' };

/** 评分标准 as experts and staff read it. */
export interface ScoringStandard {
  activityId: number;
  items: ScoringItem[];
  total: number;
}

const standardOf = (activityId: number, items: ScoringItem[]): ScoringStandard => ({
  activityId,
  items,
  total: Math.round(items.reduce((s, i) => s + i.maxPoints, 0) * 10) / 10,
});

/**
 * The scoring standard of a meeting (its activity's items). Callers check scope first: the staff
 * route with `meetingInScope(…, 'read')`, the expert portal with the expert's own meeting.
 */
export async function meetingScoring(db: Db, meetingId: number): Promise<ScoringStandard> {
  const repo = createMeetingPrepRepository(db as Knex);
  const activityId = await repo.activityOfMeeting(meetingId);
  if (activityId == null) throw new NotFoundError('评审会议不存在');
  return standardOf(activityId, await repo.scoringItems(activityId));
}

/** The 笔试 / 答辩 facts of one dossier in one meeting, as the applicant and the chain's units see them. */
export interface DossierMeetingNotice {
  dossierId: number;
  meetingId: number;
  meetingName: string;
  /** 笔试不通过 … while the dossier's own status words do not yet come from the flow */
  resultLabel: string | null;
  exam: { score: number | null; passed: boolean | null; resultLabel: string } | null;
  defense: { date: string; arrivalTime: string; address: string; signInDesk: string; orderNo: number; room: string; version: number } | null;
}

const examLabel = (passed: boolean | null) => (passed === true ? '合格' : passed === false ? '不合格' : '免试');

function noticeOf(r: PrepCandidateRow & { meeting_id: number; meeting_name: string }): DossierMeetingNotice {
  return {
    dossierId: Number(r.dossier_id),
    meetingId: Number(r.meeting_id),
    meetingName: r.meeting_name,
    resultLabel: r.status === 'failed' && r.result_round === 'exam' ? '笔试不通过' : null,
    exam: r.exam_imported ? { score: r.exam_score == null ? null : Number(r.exam_score), passed: r.exam_passed, resultLabel: examLabel(r.exam_passed) } : null,
    defense:
      r.defense_date != null
        ? {
            date: r.defense_date,
            arrivalTime: r.arrival_time!,
            address: r.address!,
            signInDesk: r.sign_in_desk!,
            orderNo: Number(r.defense_order_no),
            room: r.room!,
            version: Number(r.defense_version),
          }
        : null,
  };
}

/**
 * The exam result and defense notice of dossiers, from the meeting tables (one read). The one place
 * the applicant's side reads them, until the dossier's case carries the result itself.
 */
export async function dossierMeetingNotices(db: Db, dossierIds: number[]): Promise<DossierMeetingNotice[]> {
  const rows = await createMeetingPrepRepository(db as Knex).dossierMeetings(dossierIds);
  return rows.filter((r) => r.exam_imported || r.defense_date != null || (r.status === 'failed' && r.result_round === 'exam')).map(noticeOf);
}

/** One candidate's exam result as the `exam-result` message to the dossier's case carries it. */
export interface ExamResultMessage {
  dossierId: number;
  /** the dossier case's business key, the message's correlation key */
  correlationKey: string;
  examPassed: boolean;
  examScore: number | null;
}

/**
 * The `exam-result` messages of a meeting (contract: review-meeting sends them after 导入笔试成绩):
 * one per candidate who sat the exam. The send step of the meeting diagram loops over this list.
 */
export async function examResultsOf(db: Db, meetingId: number): Promise<ExamResultMessage[]> {
  const rows = await createMeetingPrepRepository(db as Knex).candidates(meetingId);
  return rows
    .filter((r) => r.exam_imported && r.exam_passed != null)
    .map((r) => ({
      dossierId: Number(r.dossier_id),
      correlationKey: `dossier:${Number(r.dossier_id)}`,
      examPassed: r.exam_passed === true,
      examScore: r.exam_score == null ? null : Number(r.exam_score),
    }));
}

/**
 * 公示有异议: flags (or clears) a candidate of a meeting — the committee's own call today, the
 * complaint flow's (issue 18) when a complaint at the unit-level 公示 is upheld.
 */
export async function flagObjection(db: Db, meetingId: number, dossierId: number, change: { objection: boolean; note: string | null; by: number | null; at: Date }): Promise<void> {
  const found = await createMeetingPrepRepository(db as Knex).setObjection(meetingId, dossierId, change);
  if (!found) throw new NotFoundError('该申报人不是本次评审会议的参评人员');
}

/** A candidate as the preparation pages list them. */
export interface CandidateView {
  dossierId: number;
  orderNo: number;
  name: string;
  idNumber: string | null;
  employer: string | null;
  status: string;
  statusLabel: string;
  resultLabel: string | null;
  objection: boolean;
  objectionNote: string | null;
  exam: DossierMeetingNotice['exam'];
  defense: DossierMeetingNotice['defense'];
}

const candidateView = (r: PrepCandidateRow): CandidateView => {
  const n = noticeOf({ ...r, meeting_id: 0, meeting_name: '' });
  return {
    dossierId: Number(r.dossier_id),
    orderNo: Number(r.order_no),
    name: r.name,
    idNumber: maskIdNumber(r.id_number),
    employer: r.employer,
    status: r.status,
    statusLabel: CANDIDATE_STATUS[r.status] ?? r.status,
    resultLabel: n.resultLabel,
    objection: r.objection === true,
    objectionNote: r.objection_note ?? null,
    exam: n.exam,
    defense: n.defense,
  };
};

export interface ImportSummary {
  id: string;
  kind: PrepImportKind;
  status: 'checked' | 'imported';
  total: number;
  goodCount: number;
  badCount: number;
  bad: BadRow[];
  /** confirmed: how many candidates failed the exam / how many notices went out */
  failedCount: number | null;
  notifiedCount: number | null;
}

/** Who among the candidates an import concerns: the exam every candidate (and those it failed before), the defense those still in. */
const concerned = (kind: PrepImportKind, r: PrepCandidateRow) => r.status === 'candidate' || (kind === 'exam' && r.status === 'failed' && r.result_round === 'exam');

/** A row of a checked import as kept until it is confirmed: the ID number typed is sealed, its masked form shown. */
type StoredBadRow = BadRow & { sealed?: { idNumber?: string } };

/**
 * An import's rows at rest (docs/personal-information.md, "Dossiers"): the good rows keep the
 * candidate's ID number masked (they are matched by dossier); a wrong row keeps the number typed
 * sealed — the 错误数据 workbook gives it back to be corrected — and every message masks it.
 */
export function sealImportRows(cipher: PiiCipher, good: Array<ExamRow | DefenseRow>, bad: BadRow[]): { good: Array<ExamRow | DefenseRow>; bad: StoredBadRow[] } {
  return {
    good: good.map((r) => ({ ...r, idNumber: maskIdNumber(r.idNumber) ?? '' })),
    bad: bad.map((b) => {
      const typed = b.values.idNumber;
      return {
        ...b,
        values: typed ? { ...b.values, idNumber: maskIdNumber(typed) ?? '' } : b.values,
        errors: b.errors.map((e) => ({ ...e, message: maskInText(e.message) })),
        ...(typed ? { sealed: { idNumber: cipher.seal(typed) } } : {}),
      };
    }),
  };
}

/** 评审会议准备: scoring standard, exam and defense imports, the objection flag. */
export function createMeetingPrepService(deps: { db: Knex; now: () => Date; cipher: PiiCipher }) {
  const { db, now, cipher } = deps;
  const repo = createMeetingPrepRepository(db);
  const files = createFilesRepository(db);

  /** An activity its committee's organiser may prepare (404 for anyone else). */
  async function activityInScope(actor: Actor, activityId: number) {
    const a = Number.isSafeInteger(activityId) && activityId > 0 ? await repo.activityAccess(activityId) : undefined;
    if (!a || !actor.roles.includes('meeting.manage') || actor.unitId == null || actor.unitId !== Number(a.organizer_unit_id)) throw new NotFoundError('评审活动不存在');
    return a;
  }

  async function optionsFor(meeting: MeetingAccessRow, kind: PrepImportKind): Promise<MeetingOptions> {
    const options = await meetingOptions(db, Number(meeting.activity_id));
    if (kind === 'exam' && !options.hasExam) throw new ConflictError('本评审活动未组织笔试（评委会组织笔试：不组织），不能导入笔试成绩');
    if (kind === 'defense' && !options.hasDefense) throw new ConflictError('本评审活动未组织面试答辩（是否组织面试答辩：不组织），不能导入答辩安排');
    return options;
  }

  async function openForImport(meeting: MeetingAccessRow, kind: PrepImportKind, trx?: Knex.Transaction) {
    if (meeting.kind !== 'normal') throw new ConflictError(`破格评审会议没有${kind === 'exam' ? '笔试' : '答辩'}环节`);
    if (meeting.status !== 'preparing') throw new ConflictError(`评审会议已${meeting.status === 'voting' ? '开始投票' : meeting.status === 'closed' ? '结束' : '取消'}，不能再导入${KIND_NAME[kind]}`);
    if (await repo.stepDone(meeting.instance_id, STEP_FORM[kind], trx)) throw new ConflictError(`“导入${KIND_NAME[kind]}”环节已办结，不能再导入`);
  }

  async function concernedCandidates(meetingId: number, kind: PrepImportKind): Promise<PrepCandidate[]> {
    return (await repo.candidates(meetingId))
      .filter((r) => concerned(kind, r))
      .map((r) => ({ dossierId: Number(r.dossier_id), name: r.name, idNumber: r.id_number ?? '', employer: r.employer }));
  }

  async function summaryOf(id: string, meetingId: number, kind: PrepImportKind, counts: { failed?: number; notified?: number } = {}): Promise<ImportSummary> {
    const row = await repo.findImport(id, meetingId, kind);
    if (!row) throw new NotFoundError('导入记录不存在');
    const bad = (row.problems as StoredBadRow[]).map(({ sealed: _s, ...b }) => b);
    return {
      id: row.id,
      kind,
      status: row.status,
      total: Number(row.total),
      goodCount: row.good_rows.length,
      badCount: bad.length,
      bad,
      failedCount: counts.failed ?? null,
      notifiedCount: counts.notified ?? null,
    };
  }

  /** 答辩通知 to the applicant and every unit of the chain below the committee, once per arrangement version. */
  async function sendDefenseNotices(trx: Knex.Transaction, meeting: MeetingAccessRow, rows: Array<DefenseRow & { version: number }>): Promise<number> {
    const chains = await repo.chainsOf(rows.map((r) => r.dossierId), trx);
    let sent = 0;
    for (const r of rows) {
      const c = chains.get(r.dossierId);
      if (!c) continue;
      const changed = r.version > 1;
      const title = `${changed ? '答辩安排变更通知' : '答辩通知'}：${r.name}`;
      const body = `“${meeting.name}”答辩安排${changed ? '已变更' : ''}：${r.name}，答辩日期 ${r.date}，${r.arrivalTime} 前到会，地址：${r.address}，签到处：${r.signInDesk}，答辩序号 ${r.orderNo}，答辩会议室：${r.room}。`;
      const key = `meeting-defense:${meeting.id}:${r.dossierId}:v${r.version}`;
      const toApplicant = await sendMessage(
        trx,
        { unitId: c.unitId, userId: c.applicantId, permission: 'dossier.apply', kind: 'meeting.defense', title, body, link: `/my-dossiers/${r.dossierId}`, dedupeKey: `${key}:applicant` },
        now(),
      );
      if (toApplicant) sent++;
      const units = new Set<number>();
      for (const level of ['employer', 'superior', 'department', 'bureau']) {
        const unitId = Number(c.chain[level]);
        if (Number.isSafeInteger(unitId) && unitId > 0) units.add(unitId);
      }
      for (const unitId of units) {
        const ok = await sendMessage(trx, { unitId, kind: 'meeting.defense', title, body, link: `/dossiers/${r.dossierId}`, dedupeKey: `${key}:unit:${unitId}` }, now());
        if (ok) sent++;
      }
    }
    return sent;
  }

  return {
    // ------------------------------------------------------------ 评分标准

    async scoring(actor: Actor, activityId: number): Promise<ScoringStandard & { activityName: string }> {
      const a = await activityInScope(actor, activityId);
      return { ...standardOf(Number(a.id), await repo.scoringItems(Number(a.id))), activityName: a.name };
    },

    async saveScoring(actor: Actor, activityId: number, items: Array<{ name: string; maxPoints: number; description: string | null }>): Promise<ScoringStandard & { activityName: string }> {
      const a = await activityInScope(actor, activityId);
      const names = new Map<string, number>();
      items.forEach((item, i) => {
        const first = names.get(item.name);
        if (first !== undefined) throw new ValidationError(`评分项“${item.name}”重复（第 ${first + 1}、${i + 1} 项）`, [{ field: `items.${i}.name`, message: '评分项名称重复' }]);
        names.set(item.name, i);
      });
      await db.transaction((trx) => repo.replaceScoringItems(Number(a.id), items, actor.userId, now(), trx));
      return this.scoring(actor, activityId);
    },

    async meetingScoring(actor: Actor, meetingId: number): Promise<ScoringStandard> {
      await meetingInScope(db, actor, meetingId, 'read');
      return meetingScoring(db, meetingId);
    },

    // ------------------------------------------------------------ the applicant's side

    /** 答辩通知 / 笔试结果 of one dossier: its applicant, the units of its chain, the committee's organiser. */
    async dossierNotices(actor: Actor, dossierId: number): Promise<DossierMeetingNotice[]> {
      const d = Number.isSafeInteger(dossierId) && dossierId > 0 ? await repo.dossierAccess(dossierId) : undefined;
      const chain = d?.chain ?? {};
      const onChain = actor.unitId != null && ['employer', 'superior', 'department', 'bureau', 'committee'].some((level) => Number(chain[level]) === actor.unitId);
      const allowed =
        d != null &&
        (Number(d.applicant_id) === actor.userId ||
          (onChain && actor.roles.some((r) => REVIEW_PERMISSIONS.includes(r))) ||
          (actor.roles.includes('meeting.manage') && actor.unitId != null && actor.unitId === Number(d.organizer_unit_id)));
      if (!allowed) throw new NotFoundError('申报记录不存在');
      return dossierMeetingNotices(db, [dossierId]);
    },

    /** The caller's own dossiers' notices (我的申报). */
    async myNotices(actor: Actor): Promise<DossierMeetingNotice[]> {
      return dossierMeetingNotices(db, await repo.dossierIdsOf(actor.userId));
    },

    // ------------------------------------------------------------ candidates

    /** 评审会议准备: the activity's options, the steps done, and the candidates a page at a time (with the counts). */
    async overview(actor: Actor, meetingId: number, query: { page: number; pageSize: number; name?: string; objection?: 'true' | 'false' } = { page: 1, pageSize: 50 }, mode: 'manage' | 'read' = 'read') {
      const meeting = await meetingInScope(db, actor, meetingId, mode);
      const options = await meetingOptions(db, Number(meeting.activity_id));
      const filter = { name: query.name || undefined, objection: query.objection == null ? undefined : query.objection === 'true' };
      const page = await repo.candidatePage(meetingId, filter, (query.page - 1) * query.pageSize, query.pageSize);
      const candidates = page.rows.map(candidateView);
      return {
        counts: { all: page.all, objection: page.flagged },
        total: page.total,
        meeting: { id: Number(meeting.id), name: meeting.name, kind: meeting.kind, status: meeting.status, activityId: Number(meeting.activity_id) },
        options,
        examDone: await repo.stepDone(meeting.instance_id, 'meeting-exam'),
        defenseDone: await repo.stepDone(meeting.instance_id, 'meeting-defense'),
        candidates,
      };
    },

    async setObjection(actor: Actor, meetingId: number, dossierId: number, objection: boolean, note: string | null) {
      await meetingInScope(db, actor, meetingId, 'manage');
      if (objection && !note) throw new ValidationError('请填写异议说明', [{ field: 'note', message: '请填写异议说明' }]);
      await flagObjection(db, meetingId, dossierId, { objection, note: objection ? note : null, by: actor.userId, at: now() });
      return candidateView((await repo.candidate(meetingId, dossierId))!);
    },

    // ------------------------------------------------------------ imports

    async template(actor: Actor, meetingId: number, kind: PrepImportKind): Promise<{ name: string; content: Buffer }> {
      const meeting = await meetingInScope(db, actor, meetingId, 'manage');
      await optionsFor(meeting, kind);
      const content = await buildPrepTemplate(kind, await concernedCandidates(meetingId, kind));
      return { name: `${KIND_NAME[kind]}导入模板（${meeting.name}）.xlsx`, content };
    },

    /** 数据检验: parses the uploaded workbook, checks each cell, keeps the result until confirmed. */
    async checkImport(actor: Actor, meetingId: number, kind: PrepImportKind, fileId: string): Promise<ImportSummary> {
      const meeting = await meetingInScope(db, actor, meetingId, 'manage');
      const options = await optionsFor(meeting, kind);
      await openForImport(meeting, kind);
      const file = await files.withContent(fileId);
      if (!file || file.uploadedBy !== actor.userId) throw new ValidationError('上传的文件不存在，请重新上传', [{ field: 'fileId', message: '文件不存在' }]);
      const parsed = await parsePrepWorkbook(kind, file.content);
      if (!parsed.length) throw new ValidationError(`文件中没有数据：请下载模板，在参评人员所在行填写${KIND_NAME[kind]}`, [{ field: 'fileId', message: '没有数据行' }]);
      const candidates = await concernedCandidates(meetingId, kind);
      const partial = kind === 'exam' ? options.writtenExam !== 'all' : options.defense !== 'all';
      const result = kind === 'exam' ? checkPrepRows('exam', parsed, candidates, partial) : checkPrepRows('defense', parsed, candidates, partial);
      const id = randomUUID();
      const stored = sealImportRows(cipher, result.good, result.bad);
      await repo.insertImport({ id, meeting_id: meetingId, kind, file_id: file.id, total: parsed.length, good_rows: stored.good, problems: stored.bad, created_by: actor.userId, created_at: now() });
      return summaryOf(id, meetingId, kind);
    },

    async importSummary(actor: Actor, meetingId: number, kind: PrepImportKind, importId: string): Promise<ImportSummary> {
      await meetingInScope(db, actor, meetingId, 'manage');
      return summaryOf(importId, meetingId, kind);
    },

    async errorWorkbook(actor: Actor, meetingId: number, kind: PrepImportKind, importId: string): Promise<Buffer> {
      await meetingInScope(db, actor, meetingId, 'manage');
      const row = await repo.findImport(importId, meetingId, kind);
      if (!row) throw new NotFoundError('导入记录不存在');
      // the ID numbers typed come back from their seals, to be corrected in the sheet and uploaded again
      // (a seal under a key no longer listed in PII_KEY leaves the cell empty)
      const open = (sealed: string | undefined) => {
        try {
          return sealed ? cipher.open(sealed) : null;
        } catch {
          return '';
        }
      };
      const bad = (row.problems as StoredBadRow[]).map(({ sealed, ...b }) => {
        const typed = open(sealed?.idNumber);
        return typed === null ? b : { ...b, values: { ...b.values, idNumber: typed } };
      });
      if (!bad.length) throw new NotFoundError('本次检验没有错误数据');
      return buildPrepErrorWorkbook(kind, bad);
    },

    /**
     * 确认导入, all or nothing, only when every row is right (a partial 笔试成绩 would fail nobody it
     * should). The exam replaces the earlier results; the defense writes each changed arrangement and
     * sends its notices.
     */
    async confirmImport(actor: Actor, meetingId: number, kind: PrepImportKind, importId: string): Promise<ImportSummary> {
      const meeting = await meetingInScope(db, actor, meetingId, 'manage');
      await optionsFor(meeting, kind);
      const counts = await db.transaction(async (trx) => {
        await repo.lockMeeting(meetingId, trx);
        await openForImport(meeting, kind, trx);
        const row = await repo.findImport(importId, meetingId, kind, trx);
        if (!row) throw new NotFoundError('导入记录不存在');
        if (row.status !== 'checked') throw new ConflictError('这批数据已经导入，请勿重复导入');
        if ((row.problems as BadRow[]).length) {
          throw new ValidationError(`有 ${(row.problems as BadRow[]).length} 行数据有误：请下载错误数据，修改后重新上传`, [{ field: 'fileId', message: '有错误数据' }]);
        }
        if (!row.good_rows.length) throw new ValidationError('没有可以导入的数据', [{ field: 'fileId', message: '没有数据行' }]);
        // the candidates may have changed since the check (a withdrawal): the rows must still be theirs
        const still = new Set((await concernedCandidates(meetingId, kind)).map((c) => c.dossierId));
        const gone = row.good_rows.filter((r) => !still.has(r.dossierId));
        if (gone.length) throw new ConflictError(`${gone.map((r) => r.name).join('、')}已不是本次评审会议的参评人员，请重新下载模板`);
        await repo.claimImport(importId, now(), trx);
        if (kind === 'exam') {
          const { failed } = await repo.replaceExamResults(meetingId, row.good_rows as ExamRow[], actor.userId, now(), trx);
          return { failed };
        }
        const existing = new Map((await repo.defenseArrangements(meetingId, trx)).map((a) => [Number(a.dossier_id), a]));
        const written: Array<DefenseRow & { version: number }> = [];
        for (const r of row.good_rows as DefenseRow[]) {
          const before = existing.get(r.dossierId);
          if (!before) {
            await repo.insertDefense(meetingId, r, actor.userId, now(), trx);
            written.push({ ...r, version: 1 });
            continue;
          }
          const same =
            before.defense_date === r.date &&
            before.arrival_time === r.arrivalTime &&
            before.address === r.address &&
            before.sign_in_desk === r.signInDesk &&
            Number(before.order_no) === r.orderNo &&
            before.room === r.room;
          if (same) continue;
          await repo.updateDefense(meetingId, r, Number(before.version), actor.userId, now(), trx);
          written.push({ ...r, version: Number(before.version) + 1 });
        }
        return { notified: await sendDefenseNotices(trx, meeting, written) };
      });
      return summaryOf(importId, meetingId, kind, counts);
    },
  };
}

export type MeetingPrepService = ReturnType<typeof createMeetingPrepService>;

const listNames = (names: string[]) => (names.length > 5 ? `${names.slice(0, 5).join('、')}等 ${names.length} 人` : names.join('、'));

/**
 * The checks of the meeting flow's 导入笔试成绩 and 导入答辩安排 steps: the step is done when the
 * imports say so (the flow's gateways skip the step for an activity without 笔试 / 答辩).
 */
export function createPrepChecks(db: Knex): { exam: CompletionCheck; defense: CompletionCheck } {
  const repo = createMeetingPrepRepository(db);
  const meetingOf = async (rootInstanceId: string) => {
    const m = await repo.meetingOfInstance(rootInstanceId);
    if (!m) throw new ConflictError('该流程没有对应的评审会议');
    return { meeting: m, options: await meetingOptions(db, Number(m.activity_id)) };
  };
  return {
    async exam({ task }) {
      const { meeting, options } = await meetingOf(task.rootInstanceId);
      if (!options.hasExam) return;
      const missing = (await repo.candidates(Number(meeting.id))).filter((r) => concerned('exam', r) && !r.exam_imported).map((r) => r.name);
      if (missing.length) throw new ConflictError(`尚未导入${listNames(missing)}的笔试成绩，请导入全部参评人员的笔试成绩后再办理`);
    },
    async defense({ task }) {
      const { meeting, options } = await meetingOf(task.rootInstanceId);
      if (!options.hasDefense) return;
      const rows = (await repo.candidates(Number(meeting.id))).filter((r) => r.status === 'candidate');
      if (options.defense === 'all') {
        const missing = rows.filter((r) => r.defense_date == null).map((r) => r.name);
        if (missing.length) throw new ConflictError(`本次评审活动全体面试答辩，${listNames(missing)}尚无答辩安排，请导入后再办理`);
      } else if (!rows.some((r) => r.defense_date != null)) {
        throw new ConflictError('尚未导入答辩安排，请导入参加答辩人员的答辩安排后再办理');
      }
    },
  };
}
