import type { Knex } from 'knex';
import { actionLabelOf } from '../../../forms/index.ts';
import { audit } from '../../src/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { Page } from '../../src/list-query.ts';
import type { PiiCipher } from '../../src/pii.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { formatShanghai } from '../activities/activities.rules.ts';
import { shanghaiDate } from '../calendar/calendar.service.ts';
import { checkCertificateNo } from '../certificates/certificates.number.ts';
import type { CertificateKeyRow, CertificateRow, CertificatesRepository } from '../certificates/certificates.repository.ts';
import { parsePayload } from '../certificates/certificates.service.ts';
import { CERTIFICATE_KINDS, maskIdNumber } from '../certificates/certificates.types.ts';
import { sm2Verify } from '../certificates/sm2.ts';
import { createDossiersRepository } from '../dossiers/dossiers.repository.ts';
import { renderReviewForm } from '../dossiers/dossiers.pdf.ts';
import { renderCertificate } from './certificate-documents.pdf.ts';
import { createCertificateDocumentsRepository, type CertificateFilter } from './certificate-documents.repository.ts';
import { decodeSigned, qrTextOf, type PublishedKey } from './certificate-documents.verify.ts';

/** 取得方式 of each certificate kind. */
export const KIND_LABELS: Record<string, string> = CERTIFICATE_KINDS;
export const STATUS_LABELS: Record<string, string> = { valid: '有效', revoked: '已撤销' };

const day = (v: string | null): string | null => (v == null ? null : v.slice(0, 10));

/** A certificate as the issuer's lists, the applicant and the public page read it: the ID number masked. */
export function certificateView(row: CertificateRow) {
  return {
    id: Number(row.id),
    certificateNo: row.certificate_no,
    kind: row.kind,
    kindLabel: KIND_LABELS[row.kind] ?? row.kind,
    sourceType: row.source_type,
    dossierId: row.dossier_id == null ? null : Number(row.dossier_id),
    personName: row.person_name,
    idNumber: maskIdNumber(row.id_number),
    gender: row.gender,
    series: row.series,
    specialty: row.specialty,
    titleName: row.title_name,
    level: row.level,
    committeeName: row.committee_name,
    employerName: row.employer_name,
    issuerName: row.issuer_name,
    approvalDate: day(row.approval_date)!,
    documentNo: row.document_no,
    reviewDate: day(row.review_date),
    status: row.status,
    statusLabel: STATUS_LABELS[row.status] ?? row.status,
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
    revokeReason: row.revoke_reason,
    issuedAt: row.issued_at.toISOString(),
  };
}

export type CertificateView = ReturnType<typeof certificateView>;

/** What the public page shows: no internal ids, no ID number beyond the mask. */
export function publicView(row: CertificateRow) {
  const v = certificateView(row);
  return {
    certificateNo: v.certificateNo,
    personName: v.personName,
    idNumber: v.idNumber,
    series: v.series,
    specialty: v.specialty,
    titleName: v.titleName,
    level: v.level,
    kindLabel: v.kindLabel,
    committeeName: v.committeeName,
    issuerName: v.issuerName,
    approvalDate: v.approvalDate,
    documentNo: v.documentNo,
    status: v.status,
    statusLabel: v.statusLabel,
    revokedOn: row.revoked_at ? shanghaiDate(row.revoked_at) : null,
    revokeReason: v.revokeReason,
  };
}

export type VerificationResult = {
  result: 'valid' | 'revoked' | 'forged';
  resultLabel: string;
  reason: string | null;
  keyId: string | null;
  certificate: ReturnType<typeof publicView> | null;
};

export const keyView = (k: CertificateKeyRow & { unit_name: string }): PublishedKey & { unitId: number; active: boolean } => ({
  keyId: k.key_id,
  unitId: Number(k.unit_id),
  unitName: k.unit_name,
  publicKey: k.public_key,
  validFrom: k.created_at.toISOString(),
  validTo: k.retired_at ? k.retired_at.toISOString() : null,
  active: k.retired_at == null,
});

export interface CertificateDocumentsDeps {
  db: Knex;
  publicUrl: string;
  now: () => Date;
  /** the core's reads of certificates and keys */
  core: CertificatesRepository;
  /** the core's key rotation (its own transaction): retires the unit's active key and creates a new one */
  rotateKey: (unitId: number, trx?: Knex.Transaction) => Promise<{ retired: string | null; keyId: string }>;
  /** opens the holders' sealed ID numbers (lists mask them; the search matches by keyed hash) */
  pii: PiiCipher;
}

