import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import type { DefenseRow, ExamRow, PrepImportKind } from './meeting-prep.import.ts';
import { startingWith } from '../../src/list-query.ts';
import { openUserIdNumber } from '../staff/users.pii.ts';

type Db = Knex | Knex.Transaction;

/** A row of `activity_scoring_items` (评分标准). */
export interface ScoringItemRow {
  id: number;
  activity_id: number;
  name: string;
  max_points: string;
  description: string | null;
  order_no: number;
  updated_by: number | null;
  updated_at: Date;
}

export interface ScoringItem {
  id: number;
  name: string;
  maxPoints: number;
  description: string | null;
  orderNo: number;
}

/** A row of `meeting_prep_imports`: a checked upload kept until the clerk confirms it. */
export interface PrepImportRow {
  id: string;
  meeting_id: number;
  kind: PrepImportKind;
  file_id: string;
  total: number;
  good_rows: Array<ExamRow | DefenseRow>;
  problems: unknown[];
  status: 'checked' | 'imported';
  created_by: number;
  created_at: Date;
  imported_at: Date | null;
}

/** A row of `meeting_defense_arrangements`. */
export interface DefenseArrangementRow {
  meeting_id: number;
  dossier_id: number;
  defense_date: string;
  arrival_time: string;
  address: string;
  sign_in_desk: string;
  order_no: number;
  room: string;
  version: number;
  imported_by: number | null;
  updated_at: Date;
}

/** A candidate of a meeting with what the preparation recorded for them (one read). */
export interface PrepCandidateRow {
  dossier_id: number;
  order_no: number;
  source: string;
  status: string;
  result_round: string | null;
  objection: boolean;
  objection_note: string | null;
  objection_at: Date | null;
  applicant_id: number;
  name: string;
  id_number: string | null;
  employer: string | null;
  exam_score: string | null;
  exam_passed: boolean | null;
  exam_imported: boolean;
  defense_date: string | null;
  arrival_time: string | null;
  address: string | null;
  sign_in_desk: string | null;
  defense_order_no: number | null;
  room: string | null;
  defense_version: number | null;
}

/** What the applicant (and the units on the chain) see of a dossier's meeting. */
export interface DossierMeetingRow extends PrepCandidateRow {
  meeting_id: number;
  meeting_name: string;
  meeting_kind: string;
}

/** Who may read a dossier's meeting notices: its applicant, the units on its chain, the committee's organiser. */
export interface DossierAccessRow {
  id: number;
  applicant_id: number;
  chain: Record<string, unknown> | null;
  organizer_unit_id: number | null;
}

export interface ActivityAccessRow {
  id: number;
  name: string;
  committee_id: number;
  organizer_unit_id: number;
}

const mapItem = (r: ScoringItemRow): ScoringItem => ({
  id: Number(r.id),
  name: r.name,
  maxPoints: Number(r.max_points),
  description: r.description ?? null,
  orderNo: Number(r.order_no),
});

