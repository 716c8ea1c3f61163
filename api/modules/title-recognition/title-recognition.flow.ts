import type { Knex } from 'knex';
import type { ServiceHandler, TaskRecord } from '../../../engine/types.ts';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ValidationError } from '../../src/errors.ts';
import { openSealed, type PiiCipher } from '../../src/pii.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { hasReviewPosts } from '../review-levels/review-levels.handlers.ts';
import type { CertificatesService } from '../certificates/certificates.service.ts';
import { RECOGNITIONS_SEALED } from './title-recognition.pii.ts';
import { createRecognitionRepository, type RecognitionRow } from './title-recognition.repository.ts';

export const RECOGNITION_PROCESS = 'title-recognition';
export const MATTER_TYPE = 'title_recognition';
export const recognitionKey = (id: number) => `title-recognition:${id}`;

/** What this module needs of the certificates core (`fastify.certificates`). */
export type CertificatesCore = Pick<CertificatesService, 'issue'>;

const num = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`职称确认审核缺少${name}`);
  return n;
};

/** The certificate a recognised title becomes (kind 确认, one per recognition); `r` opened (its ID number in full). */
export function subjectOf(r: RecognitionRow) {
  return {
    kind: 'confirm' as const,
    sourceType: 'recognition' as const,
    sourceId: Number(r.id),
    dossierId: null,
    userId: Number(r.user_id),
    personName: r.person_name,
    idNumber: r.id_number ?? '',
    series: (SERIES as Record<string, string>)[r.series] ?? r.series,
    specialty: r.specialty,
    titleName: r.title_name,
    level: (LEVELS as Record<string, string>)[r.level] ?? r.level,
    committeeName: r.original_body || null,
    issuerUnitId: Number(r.confirm_unit_id),
    approvalDate: r.approval_date ?? '',
    documentNo: r.document_no ?? '',
  };
}

/**
 * The handlers of `title-recognition`: they record where an application stands and compute the
 * facts the diagram routes on (which unit reviews now, whether it has 多岗审核 posts for
 * 职称确认审核, whether a unit above is left); the order and the outcomes are the diagram's.
 */
export function createRecognitionFlow(db: Knex, engine: Pick<WorkflowEngine, 'repo'>, certificates: () => CertificatesCore, pii: PiiCipher) {
  const repo = createRecognitionRepository(db);

  const handlers: Record<string, ServiceHandler> = {
    /** 逐级审核: the next unit of the path (`levelIndex` counts the levels passed). */
    'recognition.nextLevel': async ({ trx, variables }) => {
      const id = num(variables.recognitionId, '申请（recognitionId）');
      const path = Array.isArray(variables.auditPath) ? (variables.auditPath as unknown[]).map((v) => num(v, '审核路径')) : [];
      if (!path.length) throw new Error('职称确认审核缺少审核路径');
      const levelIndex = Number(variables.levelIndex ?? -1) + 1;
      const unitId = path[levelIndex];
      if (unitId == null) throw new Error('审核路径已走完');
      await repo.set(id, ['reviewing'], { current_unit_id: unitId }, trx);
      const unit = await repo.unit(unitId, trx);
      return { levelIndex, unitId, levelUnitName: unit?.name ?? '', hasPosts: await hasReviewPosts(trx, unitId, MATTER_TYPE), hasUpperLevel: levelIndex < path.length - 1 };
    },

    /** 退回: back to the person with the reason; every level reviews the resubmission again. */
    'recognition.returned': async ({ trx, variables }) => {
      const id = num(variables.recognitionId, '申请（recognitionId）');
      const row = await repo.get(id, trx);
      const reason = String(variables.opinion ?? '').trim() || '审核退回';
      await repo.set(id, ['reviewing'], { status: 'returned', return_reason: reason, return_count: Number(row?.return_count ?? 0) + 1, current_unit_id: null }, trx);
      return { levelIndex: -1 };
    },

    'recognition.resubmitted': async ({ trx, variables, clock }) => {
      await repo.set(num(variables.recognitionId, '申请（recognitionId）'), ['returned'], { status: 'reviewing', submitted_at: clock.now() }, trx);
      return { levelIndex: -1 };
    },

    /** 不通过: the record stays, with the reason, and cannot be deleted. */
    'recognition.rejected': async ({ trx, variables, clock }) => {
      const reason = String(variables.opinion ?? '').trim() || '审核不通过';
      await repo.set(num(variables.recognitionId, '申请（recognitionId）'), ['reviewing'], { status: 'rejected', reject_reason: reason, current_unit_id: null, decided_at: clock.now() }, trx);
    },

    /**
     * 确认通过: the recognised title becomes a certificate of kind 确认 issued by the confirming
     * bureau, with the approval date and 文号 its reviewer entered in the pass form (variables of
     * the step, or the 多岗审核 call's outputs). The core issues one per
     * source, so a retried step finds the first certificate.
     */
    'recognition.confirmed': async ({ trx, variables, clock }) => {
      const id = num(variables.recognitionId, '申请（recognitionId）');
      const approvalDate = typeof variables.approvalDate === 'string' ? variables.approvalDate : '';
      const documentNo = typeof variables.documentNo === 'string' ? variables.documentNo : '';
      if (!approvalDate || !documentNo) throw new Error('确认单位审核通过时未填写批准时间和文号');
      const locked = await repo.forUpdate(id, trx);
      if (!locked) throw new Error(`职称确认申请 ${id} 不存在`);
      const row = openSealed(pii, RECOGNITIONS_SEALED, locked);
      const [cert] = await certificates().issue(trx, [subjectOf({ ...row, approval_date: approvalDate, document_no: documentNo })], { actorId: null, now: clock.now() });
      await repo.set(id, ['reviewing', 'confirmed'], { status: 'confirmed', approval_date: approvalDate, document_no: documentNo, current_unit_id: null, decided_at: clock.now(), certificate_id: cert!.id }, trx);
      return { certificateId: cert!.id };
    },
  };

  const variablesOf = async (task: TaskRecord) => (await engine.repo.getInstance(task.rootInstanceId))?.variables ?? {};

  const checks: Record<string, CompletionCheck> = {
    /**
     * Each level (and each 多岗审核 post of it) passes, returns or rejects; a return needs its
     * reason, and the confirming bureau's pass needs the approval date and 文号 of the certificate.
     */
    'recognition-review': async ({ task, action, data }) => {
      const v = await variablesOf(task);
      const row = await repo.get(Number(v.recognitionId));
      if (!row) throw new ValidationError('职称确认申请不存在', [{ field: 'id', message: '申请不存在' }]);
      if (action === 'pass' && row.current_unit_id != null && Number(row.current_unit_id) === Number(row.confirm_unit_id)) {
        if (!data.approvalDate) throw new ValidationError('请填写批准时间', [{ field: 'approvalDate', message: '确认单位审核通过须填写批准时间' }]);
        if (!data.documentNo) throw new ValidationError('请填写确认文号', [{ field: 'documentNo', message: '确认单位审核通过须填写确认文号' }]);
      }
    },
  };

  return { handlers, checks };
}
