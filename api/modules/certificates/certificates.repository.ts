import type { Knex } from 'knex';
import { openSealed, sealedWrite, type PiiCipher } from '../../src/pii.ts';
import { CERTIFICATES_SEALED } from './certificates.pii.ts';
import type { CertificateKind, CertificateSource, CertificateSubject } from './certificates.types.ts';

type Db = Knex | Knex.Transaction;

export interface CertificateKeyRow {
  key_id: string;
  unit_id: string | number;
  public_key: string;
  private_key_enc: string;
  created_at: Date;
  retired_at: Date | null;
}

export interface CertificateRow {
  id: string | number;
  certificate_no: string;
  kind: CertificateKind;
  source_type: CertificateSource;
  source_id: string | number;
  dossier_id: string | number | null;
  user_id: string | number | null;
  person_name: string;
  id_number: string;
  gender: string | null;
  series: string;
  specialty: string;
  title_name: string;
  level: string;
  committee_name: string | null;
  employer_name: string | null;
  issuer_unit_id: string | number;
  issuer_name: string;
  /** YYYY-MM-DD (read with to_char) */
  approval_date: string;
  document_no: string;
  review_date: string | null;
  key_id: string;
  payload: string;
  signature: string;
  status: 'valid' | 'revoked';
  revoked_at: Date | null;
  revoked_by: string | number | null;
  revoke_reason: string | null;
  issued_by: string | number | null;
  issued_at: Date;
  generation_ref: string | null;
}

export interface GenerationRow {
  id: string | number;
  ref: string;
  issuer_unit_id: string | number;
  total: number;
  issued: number;
  state: 'running' | 'done';
  message_name: string | null;
  correlation_key: string | null;
  created_by: string | number | null;
  created_at: Date;
  finished_at: Date | null;
  last_error: string | null;
}

export interface GenerationItemRow {
  generation_id: string | number;
  seq: number;
  subject: CertificateSubject;
  certificate_id: string | number | null;
}

/** The columns of a certificate row, dates as text (open the ID number's seal with `openCertificate`). */
export const certificateColumns = (db: Db) => [
  'c.*',
  db.raw("to_char(c.approval_date, 'YYYY-MM-DD') as approval_date"),
  db.raw("to_char(c.review_date, 'YYYY-MM-DD') as review_date"),
];

/** A row read with `certificateColumns`, its ID number opened from the seal (seal, hash and key id removed). */
export const openCertificate = (cipher: PiiCipher, row: CertificateRow): CertificateRow => openSealed(cipher, CERTIFICATES_SEALED, row);

/** The holder's ID number as a new certificate row stores it: plain column empty, seal and hash written. */
export const sealedIdNumber = (cipher: PiiCipher, idNumber: string) =>
  sealedWrite(cipher, CERTIFICATES_SEALED, { id_number: idNumber }) as { id_number: null; id_number_enc: string | null; id_number_hash: string | null; pii_key_id: string | null };

/** A certificate as inserted: its ID number sealed. */
export type NewCertificateRow = Omit<CertificateRow, 'id' | 'status' | 'revoked_at' | 'revoked_by' | 'revoke_reason' | 'id_number'> & ReturnType<typeof sealedIdNumber>;

