import type { Knex } from 'knex';
import { startingWith } from '../../src/list-query.ts';
import { openUserIdNumber } from '../staff/users.pii.ts';
import { openedContent, type BlobContentRow } from '../files/files.repository.ts';

type Db = Knex | Knex.Transaction;

/** A row of `review_meetings` (评审会议). */
export interface MeetingRow {
  id: number;
  activity_id: number;
  committee_id: number;
  kind: 'breakthrough' | 'normal';
  name: string;
  status: 'preparing' | 'voting' | 'closed' | 'cancelled';
  instance_id: string | null;
  supervisor_committee_id: number | null;
  starts_at: Date | null;
  location: string | null;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A meeting with the units whose staff may work on it (组建单位) or read it (监督评委会的组建单位). */
export interface MeetingAccessRow extends MeetingRow {
  organizer_unit_id: number;
  supervisor_unit_id: number | null;
}

export function findMeetingAccess(db: Db, meetingId: number): Promise<MeetingAccessRow | undefined> {
  return db('review_meetings as m')
    .join('committees as c', 'c.id', 'm.committee_id')
    .leftJoin('committees as s', 's.id', 'm.supervisor_committee_id')
    .where('m.id', meetingId)
    .first<MeetingAccessRow | undefined>('m.*', 'c.organizer_unit_id', 's.organizer_unit_id as supervisor_unit_id');
}

/** The meetings whose 评审方案 lists the file among its 评审材料. */
export async function meetingsWithMaterial(db: Db, fileId: string): Promise<number[]> {
  const rows = await db('review_meetings').whereRaw('materials @> ?::jsonb', [JSON.stringify([{ id: fileId }])]).select<Array<{ id: number }>>('id');
  return rows.map((r) => Number(r.id));
}

// ------------------------------------------------------------------ rows read by the meeting module

/** The activity options that shape a meeting (评审活动信息: 笔试, 答辩, 专业组, 破格). */
export interface ActivityFactsRow {
  id: number;
  name: string;
  status: string;
  committee_id: number;
  committee_name: string;
  organizer_unit_id: number;
  written_exam: string;
  defense: string;
  panels: boolean;
  panel_method: string | null;
  breakthrough: boolean;
}

export interface MeetingListRow extends MeetingRow {
  activity_name: string;
  committee_name: string;
  supervisor_name: string | null;
  candidate_count: number;
  expert_count: number;
}

export interface CandidateRow {
  meeting_id: number;
  dossier_id: number;
  source: 'received' | 'breakthrough' | 'exam';
  order_no: number;
  panel_id: number | null;
  status: string;
  result_round: string | null;
  objection: boolean;
  applicant_name: string;
  id_number: string | null;
  employer_name: string | null;
  specialty: string | null;
  level: string | null;
  series: string | null;
  evaluation_method: string;
  data: Record<string, unknown>;
}

/** What the 参评人员 list of a meeting is narrowed to (评审会议详情, 人员分配). */
export interface CandidateFilter {
  /** the start of the name */
  name?: string;
  status?: string;
  /** a panel, or 0 for none */
  panelId?: number;
  /** with (true) or without (false) a 主审 */
  assigned?: boolean;
}

/** The candidates' counts by status (the list's header and its filter). */
export interface CandidateStatusCount {
  status: string;
  count: number;
}

export interface MeetingExpertRow {
  meeting_id: number;
  expert_id: number;
  group_no: number | null;
  role: 'principal' | 'alternate';
  attendance: 'pending' | 'confirmed' | 'cancelled';
  panel_id: number | null;
  is_leader: boolean;
  is_executive_chair: boolean;
  user_id: number | null;
  name: string;
  sex: string;
  employer: string;
  post: string;
  specialty: string;
  current_title: string;
  /** plain only until the sweep seals the pool record; read through `phone1_enc` (experts module) */
  phone1: string | null;
  phone1_enc: string | null;
  is_chair: boolean;
  is_vice_chair: boolean;
  region_code: string | null;
}

export interface PanelRow {
  id: number;
  meeting_id: number;
  name: string;
  specialty: string | null;
  order_no: number;
}

export interface AssignmentRow {
  meeting_id: number;
  dossier_id: number;
  expert_id: number;
  role: 'main' | 'assistant';
}

export interface OpenTaskRow {
  id: string;
  element_id: string;
  name: string;
  form_key: string | null;
  created_at: Date;
}

/** 评审会议 tables, read and written by the meeting module. */
export function createMeetingsRepository(knex: Knex) {
  const q = (trx?: Db) => trx ?? knex;
  // the draw part's 回避 table; read only where it exists (the meeting module does not depend on it)
  let recusalTable = false;
  return {
    /** 回避: experts employed by a candidate's employer (found by the draw part when a draw is accepted). */
    async recusals(meetingId: number, trx?: Db): Promise<Array<{ expert_id: number; dossier_id: number }>> {
      // once found it stays (a table appears with a migration, never goes)
      recusalTable ||= await knex.schema.hasTable('meeting_recusals');
      if (!recusalTable) return [];
      return q(trx)('meeting_recusals').where({ meeting_id: meetingId }).select('expert_id', 'dossier_id');
    },

    activityFacts(activityId: number, trx?: Db): Promise<ActivityFactsRow | undefined> {
      return q(trx)('activities as a')
        .join('committees as c', 'c.id', 'a.committee_id')
        .where('a.id', activityId)
        .first<ActivityFactsRow | undefined>(
          'a.id',
          'a.name',
          'a.status',
          'a.committee_id',
          'c.name as committee_name',
          'c.organizer_unit_id',
          'a.written_exam',
          'a.defense',
          'a.panels',
          'a.panel_method',
          'a.breakthrough',
        );
    },

    /** Published activities of the committees a unit organises, newest first. */
    activitiesOf(unitId: number, trx?: Db): Promise<ActivityFactsRow[]> {
      return q(trx)('activities as a')
        .join('committees as c', 'c.id', 'a.committee_id')
        .where('c.organizer_unit_id', unitId)
        .where('a.status', 'published')
        .orderBy('a.id', 'desc')
        .select<ActivityFactsRow[]>('a.id', 'a.name', 'a.status', 'a.committee_id', 'c.name as committee_name', 'c.organizer_unit_id', 'a.written_exam', 'a.defense', 'a.panels', 'a.panel_method', 'a.breakthrough');
    },

    /** Received dossiers of an activity by 评价方式 (破格 or not), in the order they were received. */
    async receivedCounts(activityIds: number[], trx?: Db): Promise<Map<number, { breakthrough: number; normal: number }>> {
      const out = new Map<number, { breakthrough: number; normal: number }>();
      if (!activityIds.length) return out;
      const rows = await q(trx)('dossiers')
        .whereIn('activity_id', activityIds)
        .where('status', 'received')
        .groupBy('activity_id')
        .select<Array<{ activity_id: number; breakthrough: string; normal: string }>>(
          'activity_id',
          knex.raw("count(*) filter (where evaluation_method = 'breakthrough') as breakthrough"),
          knex.raw("count(*) filter (where evaluation_method <> 'breakthrough') as normal"),
        );
      for (const r of rows) out.set(Number(r.activity_id), { breakthrough: Number(r.breakthrough), normal: Number(r.normal) });
      return out;
    },

    /** Meetings a unit organises or supervises (optionally of one activity). */
    listFor(unitId: number, activityId: number | undefined, trx?: Db): Promise<MeetingListRow[]> {
      const query = q(trx)('review_meetings as m')
        .join('committees as c', 'c.id', 'm.committee_id')
        .join('activities as a', 'a.id', 'm.activity_id')
        .leftJoin('committees as s', 's.id', 'm.supervisor_committee_id')
        .where((w) => w.where('c.organizer_unit_id', unitId).orWhere('s.organizer_unit_id', unitId))
        .select<MeetingListRow[]>(
          'm.*',
          'a.name as activity_name',
          'c.name as committee_name',
          's.name as supervisor_name',
          knex.raw('(select count(*)::int from meeting_candidates x where x.meeting_id = m.id) as candidate_count'),
          knex.raw("(select count(*)::int from meeting_experts x where x.meeting_id = m.id and x.attendance = 'confirmed') as expert_count"),
        )
        .orderBy([{ column: 'm.activity_id', order: 'desc' }, { column: 'm.kind' }]);
      if (activityId != null) void query.where('m.activity_id', activityId);
      return query;
    },

    get(meetingId: number, trx?: Db): Promise<MeetingRow | undefined> {
      return q(trx)<MeetingRow>('review_meetings').where({ id: meetingId }).first();
    },

    ofActivity(activityId: number, trx?: Db): Promise<MeetingRow[]> {
      return q(trx)<MeetingRow>('review_meetings').where({ activity_id: activityId });
    },

    async insert(row: Omit<MeetingRow, 'id' | 'version' | 'status' | 'instance_id' | 'supervisor_committee_id'>, trx?: Db): Promise<number> {
      const [r] = await q(trx)('review_meetings').insert(row).returning('id');
      return Number(r.id);
    },

    async setInstance(meetingId: number, instanceId: string, trx?: Db): Promise<void> {
      await q(trx)('review_meetings').where({ id: meetingId }).update({ instance_id: instanceId });
    },

    async setStatus(meetingId: number, status: MeetingRow['status'], at: Date, trx?: Db): Promise<void> {
      await q(trx)('review_meetings').where({ id: meetingId }).update({ status, updated_at: at, version: knex.raw('version + 1') });
    },

    /** 评审方案: guarded by the version the organiser read. */
    async updatePlan(meetingId: number, version: number, plan: { supervisor_committee_id: number | null; materials: string }, at: Date, trx?: Db): Promise<number> {
      return q(trx)('review_meetings')
        .where({ id: meetingId, version })
        .update({ ...plan, plan_updated_at: at, updated_at: at, version: knex.raw('version + 1') });
    },

    materials(meetingId: number, trx?: Db): Promise<{ materials: unknown } | undefined> {
      return q(trx)('review_meetings').where({ id: meetingId }).first<{ materials: unknown } | undefined>('materials');
    },

    /** Committees that may supervise: filed ones other than the meeting's own. */
    supervisorOptions(exceptCommitteeId: number, trx?: Db): Promise<Array<{ id: number; name: string }>> {
      return q(trx)('committees').whereNot('id', exceptCommitteeId).where('filing_status', 'filed').orderBy('id').select('id', 'name');
    },

    committeeExists(id: number, trx?: Db): Promise<{ id: number } | undefined> {
      return q(trx)('committees').where({ id, filing_status: 'filed' }).first('id');
    },

    // -------------------------------------------------------------- candidates

    async candidates(meetingId: number, trx?: Db): Promise<CandidateRow[]> {
      const rows = await q(trx)('meeting_candidates as mc')
        .join('dossiers as d', 'd.id', 'mc.dossier_id')
        .join('users as u', 'u.id', 'd.applicant_id')
        .leftJoin('units as e', 'e.id', 'd.employer_unit_id')
        .where('mc.meeting_id', meetingId)
        .orderBy('mc.order_no')
        .select<CandidateRow[]>(
          'mc.*',
          'u.display_name as applicant_name',
          'u.id_number',
          'u.id_number_enc',
          'e.name as employer_name',
          'd.specialty',
          'd.level',
          'd.series',
          'd.evaluation_method',
          'd.data',
        );
      return rows.map((r) => openUserIdNumber(q(trx), r));
    },

    /**
     * One page of the meeting's candidates in their order, narrowed by the filter, with how many
     * match: the 参评人员 list of a meeting of 3,000 is worked through page by page. The
     * declaration (`d.data`) is not read here: the list shows none of it.
     */
    async candidatePage(meetingId: number, filter: CandidateFilter, offset: number, limit: number, trx?: Db): Promise<{ rows: CandidateRow[]; total: number }> {
      const narrowed = (qb: Knex.QueryBuilder) => {
        qb.where('mc.meeting_id', meetingId);
        if (filter.status) qb.where('mc.status', filter.status);
        if (filter.panelId === 0) qb.whereNull('mc.panel_id');
        else if (filter.panelId != null) qb.where('mc.panel_id', filter.panelId);
        if (filter.assigned != null) {
          const main = (w: Knex.QueryBuilder) => w.select(knex.raw('1')).from('meeting_assignments as a').whereRaw('a.meeting_id = mc.meeting_id and a.dossier_id = mc.dossier_id').where('a.role', 'main');
          if (filter.assigned) qb.whereExists(main);
          else qb.whereNotExists(main);
        }
        return qb;
      };
      const named = (qb: Knex.QueryBuilder) => (filter.name ? qb.join('dossiers as d', 'd.id', 'mc.dossier_id').join('users as u', 'u.id', 'd.applicant_id').where('u.display_name', 'like', startingWith(filter.name)) : qb);
      const [countRow] = await named(narrowed(q(trx)('meeting_candidates as mc'))).count<Array<{ count: string }>>({ count: '*' });
      const total = Number(countRow?.count ?? 0);
      if (!total || offset >= total) return { rows: [], total };
      const rows = await narrowed(q(trx)('meeting_candidates as mc'))
        .join('dossiers as d', 'd.id', 'mc.dossier_id')
        .join('users as u', 'u.id', 'd.applicant_id')
        .leftJoin('units as e', 'e.id', 'd.employer_unit_id')
        .modify((qb) => {
          if (filter.name) qb.where('u.display_name', 'like', startingWith(filter.name));
        })
        .orderBy('mc.order_no')
        .offset(offset)
        .limit(limit)
        .select<CandidateRow[]>('mc.*', 'u.display_name as applicant_name', 'u.id_number', 'u.id_number_enc', 'e.name as employer_name', 'd.specialty', 'd.level', 'd.series', 'd.evaluation_method');
      return { rows: rows.map((r) => openUserIdNumber(q(trx), r)), total };
    },

    /** How many candidates the meeting has in each status, and how many have no 主审 yet. */
    async candidateCounts(meetingId: number, trx?: Db): Promise<{ byStatus: CandidateStatusCount[]; unassigned: number }> {
      const byStatus = await q(trx)('meeting_candidates').where({ meeting_id: meetingId }).groupBy('status').orderBy('status').select<Array<{ status: string; count: string }>>('status', knex.raw('count(*) as count'));
      const [free] = await q(trx)('meeting_candidates as mc')
        .where('mc.meeting_id', meetingId)
        .whereNotExists((w) => w.select(knex.raw('1')).from('meeting_assignments as a').whereRaw('a.meeting_id = mc.meeting_id and a.dossier_id = mc.dossier_id').where('a.role', 'main'))
        .count<Array<{ count: string }>>({ count: '*' });
      return { byStatus: byStatus.map((r) => ({ status: r.status, count: Number(r.count) })), unassigned: Number(free?.count ?? 0) };
    },

    /** The 主审 / 辅审 of some candidates (a page of the list). */
    assignmentsOf(meetingId: number, dossierIds: number[], trx?: Db): Promise<AssignmentRow[]> {
      if (!dossierIds.length) return Promise.resolve([]);
      return q(trx)<AssignmentRow>('meeting_assignments').where({ meeting_id: meetingId }).whereIn('dossier_id', dossierIds);
    },

    /** 回避 of some candidates (a page of the list). */
    async recusalsOf(meetingId: number, dossierIds: number[], trx?: Db): Promise<Array<{ expert_id: number; dossier_id: number }>> {
      recusalTable ||= await knex.schema.hasTable('meeting_recusals');
      if (!recusalTable || !dossierIds.length) return [];
      return q(trx)('meeting_recusals').where({ meeting_id: meetingId }).whereIn('dossier_id', dossierIds).select('expert_id', 'dossier_id');
    },

    /** Received dossiers of an activity, 破格 ones or the others, in the order they were received. */
    receivedDossiers(activityId: number, committeeId: number, filter: { breakthrough?: boolean }, trx?: Db): Promise<Array<{ id: number }>> {
      const query = q(trx)('dossiers').where({ activity_id: activityId, committee_id: committeeId, status: 'received' }).orderBy('id').select<Array<{ id: number }>>('id');
      if (filter.breakthrough === true) void query.where('evaluation_method', 'breakthrough');
      if (filter.breakthrough === false) void query.whereNot('evaluation_method', 'breakthrough');
      return query;
    },

    /** Adds candidates after the ones the meeting has; a dossier already there stays as it is. */
    async addCandidates(meetingId: number, dossierIds: number[], source: CandidateRow['source'], at: Date, trx?: Db): Promise<number> {
      if (!dossierIds.length) return 0;
      const [top] = await q(trx)('meeting_candidates').where({ meeting_id: meetingId }).max<{ max: number | null }[]>({ max: 'order_no' });
      const start = Number(top?.max ?? 0);
      const rows = dossierIds.map((dossierId, i) => ({ meeting_id: meetingId, dossier_id: dossierId, source, order_no: start + i + 1, created_at: at }));
      const inserted = await q(trx)('meeting_candidates').insert(rows).onConflict(['meeting_id', 'dossier_id']).ignore().returning('dossier_id');
      return inserted.length;
    },

    passedOf(meetingId: number, trx?: Db): Promise<Array<{ dossier_id: number }>> {
      return q(trx)('meeting_candidates').where({ meeting_id: meetingId, status: 'passed' }).orderBy('order_no').select('dossier_id');
    },

    /** New order numbers for all candidates at once (the unique order is checked by the caller). */
    async reorder(meetingId: number, order: Array<{ dossierId: number; orderNo: number }>, trx: Knex.Transaction): Promise<void> {
      // shift out of the way first: a swap would otherwise meet itself half-way
      await trx('meeting_candidates').where({ meeting_id: meetingId }).update({ order_no: knex.raw('order_no + 1000000') });
      for (const o of order) await trx('meeting_candidates').where({ meeting_id: meetingId, dossier_id: o.dossierId }).update({ order_no: o.orderNo });
    },

    async setCandidatePanel(meetingId: number, dossierIds: number[], panelId: number | null, trx?: Db): Promise<void> {
      await q(trx)('meeting_candidates').where({ meeting_id: meetingId }).whereIn('dossier_id', dossierIds).update({ panel_id: panelId });
    },

    // -------------------------------------------------------------- experts and panels

    experts(meetingId: number, trx?: Db): Promise<MeetingExpertRow[]> {
      return q(trx)('meeting_experts as me')
        .join('experts as x', 'x.id', 'me.expert_id')
        .where('me.meeting_id', meetingId)
        .orderBy([{ column: 'me.group_no' }, { column: 'me.role', order: 'desc' }, { column: 'me.alt_order' }, { column: 'me.expert_id' }])
        .select<MeetingExpertRow[]>(
          'me.meeting_id',
          'me.expert_id',
          'me.group_no',
          'me.role',
          'me.attendance',
          'me.panel_id',
          'me.is_leader',
          'me.is_executive_chair',
          'me.user_id',
          'x.name',
          'x.sex',
          'x.employer',
          'x.post',
          'x.specialty',
          'x.current_title',
          'x.phone1',
          'x.phone1_enc',
          'x.is_chair',
          'x.is_vice_chair',
          'x.region_code',
        );
    },

    panels(meetingId: number, trx?: Db): Promise<PanelRow[]> {
      return q(trx)<PanelRow>('meeting_panels').where({ meeting_id: meetingId }).orderBy([{ column: 'order_no' }, { column: 'id' }]);
    },

    async insertPanel(meetingId: number, name: string, specialty: string | null, trx?: Db): Promise<number> {
      const [top] = await q(trx)('meeting_panels').where({ meeting_id: meetingId }).max<{ max: number | null }[]>({ max: 'order_no' });
      const [r] = await q(trx)('meeting_panels')
        .insert({ meeting_id: meetingId, name, specialty, order_no: Number(top?.max ?? 0) + 1 })
        .returning('id');
      return Number(r.id);
    },

    async updatePanel(meetingId: number, panelId: number, name: string, specialty: string | null, trx?: Db): Promise<number> {
      return q(trx)('meeting_panels').where({ id: panelId, meeting_id: meetingId }).update({ name, specialty });
    },

    async deletePanel(meetingId: number, panelId: number, trx: Knex.Transaction): Promise<number> {
      await trx('meeting_experts').where({ meeting_id: meetingId, panel_id: panelId }).update({ panel_id: null, is_leader: false });
      await trx('meeting_candidates').where({ meeting_id: meetingId, panel_id: panelId }).update({ panel_id: null });
      return trx('meeting_panels').where({ id: panelId, meeting_id: meetingId }).delete();
    },

    /** Puts confirmed experts into a panel (or out of any); a 组长 named is the only one of that panel. */
    async setExpertPanel(meetingId: number, expertIds: number[], panelId: number | null, at: Date, trx: Knex.Transaction): Promise<number> {
      return trx('meeting_experts')
        .where({ meeting_id: meetingId, attendance: 'confirmed' })
        .whereIn('expert_id', expertIds)
        .update({ panel_id: panelId, is_leader: false, updated_at: at });
    },

    async setLeader(meetingId: number, panelId: number, expertId: number, at: Date, trx: Knex.Transaction): Promise<number> {
      await trx('meeting_experts').where({ meeting_id: meetingId, panel_id: panelId }).update({ is_leader: false, updated_at: at });
      return trx('meeting_experts').where({ meeting_id: meetingId, panel_id: panelId, expert_id: expertId, attendance: 'confirmed' }).update({ is_leader: true, updated_at: at });
    },

    // -------------------------------------------------------------- assignment

    assignments(meetingId: number, trx?: Db): Promise<AssignmentRow[]> {
      return q(trx)<AssignmentRow>('meeting_assignments').where({ meeting_id: meetingId });
    },

    async replaceAssignments(meetingId: number, dossierIds: number[], rows: AssignmentRow[], trx: Knex.Transaction): Promise<void> {
      await trx('meeting_assignments').where({ meeting_id: meetingId }).whereIn('dossier_id', dossierIds).delete();
      if (rows.length) await trx('meeting_assignments').insert(rows);
    },

    roundCount(meetingId: number, trx?: Db): Promise<number> {
      return q(trx)('meeting_rounds')
        .where({ meeting_id: meetingId })
        .count<{ n: string }[]>({ n: '*' })
        .then((r) => Number(r[0]?.n ?? 0));
    },

    /** The meeting row locked for a change that must not cross the opening of the vote. */
    lock(meetingId: number, trx: Knex.Transaction): Promise<MeetingRow | undefined> {
      return trx<MeetingRow>('review_meetings').where({ id: meetingId }).forUpdate().first();
    },

    // -------------------------------------------------------------- uploads

    async uploadedFile(fileId: string, userId: number, trx?: Db): Promise<{ id: string; name: string; content: Buffer } | undefined> {
      const row = await q(trx)('files as f')
        .join('file_blobs as b', 'b.sha256', 'f.sha256')
        .where({ 'f.id': fileId, 'f.uploaded_by': userId })
        .first<({ id: string; name: string } & BlobContentRow) | undefined>('f.id', 'f.name', 'b.content', 'b.pii_key_id');
      // the bytes are sealed at rest (files module)
      return row ? { id: row.id, name: row.name, content: openedContent(q(trx), row) } : undefined;
    },

    /** Uploaded files with the uploader's unit (评审材料 are the organiser's own uploads). */
    filesOf(ids: string[], trx?: Db): Promise<Array<{ id: string; name: string; size: number; mime: string; unit_id: number | null }>> {
      if (!ids.length) return Promise.resolve([]);
      return q(trx)('files as f').leftJoin('users as u', 'u.id', 'f.uploaded_by').whereIn('f.id', ids).select('f.id', 'f.name', 'f.size', 'f.mime', 'u.unit_id');
    },

    // -------------------------------------------------------------- the meeting's case

    openTasks(instanceId: string, trx?: Db): Promise<OpenTaskRow[]> {
      return q(trx)('tasks').where({ root_instance_id: instanceId, status: 'open' }).orderBy('created_at').select<OpenTaskRow[]>('id', 'element_id', 'name', 'form_key', 'created_at');
    },

    doneSteps(instanceId: string, trx?: Db): Promise<Array<{ element_id: string; element_name: string; actor_name: string | null; created_at: Date }>> {
      return q(trx)('history_events')
        .where({ root_instance_id: instanceId, type: 'task.complete' })
        .orderBy('id')
        .select('element_id', 'element_name', 'actor_name', 'created_at');
    },
  };
}

export type MeetingsRepository = ReturnType<typeof createMeetingsRepository>;
