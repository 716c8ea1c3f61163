import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import { MAX_OFFSET, containing, countUpTo, startingWith, type Page } from '../../src/list-query.ts';
import { whereSealedIs, type PiiCipher } from '../../src/pii.ts';
import { CERTIFICATES_SEALED } from '../certificates/certificates.pii.ts';
import { certificateColumns, openCertificate, type CertificateRow } from '../certificates/certificates.repository.ts';

export interface CertificateFilter {
  issuerUnitId?: number;
  userId?: number;
  kind?: string;
  /** name, ID number (exact, by its keyed hash) or certificate number */
  q?: string;
  documentNo?: string;
  /** approval date range, YYYY-MM-DD */
  from?: string;
  to?: string;
  status?: string;
}

/** The 已发放 lists of `certificates` (the core's table) and the one write this module makes: a revocation. */
export function createCertificateDocumentsRepository(knex: Knex, cipher: PiiCipher) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const open = (rows: CertificateRow[]) => rows.map((r) => openCertificate(cipher, r));

  function filtered(f: CertificateFilter, trx?: Knex.Transaction) {
    const query = q(trx)('certificates as c');
    if (f.issuerUnitId !== undefined) query.where('c.issuer_unit_id', f.issuerUnitId);
    if (f.userId !== undefined) query.where('c.user_id', f.userId);
    if (f.kind) query.where('c.kind', f.kind);
    if (f.status) query.where('c.status', f.status);
    if (f.documentNo) query.where('c.document_no', 'like', containing(f.documentNo));
    if (f.from) query.where('c.approval_date', '>=', f.from);
    if (f.to) query.where('c.approval_date', '<=', f.to);
    if (f.q) {
      const term = f.q.trim();
      // a certificate number or an ID number (letters and digits, at least one digit) is looked up exactly — the ID number by its
      // keyed hash (the column is sealed); a name by its start (certificates_issuer_name_idx)
      if (/^(?=.*\d)[0-9A-Za-z]{6,}$/.test(term)) query.where((w) => w.where('c.certificate_no', term.toUpperCase()).orWhere((x) => whereSealedIs(x, cipher, CERTIFICATES_SEALED, 'id_number', term, 'c')));
      else query.where('c.person_name', 'like', startingWith(term));
    }
    return query;
  }

  return {
    /** A page, newest first; the total is exact up to MAX_OFFSET and null (“more”) beyond, so it never counts a decade of certificates. */
    async list(f: CertificateFilter, page: Page, trx?: Knex.Transaction): Promise<{ rows: CertificateRow[]; total: number | null }> {
      const query = filtered(f, trx);
      const total = await countUpTo(q(trx), query, MAX_OFFSET);
      const rows = (await query
        .clone()
        .select(certificateColumns(q(trx)))
        .orderBy([{ column: 'c.issued_at', order: 'desc' }, { column: 'c.id', order: 'desc' }])
        .offset(page.offset)
        .limit(page.limit)) as CertificateRow[];
      return { rows: open(rows), total };
    },

    /** Every row of a filter, for the Excel export (bounded by the caller). */
    async all(f: CertificateFilter, limit: number, trx?: Knex.Transaction): Promise<CertificateRow[]> {
      return open(
        (await filtered(f, trx)
          .select(certificateColumns(q(trx)))
          .orderBy([{ column: 'c.issued_at', order: 'desc' }, { column: 'c.id', order: 'desc' }])
          .limit(limit)) as CertificateRow[],
      );
    },

    /** 撤销证书: only a valid certificate; a second revocation (or a lost race) is a 409. */
    async revoke(id: number, change: { reason: string; actorId: number; at: Date }, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<CertificateRow>('certificates')
        .where({ id, status: 'valid' })
        .update({ status: 'revoked', revoked_at: change.at, revoked_by: change.actorId, revoke_reason: change.reason });
      if (count !== 1) throw new ConflictError('该证书已撤销，请刷新后查看');
    },

  };
}

export type CertificateDocumentsRepository = ReturnType<typeof createCertificateDocumentsRepository>;