export function createCertificatesRepository(knex: Knex, cipher: PiiCipher) {
  const q = (trx?: Db): Db => trx ?? knex;
  const open = (rows: CertificateRow[]) => rows.map((r) => openCertificate(cipher, r));
  return {
    async activeKey(unitId: number, trx?: Db): Promise<CertificateKeyRow | undefined> {
      return q(trx)<CertificateKeyRow>('certificate_keys').where({ unit_id: unitId }).whereNull('retired_at').first();
    },
    async key(keyId: string, trx?: Db): Promise<CertificateKeyRow | undefined> {
      return q(trx)<CertificateKeyRow>('certificate_keys').where({ key_id: keyId }).first();
    },
    async keysOf(unitId: number, trx?: Db): Promise<CertificateKeyRow[]> {
      return q(trx)<CertificateKeyRow>('certificate_keys').where({ unit_id: unitId }).orderBy('created_at');
    },
    async allKeys(trx?: Db): Promise<Array<CertificateKeyRow & { unit_name: string }>> {
      return q(trx)('certificate_keys as k').join('units as u', 'u.id', 'k.unit_id').select('k.*', 'u.name as unit_name').orderBy([{ column: 'k.unit_id' }, { column: 'k.created_at' }]);
    },
    async keyCount(unitId: number, trx?: Db): Promise<number> {
      const row = await q(trx)('certificate_keys').where({ unit_id: unitId }).count<{ count: string }>({ count: '*' }).first();
      return Number(row?.count ?? 0);
    },
    /** Inserts a key; false when another one became active first (the unique partial index). */
    async insertKey(row: CertificateKeyRow, trx?: Db): Promise<boolean> {
      const inserted = await q(trx)('certificate_keys').insert(row).onConflict(knex.raw('(unit_id) where retired_at is null')).ignore().returning('key_id');
      return inserted.length === 1;
    },
    async retireKey(keyId: string, at: Date, trx?: Db): Promise<boolean> {
      return (await q(trx)('certificate_keys').where({ key_id: keyId }).whereNull('retired_at').update({ retired_at: at })) === 1;
    },
    async unitName(unitId: number, trx?: Db): Promise<string | undefined> {
      const row = await q(trx)('units').where({ id: unitId }).first<{ name: string } | undefined>('name');
      return row?.name;
    },
    async nextSerials(count: number, trx?: Db): Promise<number[]> {
      const { rows } = await q(trx).raw<{ rows: Array<{ n: string }> }>("select nextval('certificate_serial') as n from generate_series(1, ?)", [count]);
      return rows.map((r) => Number(r.n));
    },
    /** The certificates already issued for these sources. */
    async bySources(sources: Array<{ sourceType: string; sourceId: number }>, trx?: Db): Promise<CertificateRow[]> {
      if (!sources.length) return [];
      const db = q(trx);
      return open(
        (await db('certificates as c')
          .whereIn(['c.source_type', 'c.source_id'], sources.map((s) => [s.sourceType, s.sourceId]))
          .select(certificateColumns(db))) as CertificateRow[],
      );
    },
    /** Inserts what is not there yet (a concurrent issue of the same source keeps the first). */
    async insertCertificates(rows: NewCertificateRow[], trx?: Db): Promise<Array<{ id: string | number; source_type: string; source_id: string | number }>> {
      if (!rows.length) return [];
      return q(trx)('certificates').insert(rows).onConflict(['source_type', 'source_id']).ignore().returning(['id', 'source_type', 'source_id']);
    },
    async certificate(id: number, trx?: Db): Promise<CertificateRow | undefined> {
      const db = q(trx);
      const row = (await db('certificates as c').where('c.id', id).first(certificateColumns(db))) as CertificateRow | undefined;
      return row && openCertificate(cipher, row);
    },
    async byNumber(certificateNo: string, trx?: Db): Promise<CertificateRow | undefined> {
      const db = q(trx);
      const row = (await db('certificates as c').where('c.certificate_no', certificateNo).first(certificateColumns(db))) as CertificateRow | undefined;
      return row && openCertificate(cipher, row);
    },

    // background generation runs
    async insertGeneration(row: Omit<GenerationRow, 'id' | 'issued' | 'state' | 'finished_at' | 'last_error'>, trx?: Db): Promise<number | null> {
      const inserted = await q(trx)('certificate_generations').insert(row).onConflict('ref').ignore().returning('id');
      return inserted.length ? Number((inserted[0] as { id: string }).id) : null;
    },
    /** A generation's subjects, each ID number sealed inside its JSON (`idNumberEnc`), none in the clear. */
    async insertGenerationItems(generationId: number, subjects: CertificateSubject[], trx?: Db): Promise<void> {
      const rows = subjects.map(({ idNumber, ...subject }, i) => ({ generation_id: generationId, seq: i + 1, subject: JSON.stringify({ ...subject, idNumberEnc: cipher.seal(idNumber) }) }));
      for (let i = 0; i < rows.length; i += 1000) await q(trx)('certificate_generation_items').insert(rows.slice(i, i + 1000));
    },
    async generationByRef(ref: string, trx?: Db): Promise<GenerationRow | undefined> {
      return q(trx)<GenerationRow>('certificate_generations').where({ ref }).first();
    },
    async runningGenerationIds(trx?: Db): Promise<number[]> {
      const rows = await q(trx)('certificate_generations').where({ state: 'running' }).orderBy('id').select<Array<{ id: string }>>('id');
      return rows.map((r) => Number(r.id));
    },
    /** The running generation, locked for one chunk (null when another process holds it or it is done). */
    async lockGeneration(id: number, trx: Knex.Transaction): Promise<GenerationRow | undefined> {
      return trx<GenerationRow>('certificate_generations').where({ id, state: 'running' }).forUpdate().skipLocked().first();
    },
    async openItems(generationId: number, limit: number, trx: Knex.Transaction): Promise<GenerationItemRow[]> {
      const rows = await trx<GenerationItemRow>('certificate_generation_items').where({ generation_id: generationId }).whereNull('certificate_id').orderBy('seq').limit(limit);
      return rows.map((r) => {
        const { idNumberEnc, ...subject } = r.subject as CertificateSubject & { idNumberEnc?: string };
        return { ...r, subject: { ...subject, idNumber: cipher.reveal(idNumberEnc, subject.idNumber) ?? '' } };
      });
    },
    async markItems(generationId: number, items: Array<{ seq: number; certificateId: number }>, trx: Knex.Transaction): Promise<void> {
      if (!items.length) return;
      // the certificate keeps the ID number (sealed): the subject drops its copy
      await trx.raw(
        `update certificate_generation_items i set certificate_id = v.certificate_id, subject = i.subject - 'idNumber' - 'idNumberEnc'
           from (select unnest(?::int[]) as seq, unnest(?::bigint[]) as certificate_id) v
          where i.generation_id = ? and i.seq = v.seq and i.certificate_id is null`,
        [items.map((i) => i.seq), items.map((i) => i.certificateId), generationId],
      );
    },
    async countIssued(generationId: number, trx: Knex.Transaction): Promise<number> {
      const row = await trx('certificate_generation_items').where({ generation_id: generationId }).whereNotNull('certificate_id').count<{ count: string }>({ count: '*' }).first();
      return Number(row?.count ?? 0);
    },
    async updateGeneration(id: number, patch: Partial<Pick<GenerationRow, 'issued' | 'state' | 'finished_at' | 'last_error'>>, trx?: Db): Promise<void> {
      await q(trx)('certificate_generations').where({ id }).update(patch);
    },
    /** The dossiers and numbers a finished generation issued (for the message to the cases). */
    async generationCertificates(generationId: number, trx?: Db): Promise<Array<{ certificate_no: string; dossier_id: string | number | null }>> {
      return q(trx)('certificate_generation_items as i')
        .join('certificates as c', 'c.id', 'i.certificate_id')
        .where('i.generation_id', generationId)
        .orderBy('i.seq')
        .select('c.certificate_no', 'c.dossier_id');
    },
  };
}

export type CertificatesRepository = ReturnType<typeof createCertificatesRepository>;
