import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import { ValidationError } from '../../src/errors.ts';
import { checkDocNumber, checkIdNumber } from '../../../forms/validators.ts';
import { certificateNo } from './certificates.number.ts';
import { createCertificatesRepository, sealedIdNumber, type CertificateRow } from './certificates.repository.ts';
import type { PiiCipher } from '../../src/pii.ts';
import type { KeyStore } from './certificates.keys.ts';
import { CERTIFICATE_KINDS, maskIdNumber, type CertificateSubject, type IssuedCertificate } from './certificates.types.ts';
import { sm2Sign } from './sm2.ts';

/** Items issued per transaction of a background generation. */
const CHUNK = 100;

const clean = (v: string) => v.replace(/\|/g, '／').trim();

/**
 * The text the issuer signs, fields separated by `|` (a `|` inside a field becomes ／):
 * ZCPS1|number|name|masked ID|kind|series|specialty|title|level|issuer|approval date|文号|key id.
 * It carries what the public page shows, so a QR code checks offline against the published key.
 */
export function certificatePayload(fields: { certificateNo: string; personName: string; idNumber: string; kind: keyof typeof CERTIFICATE_KINDS; series: string; specialty: string; titleName: string; level: string; issuerName: string; approvalDate: string; documentNo: string; keyId: string }): string {
  return [
    'ZCPS1',
    fields.certificateNo,
    fields.personName,
    maskIdNumber(fields.idNumber),
    CERTIFICATE_KINDS[fields.kind],
    fields.series,
    fields.specialty,
    fields.titleName,
    fields.level,
    fields.issuerName,
    fields.approvalDate,
    fields.documentNo,
    fields.keyId,
  ]
    .map(clean)
    .join('|');
}

/** The fields of a payload by name (null when it is not a ZCPS1 payload). */
export function parsePayload(payload: string) {
  const parts = payload.split('|');
  if (parts.length !== 13 || parts[0] !== 'ZCPS1') return null;
  const [, certificateNo, personName, maskedIdNumber, kind, series, specialty, titleName, level, issuerName, approvalDate, documentNo, keyId] = parts as string[];
  return { certificateNo: certificateNo!, personName: personName!, maskedIdNumber: maskedIdNumber!, kind: kind!, series: series!, specialty: specialty!, titleName: titleName!, level: level!, issuerName: issuerName!, approvalDate: approvalDate!, documentNo: documentNo!, keyId: keyId! };
}

function checkSubject(s: CertificateSubject, i: number): void {
  const field = (name: string, message: string) => new ValidationError(`第 ${i + 1} 人（${s.personName || '未填姓名'}）：${message}`, [{ field: `subjects.${i}.${name}`, message }]);
  if (!(s.kind in CERTIFICATE_KINDS)) throw field('kind', '取得方式无效');
  if (!Number.isSafeInteger(s.sourceId) || s.sourceId <= 0) throw field('sourceId', '发证来源无效');
  if (!s.personName?.trim()) throw field('personName', '缺少姓名');
  for (const [name, label] of [['series', '系列'], ['specialty', '专业'], ['titleName', '职称名称'], ['level', '层级']] as const) {
    if (!String(s[name] ?? '').trim()) throw field(name, `缺少${label}`);
  }
  if (!checkIdNumber(s.idNumber).ok) throw field('idNumber', '身份证号无效');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.approvalDate) || Number.isNaN(Date.parse(`${s.approvalDate}T00:00:00Z`))) throw field('approvalDate', '批准日期无效');
  const doc = checkDocNumber(s.documentNo);
  if (!doc.ok) throw field('documentNo', doc.reason);
  if (doc.year !== Number(s.approvalDate.slice(0, 4))) throw field('documentNo', `文号年份（${doc.year}）应与批准日期的年份（${s.approvalDate.slice(0, 4)}）一致`);
}

export interface GenerationStart {
  ref: string;
  issuerUnitId: number;
  subjects: CertificateSubject[];
  actorId: number | null;
  /** published when every subject is issued: payload { generationRef, issued, dossierIds } */
  message?: { name: string; correlationKey: string };
}

