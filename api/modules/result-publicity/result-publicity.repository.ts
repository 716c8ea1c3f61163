import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';

type Db = Knex | Knex.Transaction;

export type NoticeStatus = 'drafting' | 'published' | 'holding' | 'ended';
export type ComplaintStatus = 'investigating' | 'upheld' | 'dismissed';

/** publicity_notices as stored. */
export interface NoticeRow {
  id: number;
  meeting_id: number;
  activity_id: number;
  committee_id: number;
  instance_id: string | null;
  status: NoticeStatus;
  period_start: string | null;
  period_end: string | null;
  contact_person: string | null;
  contact_phone: string | null;
  contact_address: string | null;
  title: string | null;
  published_at: Date | null;
  ended_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A notice with the names it is shown with. */
export interface NoticeListRow extends NoticeRow {
  committee_name: string;
  activity_name: string;
  meeting_name: string;
  organizer_unit_id: number;
  passed_count: number;
}

/** publicity_complaints as stored. */
export interface ComplaintRow {
  id: number;
  notice_id: number;
  dossier_id: number;
  kind: 'online' | 'offline';
  complainant_user_id: number | null;
  complainant_name: string | null;
  complainant_phone: string | null;
  complainant_identity: string | null;
  reason: string;
  evidence: Array<{ id: string; name: string; size: number; mime: string }>;
  status: ComplaintStatus;
  conclusion: string | null;
  concluded_at: Date | null;
  instance_id: string | null;
  created_by: number;
  created_at: Date;
}

export interface ComplaintListRow extends ComplaintRow {
  candidate_name: string;
  meeting_id: number;
  meeting_name: string;
  committee_name: string;
}

/** A candidate as the notice lists them (姓名、单位、系列、专业、级别). */
export interface PublicCandidateRow {
  dossier_id: number;
  status: string;
  name: string;
  employer: string | null;
  series: string | null;
  specialty: string | null;
  level: string | null;
}

const NOTICE_COLUMNS = ['n.id', 'n.meeting_id', 'n.activity_id', 'n.committee_id', 'n.instance_id', 'n.status', 'n.contact_person', 'n.contact_phone', 'n.contact_address', 'n.title', 'n.published_at', 'n.ended_at', 'n.created_at', 'n.updated_at'];

export function createPublicityRepository(knex: Knex) {
  const q = (trx?: Db) => trx ?? knex;
  // dates as text: no driver's idea of a time zone gets near them
  const columns = (db: Db) => [...NOTICE_COLUMNS, db.raw("to_char(n.period_start, 'YYYY-MM-DD') as period_start"), db.raw("to_char(n.period_end, 'YYYY-MM-DD') as period_end")];

  const noticesQuery = (db: Db) =>
    db('publicity_notices as n')
      .join('review_meetings as m', 'm.id', 'n.meeting_id')
      .join('committees as c', 'c.id', 'n.committee_id')
      .join('activities as a', 'a.id', 'n.activity_id')
      .select(
        ...columns(db),
        'c.name as committee_name',
        'a.name as activity_name',
        'm.name as meeting_name',
        'c.organizer_unit_id',
        db.raw("(select count(*)::int from meeting_candidates mc where mc.meeting_id = n.meeting_id and mc.status = 'passed') as passed_count"),
      );

  function candidates(meetingId: number, trx?: Db): Promise<PublicCandidateRow[]> {
    return q(trx)('meeting_candidates as mc')
      .join('dossiers as d', 'd.id', 'mc.dossier_id')
      .join('users as u', 'u.id', 'd.applicant_id')
      .leftJoin('units as e', 'e.id', 'd.employer_unit_id')
      .where('mc.meeting_id', meetingId)
      .whereIn('mc.status', ['passed', 'withdrawn'])
      .orderBy('mc.order_no')
      .select<PublicCandidateRow[]>('mc.dossier_id', 'mc.status', 'u.display_name as name', 'e.name as employer', 'd.series', 'd.specialty', 'd.level');
  }

  return {
    /** Creates the meeting's notice (待发布) once; a second request for the same meeting keeps the first. */
    async createNotice(input: { meetingId: number; activityId: number; committeeId: number; instanceId: string; at: Date }, trx?: Db): Promise<number> {
      const [row] = await q(trx)('publicity_notices')
        .insert({ meeting_id: input.meetingId, activity_id: input.activityId, committee_id: input.committeeId, instance_id: input.instanceId, status: 'drafting', created_at: input.at, updated_at: input.at })
        .onConflict('meeting_id')
        .ignore()
        .returning('id');
      if (row) return Number(row.id);
      const existing = await q(trx)('publicity_notices').where({ meeting_id: input.meetingId }).first('id');
      return Number(existing.id);
    },

    async meetingFacts(meetingId: number, trx?: Db): Promise<{ name: string; activity_name: string; organizer_unit_id: number; committee_name: string; kind: string } | undefined> {
      return q(trx)('review_meetings as m')
        .join('committees as c', 'c.id', 'm.committee_id')
        .join('activities as a', 'a.id', 'm.activity_id')
        .where('m.id', meetingId)
        .first('m.name', 'm.kind', 'a.name as activity_name', 'c.organizer_unit_id', 'c.name as committee_name');
    },

    async noticeOfMeeting(meetingId: number, trx?: Db): Promise<NoticeListRow | undefined> {
      return noticesQuery(q(trx)).where('n.meeting_id', meetingId).first<NoticeListRow | undefined>();
    },

    async notice(id: number, trx?: Db): Promise<NoticeListRow | undefined> {
      return noticesQuery(q(trx)).where('n.id', id).first<NoticeListRow | undefined>();
    },

    /** Notices shown to the public: published ones (公示中, 期满待办结, 已结束), newest first. */
    async publicNotices(trx?: Db): Promise<NoticeListRow[]> {
      return noticesQuery(q(trx)).whereIn('n.status', ['published', 'holding', 'ended']).orderBy('n.published_at', 'desc').orderBy('n.id', 'desc');
    },

    async pdf(id: number, trx?: Db): Promise<Buffer | null> {
      const row = await q(trx)('publicity_notices').where({ id }).whereIn('status', ['published', 'holding', 'ended']).first<{ pdf: Buffer | null } | undefined>('pdf');
      return row?.pdf ?? null;
    },

    /** 发布: drafting → published with period, contact, title and PDF (guarded: once). */
    async publish(id: number, input: { periodStart: string; periodEnd: string; contactPerson: string; contactPhone: string; contactAddress: string; title: string; pdf: Buffer; at: Date }, trx?: Db): Promise<void> {
      const count = await q(trx)('publicity_notices').where({ id, status: 'drafting' }).update({
        status: 'published',
        period_start: input.periodStart,
        period_end: input.periodEnd,
        contact_person: input.contactPerson,
        contact_phone: input.contactPhone,
        contact_address: input.contactAddress,
        title: input.title,
        pdf: input.pdf,
        published_at: input.at,
        updated_at: input.at,
      });
      if (count !== 1) throw new ConflictError('公示公告已发布，请刷新后重试');
    },

    async setStatus(id: number, from: NoticeStatus[], to: NoticeStatus, at: Date, trx?: Db): Promise<void> {
      await q(trx)('publicity_notices')
        .where({ id })
        .whereIn('status', from)
        .update({ status: to, updated_at: at, ...(to === 'ended' ? { ended_at: at } : {}) });
    },

    /** The candidates a notice lists: those the meeting passed, and those withdrawn since (shown as 已撤销). */
    candidates,

    async candidateOf(meetingId: number, dossierId: number, trx?: Db): Promise<PublicCandidateRow | undefined> {
      return (await candidates(meetingId, trx)).find((c) => c.dossier_id === dossierId);
    },

    /** Passed candidates not withdrawn: those the end of the period is announced to. */
    async passedDossierIds(meetingId: number, trx?: Db): Promise<number[]> {
      const rows = await q(trx)('meeting_candidates').where({ meeting_id: meetingId, status: 'passed' }).orderBy('order_no').select<Array<{ dossier_id: number }>>('dossier_id');
      return rows.map((r) => Number(r.dossier_id));
    },

    /** The passed candidates (not withdrawn) against whom no complaint of the notice is under investigation. */
    async clearedDossierIds(meetingId: number, noticeId: number, trx?: Db): Promise<number[]> {
      const rows = await q(trx)('meeting_candidates as c')
        .where({ 'c.meeting_id': meetingId, 'c.status': 'passed' })
        .whereNotExists((w) => w.select(knex.raw('1')).from('publicity_complaints as p').where({ 'p.notice_id': noticeId, 'p.status': 'investigating' }).whereRaw('p.dossier_id = c.dossier_id'))
        .orderBy('c.order_no')
        .select<Array<{ dossier_id: number }>>('c.dossier_id');
      return rows.map((r) => Number(r.dossier_id));
    },

    /** 撤销: passed → withdrawn, once; false when it was withdrawn before. */
    async withdrawCandidate(meetingId: number, dossierId: number, trx?: Db): Promise<boolean> {
      const count = await q(trx)('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossierId, status: 'passed' }).update({ status: 'withdrawn' });
      return count === 1;
    },

    async insertComplaint(row: Omit<ComplaintRow, 'id' | 'status' | 'conclusion' | 'concluded_at' | 'instance_id' | 'evidence'> & { evidence: ComplaintRow['evidence'] }, trx?: Db): Promise<number> {
      const [inserted] = await q(trx)('publicity_complaints')
        .insert({ ...row, evidence: JSON.stringify(row.evidence) })
        .returning('id');
      return Number(inserted.id);
    },

    async setComplaintInstance(id: number, instanceId: string, trx?: Db): Promise<void> {
      await q(trx)('publicity_complaints').where({ id }).update({ instance_id: instanceId });
    },

    async complaint(id: number, trx?: Db): Promise<ComplaintListRow | undefined> {
      return complaintsQuery(q(trx)).where('p.id', id).first<ComplaintListRow | undefined>();
    },

    async complaintsOfNotice(noticeId: number, trx?: Db): Promise<ComplaintListRow[]> {
      return complaintsQuery(q(trx)).where('p.notice_id', noticeId).orderBy('p.id');
    },

    async complaintsOf(userId: number, trx?: Db): Promise<ComplaintListRow[]> {
      return complaintsQuery(q(trx)).where('p.complainant_user_id', userId).orderBy('p.id', 'desc');
    },

    /**
     * The notice's status, its row locked until the step commits: the end of the period and a
     * complaint's conclusion take this lock first, so one of them always sees the other (the
     * conclusion sees 期满待办结 and wakes the publicity, or the period's check sees it concluded).
     */
    async lockNotice(id: number, trx: Knex.Transaction): Promise<NoticeStatus> {
      const row = await trx('publicity_notices').where({ id }).forUpdate().first<{ status: NoticeStatus } | undefined>('status');
      if (!row) throw new Error(`公示公告 ${id} 不存在`);
      return row.status;
    },

    async openComplaints(noticeId: number, trx?: Db): Promise<number> {
      const [row] = await q(trx)('publicity_complaints').where({ notice_id: noticeId, status: 'investigating' }).count<{ n: string }[]>({ n: '*' });
      return Number(row?.n ?? 0);
    },

    /** 办结: investigating → upheld | dismissed, once. */
    async conclude(id: number, input: { status: 'upheld' | 'dismissed'; conclusion: string; at: Date }, trx?: Db): Promise<void> {
      const count = await q(trx)('publicity_complaints').where({ id, status: 'investigating' }).update({ status: input.status, conclusion: input.conclusion, concluded_at: input.at });
      if (count !== 1) throw new ConflictError('该投诉已办结');
    },

    /** Evidence files: uploaded by the complainant and not yet attached anywhere. */
    async ownFiles(ids: string[], userId: number, trx?: Db): Promise<Array<{ id: string; name: string; size: number; mime: string; uploaded_by: number; root_instance_id: string | null }>> {
      if (!ids.length) return [];
      return q(trx)('files').whereIn('id', ids).select('id', 'name', 'size', 'mime', 'uploaded_by', 'root_instance_id');
    },

    /** The evidence belongs to the complaint's case from now on (the investigating clerk reads it through the case). */
    async attachFiles(ids: string[], instanceId: string, trx?: Db): Promise<void> {
      if (ids.length) await q(trx)('files').whereIn('id', ids).whereNull('root_instance_id').update({ root_instance_id: instanceId });
    },
  };
}

function complaintsQuery(db: Db) {
  return db('publicity_complaints as p')
    .join('publicity_notices as n', 'n.id', 'p.notice_id')
    .join('review_meetings as m', 'm.id', 'n.meeting_id')
    .join('committees as c', 'c.id', 'n.committee_id')
    .join('dossiers as d', 'd.id', 'p.dossier_id')
    .join('users as u', 'u.id', 'd.applicant_id')
    .select('p.*', 'u.display_name as candidate_name', 'n.meeting_id', 'm.name as meeting_name', 'c.name as committee_name');
}

export type PublicityRepository = ReturnType<typeof createPublicityRepository>;
