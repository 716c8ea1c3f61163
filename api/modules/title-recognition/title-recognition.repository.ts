import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import { whereSealedIs, type PiiCipher } from '../../src/pii.ts';
import { RECOGNITIONS_SEALED } from './title-recognition.pii.ts';

type Db = Knex | Knex.Transaction;

export type RecognitionStatus = 'reviewing' | 'returned' | 'confirmed' | 'rejected';

/**
 * A row of `title_recognitions` as read: `id_number` is the plain column (empty once sealed) until
 * the service or the flow opens the row (`openSealed` with RECOGNITIONS_SEALED).
 */
export interface RecognitionRow {
  id: number;
  user_id: number;
  unit_id: number;
  person_name: string;
  id_number: string | null;
  id_number_enc?: string | null;
  series: string;
  specialty: string;
  title_name: string;
  level: string;
  acquisition: string;
  original_body: string;
  obtained_date: string;
  original_document_no: string;
  certificate_file_id: string;
  qualification_file_id: string;
  reason: string;
  status: RecognitionStatus;
  audit_path: Array<number | string>;
  confirm_unit_id: number;
  current_unit_id: number | null;
  return_reason: string | null;
  return_count: number;
  reject_reason: string | null;
  instance_id: string | null;
  approval_date: string | null;
  document_no: string | null;
  certificate_id: number | null;
  version: number;
  created_at: Date;
  submitted_at: Date;
  decided_at: Date | null;
}

export interface UnitRow {
  id: number;
  name: string;
  path: string;
  unit_type: string;
  status: string;
}

export interface RecognitionFilter {
  status?: RecognitionStatus;
  q?: string;
  series?: string;
  level?: string;
}

