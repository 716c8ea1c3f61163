import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import type { DrawLevel } from './expert-draw.draw.ts';

/** A row of `draw_groups` (抽选小组). */
export interface DrawGroupRow {
  id: number;
  meeting_id: number;
  group_no: number;
  specialty: string;
  level: DrawLevel;
  count: number;
  created_by: number | null;
  created_at: Date;
}

/** A row of `expert_draws` (one run of 开始抽选, kept whatever came of it). */
export interface ExpertDrawRow {
  id: number;
  meeting_id: number;
  status: 'drawn' | 'refused' | 'accepted' | 'superseded';
  algorithm: string;
  inputs: unknown;
  pool: unknown;
  seed: string;
  result: unknown;
  refusal: unknown;
  drawn_by: number | null;
  drawn_by_name: string;
  drawn_at: Date;
  accepted_by: number | null;
  accepted_at: Date | null;
}

/** What the draw needs to know of the meeting: its year and where its committee's organiser sits. */
export interface DrawContextRow {
  id: number;
  committee_id: number;
  activity_id: number;
  year: number;
  organizer_unit_id: number;
  organizer_name: string;
  organizer_type: string;
  organizer_region_code: string | null;
  organizer_region_level: 'province' | 'city' | 'county' | null;
}

/** An in-pool, active expert of the committee as the draw reads it. */
export interface PoolRow {
  id: number;
  name: string;
  specialty: string;
  current_title: string;
  is_chair: boolean;
  region_code: string | null;
  employer: string;
}

/** A drawn expert with what 确认出席 shows. */
export interface AttendanceRow {
  expert_id: number;
  name: string;
  employer: string;
  /** plain only while the sweep has not sealed the row; read through `phone1_enc` */
  phone1: string | null;
  phone1_enc: string | null;
  specialty: string;
  current_title: string;
  is_chair: boolean;
  region_code: string | null;
  region_name: string | null;
  draw_id: number | null;
  group_no: number | null;
  role: 'principal' | 'alternate';
  alt_order: number | null;
  attendance: 'pending' | 'confirmed' | 'cancelled';
  cancel_reason: string | null;
  is_executive_chair: boolean;
  promoted_for: number | null;
  attendance_at: Date | null;
}

export interface RecusalRow {
  expert_id: number;
  dossier_id: number;
  employer: string;
  applicant_name: string;
}

export interface MeetingExpertEventRow {
  id: number;
  expert_id: number;
  expert_name: string;
  action: 'confirm' | 'cancel' | 'promote' | 'executive_chair';
  reason: string | null;
  actor_name: string;
  created_at: Date;
}

