import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import { startingWith } from '../../src/list-query.ts';
import { openUserIdNumber, revealUserIdNumber } from '../staff/users.pii.ts';
import { normalise, openSealed, sealedWrite, type PiiCipher } from '../../src/pii.ts';
import { CERTIFICATES_SEALED } from '../certificates/certificates.pii.ts';
import { INITIAL_PERSONS_SEALED } from './certificate-issuance.pii.ts';

type Db = Knex | Knex.Transaction;

/** review 评审发证 | initial 初定发证 | delegated 委托发证 */
export type IssuanceKind = 'review' | 'initial' | 'delegated';
/** pending 待发放 | generating 生成中 | issued 已发放 | discarded 已撤销 */
export type BatchState = 'pending' | 'generating' | 'issued' | 'discarded';
export type ItemState = 'pending' | 'cancelled' | 'issued';

export const KIND_LABELS: Record<IssuanceKind, string> = { review: '评审发证', initial: '初定发证', delegated: '委托发证' };
export const BATCH_STATE_LABELS: Record<BatchState, string> = { pending: '待发放', generating: '生成中', issued: '已发放', discarded: '已撤销' };
export const ITEM_STATE_LABELS: Record<ItemState, string> = { pending: '待发证', cancelled: '已取消发证', issued: '已发证' };

/** A row of `issuance_batches` as stored. */
export interface IssuanceBatchRow {
  id: number;
  kind: IssuanceKind;
  issuer_unit_id: number;
  batch_no: string;
  document_no: string | null;
  committee_id: number | null;
  state: BatchState;
  stamped_file_id: string | null;
  instance_id: string | null;
  generation_ref: string | null;
  created_by: number | null;
  created_at: Date;
  issued_at: Date | null;
  version: number;
}

/** A batch as the left-hand list shows it: counts and the open 生成证书 step. */
export interface BatchListRow extends IssuanceBatchRow {
  committee_name: string | null;
  pending_count: number | string;
  issued_count: number | string;
  cancelled_count: number | string;
  task_id: string | null;
  stamped_file_name: string | null;
}

/** A row of `issuance_batch_items` as stored. */
export interface BatchItemRow {
  id: number;
  batch_id: number;
  source_type: 'dossier' | 'initial';
  source_id: number;
  dossier_id: number | null;
  meeting_id: number | null;
  document_no: string | null;
  approval_date: string | null;
  state: ItemState;
  cancel_reason: string | null;
  cancelled_by: number | null;
  cancelled_at: Date | null;
  certificate_id: number | null;
  created_at: Date;
}

/** A person of a batch with what the certificate carries (from the dossier or the 初定 entry). */
export interface BatchPersonRow extends BatchItemRow {
  person_name: string;
  /** null for an applicant account without one (refused at 发证) */
  id_number: string | null;
  user_id: number | null;
  gender: string | null;
  series: string | null;
  specialty: string | null;
  level: string | null;
  title_name: string | null;
  employer_name: string | null;
  education: string | null;
  committee_name: string | null;
  review_date: string | null;
  certificate_no: string | null;
}

/** A confirmed candidate handed over by the committee (提交发证信息), not yet in a batch. */
export interface HandoverRow {
  meeting_id: number;
  dossier_id: number;
  document_no: string;
  approval_date: string;
  handed_at: Date;
  meeting_name: string;
  committee_id: number;
  committee_name: string;
  issuer_unit_id: number | null;
  delegated_by_unit_id: number | null;
  applicant_name: string;
  id_number: string | null;
  employer: string | null;
  series: string | null;
  level: string | null;
  specialty: string | null;
}

/** A row of `initial_persons` as stored. */
export interface InitialPersonRow {
  id: number;
  unit_id: number;
  person_name: string;
  id_number: string;
  gender: string | null;
  series: string;
  specialty: string;
  title_name: string;
  level: string;
  employer_name: string | null;
  education: string | null;
  state: 'unissued' | 'batched' | 'issued';
  cancel_reason: string | null;
  created_by: number | null;
  created_at: Date;
}

export type NewInitialPerson = Omit<InitialPersonRow, 'id' | 'state' | 'cancel_reason'>;

/** The ID number as `initial_persons` stores it: plain column empty, seal and keyed hash written. */
const sealedInitial = <T extends { id_number: string }>(cipher: PiiCipher, row: T) => ({ ...row, ...sealedWrite(cipher, INITIAL_PERSONS_SEALED, { id_number: row.id_number }) });