/** 评审会议准备: 评分标准, 笔试成绩, 答辩安排, 公示有异议 and the checked imports. */
export function createMeetingPrepRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction): Db => trx ?? knex;

  const candidateQuery = (db: Db) =>
    db('meeting_candidates as mc')
      .join('dossiers as d', 'd.id', 'mc.dossier_id')
      .join('users as u', 'u.id', 'd.applicant_id')
      .leftJoin('units as e', 'e.id', 'd.employer_unit_id')
      .leftJoin('meeting_exam_results as x', (j) => j.on('x.meeting_id', 'mc.meeting_id').andOn('x.dossier_id', 'mc.dossier_id'))
      .leftJoin('meeting_defense_arrangements as a', (j) => j.on('a.meeting_id', 'mc.meeting_id').andOn('a.dossier_id', 'mc.dossier_id'))
      .select(
        'mc.dossier_id',
        'mc.order_no',
        'mc.source',
        'mc.status',
        'mc.result_round',
        'mc.objection',
        'mc.objection_note',
        'mc.objection_at',
        'd.applicant_id',
        'u.display_name as name',
        'u.id_number',
        'u.id_number_enc',
        'e.name as employer',
        'x.score as exam_score',
        'x.passed as exam_passed',
        db.raw('(x.dossier_id is not null) as exam_imported'),
        db.raw("to_char(a.defense_date, 'YYYY-MM-DD') as defense_date"),
        'a.arrival_time',
        'a.address',
        'a.sign_in_desk',
        'a.order_no as defense_order_no',
        'a.room',
        'a.version as defense_version',
      );

  return {
    async activityAccess(activityId: number, trx?: Knex.Transaction): Promise<ActivityAccessRow | undefined> {
      return q(trx)('activities as a')
        .join('committees as c', 'c.id', 'a.committee_id')
        .where('a.id', activityId)
        .first<ActivityAccessRow | undefined>('a.id', 'a.name', 'a.committee_id', 'c.organizer_unit_id');
    },

    async scoringItems(activityId: number, trx?: Knex.Transaction): Promise<ScoringItem[]> {
      const rows = await q(trx)<ScoringItemRow>('activity_scoring_items').where({ activity_id: activityId }).orderBy([{ column: 'order_no' }, { column: 'id' }]);
      return rows.map(mapItem);
    },

    /** Replaces the activity's items (the list is saved as a whole, in the order given). */
    async replaceScoringItems(activityId: number, items: Array<Omit<ScoringItem, 'id' | 'orderNo'>>, by: number, at: Date, trx: Knex.Transaction): Promise<void> {
      await trx('activities').where({ id: activityId }).forUpdate().first('id');
      await trx('activity_scoring_items').where({ activity_id: activityId }).delete();
      if (!items.length) return;
      await trx('activity_scoring_items').insert(
        items.map((item, i) => ({ activity_id: activityId, name: item.name, max_points: item.maxPoints, description: item.description, order_no: i + 1, updated_by: by, updated_at: at })),
      );
    },

    /** The meeting's candidates in the meeting's order, with exam result, defense arrangement and objection. */
    async candidates(meetingId: number, trx?: Knex.Transaction): Promise<PrepCandidateRow[]> {
      const rows: PrepCandidateRow[] = await candidateQuery(q(trx)).where('mc.meeting_id', meetingId).orderBy([{ column: 'mc.order_no' }, { column: 'mc.dossier_id' }]);
      return rows.map((r) => openUserIdNumber(q(trx), r));
    },

    /**
     * One page of the meeting's candidates in its order (评审会议准备 of a meeting of 3,000), narrowed
     * by the start of the name and 公示有异议, with how many match and how many are flagged.
     */
    async candidatePage(meetingId: number, filter: { name?: string; objection?: boolean }, offset: number, limit: number, trx?: Knex.Transaction): Promise<{ rows: PrepCandidateRow[]; total: number; flagged: number; all: number }> {
      const db = q(trx);
      const narrowed = (qb: Knex.QueryBuilder) => {
        qb.where('mc.meeting_id', meetingId);
        if (filter.objection != null) qb.where('mc.objection', filter.objection);
        if (filter.name) qb.join('dossiers as dn', 'dn.id', 'mc.dossier_id').join('users as un', 'un.id', 'dn.applicant_id').where('un.display_name', 'like', startingWith(filter.name));
        return qb;
      };
      const [counts] = (await db('meeting_candidates as mc')
        .where('mc.meeting_id', meetingId)
        .select(db.raw('count(*)::int as all'), db.raw('(count(*) filter (where mc.objection))::int as flagged'))) as Array<{ all: number; flagged: number }>;
      const [matching] = await narrowed(db('meeting_candidates as mc')).count<Array<{ count: string }>>({ count: '*' });
      const total = Number(matching?.count ?? 0);
      if (!total || offset >= total) return { rows: [], total, flagged: counts?.flagged ?? 0, all: counts?.all ?? 0 };
      const ids = (await narrowed(db('meeting_candidates as mc')).orderBy([{ column: 'mc.order_no' }, { column: 'mc.dossier_id' }]).offset(offset).limit(limit).pluck('mc.dossier_id')) as Array<number | string>;
      const rows: PrepCandidateRow[] = await candidateQuery(db).where('mc.meeting_id', meetingId).whereIn('mc.dossier_id', ids.map(Number)).orderBy([{ column: 'mc.order_no' }, { column: 'mc.dossier_id' }]);
      return { rows: rows.map((r) => openUserIdNumber(db, r)), total, flagged: counts?.flagged ?? 0, all: counts?.all ?? 0 };
    },

    /** One candidate of the meeting, as the preparation shows it. */
    async candidate(meetingId: number, dossierId: number, trx?: Knex.Transaction): Promise<PrepCandidateRow | undefined> {
      const row: PrepCandidateRow | undefined = await candidateQuery(q(trx)).where({ 'mc.meeting_id': meetingId, 'mc.dossier_id': dossierId }).first();
      return row ? openUserIdNumber(q(trx), row) : undefined;
    },

    /** The meetings a dossier is a candidate of, with what the preparation recorded for it. */
    async dossierMeetings(dossierIds: number[], trx?: Knex.Transaction): Promise<DossierMeetingRow[]> {
      if (!dossierIds.length) return [];
      const db = q(trx);
      const rows: DossierMeetingRow[] = await candidateQuery(db)
        .join('review_meetings as m', 'm.id', 'mc.meeting_id')
        .select('mc.meeting_id', 'm.name as meeting_name', 'm.kind as meeting_kind')
        .whereIn('mc.dossier_id', dossierIds)
        .whereNot('m.status', 'cancelled')
        .orderBy([{ column: 'mc.dossier_id' }, { column: 'm.id' }]);
      return rows.map((r) => openUserIdNumber(db, r));
    },

    async dossierAccess(dossierId: number, trx?: Knex.Transaction): Promise<DossierAccessRow | undefined> {
      return q(trx)('dossiers as d')
        .leftJoin('process_instances as i', 'i.id', 'd.instance_id')
        .leftJoin('committees as c', 'c.id', 'd.committee_id')
        .where('d.id', dossierId)
        .first<DossierAccessRow | undefined>('d.id', 'd.applicant_id', chainColumn(q(trx)), 'c.organizer_unit_id');
    },

    /** The review chains (variables of each dossier's case) and applicants of dossiers. */
    async chainsOf(dossierIds: number[], trx?: Knex.Transaction): Promise<Map<number, { applicantId: number; unitId: number | null; chain: Record<string, unknown> }>> {
      if (!dossierIds.length) return new Map();
      const rows = (await q(trx)('dossiers as d')
        .join('users as u', 'u.id', 'd.applicant_id')
        .leftJoin('process_instances as i', 'i.id', 'd.instance_id')
        .whereIn('d.id', dossierIds)
        .select('d.id', 'd.applicant_id', 'u.unit_id', chainColumn(q(trx)))) as Array<{ id: number; applicant_id: number; unit_id: number | null; chain: Record<string, unknown> | null }>;
      return new Map(rows.map((r) => [Number(r.id), { applicantId: Number(r.applicant_id), unitId: r.unit_id == null ? null : Number(r.unit_id), chain: r.chain ?? {} }]));
    },

    /** Whether the meeting flow's step of this form has been completed (its imports are then closed). */
    async stepDone(instanceId: string | null, formKey: string, trx?: Knex.Transaction): Promise<boolean> {
      if (!instanceId) return false;
      const row = await q(trx)('tasks').where({ root_instance_id: instanceId, form_key: formKey, status: 'completed' }).first('id');
      return row != null;
    },

    async insertImport(row: Omit<PrepImportRow, 'imported_at' | 'status'>, trx?: Knex.Transaction): Promise<void> {
      await q(trx)('meeting_prep_imports').insert({ ...row, good_rows: JSON.stringify(row.good_rows), problems: JSON.stringify(row.problems), status: 'checked' });
    },

    async findImport(id: string, meetingId: number, kind: PrepImportKind, trx?: Knex.Transaction): Promise<PrepImportRow | undefined> {
      return q(trx)<PrepImportRow>('meeting_prep_imports').where({ id, meeting_id: meetingId, kind }).first<PrepImportRow | undefined>();
    },

    /** Marks a check imported; a second confirmation (or a concurrent one) is refused. */
    async claimImport(id: string, at: Date, trx: Knex.Transaction): Promise<void> {
      const n = await trx('meeting_prep_imports').where({ id, status: 'checked' }).update({ status: 'imported', imported_at: at });
      if (n !== 1) throw new ConflictError('这批数据已经导入，请勿重复导入');
    },

    /** Locks the meeting row: imports of one meeting run one at a time. */
    async lockMeeting(meetingId: number, trx: Knex.Transaction): Promise<void> {
      await trx('review_meetings').where({ id: meetingId }).forUpdate().first('id');
    },

    /**
     * The exam results replace the earlier import's: candidates failed by the exam become candidates
     * again before this import's failures are marked (`failed`, round `exam`).
     */
    async replaceExamResults(meetingId: number, rows: ExamRow[], by: number, at: Date, trx: Knex.Transaction): Promise<{ failed: number }> {
      await trx('meeting_candidates').where({ meeting_id: meetingId, status: 'failed', result_round: 'exam' }).update({ status: 'candidate', result_round: null });
      await trx('meeting_exam_results').where({ meeting_id: meetingId }).delete();
      if (rows.length) {
        await trx('meeting_exam_results').insert(rows.map((r) => ({ meeting_id: meetingId, dossier_id: r.dossierId, score: r.score, passed: r.passed, imported_by: by, imported_at: at })));
      }
      const failedIds = rows.filter((r) => r.passed === false).map((r) => r.dossierId);
      const failed = failedIds.length
        ? await trx('meeting_candidates').where({ meeting_id: meetingId, status: 'candidate' }).whereIn('dossier_id', failedIds).update({ status: 'failed', result_round: 'exam' })
        : 0;
      return { failed };
    },

    async defenseArrangements(meetingId: number, trx?: Knex.Transaction): Promise<DefenseArrangementRow[]> {
      return q(trx)<DefenseArrangementRow>('meeting_defense_arrangements')
        .where({ meeting_id: meetingId })
        .select('*', q(trx).raw("to_char(defense_date, 'YYYY-MM-DD') as defense_date"));
    },

    async insertDefense(meetingId: number, r: DefenseRow, by: number, at: Date, trx: Knex.Transaction): Promise<void> {
      await trx('meeting_defense_arrangements').insert({
        meeting_id: meetingId,
        dossier_id: r.dossierId,
        defense_date: r.date,
        arrival_time: r.arrivalTime,
        address: r.address,
        sign_in_desk: r.signInDesk,
        order_no: r.orderNo,
        room: r.room,
        version: 1,
        imported_by: by,
        updated_at: at,
      });
    },

    /** A changed arrangement, guarded by the version read before (a concurrent import wins once). */
    async updateDefense(meetingId: number, r: DefenseRow, version: number, by: number, at: Date, trx: Knex.Transaction): Promise<void> {
      const n = await trx('meeting_defense_arrangements')
        .where({ meeting_id: meetingId, dossier_id: r.dossierId, version })
        .update({
          defense_date: r.date,
          arrival_time: r.arrivalTime,
          address: r.address,
          sign_in_desk: r.signInDesk,
          order_no: r.orderNo,
          room: r.room,
          version: version + 1,
          imported_by: by,
          updated_at: at,
        });
      if (n !== 1) throw new ConflictError('答辩安排已被他人修改，请刷新后重新导入');
    },

    /** 公示有异议: flags or unflags a candidate; false when the dossier is not a candidate of the meeting. */
    async setObjection(meetingId: number, dossierId: number, change: { objection: boolean; note: string | null; by: number | null; at: Date }, trx?: Knex.Transaction): Promise<boolean> {
      const n = await q(trx)('meeting_candidates')
        .where({ meeting_id: meetingId, dossier_id: dossierId })
        .update(
          change.objection
            ? { objection: true, objection_note: change.note, objection_by: change.by, objection_at: change.at }
            : { objection: false, objection_note: null, objection_by: null, objection_at: null },
        );
      return n === 1;
    },

    async dossierIdsOf(applicantId: number, trx?: Knex.Transaction): Promise<number[]> {
      return (await q(trx)('dossiers').where({ applicant_id: applicantId }).pluck('id')).map(Number);
    },

    async activityOfMeeting(meetingId: number, trx?: Knex.Transaction): Promise<number | null> {
      const row = await q(trx)('review_meetings').where({ id: meetingId }).first<{ activity_id: number } | undefined>('activity_id');
      return row ? Number(row.activity_id) : null;
    },

    /** The meeting a flow instance runs (the meeting flows' business key is the meeting). */
    async meetingOfInstance(rootInstanceId: string, trx?: Knex.Transaction): Promise<{ id: number; activity_id: number } | undefined> {
      return q(trx)('review_meetings').where({ instance_id: rootInstanceId }).first<{ id: number; activity_id: number } | undefined>('id', 'activity_id');
    },
  };
}

function chainColumn(db: Db) {
  return db.raw("i.variables->'chain' as chain");
}

export type MeetingPrepRepository = ReturnType<typeof createMeetingPrepRepository>;