/** The certificate as a document: PDF, QR, the public check, revocation, keys and the 已发放 lists. */
export function createCertificateDocumentsService(deps: CertificateDocumentsDeps) {
  const { db, core } = deps;
  const repo = createCertificateDocumentsRepository(db, deps.pii);
  const dossiers = createDossiersRepository(db);

  /** Staff holding 证书生成 in some unit; anyone else gets 403 on every issuer route. */
  function issuerUnitOf(actor: RequestActor): number {
    if (!actor.roles.includes('certificate.issue') || actor.unitId == null) throw new ForbiddenError('没有“证书生成”权限');
    return actor.unitId;
  }

  /**
   * A certificate of the caller's unit: 403 for staff without 证书生成, and the same 403 for a
   * certificate of another issuer as for one that does not exist (scope before state).
   */
  async function issued(actor: RequestActor, id: number): Promise<CertificateRow> {
    const unitId = issuerUnitOf(actor);
    const row = await core.certificate(id);
    if (!row || Number(row.issuer_unit_id) !== unitId) throw new ForbiddenError('无权查看该证书（不是本单位发放的证书）');
    return row;
  }

  /** The applicant's own certificate; another person's answers as one that does not exist. */
  async function mine(actor: RequestActor, id: number): Promise<CertificateRow> {
    const row = await core.certificate(id);
    if (!row || row.user_id == null || Number(row.user_id) !== actor.userId) throw new NotFoundError('证书不存在');
    return row;
  }

  const qrTextFor = (row: CertificateRow) => qrTextOf(deps.publicUrl, row.payload, row.signature);

  function pdfOf(row: CertificateRow): Promise<Buffer> {
    const v = certificateView(row);
    return renderCertificate({
      certificateNo: v.certificateNo,
      personName: v.personName,
      maskedIdNumber: v.idNumber,
      gender: v.gender,
      series: v.series,
      specialty: v.specialty,
      titleName: v.titleName,
      level: v.level,
      kindLabel: v.kindLabel,
      committeeName: v.committeeName,
      employerName: v.employerName,
      approvalDate: v.approvalDate,
      documentNo: v.documentNo,
      issuerName: v.issuerName,
      issuedOn: shanghaiDate(row.issued_at),
      qrText: qrTextFor(row),
      issuedAt: row.issued_at,
    });
  }

  const fileName = (row: CertificateRow) => `职称证书-${row.person_name}-${row.certificate_no}.pdf`;

  const forged = (reason: string, keyId: string | null = null): VerificationResult => ({ result: 'forged', resultLabel: '伪造/签名无效', reason, keyId, certificate: null });

  function stateOf(row: CertificateRow, keyId: string | null): VerificationResult {
    const certificate = publicView(row);
    return row.status === 'revoked'
      ? { result: 'revoked', resultLabel: '已撤销', reason: row.revoke_reason, keyId, certificate }
      : { result: 'valid', resultLabel: '有效', reason: null, keyId, certificate };
  }

  return {
    repo,
    qrTextFor,

    /** 已发放: the caller's unit's certificates. */
    async list(actor: RequestActor, filter: Omit<CertificateFilter, 'issuerUnitId' | 'userId'>, page: Page) {
      const issuerUnitId = issuerUnitOf(actor);
      const { rows, total } = await repo.list({ ...filter, issuerUnitId }, page);
      return { rows: rows.map(certificateView), total };
    },

    /** The rows of an export, at most `limit` (the caller asks one more to tell a cut list). */
    async exportRows(actor: RequestActor, filter: Omit<CertificateFilter, 'issuerUnitId' | 'userId'>, limit: number) {
      const issuerUnitId = issuerUnitOf(actor);
      return (await repo.all({ ...filter, issuerUnitId }, limit)).map(certificateView);
    },

    async detail(actor: RequestActor, id: number) {
      const row = await issued(actor, id);
      return { ...certificateView(row), qrText: qrTextFor(row), keyId: row.key_id };
    },

    async pdf(actor: RequestActor, id: number) {
      const row = await issued(actor, id);
      return { pdf: await pdfOf(row), name: fileName(row) };
    },

    /** The dossier's 评审表 beside its certificate; other sources have none. */
    async reviewForm(actor: RequestActor, id: number) {
      const row = await issued(actor, id);
      const d = row.source_type === 'dossier' && row.dossier_id != null ? await dossiers.get(Number(row.dossier_id)) : null;
      if (!d) throw new NotFoundError(`该证书（取得方式：${KIND_LABELS[row.kind] ?? row.kind}）不是由网上申报评审产生的，没有评审表`);
      const opinions = d.instanceId ? await dossiers.completions(d.instanceId) : [];
      const pdf = await renderReviewForm({
        dossierId: d.id,
        statusLabel: '证书已发放',
        activityName: d.activityName,
        committeeName: d.committeeName,
        applicant: { name: d.applicantName, idNumber: d.applicantIdNumber, unitName: d.employerName },
        data: d.data,
        rules: d.rules,
        opinions: opinions.map((o) => ({ step: o.step, unitName: o.unitName, actorName: o.actorName, action: actionLabelOf(o.formKey, o.action || null) ?? '', opinion: o.opinion, at: formatShanghai(o.at) })),
        pledgeAcceptedAt: d.pledgeAcceptedAt ? formatShanghai(new Date(d.pledgeAcceptedAt)) : null,
        printedAt: formatShanghai(deps.now()),
      });
      return { pdf, name: `评审表-${d.applicantName}-${row.certificate_no}.pdf` };
    },

    /** 撤销证书 (fraud found later): the reason and who, on the row and in the audit log, together. */
    async revoke(actor: RequestActor, id: number, reason: string) {
      const row = await issued(actor, id);
      const text = reason.trim();
      if (!text) throw new ValidationError('请填写撤销原因', [{ field: 'reason', message: '撤销原因不能为空' }]);
      const at = deps.now();
      await db.transaction(async (trx) => {
        await repo.revoke(Number(row.id), { reason: text, actorId: actor.userId, at }, trx);
        await audit(trx, actor, { action: 'certificate.revoke', targetType: 'certificate', targetId: row.id, unitId: Number(row.issuer_unit_id), data: { certificateNo: row.certificate_no, reason: text } }, at);
      });
      return certificateView((await core.certificate(Number(row.id)))!);
    },

    /** 证书签名密钥 of the caller's unit, newest first. */
    async unitKeys(actor: RequestActor) {
      const unitId = issuerUnitOf(actor);
      return (await core.allKeys()).filter((k) => Number(k.unit_id) === unitId).map(keyView).reverse();
    },

    /**
     * 轮换密钥: the active key retires (its certificates still verify) and a new one signs from now
     * on. `currentKeyId` is the key the clerk saw: a second click finds it retired → 409.
     */
    async rotate(actor: RequestActor, currentKeyId: string | null | undefined) {
      const unitId = issuerUnitOf(actor);
      // one rotation of a unit at a time: the second click waits here, then finds its key retired
      return db.transaction(async (trx) => {
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`certificate-key-rotation:${unitId}`]);
        if (currentKeyId !== undefined) {
          const active = (await core.activeKey(unitId, trx))?.key_id ?? null;
          if (active !== currentKeyId) throw new ConflictError('签名密钥已被轮换，请刷新后查看');
        }
        // the new key and its audit row commit together
        const rotated = await deps.rotateKey(unitId, trx);
        await audit(trx, actor, { action: 'certificate_key.rotate', targetType: 'certificate_key', targetId: rotated.keyId, unitId, data: { retired: rotated.retired } }, deps.now());
        return rotated;
      });
    },

    async publishedKeys() {
      return (await core.allKeys()).map(keyView);
    },

    /** The public check of a QR code: the signature with the key the payload names, then the row's state. */
    async verify(p: string, s: string): Promise<VerificationResult> {
      const signed = decodeSigned(p, s);
      if (!signed) return forged('二维码内容不完整或已被篡改');
      const fields = parsePayload(signed.payload);
      if (!fields) return forged('证书内容格式不正确');
      const key = await core.key(fields.keyId);
      if (!key) return forged('签名密钥不存在', fields.keyId);
      if (!sm2Verify(signed.payload, signed.signatureHex, key.public_key)) return forged('签名无效：证书内容与发证单位的签名不符', fields.keyId);
      const row = await core.byNumber(fields.certificateNo);
      // a valid signature over a payload the system never issued (or issued by another unit's key) is not a certificate
      if (!row || row.payload !== signed.payload || Number(row.issuer_unit_id) !== Number(key.unit_id)) return forged('系统中没有与该签名内容一致的证书', fields.keyId);
      return stateOf(row, fields.keyId);
    },

    /** The public lookup by 证书编号 (check character checked first). */
    async lookup(certificateNo: string) {
      const checked = checkCertificateNo(certificateNo);
      if (!checked.ok) throw new ValidationError(checked.reason, [{ field: 'certificateNo', message: `证书编号：${checked.reason}` }]);
      const row = await core.byNumber(checked.value);
      if (!row) throw new NotFoundError('没有该编号的证书');
      return stateOf(row, row.key_id);
    },

    /** 我的证书: the applicant's own certificates. */
    async myCertificates(actor: RequestActor) {
      const { rows } = await repo.list({ userId: actor.userId }, { offset: 0, limit: 200 });
      return rows.map(certificateView);
    },

    async myPdf(actor: RequestActor, id: number) {
      const row = await mine(actor, id);
      return { pdf: await pdfOf(row), name: fileName(row) };
    },
  };
}

export type CertificateDocumentsService = ReturnType<typeof createCertificateDocumentsService>;
