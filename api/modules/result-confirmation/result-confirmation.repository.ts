import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import { startingWith } from '../../src/list-query.ts';
import { openUserIdNumber } from '../staff/users.pii.ts';

type Db = Knex | Knex.Transaction;

/** The candidate's place in 评审结果确认 (`result_confirmations.state`). */
export type ConfirmationState = 'confirming' | 'supplement' | 'passed' | 'failed';

export const STATE_LABELS: Record<ConfirmationState, string> = {
  confirming: '确认中',
  supplement: '补充材料',
  passed: '确认通过',
  failed: '不通过',
};

/** A row of `result_confirmations` as stored. */
export interface ResultConfirmationRow {
  meeting_id: number;
  dossier_id: number;
  unit_id: number;
  delegated: boolean;
  state: ConfirmationState;
  return_reason: string | null;
  returned_at: Date | null;
  return_count: number;
  reason: string | null;
  decided_at: Date | null;
  approval_date: string | null;
  created_at: Date;
}

/** What 分组 reads of the meeting handed over: its committee's organiser and 授权管理单位. */
export interface MeetingOfConfirmationRow {
  id: number;
  name: string;
  committee_id: number;
  committee_name: string;
  organizer_unit_id: number;
  issuer_unit_id: number | null;
}

/** One candidate as the confirmation pages list it. */
export interface CandidateRow extends ResultConfirmationRow {
  applicant_name: string;
  id_number: string | null;
  employer: string | null;
  series: string | null;
  level: string | null;
  specialty: string | null;
  dossier_status: string;
  document_no: string | null;
  review_status: string | null;
  result_round: string | null;
  unit_name: string;
  handed_at: Date | null;
  /** the issuer's 取消发证 reason while the candidate is back with the committee */
  certificate_return_reason: string | null;
  meeting_name: string;
  committee_name: string;
  activity_name: string;
}

/** An open step of a candidate's confirmation (材料审阅, 岗位审核, 结果确认, 补充材料), with whose case it is. */
export interface OpenStepRow {
  id: string;
  element_id: string;
  form_key: string | null;
  name: string;
  dossier_id: number;
}

export interface ConfirmationFileRow {
  meeting_id: number;
  unit_id: number;
  kind: 'qualification' | 'report';
  file_id: string;
  name: string;
  uploaded_at: Date;
}

export const businessKeyOf = (meetingId: number) => `confirmation:meeting:${meetingId}`;

/** Whose candidates of a meeting a list shows, and how it is narrowed (a page at a time). */
export interface ConfirmationFilter {
  /** the confirming unit's own (and direct or 委托); absent: the organiser's whole meeting */
  unitId?: number;
  delegated?: boolean;
  state?: ResultConfirmationRow['state'];
  /** the start of the applicant's name */
  name?: string;
}

/** A meeting's candidates by state, and those confirmed but not yet handed over for certificates. */
export interface ConfirmationCounts {
  confirming: number;
  supplement: number;
  passed: number;
  failed: number;
  notHandedOver: number;
}

/** A meeting a confirming unit confirms candidates of, with its counts (线上评审结果确认's cards). */
export interface UnitMeetingRow {
  meeting_id: number;
  meeting_name: string;
  committee_name: string;
  activity_name: string;
  total: number;
  confirming: number;
}