/** SQL of 职称确认审核: the records, the units of their chain, the open steps of their flow. */
export function createRecognitionRepository(db: Knex) {
  const q = (trx?: Db) => trx ?? db;
  return {
    /** `row` carries the ID number sealed (`sealedWrite`): its plain column empty. */
    async insert(row: Omit<RecognitionRow, 'id' | 'version' | 'return_count' | 'current_unit_id' | 'return_reason' | 'reject_reason' | 'instance_id' | 'approval_date' | 'document_no' | 'certificate_id' | 'decided_at' | 'status'>, trx?: Db): Promise<number> {
      try {
        const [r] = await q(trx)('title_recognitions').insert(row).returning('id');
        return Number((r as { id: number }).id);
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new ConflictError(`“${row.title_name}”已有在审核中的确认申请，请勿重复提交`);
        throw err;
      }
    },
    async get(id: number, trx?: Db): Promise<(RecognitionRow & { unit_name: string; current_unit_name: string | null; confirm_unit_name: string }) | undefined> {
      return q(trx)('title_recognitions as r')
        .join('units as u', 'u.id', 'r.unit_id')
        .join('units as c', 'c.id', 'r.confirm_unit_id')
        .leftJoin('units as cu', 'cu.id', 'r.current_unit_id')
        .where('r.id', id)
        .first('r.*', 'u.name as unit_name', 'c.name as confirm_unit_name', 'cu.name as current_unit_name');
    },
    async forUpdate(id: number, trx: Knex.Transaction): Promise<RecognitionRow | undefined> {
      return trx<RecognitionRow>('title_recognitions').where({ id }).forUpdate().first();
    },
    /** A guarded change: only from the given states, else someone else moved it (409). */
    async set(id: number, fromStatus: RecognitionStatus[], changes: Partial<RecognitionRow>, trx?: Db): Promise<void> {
      const count = await q(trx)('title_recognitions')
        .where({ id })
        .whereIn('status', fromStatus)
        .update({ ...changes, version: q(trx).raw('version + 1') } as never)
        .catch((err: unknown) => {
          if ((err as { code?: string }).code === '23505') throw new ConflictError('该职称已有在审核中的确认申请，请勿重复提交');
          throw err;
        });
      if (count !== 1) throw new ConflictError('该职称确认申请的状态已变化，请刷新后重试');
    },
    async ofUser(userId: number, trx?: Db) {
      return q(trx)('title_recognitions as r')
        .join('units as u', 'u.id', 'r.unit_id')
        .join('units as c', 'c.id', 'r.confirm_unit_id')
        .leftJoin('units as cu', 'cu.id', 'r.current_unit_id')
        .where('r.user_id', userId)
        .select('r.*', 'u.name as unit_name', 'c.name as confirm_unit_name', 'cu.name as current_unit_name')
        .orderBy('r.id', 'desc') as Promise<Array<RecognitionRow & { unit_name: string; current_unit_name: string | null; confirm_unit_name: string }>>;
    },
    /** 职称确认审核: records on whose path the unit is (pending ones first, then what it saw pass). */
    async onPath(unitId: number, filter: RecognitionFilter, pendingOnly: boolean, trx?: Db) {
      const query = q(trx)('title_recognitions as r')
        .join('units as u', 'u.id', 'r.unit_id')
        .join('units as c', 'c.id', 'r.confirm_unit_id')
        .leftJoin('units as cu', 'cu.id', 'r.current_unit_id')
        .whereRaw('? = any(r.audit_path)', [unitId])
        .select('r.*', 'u.name as unit_name', 'c.name as confirm_unit_name', 'cu.name as current_unit_name')
        .orderBy('r.submitted_at', 'desc')
        .limit(500);
      if (pendingOnly) query.where({ 'r.current_unit_id': unitId, 'r.status': 'reviewing' });
      if (filter.status) query.where('r.status', filter.status);
      if (filter.series) query.where('r.series', filter.series);
      if (filter.level) query.where('r.level', filter.level);
      if (filter.q) {
        const term = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query.where((w) => w.where('r.person_name', 'ilike', term).orWhere('r.title_name', 'ilike', term).orWhere('u.name', 'ilike', term));
      }
      return query as Promise<Array<RecognitionRow & { unit_name: string; current_unit_name: string | null; confirm_unit_name: string }>>;
    },
    async unit(id: number, trx?: Db): Promise<UnitRow | undefined> {
      return q(trx)<UnitRow>('units').where({ id }).first('id', 'name', 'path', 'unit_type', 'status');
    },
    async unitsByIds(ids: number[], trx?: Db): Promise<UnitRow[]> {
      if (!ids.length) return [];
      return q(trx)<UnitRow>('units').whereIn('id', ids).select('id', 'name', 'path', 'unit_type', 'status');
    },
    async person(userId: number, trx?: Db): Promise<{ id: number; display_name: string; id_number: string | null; unit_id: number | null } | undefined> {
      return q(trx)('users').where({ id: userId }).first('id', 'display_name', 'id_number', 'unit_id');
    },
    async ownFile(fileId: string, userId: number, trx?: Db): Promise<boolean> {
      return Boolean(await q(trx)('files').where({ id: fileId, uploaded_by: userId }).first('id'));
    },
    async byFile(fileId: string, trx?: Db): Promise<RecognitionRow[]> {
      return q(trx)<RecognitionRow>('title_recognitions').where({ certificate_file_id: fileId }).orWhere({ qualification_file_id: fileId });
    },
    /** Whether this person (by the keyed hash of their ID number) already has this title confirmed. */
    async recognised(pii: PiiCipher, idNumber: string, title: { title_name: string; level: string }, trx?: Db): Promise<boolean> {
      const row = await whereSealedIs(q(trx)('title_recognitions').where({ status: 'confirmed', title_name: title.title_name, level: title.level }), pii, RECOGNITIONS_SEALED, 'id_number', idNumber).first('id');
      return Boolean(row);
    },
    async openSteps(instanceId: string, trx?: Db): Promise<Array<{ id: string; form_key: string | null; name: string }>> {
      return q(trx)('tasks').where({ root_instance_id: instanceId, status: 'open' }).select('id', 'form_key', 'name').orderBy('created_at');
    },
    async certificateNo(id: number, trx?: Db): Promise<string | null> {
      const row = await q(trx)('certificates').where({ id }).first('certificate_no');
      return (row?.certificate_no as string | undefined) ?? null;
    },
  };
}

export type RecognitionRepository = ReturnType<typeof createRecognitionRepository>;
