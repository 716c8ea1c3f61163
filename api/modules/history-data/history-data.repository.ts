import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import { normalise, openSealed, sealedWrite, type PiiCipher } from '../../src/pii.ts';
import { CERTIFICATES_SEALED } from '../certificates/certificates.pii.ts';
import { HISTORY_RECORDS_SEALED } from './history-data.pii.ts';
import type { AcquisitionType, KnownPerson, Problem, RecordValues, ReviewBodyScope } from './history-data.checks.ts';
import { usersByIdNumbers as accountsByIdNumbers } from '../staff/users.pii.ts';

type Db = Knex | Knex.Transaction;

/** A row of `history_bodies` as stored. */
export interface HistoryBodyRow {
  id: number;
  name: string;
  series: string[];
  levels: string[];
  owner_unit_id: number;
  status: 'active' | 'disabled';
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type UploadStatus = 'draft' | 'reviewing' | 'returned' | 'approved' | 'issuing' | 'issued';

/** A row of `history_uploads` as stored. */
export interface HistoryUploadRow {
  id: number;
  unit_id: number;
  created_by: number | null;
  acquisition_type: AcquisitionType;
  document_no: string;
  status: UploadStatus;
  issuer_unit_id: number | null;
  qualification_file_id: string | null;
  audit_path: Array<number | string>;
  current_unit_id: number | null;
  return_reason: string | null;
  return_count: number;
  instance_id: string | null;
  stamped_file_id: string | null;
  issued_by: number | null;
  version: number;
  created_at: Date;
  submitted_at: Date | null;
  approved_at: Date | null;
  issued_at: Date | null;
  /** live records, those with errors, those with a 高风险提醒 — kept by the triggers on `history_records` */
  total: number;
  bad: number;
  warned: number;
}

/** A row of `history_records` as stored. */
export interface HistoryRecordRow {
  id: number;
  upload_id: number;
  row_no: number;
  person_name: string;
  gender: string;
  id_number: string;
  birth_date: string;
  employer_name: string;
  series: string;
  specialty: string;
  title_name: string;
  level: string;
  acquisition: string;
  review_body: string;
  review_date: string;
  approval_date: string;
  document_no: string;
  errors: Problem[];
  warnings: Problem[];
  bad: boolean;
  issue_state: 'cancelled' | 'issued' | null;
  issue_reason: string | null;
  certificate_id: number | null;
  deleted_at: Date | null;
}

export interface CheckedRecord {
  rowNo: number;
  values: RecordValues;
  errors: Problem[];
  warnings: Problem[];
}

export const columnsOf = (v: RecordValues) => ({
  person_name: v.personName,
  gender: v.gender,
  id_number: v.idNumber.toUpperCase(),
  birth_date: v.birthDate,
  employer_name: v.employerName,
  series: v.series,
  specialty: v.specialty,
  title_name: v.titleName,
  level: v.level,
  acquisition: v.acquisition,
  review_body: v.reviewBody,
  review_date: v.reviewDate,
  approval_date: v.approvalDate,
  document_no: v.documentNo,
});

export const valuesOf = (r: HistoryRecordRow): RecordValues => ({
  personName: r.person_name,
  gender: r.gender,
  idNumber: r.id_number,
  birthDate: r.birth_date,
  employerName: r.employer_name,
  series: r.series,
  specialty: r.specialty,
  titleName: r.title_name,
  level: r.level,
  acquisition: r.acquisition,
  reviewBody: r.review_body,
  reviewDate: r.review_date,
  approvalDate: r.approval_date,
  documentNo: r.document_no,
});

/** The columns a record is stored with: the cells as typed, the ID number sealed (plain column empty) with its keyed hash. */
const storedColumnsOf = (cipher: PiiCipher, v: RecordValues) => ({
  ...columnsOf(v),
  ...sealedWrite(cipher, HISTORY_RECORDS_SEALED, { id_number: v.idNumber.toUpperCase() }),
});

/** A record as read: its ID number opened from the seal ('' for a row typed without one). */
const openRecord = (cipher: PiiCipher, r: HistoryRecordRow): HistoryRecordRow => {
  const row = openSealed(cipher, HISTORY_RECORDS_SEALED, r);
  return row.id_number == null ? { ...row, id_number: '' } : row;
};

const SERIES_KEY_OF_COMMITTEE = (series: string | null) => (series ? [series] : []);

/** 历史职称数据: review bodies, uploads and their records. */
export function createHistoryDataRepository(knex: Knex, cipher: PiiCipher) {
  const q = (trx?: Db) => trx ?? knex;
  return {
    // ---- 历史评审机构 ----
    async bodiesOf(ownerUnitId: number, trx?: Db): Promise<Array<HistoryBodyRow & { unit_ids: number[]; unit_names: string[] }>> {
      return q(trx)('history_bodies as b')
        .where('b.owner_unit_id', ownerUnitId)
        .select(
          'b.*',
          q(trx).raw('coalesce((select array_agg(u.id order by u.id) from history_body_units bu join units u on u.id = bu.unit_id where bu.body_id = b.id), array[]::bigint[]) as unit_ids'),
          q(trx).raw('coalesce((select array_agg(u.name order by u.id) from history_body_units bu join units u on u.id = bu.unit_id where bu.body_id = b.id), array[]::text[]) as unit_names'),
        )
        .orderBy('b.id');
    },
    async body(id: number, trx?: Db): Promise<HistoryBodyRow | undefined> {
      return q(trx)<HistoryBodyRow>('history_bodies').where({ id }).first();
    },
    async insertBody(row: Omit<HistoryBodyRow, 'id' | 'version'>, unitIds: number[], trx: Knex.Transaction): Promise<number> {
      const [created] = await trx('history_bodies').insert(row).returning('id');
      const id = Number(created.id);
      if (unitIds.length) await trx('history_body_units').insert(unitIds.map((unit_id) => ({ body_id: id, unit_id })));
      return id;
    },
    /** Guarded by the version the editor read: 0 rows means someone changed it first. */
    async updateBody(id: number, version: number, changes: Partial<Pick<HistoryBodyRow, 'name' | 'series' | 'levels' | 'status' | 'updated_at'>>, unitIds: number[] | null, trx: Knex.Transaction): Promise<void> {
      const count = await trx<HistoryBodyRow>('history_bodies').where({ id, version }).update({ ...changes, version: version + 1 });
      if (count !== 1) throw new ConflictError('该历史评审机构已被他人修改，请刷新后重试');
      if (unitIds) {
        await trx('history_body_units').where({ body_id: id }).delete();
        if (unitIds.length) await trx('history_body_units').insert(unitIds.map((unit_id) => ({ body_id: id, unit_id })));
      }
    },
    async nameTaken(ownerUnitId: number, name: string, exceptId: number | null, trx?: Db): Promise<boolean> {
      const row = await q(trx)('history_bodies').where({ owner_unit_id: ownerUnitId, name }).whereNot('id', exceptId ?? 0).first('id');
      return Boolean(row);
    },
    /** Active units in a subtree whose name contains the text (选择采集单位). */
    async unitsUnder(path: string, text: string, limit: number, trx?: Db): Promise<Array<{ id: number; name: string; unit_type: string }>> {
      const query = q(trx)('units').where('path', 'like', `${path}%`).where({ status: 'active' });
      if (text) query.where('name', 'like', `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      return query.select('id', 'name', 'unit_type').orderBy('path').limit(limit);
    },
    async unitsByIds(ids: number[], trx?: Db): Promise<Array<{ id: number; name: string; path: string; parent_id: number | null; status: string }>> {
      if (!ids.length) return [];
      return q(trx)('units').whereIn('id', ids).select('id', 'name', 'path', 'parent_id', 'status');
    },
    async unit(id: number, trx?: Db): Promise<{ id: number; name: string; path: string; parent_id: number | null } | undefined> {
      return q(trx)('units').where({ id }).first('id', 'name', 'path', 'parent_id');
    },

    /** The review bodies a unit may name in its rows: its filed committees and the active historical bodies assigned to it. */
    async reviewBodiesOf(unitId: number, trx?: Db): Promise<Map<string, ReviewBodyScope>> {
      const [committees, bodies] = await Promise.all([
        q(trx)('committees').where({ organizer_unit_id: unitId, filing_status: 'filed' }).select<Array<{ name: string; series: string | null; levels: string[] | null }>>('name', 'series', 'levels'),
        q(trx)('history_bodies as b')
          .join('history_body_units as bu', 'bu.body_id', 'b.id')
          .where({ 'bu.unit_id': unitId, 'b.status': 'active' })
          .select<Array<{ name: string; series: string[]; levels: string[] }>>('b.name', 'b.series', 'b.levels'),
      ]);
      const out = new Map<string, ReviewBodyScope>();
      for (const c of committees) out.set(c.name, { name: c.name, kind: 'committee', series: SERIES_KEY_OF_COMMITTEE(c.series), levels: c.levels ?? [] });
      for (const b of bodies) if (!out.has(b.name)) out.set(b.name, { name: b.name, kind: 'history', series: b.series ?? [], levels: b.levels ?? [] });
      return out;
    },

    // ---- uploads ----
    async insertUpload(row: { unit_id: number; created_by: number; acquisition_type: AcquisitionType; document_no: string; created_at: Date }, trx?: Db): Promise<number> {
      const [created] = await q(trx)('history_uploads').insert(row).returning('id');
      return Number(created.id);
    },
    async upload(id: number, trx?: Db): Promise<HistoryUploadRow | undefined> {
      return q(trx)<HistoryUploadRow>('history_uploads').where({ id }).first();
    },
    async uploadForUpdate(id: number, trx: Knex.Transaction): Promise<HistoryUploadRow | undefined> {
      return trx<HistoryUploadRow>('history_uploads').where({ id }).forUpdate().first();
    },
    /** Moves an upload on from the status the caller saw; 0 rows: someone else moved it first. */
    async setUpload(id: number, fromStatus: UploadStatus[], changes: Partial<HistoryUploadRow>, trx?: Db): Promise<void> {
      const count = await q(trx)<HistoryUploadRow>('history_uploads')
        .where({ id })
        .whereIn('status', fromStatus)
        .update({ ...changes, version: q(trx).raw('version + 1') } as never);
      if (count !== 1) throw new ConflictError('该批次的状态已变化，请刷新后重试');
    },
    async uploadsOf(unitId: number, trx?: Db): Promise<Array<HistoryUploadRow & { unit_name: string }>> {
      return q(trx)('history_uploads as h')
        .join('units as u', 'u.id', 'h.unit_id')
        .where('h.unit_id', unitId)
        .select('h.*', 'u.name as unit_name')
        .orderBy('h.id', 'desc');
    },
    /** Uploads waiting for a unit's review (its level now) or — issuer — approved and waiting to be issued. */
    async uploadsAt(unitId: number, statuses: UploadStatus[], by: 'current' | 'issuer', trx?: Db): Promise<Array<HistoryUploadRow & { unit_name: string }>> {
      return q(trx)('history_uploads as h')
        .join('units as u', 'u.id', 'h.unit_id')
        .where(by === 'current' ? 'h.current_unit_id' : 'h.issuer_unit_id', unitId)
        .whereIn('h.status', statuses)
        .select('h.*', 'u.name as unit_name')
        .orderBy('h.id');
    },
    /** The batch's counts as kept on its row (migration `20261208020000_history_upload_counts`). */
    async counts(uploadId: number, trx?: Db): Promise<{ total: number; bad: number; warned: number }> {
      const row = await q(trx)<HistoryUploadRow>('history_uploads').where({ id: uploadId }).first('total', 'bad', 'warned');
      return { total: Number(row?.total ?? 0), bad: Number(row?.bad ?? 0), warned: Number(row?.warned ?? 0) };
    },

    // ---- records ----
    async maxRowNo(uploadId: number, trx?: Db): Promise<number> {
      const row = await q(trx)('history_records').where({ upload_id: uploadId }).max<{ max: number | null }>('row_no as max').first();
      return Number(row?.max ?? 0);
    },
    /** 历史证书生成's groups: per upload and review body, how many are waiting, cancelled, issued. */
    async reviewBodyGroups(uploadIds: number[], trx?: Db): Promise<Array<{ upload_id: number; review_body: string; persons: number; pending: number; cancelled: number; issued: number }>> {
      if (!uploadIds.length) return [];
      return q(trx)('history_records')
        .whereIn('upload_id', uploadIds)
        .whereNull('deleted_at')
        .where({ bad: false })
        .groupBy('upload_id', 'review_body')
        .orderBy(['upload_id', 'review_body'])
        .select(
          'upload_id',
          'review_body',
          q(trx).raw('count(*)::int as persons'),
          q(trx).raw('(count(*) filter (where issue_state is null))::int as pending'),
          q(trx).raw("(count(*) filter (where issue_state = 'cancelled'))::int as cancelled"),
          q(trx).raw("(count(*) filter (where issue_state = 'issued'))::int as issued"),
        );
    },
    async insertRecords(uploadId: number, records: CheckedRecord[], trx?: Db): Promise<void> {
      if (!records.length) return;
      await q(trx)('history_records').insert(
        records.map((r) => ({
          upload_id: uploadId,
          row_no: r.rowNo,
          ...storedColumnsOf(cipher, r.values),
          errors: JSON.stringify(r.errors),
          warnings: JSON.stringify(r.warnings),
          bad: r.errors.length > 0,
        })),
      );
    },
    async records(uploadId: number, filter: { bad?: boolean; ids?: number[]; issueState?: 'pending' | 'cancelled' | 'issued' }, page: { offset: number; limit: number } | null, trx?: Db): Promise<HistoryRecordRow[]> {
      const query = q(trx)<HistoryRecordRow>('history_records').where({ upload_id: uploadId }).whereNull('deleted_at');
      if (filter.bad != null) query.where({ bad: filter.bad });
      if (filter.ids) query.whereIn('id', filter.ids);
      if (filter.issueState === 'pending') query.whereNull('issue_state');
      else if (filter.issueState) query.where({ issue_state: filter.issueState });
      query.orderBy('row_no').orderBy('id');
      if (page) query.offset(page.offset).limit(page.limit);
      return (await query).map((r) => openRecord(cipher, r as HistoryRecordRow));
    },
    async record(uploadId: number, id: number, trx?: Db): Promise<HistoryRecordRow | undefined> {
      const row = await q(trx)<HistoryRecordRow>('history_records').where({ upload_id: uploadId, id }).whereNull('deleted_at').first();
      return row && openRecord(cipher, row as HistoryRecordRow);
    },
    async updateRecord(id: number, values: RecordValues, errors: Problem[], warnings: Problem[], trx?: Db): Promise<void> {
      await q(trx)('history_records')
        .where({ id })
        .whereNull('deleted_at')
        .update({ ...storedColumnsOf(cipher, values), errors: JSON.stringify(errors), warnings: JSON.stringify(warnings), bad: errors.length > 0 });
    },
    async deleteRecords(uploadId: number, filter: { ids?: number[]; bad?: boolean }, at: Date, trx?: Db): Promise<number> {
      const query = q(trx)('history_records').where({ upload_id: uploadId }).whereNull('deleted_at');
      if (filter.ids) query.whereIn('id', filter.ids);
      if (filter.bad != null) query.where({ bad: filter.bad });
      return query.update({ deleted_at: at });
    },
    /**
     * 退回 of doubtful persons at issuing: their records move to a new batch of the uploading unit
     * (待提交, with the reason), to be fixed and submitted again; the rest of the batch goes on.
     */
    async splitOff(upload: HistoryUploadRow, ids: number[], reason: string, at: Date, trx: Knex.Transaction): Promise<{ uploadId: number; moved: number }> {
      const [created] = await trx('history_uploads')
        .insert({ unit_id: upload.unit_id, created_by: upload.created_by, acquisition_type: upload.acquisition_type, document_no: upload.document_no, return_reason: reason, created_at: at })
        .returning('id');
      const uploadId = Number(created.id);
      const moved = await trx('history_records')
        .where({ upload_id: upload.id })
        .whereIn('id', ids)
        .whereNull('deleted_at')
        .where((w) => w.whereNull('issue_state').orWhere('issue_state', 'cancelled'))
        .update({ upload_id: uploadId, issue_state: null, issue_reason: null });
      if (moved !== new Set(ids).size) throw new ConflictError('所选人员不在本批次待发证名单中，请刷新后重试');
      return { uploadId, moved };
    },
    /** 取消发证 (state cancelled) or back to 待发证 (null); issued records stay issued. */
    async setIssueState(uploadId: number, ids: number[], state: 'cancelled' | null, reason: string | null, trx?: Db): Promise<number> {
      return q(trx)('history_records')
        .where({ upload_id: uploadId })
        .whereIn('id', ids)
        .whereNull('deleted_at')
        .where((w) => w.whereNull('issue_state').orWhere('issue_state', 'cancelled'))
        .update({ issue_state: state, issue_reason: reason });
    },
    async markIssued(uploadId: number, issued: Array<{ sourceId: number; id: number }>, trx?: Db): Promise<void> {
      for (const c of issued) await q(trx)('history_records').where({ upload_id: uploadId, id: c.sourceId }).update({ issue_state: 'issued', certificate_id: c.id });
    },

    /**
     * What the system holds about these ID numbers (高风险提醒): accounts, the history records of
     * other uploads, and certificates already issued. Records and certificates are found by the
     * keyed hash of the number (their plain column is sealed), or by the plain column for a row
     * the sealer has not reached yet.
     */
    async knownPersons(idNumbers: string[], exceptUploadId: number, trx?: Db): Promise<Map<string, KnownPerson[]>> {
      const out = new Map<string, KnownPerson[]>();
      if (!idNumbers.length) return out;
      const push = (id: string, k: KnownPerson) => out.set(id, [...(out.get(id) ?? []), k]);
      const byHash = new Map(idNumbers.map((id) => [cipher.hash('idNumber', id), id]));
      const hashes = [...byHash.keys()];
      const plain = [...new Set(idNumbers.flatMap((id) => [id, normalise('idNumber', id), id.toLowerCase()]))];
      // the ID number a found row answers for: the asked one its hash stands for, else its own plain value
      const asked = <R extends { id_number: string | null; id_number_hash: string | null }>(rows: R[]) =>
        rows.map((r) => ({ ...r, id_number: (r.id_number_hash ? byHash.get(r.id_number_hash) : undefined) ?? normalise('idNumber', r.id_number ?? '') }));
      // one after the other: inside a transaction the three share one connection
      const [users, records, certificates] = [
        // accounts by the ID number's keyed hash (users.pii.ts), keyed back by the numbers as given
        (await accountsByIdNumbers(q(trx), idNumbers)).flatMap((u) => idNumbers.filter((v) => v.trim().toUpperCase() === u.idNumber).map((v) => ({ id_number: v, display_name: u.displayName }))),
        await q(trx)('history_records as r')
          .join('history_uploads as h', 'h.id', 'r.upload_id')
          .where((w) => w.whereIn('r.id_number_hash', hashes).orWhereIn('r.id_number', plain))
          .whereNot('r.upload_id', exceptUploadId)
          .whereNull('r.deleted_at')
          .where('r.bad', false)
          .distinct<Array<{ id_number: string | null; id_number_hash: string | null; person_name: string; birth_date: string }>>('r.id_number', 'r.id_number_hash', 'r.person_name', 'r.birth_date')
          .then(asked),
        await q(trx)(CERTIFICATES_SEALED.table)
          .where((w) => w.whereIn('id_number_hash', hashes).orWhereIn('id_number', plain))
          .where({ status: 'valid' })
          .select<Array<{ id_number: string | null; id_number_hash: string | null; person_name: string; title_name: string; level: string; series: string }>>('id_number', 'id_number_hash', 'person_name', 'title_name', 'level', 'series')
          .then(asked),
      ];
      for (const u of users) push(u.id_number, { source: 'user', name: u.display_name, birthDate: null });
      for (const r of records) push(r.id_number, { source: 'history', name: r.person_name, birthDate: normaliseBirth(r.birth_date) });
      for (const c of certificates) push(c.id_number, { source: 'certificate', name: c.person_name, birthDate: null, titleName: c.title_name, level: c.level, series: c.series });
      return out;
    },

    /** Accounts by ID number (a certificate is linked to the person's account when there is one). */
    async usersByIdNumbers(idNumbers: string[], trx?: Db): Promise<Map<string, number>> {
      if (!idNumbers.length) return new Map();
      const accounts = await accountsByIdNumbers(q(trx), idNumbers);
      const byNumber = new Map(accounts.map((u) => [u.idNumber, u.id]));
      return new Map([...new Set(idNumbers)].filter((v) => byNumber.has(v.trim().toUpperCase())).map((v) => [v, byNumber.get(v.trim().toUpperCase())!]));
    },
    /** After generation: each record issued points at its certificate. */
    async linkCertificates(uploadId: number, trx?: Db): Promise<number> {
      return q(trx)('history_records')
        .where({ upload_id: uploadId, bad: false })
        .whereNull('issue_state')
        .whereNull('deleted_at')
        .update({
          issue_state: 'issued',
          certificate_id: q(trx).raw("(select c.id from certificates c where c.source_type = 'history' and c.source_id = history_records.id)"),
        });
    },
    /** The open tasks of an upload's case (its 多岗审核 sub-flows included). */
    async openSteps(instanceId: string, trx?: Db): Promise<Array<{ id: string; form_key: string | null; name: string; element_id: string }>> {
      return q(trx)('tasks').where({ root_instance_id: instanceId, status: 'open' }).select('id', 'form_key', 'name', 'element_id').orderBy('created_at');
    },
    async ownFile(fileId: string, userId: number, trx?: Db): Promise<boolean> {
      const row = await q(trx)('files').where({ id: fileId, uploaded_by: userId }).first('id');
      return Boolean(row);
    },
    async uploadsOfFile(fileId: string, trx?: Db): Promise<HistoryUploadRow[]> {
      return q(trx)<HistoryUploadRow>('history_uploads').where({ qualification_file_id: fileId }).orWhere({ stamped_file_id: fileId });
    },
  };
}

function normaliseBirth(v: string): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

export type HistoryDataRepository = ReturnType<typeof createHistoryDataRepository>;