export interface GenerationProgress {
  ref: string;
  total: number;
  issued: number;
  state: 'running' | 'done';
  lastError: string | null;
}

export function createCertificatesService(deps: { db: Knex; engine: WorkflowEngine; keys: KeyStore; log: FastifyBaseLogger; pii: PiiCipher }) {
  const { db, engine, keys, log, pii } = deps;
  const repo = createCertificatesRepository(db, pii);
  let running: Promise<void> | null = null;
  let again = false;
  // a closing server finishes the chunk under way and leaves the rest to the next start
  let stopping = false;

  /**
   * Issues a certificate for each subject in the caller's transaction: number, payload signed
   * with the issuer's active key, row. A source that already has its certificate keeps it
   * (created: false), so a retried step or a second click issues nothing twice.
   */
  async function issue(trx: Knex.Transaction, subjects: CertificateSubject[], opts: { actorId: number | null; now: Date; generationRef?: string | null }): Promise<IssuedCertificate[]> {
    subjects.forEach(checkSubject);
    const bySource = (t: string, id: number | string) => `${t}:${id}`;
    const existing = new Map((await repo.bySources(subjects, trx)).map((r) => [bySource(r.source_type, r.source_id), r]));
    const seen = new Set<string>();
    const fresh = subjects.filter((s) => {
      const k = bySource(s.sourceType, s.sourceId);
      if (existing.has(k) || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (fresh.length) {
      const serials = await repo.nextSerials(fresh.length, trx);
      const issuers = new Map<number, { name: string; key: Awaited<ReturnType<KeyStore['activeKey']>> }>();
      for (const unitId of new Set(fresh.map((s) => s.issuerUnitId))) {
        const name = await repo.unitName(unitId, trx);
        if (!name) throw new ValidationError('发证单位不存在', [{ field: 'issuerUnitId', message: '发证单位不存在' }]);
        issuers.set(unitId, { name, key: await keys.activeKey(unitId, opts.now, trx) });
      }
      const rows = fresh.map((s, i) => {
        const issuer = issuers.get(s.issuerUnitId)!;
        const no = certificateNo(Number(s.approvalDate.slice(0, 4)), s.kind, serials[i]!);
        const payload = certificatePayload({ ...s, certificateNo: no, issuerName: issuer.name, keyId: issuer.key.keyId });
        return {
          certificate_no: no,
          kind: s.kind,
          source_type: s.sourceType,
          source_id: s.sourceId,
          dossier_id: s.dossierId ?? null,
          user_id: s.userId ?? null,
          person_name: s.personName.trim(),
          ...sealedIdNumber(pii, s.idNumber.trim().toUpperCase()),
          gender: s.gender ?? null,
          series: s.series,
          specialty: s.specialty,
          title_name: s.titleName,
          level: s.level,
          committee_name: s.committeeName ?? null,
          employer_name: s.employerName ?? null,
          issuer_unit_id: s.issuerUnitId,
          issuer_name: issuer.name,
          approval_date: s.approvalDate,
          document_no: s.documentNo.trim(),
          review_date: s.reviewDate ?? null,
          key_id: issuer.key.keyId,
          payload,
          signature: sm2Sign(payload, issuer.key.privateKey, undefined, issuer.key.publicKey),
          issued_by: opts.actorId,
          issued_at: opts.now,
          generation_ref: opts.generationRef ?? null,
        };
      });
      await repo.insertCertificates(rows, trx);
    }
    // read back: what this call inserted and what was there (or a concurrent call inserted) alike
    const all = new Map((await repo.bySources(subjects, trx)).map((r) => [bySource(r.source_type, r.source_id), r]));
    return subjects.map((s) => {
      const row = all.get(bySource(s.sourceType, s.sourceId));
      if (!row) throw new Error(`证书未能生成：${s.personName}`);
      return { id: Number(row.id), certificateNo: row.certificate_no, sourceType: row.source_type, sourceId: Number(row.source_id), dossierId: row.dossier_id == null ? null : Number(row.dossier_id), created: !existing.has(bySource(s.sourceType, s.sourceId)) };
    });
  }

  /** One chunk of one generation in its own transaction; true when the generation has more to do. */
  async function generateChunk(generationId: number): Promise<boolean> {
    return db.transaction(async (trx) => {
      const generation = await repo.lockGeneration(generationId, trx);
      if (!generation) return false;
      const items = await repo.openItems(generationId, CHUNK, trx);
      const now = engine.clock.now();
      if (items.length) {
        const issued = await issue(trx, items.map((i) => i.subject), { actorId: generation.created_by == null ? null : Number(generation.created_by), now, generationRef: generation.ref });
        await repo.markItems(generationId, items.map((item, i) => ({ seq: item.seq, certificateId: issued[i]!.id })), trx);
      }
      const done = await repo.countIssued(generationId, trx);
      const finished = done >= generation.total;
      await repo.updateGeneration(generationId, { issued: done, last_error: null, ...(finished ? { state: 'done', finished_at: now } : {}) }, trx);
      if (finished && generation.message_name && generation.correlation_key) {
        const issuedRows = await repo.generationCertificates(generationId, trx);
        await engine.publishMessage(trx, {
          name: generation.message_name,
          correlationKey: generation.correlation_key,
          payload: {
            generationRef: generation.ref,
            issued: issuedRows.length,
            dossierIds: issuedRows.filter((r) => r.dossier_id != null).map((r) => Number(r.dossier_id)),
            certificateNos: Object.fromEntries(issuedRows.filter((r) => r.dossier_id != null).map((r) => [String(r.dossier_id), r.certificate_no])),
          },
        });
      }
      return !finished;
    });
  }

  async function runAll(): Promise<void> {
    for (const id of await repo.runningGenerationIds()) {
      try {
        while (!stopping && (await generateChunk(id)));
      } catch (err) {
        log.error({ err, generationId: id }, '证书批量生成失败，稍后重试');
        await repo.updateGeneration(id, { last_error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
      }
    }
    await engine.deliverMessages();
  }

  /** Runs every unfinished generation; a call while one runs asks it to go round again. */
  function runGenerations(): Promise<void> {
    if (stopping) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runAll();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    repo,
    issue,
    runGenerations,
    /** One chunk of one generation (what the runner loops over; tests stop between chunks with it). */
    generateChunk,
    /**
     * Queues a batch for background generation in the caller's transaction (a ref queued twice
     * keeps the first); it starts once the transaction commits, and an unfinished one is resumed
     * on the next start or sweep.
     */
    async startGeneration(trx: Knex.Transaction, input: GenerationStart): Promise<{ id: number }> {
      input.subjects.forEach(checkSubject);
      const id = await repo.insertGeneration(
        {
          ref: input.ref,
          issuer_unit_id: input.issuerUnitId,
          total: input.subjects.length,
          message_name: input.message?.name ?? null,
          correlation_key: input.message?.correlationKey ?? null,
          created_by: input.actorId,
          created_at: engine.clock.now(),
        },
        trx,
      );
      if (id == null) return { id: Number((await repo.generationByRef(input.ref, trx))!.id) };
      await repo.insertGenerationItems(id, input.subjects, trx);
      void trx.executionPromise.then(
        () => setImmediate(() => void runGenerations().catch((err: unknown) => log.error({ err }, '证书批量生成失败'))),
        () => undefined,
      );
      return { id };
    },
    async progress(ref: string): Promise<(GenerationProgress & { issuerUnitId: number }) | null> {
      const row = await repo.generationByRef(ref);
      if (!row) return null;
      return { ref: row.ref, total: row.total, issued: row.issued, state: row.state, lastError: row.last_error, issuerUnitId: Number(row.issuer_unit_id) };
    },
    rotateKey: (unitId: number, trx?: Knex.Transaction) => keys.rotate(unitId, engine.clock.now(), trx),
    /** Lets the chunk under way finish; no new chunk starts in this process. */
    async stop(): Promise<void> {
      stopping = true;
      await running?.catch(() => undefined);
    },
  };
}

export type CertificatesService = ReturnType<typeof createCertificatesService>;
export type { CertificateRow };