/** 评审结果确认: the candidates handed over, their files, the handover to certificates and the 办结. */
export function createResultConfirmationRepository(knex: Knex) {
  const q = (trx?: Db): Db => trx ?? knex;

  const candidates = (db: Db) =>
    db('result_confirmations as rc')
      .join('dossiers as d', 'd.id', 'rc.dossier_id')
      .join('users as u', 'u.id', 'd.applicant_id')
      .join('units as cu', 'cu.id', 'rc.unit_id')
      .join('review_meetings as m', 'm.id', 'rc.meeting_id')
      .join('committees as c', 'c.id', 'm.committee_id')
      .join('activities as a', 'a.id', 'm.activity_id')
      .leftJoin('units as e', 'e.id', 'd.employer_unit_id')
      .leftJoin('meeting_candidates as mc', (j) => j.on('mc.meeting_id', 'rc.meeting_id').andOn('mc.dossier_id', 'rc.dossier_id'))
      .leftJoin('certificate_handovers as h', (j) => j.on('h.meeting_id', 'rc.meeting_id').andOn('h.dossier_id', 'rc.dossier_id'))
      .select(
        'rc.*',
        db.raw("to_char(rc.approval_date, 'YYYY-MM-DD') as approval_date"),
        'u.display_name as applicant_name',
        'u.id_number',
        'u.id_number_enc',
        'e.name as employer',
        'd.series',
        'd.level',
        'd.specialty',
        'd.status as dossier_status',
        'd.document_no',
        'mc.status as review_status',
        'mc.result_round',
        'cu.name as unit_name',
        // 取消发证 by the issuer hands the candidate back: not handed over, with the issuer's reason
        db.raw('case when h.returned_at is null then h.handed_at end as handed_at'),
        db.raw('case when h.returned_at is not null then h.return_reason end as certificate_return_reason'),
        'm.name as meeting_name',
        'c.name as committee_name',
        'a.name as activity_name',
      )
      .orderBy([{ column: 'rc.meeting_id' }, { column: 'mc.order_no' }, { column: 'rc.dossier_id' }]);

  return {
    async meetingOf(meetingId: number, trx?: Db): Promise<MeetingOfConfirmationRow | undefined> {
      return q(trx)('review_meetings as m')
        .join('committees as c', 'c.id', 'm.committee_id')
        .where('m.id', meetingId)
        .first<MeetingOfConfirmationRow | undefined>('m.id', 'm.name', 'm.committee_id', 'c.name as committee_name', 'c.organizer_unit_id', 'c.issuer_unit_id');
    },

    /** The dossiers handed over, with what decides their confirming unit. */
    async dossiersToGroup(dossierIds: number[], trx?: Db) {
      if (!dossierIds.length) return [];
      return q(trx)('dossiers as d')
        .join('users as u', 'u.id', 'd.applicant_id')
        .whereIn('d.id', dossierIds)
        .orderBy('d.id')
        .select<Array<{ id: number; applicant_name: string; delegated_by_unit_id: number | null }>>('d.id', 'u.display_name as applicant_name', 'd.delegated_by_unit_id');
    },

    async unitNames(unitIds: number[], trx?: Db): Promise<Map<number, string>> {
      const rows = unitIds.length ? await q(trx)('units').whereIn('id', unitIds).select<Array<{ id: number; name: string }>>('id', 'name') : [];
      return new Map(rows.map((r) => [Number(r.id), r.name]));
    },

    async unitsWithPosts(unitIds: number[], trx?: Db): Promise<Set<number>> {
      const rows = unitIds.length
        ? await q(trx)('review_levels').whereIn('unit_id', unitIds).where({ matter_type: 'result_confirmation' }).distinct<Array<{ unit_id: number }>>('unit_id')
        : [];
      return new Set(rows.map((r) => Number(r.unit_id)));
    },

    /** Records the handed-over candidates; a retried 分组 finds them there and adds nothing. */
    async insertCandidates(rows: Array<{ meetingId: number; dossierId: number; unitId: number; delegated: boolean }>, at: Date, trx: Db): Promise<void> {
      if (!rows.length) return;
      await trx('result_confirmations')
        .insert(rows.map((r) => ({ meeting_id: r.meetingId, dossier_id: r.dossierId, unit_id: r.unitId, delegated: r.delegated, state: 'confirming', created_at: at })))
        .onConflict(['meeting_id', 'dossier_id'])
        .ignore();
    },

    async get(meetingId: number, dossierId: number, trx?: Db): Promise<ResultConfirmationRow | undefined> {
      return q(trx)<ResultConfirmationRow>('result_confirmations').where({ meeting_id: meetingId, dossier_id: dossierId }).first();
    },

    async markReturned(meetingId: number, dossierId: number, reason: string, at: Date, trx: Db): Promise<void> {
      const n = await trx('result_confirmations')
        .where({ meeting_id: meetingId, dossier_id: dossierId, state: 'confirming' })
        .update({ state: 'supplement', return_reason: reason, returned_at: at, return_count: trx.raw('return_count + 1') });
      if (n !== 1) throw new ConflictError('该申报人不在确认中，不能退回补充材料');
    },

    async markResubmitted(meetingId: number, dossierId: number, trx: Db): Promise<void> {
      const n = await trx('result_confirmations').where({ meeting_id: meetingId, dossier_id: dossierId, state: 'supplement' }).update({ state: 'confirming' });
      if (n !== 1) throw new ConflictError('该申报人不在补充材料中');
    },

    async markDecided(meetingId: number, dossierId: number, passed: boolean, reason: string | null, at: Date, trx: Db): Promise<void> {
      const n = await trx('result_confirmations')
        .where({ meeting_id: meetingId, dossier_id: dossierId, state: 'confirming' })
        .update({ state: passed ? 'passed' : 'failed', reason, decided_at: at });
      if (n !== 1) throw new ConflictError('该申报人的确认结果已登记');
    },

    /** One page of a meeting's candidates in the meeting's order, narrowed, with how many match. */
    async pageOfMeeting(meetingId: number, filter: ConfirmationFilter, offset: number, limit: number, trx?: Db): Promise<{ rows: CandidateRow[]; total: number }> {
      const narrowed = (qb: Knex.QueryBuilder) => {
        qb.where('rc.meeting_id', meetingId);
        if (filter.unitId != null) qb.where('rc.unit_id', filter.unitId);
        if (filter.delegated != null) qb.where('rc.delegated', filter.delegated);
        if (filter.state) qb.where('rc.state', filter.state);
        return qb;
      };
      const named = (qb: Knex.QueryBuilder) => {
        if (filter.name) qb.join('dossiers as d', 'd.id', 'rc.dossier_id').join('users as u', 'u.id', 'd.applicant_id').where('u.display_name', 'like', startingWith(filter.name));
        return qb;
      };
      const [row] = await named(narrowed(q(trx)('result_confirmations as rc'))).count<Array<{ count: string }>>({ count: '*' });
      const total = Number(row?.count ?? 0);
      if (!total || offset >= total) return { rows: [], total };
      // the page's candidates first, in the meeting's order (two keys), then their rows with every join
      const ids = (await named(narrowed(q(trx)('result_confirmations as rc')))
        .leftJoin('meeting_candidates as mc', (j) => j.on('mc.meeting_id', 'rc.meeting_id').andOn('mc.dossier_id', 'rc.dossier_id'))
        .orderBy([{ column: 'mc.order_no' }, { column: 'rc.dossier_id' }])
        .offset(offset)
        .limit(limit)
        .pluck('rc.dossier_id')) as Array<number | string>;
      const rows = (await candidates(q(trx)).where('rc.meeting_id', meetingId).whereIn('rc.dossier_id', ids.map(Number))) as CandidateRow[];
      return { rows: rows.map((r) => openUserIdNumber(q(trx), r)), total };
    },

    /** The counts of a meeting's candidates (the unit's own, or all), by state. */
    async countsOfMeeting(meetingId: number, filter: Pick<ConfirmationFilter, 'unitId' | 'delegated'>, trx?: Db): Promise<ConfirmationCounts> {
      const query = q(trx)('result_confirmations as rc')
        .leftJoin('certificate_handovers as h', (j) => j.on('h.meeting_id', 'rc.meeting_id').andOn('h.dossier_id', 'rc.dossier_id'))
        .where('rc.meeting_id', meetingId)
        .select(
          knex.raw("count(*) filter (where rc.state = 'confirming')::int as confirming"),
          knex.raw("count(*) filter (where rc.state = 'supplement')::int as supplement"),
          knex.raw("count(*) filter (where rc.state = 'passed')::int as passed"),
          knex.raw("count(*) filter (where rc.state = 'failed')::int as failed"),
          knex.raw("count(*) filter (where rc.state = 'passed' and (h.handed_at is null or h.returned_at is not null))::int as not_handed_over"),
        );
      if (filter.unitId != null) query.where('rc.unit_id', filter.unitId);
      if (filter.delegated != null) query.where('rc.delegated', filter.delegated);
      const [r] = (await query) as Array<{ confirming: number; supplement: number; passed: number; failed: number; not_handed_over: number }>;
      return { confirming: r?.confirming ?? 0, supplement: r?.supplement ?? 0, passed: r?.passed ?? 0, failed: r?.failed ?? 0, notHandedOver: r?.not_handed_over ?? 0 };
    },

    /** The meetings whose candidates the unit confirms (direct or 委托), newest first, with their counts. */
    async meetingsOfUnit(unitId: number, delegated: boolean, trx?: Db): Promise<UnitMeetingRow[]> {
      const rows = await q(trx)('result_confirmations as rc')
        .join('review_meetings as m', 'm.id', 'rc.meeting_id')
        .join('committees as c', 'c.id', 'm.committee_id')
        .join('activities as a', 'a.id', 'm.activity_id')
        .where({ 'rc.unit_id': unitId, 'rc.delegated': delegated })
        .groupBy('m.id', 'c.name', 'a.name')
        .orderBy('m.id', 'desc')
        .select('m.id as meeting_id', 'm.name as meeting_name', 'c.name as committee_name', 'a.name as activity_name', knex.raw('count(*)::int as total'), knex.raw("(count(*) filter (where rc.state = 'confirming'))::int as confirming"));
      return rows as UnitMeetingRow[];
    },

    /** One candidate of the meeting's confirmation, as the lists show it. */
    async candidateOf(meetingId: number, dossierId: number, trx?: Db): Promise<CandidateRow | undefined> {
      const [row] = (await candidates(q(trx)).where({ 'rc.meeting_id': meetingId, 'rc.dossier_id': dossierId })) as CandidateRow[];
      return row ? openUserIdNumber(q(trx), row) : undefined;
    },

    async ofMeeting(meetingId: number, trx?: Db): Promise<CandidateRow[]> {
      return ((await candidates(q(trx)).where('rc.meeting_id', meetingId)) as CandidateRow[]).map((r) => openUserIdNumber(q(trx), r));
    },

    async ofMeetingAndUnit(meetingId: number, unitId: number, trx?: Db): Promise<CandidateRow[]> {
      return ((await candidates(q(trx)).where({ 'rc.meeting_id': meetingId, 'rc.unit_id': unitId })) as CandidateRow[]).map((r) => openUserIdNumber(q(trx), r));
    },

    /** Whether the unit confirms anyone of the meeting (its scope on the meeting's confirmation). */
    /** The meetings whose confirmation holds the file (任职资格文件 or 评审工作报告). */
    async meetingsOfFile(fileId: string, trx?: Db): Promise<number[]> {
      return (await q(trx)('confirmation_files').where({ file_id: fileId }).distinct<Array<{ meeting_id: number }>>('meeting_id')).map((r) => Number(r.meeting_id));
    },

    async unitConfirms(meetingId: number, unitId: number, trx?: Db): Promise<boolean> {
      return Boolean(await q(trx)('result_confirmations').where({ meeting_id: meetingId, unit_id: unitId }).first('dossier_id'));
    },

    /** The open steps of the meeting's confirmation case, each with its candidate (none for 办结). */
    async openSteps(meetingId: number, trx?: Db, only?: { dossierIds?: number[]; formKeys?: string[] }): Promise<OpenStepRow[]> {
      if (only?.dossierIds?.length === 0) return [];
      const query = q(trx)('tasks as t')
        .join('process_instances as i', 'i.id', 't.instance_id')
        .where({ 'i.business_key': businessKeyOf(meetingId), 't.status': 'open' });
      // a page's candidates (the steps of the others are not read)
      if (only?.dossierIds) query.whereRaw("(i.variables->>'dossierId') = any(?)", [only.dossierIds.map(String)]);
      if (only?.formKeys) query.whereIn('t.form_key', only.formKeys);
      const rows = await query
        .select<Array<{ id: string; element_id: string; form_key: string | null; name: string; dossier_id: string | number | null }>>(
          't.id',
          't.element_id',
          't.form_key',
          't.name',
          q(trx).raw("(i.variables->>'dossierId') as dossier_id"),
        )
        .orderBy('t.created_at');
      return rows.map((r) => ({ ...r, dossier_id: r.dossier_id == null ? 0 : Number(r.dossier_id) }));
    },

    async file(meetingId: number, unitId: number, kind: 'qualification' | 'report', trx?: Db): Promise<ConfirmationFileRow | undefined> {
      return q(trx)('confirmation_files as cf')
        .join('files as f', 'f.id', 'cf.file_id')
        .where({ 'cf.meeting_id': meetingId, 'cf.unit_id': unitId, 'cf.kind': kind })
        .first<ConfirmationFileRow | undefined>('cf.*', 'f.name');
    },

    async filesOfMeeting(meetingId: number, trx?: Db): Promise<ConfirmationFileRow[]> {
      return q(trx)('confirmation_files as cf').join('files as f', 'f.id', 'cf.file_id').where('cf.meeting_id', meetingId).select<ConfirmationFileRow[]>('cf.*', 'f.name');
    },

    async putFile(meetingId: number, unitId: number, kind: 'qualification' | 'report', fileId: string, userId: number, at: Date, trx?: Db): Promise<void> {
      await q(trx)('confirmation_files')
        .insert({ meeting_id: meetingId, unit_id: unitId, kind, file_id: fileId, uploaded_by: userId, uploaded_at: at })
        .onConflict(['meeting_id', 'unit_id', 'kind'])
        .merge(['file_id', 'uploaded_by', 'uploaded_at']);
    },

    /** An uploaded file of this user not yet part of a case (what may become a confirmation's file). */
    async ownFile(fileId: string, userId: number, trx?: Db): Promise<{ id: string; name: string } | undefined> {
      return q(trx)('files').where({ id: fileId, uploaded_by: userId }).first<{ id: string; name: string } | undefined>('id', 'name');
    },

    /** 批量设置职称文件文号: the number on the dossiers, the approval date on the confirmation. */
    async setDocumentNo(meetingId: number, dossierIds: number[], documentNo: string, approvalDate: string, trx: Db): Promise<void> {
      const n = await trx('result_confirmations').where({ meeting_id: meetingId, state: 'passed' }).whereIn('dossier_id', dossierIds).update({ approval_date: approvalDate });
      if (n !== dossierIds.length) throw new ConflictError('所选人员已变化，请刷新后重试');
      await trx('dossiers').whereIn('id', dossierIds).update({ document_no: documentNo });
    },

    /** 提交发证信息: hands the candidates to certificate issuance once each. */
    async handOver(meetingId: number, rows: Array<{ dossierId: number; documentNo: string; approvalDate: string }>, userId: number, at: Date, trx: Db): Promise<number> {
      if (!rows.length) return 0;
      const inserted = await trx('certificate_handovers')
        .insert(rows.map((r) => ({ meeting_id: meetingId, dossier_id: r.dossierId, document_no: r.documentNo, approval_date: r.approvalDate, handed_by: userId, handed_at: at })))
        .onConflict(['meeting_id', 'dossier_id'])
        // a candidate the issuer cancelled (取消发证) is handed over again; one still handed over is left alone
        .merge({ document_no: trx.raw('excluded.document_no'), approval_date: trx.raw('excluded.approval_date'), handed_by: trx.raw('excluded.handed_by'), handed_at: trx.raw('excluded.handed_at'), returned_at: null, return_reason: null })
        .where('certificate_handovers.returned_at', 'is not', null)
        .returning('dossier_id');
      return inserted.length;
    },

    async dossierData(dossierId: number, trx?: Db) {
      return q(trx)('dossiers').where({ id: dossierId }).first<{ data: Record<string, unknown> | null; instance_id: string | null } | undefined>('data', 'instance_id');
    },

    async closure(meetingId: number, trx?: Db): Promise<{ closed_at: Date } | undefined> {
      return q(trx)('confirmation_closures').where({ meeting_id: meetingId }).first<{ closed_at: Date } | undefined>('closed_at');
    },

    async close(meetingId: number, at: Date, trx: Db): Promise<void> {
      await trx('confirmation_closures').insert({ meeting_id: meetingId, closed_at: at }).onConflict('meeting_id').ignore();
    },

    /** Passed candidates whose certificate is not issued yet (办结 waits for them). */
    async pendingCertificates(meetingId: number, trx?: Db): Promise<Array<{ dossier_id: number; applicant_name: string }>> {
      return q(trx)('result_confirmations as rc')
        .join('dossiers as d', 'd.id', 'rc.dossier_id')
        .join('users as u', 'u.id', 'd.applicant_id')
        .where({ 'rc.meeting_id': meetingId, 'rc.state': 'passed' })
        .whereNot('d.status', 'certified')
        .select<Array<{ dossier_id: number; applicant_name: string }>>('rc.dossier_id', 'u.display_name as applicant_name')
        .orderBy('rc.dossier_id');
    },
  };
}

export type ResultConfirmationRepository = ReturnType<typeof createResultConfirmationRepository>;