/** An issued certificate of a batch (已发放); the certificate's own pages belong to the cert helper. */
export interface IssuedCertificateRow {
  id: number;
  certificate_no: string;
  person_name: string;
  id_number: string;
  series: string;
  specialty: string;
  title_name: string;
  level: string;
  document_no: string;
  approval_date: string;
  status: string;
  issued_at: Date;
  dossier_id: number | null;
}

export const batchRefOf = (batchId: number) => `issuance-batch:${batchId}`;

/** 证书生成: batches, their persons, the 初定 persons and the hand-overs from the committees. */
export function createIssuanceRepository(knex: Knex, cipher: PiiCipher) {
  const q = (trx?: Db): Db => trx ?? knex;
  const openInitial = (rows: InitialPersonRow[]) => rows.map((r) => openSealed(cipher, INITIAL_PERSONS_SEALED, r));

  const handovers = (db: Db) =>
    db('certificate_handovers as h')
      .join('dossiers as d', 'd.id', 'h.dossier_id')
      .join('users as u', 'u.id', 'd.applicant_id')
      .join('review_meetings as m', 'm.id', 'h.meeting_id')
      .join('committees as c', 'c.id', 'm.committee_id')
      .leftJoin('units as e', 'e.id', 'd.employer_unit_id')
      .whereNull('h.returned_at')
      .whereNotExists(
        db('issuance_batch_items as i').where('i.source_type', 'dossier').whereRaw('i.source_id = h.dossier_id').whereNot('i.state', 'cancelled').select(db.raw('1')),
      )
      .select(
        'h.meeting_id',
        'h.dossier_id',
        'h.document_no',
        db.raw("to_char(h.approval_date, 'YYYY-MM-DD') as approval_date"),
        'h.handed_at',
        'm.name as meeting_name',
        'm.committee_id',
        'c.name as committee_name',
        'c.issuer_unit_id',
        'd.delegated_by_unit_id',
        'u.display_name as applicant_name',
        'u.id_number',
        'u.id_number_enc',
        'e.name as employer',
        'd.series',
        'd.level',
        'd.specialty',
      )
      .orderBy([{ column: 'h.meeting_id' }, { column: 'h.document_no' }, { column: 'h.dossier_id' }]);

  /** Whose hand-overs a unit issues: the committee's 授权管理单位 (direct ones), or the unit that delegated. */
  const ofIssuer = (query: Knex.QueryBuilder, unitId: number, kind: 'review' | 'delegated') =>
    kind === 'review' ? query.whereNull('d.delegated_by_unit_id').where('c.issuer_unit_id', unitId) : query.where('d.delegated_by_unit_id', unitId);

  const persons = (db: Db) =>
    db('issuance_batch_items as i')
      .leftJoin('dossiers as d', function () {
        this.on('d.id', 'i.source_id').andOnVal('i.source_type', '=', 'dossier');
      })
      .leftJoin('users as u', 'u.id', 'd.applicant_id')
      .leftJoin('units as e', 'e.id', 'd.employer_unit_id')
      .leftJoin('review_meetings as m', 'm.id', 'i.meeting_id')
      .leftJoin('committees as c', 'c.id', 'm.committee_id')
      .leftJoin('initial_persons as p', function () {
        this.on('p.id', 'i.source_id').andOnVal('i.source_type', '=', 'initial');
      })
      .leftJoin('certificates as ct', 'ct.id', 'i.certificate_id')
      .select(
        'i.*',
        db.raw("to_char(i.approval_date, 'YYYY-MM-DD') as approval_date"),
        db.raw('coalesce(u.display_name, p.person_name) as person_name'),
        db.raw('coalesce(u.id_number, p.id_number) as id_number'),
        // the applicant's number is sealed (users.pii.ts): opened below, before the 初定 person's
        'u.id_number as user_id_number',
        'u.id_number_enc as user_id_number_enc',
        'u.id as user_id',
        // a 初定 person's number is sealed: opened below when the row has no account's number
        'p.id_number_enc as initial_id_number_enc',
        'p.gender',
        db.raw('coalesce(d.series, p.series) as series'),
        db.raw('coalesce(d.specialty, p.specialty) as specialty'),
        db.raw('coalesce(d.level, p.level) as level'),
        'p.title_name',
        db.raw('coalesce(e.name, p.employer_name) as employer_name'),
        'p.education',
        'c.name as committee_name',
        db.raw("to_char(m.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as review_date"),
        'ct.certificate_no',
      )
      .orderBy('i.id');

  return {
    // ------------------------------------------------------------ hand-overs (待处理 / 未处理)

    async pendingHandovers(unitId: number, kind: 'review' | 'delegated', trx?: Db): Promise<HandoverRow[]> {
      return ((await ofIssuer(handovers(q(trx)), unitId, kind)) as HandoverRow[]).map((r) => openUserIdNumber(q(trx), r));
    },

    async handoversOf(unitId: number, kind: 'review' | 'delegated', dossierIds: number[], trx?: Db): Promise<HandoverRow[]> {
      if (!dossierIds.length) return [];
      return ((await ofIssuer(handovers(q(trx)), unitId, kind).whereIn('h.dossier_id', dossierIds)) as HandoverRow[]).map((r) => openUserIdNumber(q(trx), r));
    },

    /** Of these dossiers, those handed over to this unit at all (in a batch or not): the rest are not its business. */
    async handedToUnit(unitId: number, kind: 'review' | 'delegated', dossierIds: number[], trx?: Db): Promise<number[]> {
      if (!dossierIds.length) return [];
      const db = q(trx);
      const query = db('certificate_handovers as h')
        .join('dossiers as d', 'd.id', 'h.dossier_id')
        .join('review_meetings as m', 'm.id', 'h.meeting_id')
        .join('committees as c', 'c.id', 'm.committee_id')
        .whereIn('h.dossier_id', dossierIds)
        .distinct('h.dossier_id');
      return ((await ofIssuer(query, unitId, kind)) as Array<{ dossier_id: number }>).map((r) => Number(r.dossier_id));
    },

    /** 取消发证 of a reviewed person: the hand-over goes back to the committee with the reason. */
    async returnHandovers(rows: Array<{ meetingId: number; dossierId: number }>, reason: string, at: Date, trx: Db): Promise<void> {
      for (const r of rows) {
        await trx('certificate_handovers').where({ meeting_id: r.meetingId, dossier_id: r.dossierId }).whereNull('returned_at').update({ returned_at: at, return_reason: reason });
      }
    },

    // ------------------------------------------------------------ batches

    /** The id a new batch will have, so that its number can name it in the same insert. */
    async nextBatchId(trx: Db): Promise<number> {
      const { rows } = (await trx.raw("select nextval(pg_get_serial_sequence('issuance_batches', 'id')) as id")) as { rows: Array<{ id: string }> };
      return Number(rows[0]!.id);
    },

    async insertBatch(row: Omit<IssuanceBatchRow, 'state' | 'stamped_file_id' | 'instance_id' | 'generation_ref' | 'issued_at' | 'version'>, trx: Db): Promise<void> {
      await trx('issuance_batches').insert(row);
    },

    async insertItems(rows: Array<Pick<BatchItemRow, 'batch_id' | 'source_type' | 'source_id' | 'dossier_id' | 'meeting_id' | 'document_no' | 'approval_date' | 'created_at'>>, trx: Db): Promise<void> {
      if (rows.length) await trx('issuance_batch_items').insert(rows);
    },

    async setInstance(batchId: number, instanceId: string, trx: Db): Promise<void> {
      await trx('issuance_batches').where({ id: batchId }).update({ instance_id: instanceId });
    },

    async batches(unitId: number, kind: IssuanceKind, states: BatchState[], trx?: Db): Promise<BatchListRow[]> {
      const db = q(trx);
      const count = (state: ItemState) => db.raw('(select count(*) from issuance_batch_items x where x.batch_id = b.id and x.state = ?)', [state]);
      return db('issuance_batches as b')
        .leftJoin('committees as c', 'c.id', 'b.committee_id')
        .leftJoin('files as f', 'f.id', 'b.stamped_file_id')
        .where({ 'b.issuer_unit_id': unitId, 'b.kind': kind })
        .whereIn('b.state', states)
        .select(
          'b.*',
          'c.name as committee_name',
          'f.name as stamped_file_name',
          count('pending').wrap('(', ') as pending_count'),
          count('issued').wrap('(', ') as issued_count'),
          count('cancelled').wrap('(', ') as cancelled_count'),
          db.raw("(select t.id from tasks t where t.instance_id = b.instance_id and t.status = 'open' limit 1) as task_id"),
        )
        .orderBy('b.id', 'desc') as unknown as Promise<BatchListRow[]>;
    },

    async batch(batchId: number, trx?: Db): Promise<BatchListRow | undefined> {
      const db = q(trx);
      const count = (state: ItemState) => db.raw('(select count(*) from issuance_batch_items x where x.batch_id = b.id and x.state = ?)', [state]);
      return db('issuance_batches as b')
        .leftJoin('committees as c', 'c.id', 'b.committee_id')
        .leftJoin('files as f', 'f.id', 'b.stamped_file_id')
        .where('b.id', batchId)
        .first<BatchListRow | undefined>(
          'b.*',
          'c.name as committee_name',
          'f.name as stamped_file_name',
          count('pending').wrap('(', ') as pending_count'),
          count('issued').wrap('(', ') as issued_count'),
          count('cancelled').wrap('(', ') as cancelled_count'),
          db.raw("(select t.id from tasks t where t.instance_id = b.instance_id and t.status = 'open' limit 1) as task_id"),
        );
    },

    /** The batch row locked: 取消发证, 设置文号 and the start of the generation take turns on it. */
    async lockBatch(batchId: number, trx: Knex.Transaction): Promise<IssuanceBatchRow | undefined> {
      return trx<IssuanceBatchRow>('issuance_batches').where({ id: batchId }).forUpdate().first();
    },

    /** A batch's persons (a page of them: 发证批次详情 of 1,000 is read a page at a time). */
    async persons(batchId: number, states: ItemState[] | null, trx?: Db, page?: { offset: number; limit: number }): Promise<BatchPersonRow[]> {
      const query = persons(q(trx)).where('i.batch_id', batchId);
      if (states) query.whereIn('i.state', states);
      if (page) query.offset(page.offset).limit(page.limit);
      const rows = (await query) as Array<BatchPersonRow & { user_id_number?: string | null; user_id_number_enc?: string | null; initial_id_number_enc?: string | null }>;
      return rows.map(({ user_id_number: plain, user_id_number_enc: sealed, initial_id_number_enc: enc, ...r }) => {
        // the applicant's number (sealed on the account), else a 初定 person's (sealed on the person)
        const own = revealUserIdNumber(q(trx), { user_id_number: plain, user_id_number_enc: sealed }, 'user_id_number');
        return { ...r, id_number: own ?? r.id_number ?? (r.source_type === 'initial' ? cipher.reveal(enc) : null) } as BatchPersonRow;
      });
    },

    /** The persons still waiting without 批准时间 or 文号 (生成证书 sets them before 发证). */
    async missingIssuingData(batchId: number, trx?: Db): Promise<number[]> {
      const rows = await q(trx)('issuance_batch_items').where({ batch_id: batchId, state: 'pending' }).where((w) => w.whereNull('document_no').orWhereNull('approval_date')).orderBy('id').pluck('id');
      return rows.map(Number);
    },

    async personCount(batchId: number, trx?: Db): Promise<number> {
      const [row] = await q(trx)('issuance_batch_items').where({ batch_id: batchId }).count<Array<{ count: string }>>({ count: '*' });
      return Number(row?.count ?? 0);
    },

    /** 取消发证: the selected persons still waiting leave the batch; answers who left. */
    async cancelItems(batchId: number, itemIds: number[], reason: string, userId: number, at: Date, trx: Db): Promise<BatchItemRow[]> {
      return trx('issuance_batch_items')
        .where({ batch_id: batchId, state: 'pending' })
        .whereIn('id', itemIds)
        .update({ state: 'cancelled', cancel_reason: reason, cancelled_by: userId, cancelled_at: at })
        .returning('*') as unknown as Promise<BatchItemRow[]>;
    },

    async setIssuingData(batchId: number, itemIds: number[], documentNo: string, approvalDate: string, trx: Db): Promise<number> {
      return trx('issuance_batch_items').where({ batch_id: batchId, state: 'pending' }).whereIn('id', itemIds).update({ document_no: documentNo, approval_date: approvalDate });
    },

    async setBatchDocumentNo(batchId: number, documentNo: string, trx: Db): Promise<void> {
      await trx('issuance_batches').where({ id: batchId }).update({ document_no: documentNo, version: trx.raw('version + 1') });
    },

    async setStampedFile(batchId: number, fileId: string, trx: Db): Promise<void> {
      const n = await trx('issuance_batches').where({ id: batchId, state: 'pending' }).update({ stamped_file_id: fileId, version: trx.raw('version + 1') });
      if (n !== 1) throw new ConflictError('该批次已发证或已撤销，不能再上传盖章汇总表');
    },

    async markGenerating(batchId: number, ref: string, trx: Db): Promise<void> {
      const n = await trx('issuance_batches').where({ id: batchId, state: 'pending' }).update({ state: 'generating', generation_ref: ref, version: trx.raw('version + 1') });
      if (n !== 1) throw new ConflictError('该批次已开始生成证书');
    },

    /** 登记发证结果: each waiting person gets the certificate of their source; the batch is 已发放. */
    async markIssued(batchId: number, at: Date, trx: Db): Promise<void> {
      await trx.raw(
        `update issuance_batch_items i set state = 'issued', certificate_id = c.id
           from certificates c
          where i.batch_id = ? and i.state = 'pending' and c.source_type = i.source_type and c.source_id = i.source_id`,
        [batchId],
      );
      await trx('initial_persons')
        .whereIn('id', trx('issuance_batch_items').where({ batch_id: batchId, source_type: 'initial', state: 'issued' }).select('source_id'))
        .update({ state: 'issued' });
      await trx('issuance_batches').where({ id: batchId }).update({ state: 'issued', issued_at: at, version: trx.raw('version + 1') });
    },

    async markDiscarded(batchId: number, trx: Db): Promise<void> {
      await trx('issuance_batches').where({ id: batchId, state: 'pending' }).update({ state: 'discarded', version: trx.raw('version + 1') });
    },

    /** The dossiers of the batch that got their certificate now, with its number (通知证书已发放). */
    async issuedDossiers(batchId: number, trx: Db): Promise<Array<{ dossierId: number; certificateNo: string }>> {
      const rows = await trx('issuance_batch_items as i')
        .join('certificates as c', 'c.id', 'i.certificate_id')
        .where({ 'i.batch_id': batchId, 'i.state': 'issued', 'i.source_type': 'dossier' })
        .orderBy('i.id')
        .select<Array<{ dossier_id: number; certificate_no: string }>>('i.dossier_id', 'c.certificate_no');
      return rows.map((r) => ({ dossierId: Number(r.dossier_id), certificateNo: r.certificate_no }));
    },

    async certificates(batchId: number, trx?: Db, page?: { offset: number; limit: number; name?: string }): Promise<IssuedCertificateRow[]> {
      const db = q(trx);
      const rows = await db('issuance_batch_items as i')
        .join('certificates as c', 'c.id', 'i.certificate_id')
        .where('i.batch_id', batchId)
        .modify((qb) => {
          if (page?.name) qb.where('c.person_name', 'like', startingWith(page.name));
          if (page) qb.offset(page.offset).limit(page.limit);
        })
        .orderBy('i.id')
        .select<IssuedCertificateRow[]>(
          'c.id',
          'c.certificate_no',
          'c.person_name',
          'c.id_number',
          'c.id_number_enc',
          'c.series',
          'c.specialty',
          'c.title_name',
          'c.level',
          'c.document_no',
          db.raw("to_char(c.approval_date, 'YYYY-MM-DD') as approval_date"),
          'c.status',
          'c.issued_at',
          'c.dossier_id',
        );
      return rows.map((r) => openSealed(cipher, CERTIFICATES_SEALED, r));
    },

    /** Who may read a stamped summary table: the issuing unit of its batch. */
    async unitsOfStampedFile(fileId: string, trx?: Db): Promise<number[]> {
      return (await q(trx)('issuance_batches').where({ stamped_file_id: fileId }).select<Array<{ issuer_unit_id: number }>>('issuer_unit_id')).map((r) => Number(r.issuer_unit_id));
    },

    async ownFile(fileId: string, userId: number, trx?: Db): Promise<{ id: string; name: string; mime: string } | undefined> {
      return q(trx)('files').where({ id: fileId, uploaded_by: userId }).first<{ id: string; name: string; mime: string } | undefined>('id', 'name', 'mime');
    },

    async unit(unitId: number, trx?: Db): Promise<{ name: string; unit_type: string } | undefined> {
      return q(trx)('units').where({ id: unitId }).first<{ name: string; unit_type: string } | undefined>('name', 'unit_type');
    },

    // ------------------------------------------------------------ 初定 persons

    async initialPersons(unitId: number, states: Array<InitialPersonRow['state']>, trx?: Db, page?: { offset: number; limit: number; name?: string }): Promise<InitialPersonRow[]> {
      const query = q(trx)<InitialPersonRow>('initial_persons').where({ unit_id: unitId }).whereIn('state', states).orderBy('id');
      if (page?.name) void query.where('person_name', 'like', startingWith(page.name));
      if (page) void query.offset(page.offset).limit(page.limit);
      return openInitial(await query);
    },

    /** How many rows a paged list of the batch's certificates or the unit's 初定 persons has. */
    async certificateCount(batchId: number, name?: string, trx?: Db): Promise<number> {
      const query = q(trx)('issuance_batch_items as i').join('certificates as c', 'c.id', 'i.certificate_id').where('i.batch_id', batchId);
      if (name) void query.where('c.person_name', 'like', startingWith(name));
      const [row] = await query.count<Array<{ count: string }>>({ count: '*' });
      return Number(row?.count ?? 0);
    },

    async initialCount(unitId: number, states: Array<InitialPersonRow['state']>, name?: string, trx?: Db): Promise<number> {
      const query = q(trx)('initial_persons').where({ unit_id: unitId }).whereIn('state', states);
      if (name) void query.where('person_name', 'like', startingWith(name));
      const [row] = await query.count<Array<{ count: string }>>({ count: '*' });
      return Number(row?.count ?? 0);
    },

    async initialPersonsOf(unitId: number, ids: number[], trx?: Db): Promise<InitialPersonRow[]> {
      if (!ids.length) return [];
      return openInitial(await q(trx)<InitialPersonRow>('initial_persons').where({ unit_id: unitId }).whereIn('id', ids).orderBy('id'));
    },

    /**
     * Adds 初定 persons, their ID numbers sealed; one already entered (same ID number — by its keyed
     * hash —, series, level) is left as it is. Answers the new ones' ids.
     */
    async insertInitialPersons(rows: NewInitialPerson[], trx?: Db): Promise<number[]> {
      if (!rows.length) return [];
      // a row the sealer has not reached yet still has its number in the clear: the unique key on the hash cannot see it
      const plainKey = (unitId: number | string, idNumber: string, series: string, level: string) => `${unitId}|${normalise('idNumber', idNumber)}|${series}|${level}`;
      const candidates = [...new Set(rows.flatMap((r) => [r.id_number.trim(), normalise('idNumber', r.id_number), r.id_number.trim().toLowerCase()]))];
      const unsealed = await q(trx)('initial_persons')
        .whereIn('unit_id', [...new Set(rows.map((r) => r.unit_id))])
        .whereIn('id_number', candidates)
        .select<Array<{ unit_id: number; id_number: string; series: string; level: string }>>('unit_id', 'id_number', 'series', 'level');
      const taken = new Set(unsealed.map((r) => plainKey(r.unit_id, r.id_number, r.series, r.level)));
      const fresh = rows.filter((r) => !taken.has(plainKey(r.unit_id, r.id_number, r.series, r.level)));
      if (!fresh.length) return [];
      const inserted = await q(trx)('initial_persons')
        .insert(fresh.map((r) => ({ ...sealedInitial(cipher, r), state: 'unissued' })))
        .onConflict(['unit_id', 'id_number_hash', 'series', 'level'])
        .ignore()
        .returning('id');
      return inserted.map((r: { id: number }) => Number(r.id));
    },

    /** 修改: only while 未发放; 0 rows means it went into a batch meanwhile. */
    async updateInitialPerson(unitId: number, id: number, fields: Omit<NewInitialPerson, 'unit_id' | 'created_by' | 'created_at'>, trx?: Db): Promise<number> {
      return q(trx)('initial_persons').where({ unit_id: unitId, id, state: 'unissued' }).update(sealedInitial(cipher, fields));
    },

    /** 删除: only persons still 未发放; answers how many went. */
    async deleteInitialPersons(unitId: number, ids: number[], trx: Db): Promise<number> {
      if (!ids.length) return 0;
      return trx('initial_persons').where({ unit_id: unitId, state: 'unissued' }).whereIn('id', ids).delete();
    },

    /** 添加批次: the selected persons still 未发放 go into the batch; 0 rows for one means someone else took them. */
    async markInitialBatched(unitId: number, ids: number[], trx: Db): Promise<void> {
      const n = await trx('initial_persons').where({ unit_id: unitId, state: 'unissued' }).whereIn('id', ids).update({ state: 'batched', cancel_reason: null });
      if (n !== ids.length) throw new ConflictError('所选人员已加入其他批次，请刷新后重试');
    },

    async initialBackToUnissued(ids: number[], reason: string, trx: Db): Promise<void> {
      if (ids.length) await trx('initial_persons').whereIn('id', ids).where({ state: 'batched' }).update({ state: 'unissued', cancel_reason: reason });
    },
  };
}

export type IssuanceRepository = ReturnType<typeof createIssuanceRepository>;