/** 专家抽选 and 确认出席's tables: draw groups, draws, recusals, the drawn experts' attendance. */
export function createExpertDrawRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  /** pairs of a drawn expert and a candidate of the meeting whose employer unit bears the name of his 工作单位 */
  async function recusalsFor(meetingId: number, trx?: Knex.Transaction): Promise<RecusalRow[]> {
    return q(trx)
      .from('meeting_experts as me')
      .join('experts as e', 'e.id', 'me.expert_id')
      .join('meeting_candidates as mc', 'mc.meeting_id', 'me.meeting_id')
      .join('dossiers as d', 'd.id', 'mc.dossier_id')
      .join('units as u', 'u.id', 'd.employer_unit_id')
      .join('users as ap', 'ap.id', 'd.applicant_id')
      .where('me.meeting_id', meetingId)
      .whereRaw('btrim(e.employer) = btrim(u.name)')
      .orderBy(['me.expert_id', 'mc.order_no'])
      .select<RecusalRow[]>('me.expert_id', 'mc.dossier_id', 'u.name as employer', 'ap.display_name as applicant_name');
  }

  return {
    recusalsFor,

    context(meetingId: number, trx?: Knex.Transaction): Promise<DrawContextRow | undefined> {
      return q(trx)('review_meetings as m')
        .join('activities as a', 'a.id', 'm.activity_id')
        .join('committees as c', 'c.id', 'm.committee_id')
        .join('units as u', 'u.id', 'c.organizer_unit_id')
        .leftJoin('regions as r', 'r.code', 'u.region_code')
        .where('m.id', meetingId)
        .first<DrawContextRow | undefined>(
          'm.id',
          'm.committee_id',
          'm.activity_id',
          'a.year',
          'c.organizer_unit_id',
          'u.name as organizer_name',
          'u.unit_type as organizer_type',
          'u.region_code as organizer_region_code',
          'r.level as organizer_region_level',
        );
    },

    /** one change of a meeting's draw or attendance at a time: the next waits and then sees what the first did */
    async lockMeeting(meetingId: number, trx: Knex.Transaction): Promise<void> {
      await trx('review_meetings').where({ id: meetingId }).forUpdate().first('id');
    },

    async meetingOfInstance(instanceId: string, trx?: Knex.Transaction): Promise<number | null> {
      const row = await q(trx)('review_meetings').where({ instance_id: instanceId }).first<{ id: number } | undefined>('id');
      return row ? Number(row.id) : null;
    },

    groups(meetingId: number, trx?: Knex.Transaction): Promise<DrawGroupRow[]> {
      return q(trx)<DrawGroupRow>('draw_groups').where({ meeting_id: meetingId }).orderBy('group_no');
    },

    async addGroup(row: Omit<DrawGroupRow, 'id' | 'group_no'>, trx: Knex.Transaction): Promise<DrawGroupRow> {
      // numbers are given in order of creation, and stay (a deleted group leaves a gap)
      await trx.raw('select pg_advisory_xact_lock(?, ?)', [17_0200, row.meeting_id]);
      const last = await trx<DrawGroupRow>('draw_groups').where({ meeting_id: row.meeting_id }).max<{ max: number | null }>('group_no as max').first();
      const [created] = await trx<DrawGroupRow>('draw_groups')
        .insert({ ...row, group_no: (last?.max ?? 0) + 1 })
        .returning('*');
      return created!;
    },

    async removeGroup(meetingId: number, groupId: number, trx?: Knex.Transaction): Promise<void> {
      const n = await q(trx)<DrawGroupRow>('draw_groups').where({ id: groupId, meeting_id: meetingId }).delete();
      if (n !== 1) throw new ConflictError('抽选小组已被删除，请刷新后重试');
    },

    pool(committeeId: number, trx?: Knex.Transaction): Promise<PoolRow[]> {
      return q(trx)('experts')
        .where({ committee_id: committeeId, status: 'in_pool', active: true })
        .orderBy('id')
        .select<PoolRow[]>('id', 'name', 'specialty', 'current_title', 'is_chair', 'region_code', 'employer');
    },

    /**
     * 上年度主任委员: in each meeting of the committee's activities of that year, the 执行主任 it
     * named, or — where it named none — the 主任委员 who confirmed attendance.
     */
    async chairsOfYear(committeeId: number, year: number, trx?: Knex.Transaction): Promise<number[]> {
      const rows = await q(trx)
        .from('meeting_experts as me')
        .join('review_meetings as m', 'm.id', 'me.meeting_id')
        .join('activities as a', 'a.id', 'm.activity_id')
        .join('experts as e', 'e.id', 'me.expert_id')
        .where({ 'm.committee_id': committeeId, 'a.year': year })
        .whereNot('m.status', 'cancelled')
        .andWhere((w) =>
          w.where('me.is_executive_chair', true).orWhere((x) =>
            x
              .where({ 'e.is_chair': true, 'me.attendance': 'confirmed' })
              .whereNotExists((s) => s.select(knex.raw('1')).from('meeting_experts as x2').whereRaw('x2.meeting_id = me.meeting_id and x2.is_executive_chair')),
          ),
        )
        .distinct<{ expert_id: number }[]>('me.expert_id');
      return rows.map((r) => Number(r.expert_id));
    },

    /** per expert, the years (of those asked) in which they attended a meeting of the committee */
    async attendedYears(committeeId: number, years: number[], trx?: Knex.Transaction): Promise<Map<number, number[]>> {
      const rows = await q(trx)
        .from('meeting_experts as me')
        .join('review_meetings as m', 'm.id', 'me.meeting_id')
        .join('activities as a', 'a.id', 'm.activity_id')
        .where({ 'm.committee_id': committeeId, 'me.attendance': 'confirmed' })
        .whereNot('m.status', 'cancelled')
        .whereIn('a.year', years)
        .distinct<{ expert_id: number; year: number }[]>('me.expert_id', 'a.year');
      const out = new Map<number, number[]>();
      for (const r of rows) out.set(Number(r.expert_id), [...(out.get(Number(r.expert_id)) ?? []), Number(r.year)]);
      return out;
    },

    async insertDraw(row: Omit<ExpertDrawRow, 'id' | 'accepted_by' | 'accepted_at'>, trx?: Knex.Transaction): Promise<ExpertDrawRow> {
      const [created] = await q(trx)<ExpertDrawRow>('expert_draws')
        .insert({
          ...row,
          inputs: JSON.stringify(row.inputs),
          pool: JSON.stringify(row.pool),
          result: row.result == null ? null : JSON.stringify(row.result),
          refusal: row.refusal == null ? null : JSON.stringify(row.refusal),
        } as never)
        // the snapshot is the caller's already: not read back (it is most of the row)
        .returning(['id', 'meeting_id', 'status', 'algorithm', 'inputs', 'seed', 'result', 'refusal', 'drawn_by', 'drawn_by_name', 'drawn_at', 'accepted_by', 'accepted_at']);
      return { ...created!, pool: row.pool };
    },

    draws(meetingId: number, trx?: Knex.Transaction): Promise<Omit<ExpertDrawRow, 'pool'>[]> {
      return q(trx)<ExpertDrawRow>('expert_draws')
        .where({ meeting_id: meetingId })
        .orderBy('id', 'desc')
        .select('id', 'meeting_id', 'status', 'algorithm', 'inputs', 'seed', 'result', 'refusal', 'drawn_by', 'drawn_by_name', 'drawn_at', 'accepted_by', 'accepted_at');
    },

    draw(meetingId: number, drawId: number, trx?: Knex.Transaction): Promise<ExpertDrawRow | undefined> {
      return q(trx)<ExpertDrawRow>('expert_draws').where({ id: drawId, meeting_id: meetingId }).first();
    },

    acceptedDraw(meetingId: number, trx?: Knex.Transaction): Promise<Pick<ExpertDrawRow, 'id'> | undefined> {
      return q(trx)<ExpertDrawRow>('expert_draws').where({ meeting_id: meetingId, status: 'accepted' }).first('id');
    },

    /** marks the draw accepted (only from drawn, only if the meeting has none) and the meeting's other drawn ones superseded */
    async markAccepted(meetingId: number, drawId: number, actorId: number | null, now: Date, trx: Knex.Transaction): Promise<void> {
      const n = await trx<ExpertDrawRow>('expert_draws')
        .where({ id: drawId, meeting_id: meetingId, status: 'drawn' })
        .whereNotExists((s) => s.select(knex.raw('1')).from('expert_draws as d').where({ 'd.meeting_id': meetingId, 'd.status': 'accepted' }))
        .update({ status: 'accepted', accepted_by: actorId, accepted_at: now });
      if (n !== 1) throw new ConflictError('本次抽选结果已不能采用：会议已有采用的抽选结果，或该结果已被替代');
      await trx<ExpertDrawRow>('expert_draws').where({ meeting_id: meetingId, status: 'drawn' }).update({ status: 'superseded' });
    },

    async insertMeetingExperts(
      rows: Array<{ meeting_id: number; expert_id: number; draw_id: number; group_no: number; role: string; alt_order: number | null; updated_at: Date }>,
      trx: Knex.Transaction,
    ): Promise<void> {
      const existing = await trx('meeting_experts').where({ meeting_id: rows[0]?.meeting_id ?? 0 }).first('expert_id');
      if (existing) throw new ConflictError('本会议已有抽选出的专家');
      if (rows.length) await trx('meeting_experts').insert(rows);
    },

    /**
     * Records the recusals of the meeting's drawn experts against its present candidates (again
     * after candidates join later: what is recorded stays).
     */
    async recordRecusals(meetingId: number, now: Date, trx?: Knex.Transaction): Promise<number> {
      const found = await recusalsFor(meetingId, trx);
      if (!found.length) return 0;
      const inserted = await q(trx)('meeting_recusals')
        .insert(found.map((r) => ({ meeting_id: meetingId, expert_id: r.expert_id, dossier_id: r.dossier_id, employer: r.employer, created_at: now })))
        .onConflict(['meeting_id', 'expert_id', 'dossier_id'])
        .ignore()
        .returning('expert_id');
      return inserted.length;
    },

    recusals(meetingId: number, trx?: Knex.Transaction): Promise<RecusalRow[]> {
      return q(trx)
        .from('meeting_recusals as r')
        .join('dossiers as d', 'd.id', 'r.dossier_id')
        .join('users as ap', 'ap.id', 'd.applicant_id')
        .where('r.meeting_id', meetingId)
        .orderBy(['r.expert_id', 'r.dossier_id'])
        .select<RecusalRow[]>('r.expert_id', 'r.dossier_id', 'r.employer', 'ap.display_name as applicant_name');
    },

    attendance(meetingId: number, trx?: Knex.Transaction): Promise<AttendanceRow[]> {
      return q(trx)
        .from('meeting_experts as me')
        .join('experts as e', 'e.id', 'me.expert_id')
        .leftJoin('regions as r', 'r.code', 'e.region_code')
        .where('me.meeting_id', meetingId)
        .orderBy([{ column: 'me.group_no' }, { column: 'me.role', order: 'desc' }, { column: 'me.alt_order' }, { column: 'e.name' }])
        .select<AttendanceRow[]>(
          'me.expert_id',
          'e.name',
          'e.employer',
          'e.phone1',
          'e.phone1_enc',
          'e.specialty',
          'e.current_title',
          'e.is_chair',
          'e.region_code',
          'r.name as region_name',
          'me.draw_id',
          'me.group_no',
          'me.role',
          'me.alt_order',
          'me.attendance',
          'me.cancel_reason',
          'me.is_executive_chair',
          'me.promoted_for',
          'me.attendance_at',
        );
    },

    /** sets the attendance of experts still in the state the caller saw; the count says how many moved */
    async setAttendance(
      meetingId: number,
      expertIds: number[],
      from: Array<'pending' | 'confirmed' | 'cancelled'>,
      to: 'confirmed' | 'cancelled',
      reason: string | null,
      actorId: number | null,
      now: Date,
      trx: Knex.Transaction,
    ): Promise<number> {
      return trx('meeting_experts')
        .where({ meeting_id: meetingId })
        .whereIn('expert_id', expertIds)
        .whereIn('attendance', from)
        .update({ attendance: to, cancel_reason: reason, attendance_by: actorId, attendance_at: now, updated_at: now, ...(to === 'cancelled' ? { is_executive_chair: false } : {}) });
    },

    /** the next alternate of a group who has not cancelled (the first of `preferred` among them, if any), moved up to principal */
    async promoteNext(meetingId: number, groupNo: number, replacing: number, now: Date, trx: Knex.Transaction, preferred: number[] = []): Promise<number | null> {
      const waiting = await trx('meeting_experts')
        .where({ meeting_id: meetingId, group_no: groupNo, role: 'alternate' })
        .whereNot('attendance', 'cancelled')
        .orderBy('alt_order')
        .forUpdate()
        .select<Array<{ expert_id: number | string }>>('expert_id');
      const wanted = new Set(preferred.map(Number));
      const next = waiting.find((r) => wanted.has(Number(r.expert_id))) ?? waiting[0];
      if (!next) return null;
      const n = await trx('meeting_experts')
        .where({ meeting_id: meetingId, expert_id: next.expert_id, role: 'alternate' })
        .update({ role: 'principal', promoted_for: replacing, updated_at: now });
      if (n !== 1) throw new ConflictError('候补专家已递补，请刷新后重试');
      return Number(next.expert_id);
    },

    async setExecutiveChair(meetingId: number, expertId: number, now: Date, trx: Knex.Transaction): Promise<number> {
      await trx('meeting_experts').where({ meeting_id: meetingId, is_executive_chair: true }).whereNot('expert_id', expertId).update({ is_executive_chair: false, updated_at: now });
      return trx('meeting_experts').where({ meeting_id: meetingId, expert_id: expertId, attendance: 'confirmed', role: 'principal' }).update({ is_executive_chair: true, updated_at: now });
    },

    async addEvents(
      rows: Array<{ meeting_id: number; expert_id: number; action: string; reason: string | null; actor_id: number | null; actor_name: string; created_at: Date }>,
      trx: Knex.Transaction,
    ): Promise<void> {
      if (rows.length) await trx('meeting_expert_events').insert(rows);
    },

    events(meetingId: number, trx?: Knex.Transaction): Promise<MeetingExpertEventRow[]> {
      return q(trx)
        .from('meeting_expert_events as ev')
        .join('experts as e', 'e.id', 'ev.expert_id')
        .where('ev.meeting_id', meetingId)
        .orderBy('ev.id', 'desc')
        .select<MeetingExpertEventRow[]>('ev.id', 'ev.expert_id', 'e.name as expert_name', 'ev.action', 'ev.reason', 'ev.actor_name', 'ev.created_at');
    },

    async expertNames(ids: number[], trx?: Knex.Transaction): Promise<Map<number, { name: string; employer: string; currentTitle: string }>> {
      if (!ids.length) return new Map();
      const rows = await q(trx)<PoolRow>('experts').whereIn('id', ids).select('id', 'name', 'employer', 'current_title');
      return new Map(rows.map((r) => [Number(r.id), { name: r.name, employer: r.employer, currentTitle: r.current_title }]));
    },
  };
}

export type ExpertDrawRepository = ReturnType<typeof createExpertDrawRepository>;
