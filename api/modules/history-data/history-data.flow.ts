import type { Knex } from 'knex';
import type { ServiceHandler, TaskRecord } from '../../../engine/types.ts';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import { ConflictError, ValidationError } from '../../src/errors.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { hasReviewPosts } from '../review-levels/review-levels.handlers.ts';
import { createHistoryDataRepository, type HistoryRecordRow, type HistoryUploadRow } from './history-data.repository.ts';
import { parseDate } from './history-data.checks.ts';
import type { CertificatesService } from '../certificates/certificates.service.ts';
import type { PiiCipher } from '../../src/pii.ts';

export const HISTORY_PROCESS = 'history-data-approval';
export const MATTER_TYPE = 'history_data';
export const generationRef = (uploadId: number) => `history-batch:${uploadId}`;

/** What this module needs of the certificates core (`fastify.certificates`). */
export type CertificatesCore = Pick<CertificatesService, 'startGeneration' | 'progress'>;

const num = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`历史职称数据审核缺少${name}`);
  return n;
};

/** The certificate a history record becomes (acquisition type 历史). */
export function subjectOf(r: HistoryRecordRow, upload: HistoryUploadRow, issuerUnitId: number, userId: number | null) {
  return {
    kind: 'history' as const,
    sourceType: 'history' as const,
    sourceId: Number(r.id),
    dossierId: null,
    userId,
    personName: r.person_name,
    idNumber: r.id_number,
    gender: r.gender || null,
    series: r.series,
    specialty: r.specialty,
    titleName: r.title_name,
    level: r.level,
    committeeName: r.review_body || null,
    employerName: r.employer_name || null,
    issuerUnitId,
    approvalDate: parseDate(r.approval_date) ?? r.approval_date,
    documentNo: r.document_no || upload.document_no,
    reviewDate: r.review_date ? parseDate(r.review_date) : null,
  };
}

/**
 * The handlers of `history-data-approval`: they record where a batch stands and compute the facts
 * the diagram routes on (which unit reviews next, whether it has 多岗审核 posts, whether it is the
 * issuer); the order of the levels and the returns are the diagram's.
 */
export function createHistoryFlow(db: Knex, engine: Pick<WorkflowEngine, 'repo'>, certificates: () => CertificatesCore, pii: PiiCipher) {
  const repo = createHistoryDataRepository(db, pii);

  const handlers: Record<string, ServiceHandler> = {
    /** 逐级审核: the next unit of the audit path (`levelIndex` counts the levels passed). */
    'history.nextLevel': async ({ trx, variables }) => {
      const uploadId = num(variables.uploadId, '批次（uploadId）');
      const path = Array.isArray(variables.auditPath) ? (variables.auditPath as unknown[]).map((v) => num(v, '审核路径')) : [];
      if (!path.length) throw new Error('历史职称数据审核缺少审核路径');
      const levelIndex = Number(variables.levelIndex ?? -1) + 1;
      const unitId = path[levelIndex];
      if (unitId == null) throw new Error('审核路径已走完');
      await repo.setUpload(uploadId, ['reviewing'], { current_unit_id: unitId }, trx);
      const unit = await repo.unit(unitId, trx);
      return { levelIndex, unitId, levelUnitName: unit?.name ?? '', hasPosts: await hasReviewPosts(trx, unitId, MATTER_TYPE), lastLevel: levelIndex === path.length - 1 };
    },

    /** 退回: the batch goes back to the uploading unit with the reason; every level reviews it again after. */
    'history.returned': async ({ trx, variables }) => {
      const uploadId = num(variables.uploadId, '批次（uploadId）');
      const reason = String(variables.opinion ?? '').trim() || '审核退回';
      const upload = await repo.upload(uploadId, trx);
      await repo.setUpload(uploadId, ['reviewing', 'approved'], { status: 'returned', return_reason: reason, return_count: Number(upload?.return_count ?? 0) + 1, current_unit_id: null }, trx);
      return { levelIndex: -1 };
    },

    'history.resubmitted': async ({ trx, variables, clock }) => {
      await repo.setUpload(num(variables.uploadId, '批次（uploadId）'), ['returned'], { status: 'reviewing', submitted_at: clock.now() }, trx);
      return { levelIndex: -1 };
    },

    'history.approved': async ({ trx, variables, clock }) => {
      await repo.setUpload(num(variables.uploadId, '批次（uploadId）'), ['reviewing'], { status: 'approved', approved_at: clock.now(), current_unit_id: null }, trx);
    },

    /**
     * 发证: the batch's records not cancelled become certificates of kind 历史, generated in the
     * background by the certificates core; the diagram waits for its message.
     */
    'history.generate': async ({ trx, variables }) => {
      const uploadId = num(variables.uploadId, '批次（uploadId）');
      const upload = await repo.upload(uploadId, trx);
      if (!upload) throw new Error(`历史数据批次 ${uploadId} 不存在`);
      const issuerUnitId = num(variables.issuerUnitId, '发证单位');
      const records = await repo.records(uploadId, { bad: false, issueState: 'pending' }, null, trx);
      const users = await repo.usersByIdNumbers(records.map((r) => r.id_number), trx);
      await repo.setUpload(uploadId, ['approved'], { status: 'issuing' }, trx);
      const actorId = upload.issued_by == null ? null : Number(upload.issued_by);
      await certificates().startGeneration(trx, {
        ref: generationRef(uploadId),
        issuerUnitId,
        subjects: records.map((r) => subjectOf(r, upload, issuerUnitId, users.get(r.id_number) ?? null)),
        actorId,
        message: { name: 'certificate-generation-finished', correlationKey: generationRef(uploadId) },
      });
      return { toIssue: records.length };
    },

    'history.issued': async ({ trx, variables, clock }) => {
      const uploadId = num(variables.uploadId, '批次（uploadId）');
      await repo.linkCertificates(uploadId, trx);
      await repo.setUpload(uploadId, ['issuing'], { status: 'issued', issued_at: clock.now() }, trx);
    },
  };

  const variablesOf = async (task: TaskRecord) => (await engine.repo.getInstance(task.rootInstanceId))?.variables ?? {};

  const checks: Record<string, CompletionCheck> = {
    /** A level (and each 多岗审核 post of it) passes or returns; there is no 不通过 for history data. */
    'history-review': async ({ action }) => {
      if (action === 'reject') throw new ValidationError('历史职称数据审核只能“审核通过”或“退回采集单位”', [{ field: 'action', message: '不能选择不通过' }]);
    },
    /** Resubmitted only without bad rows. */
    'history-resubmit': async ({ task }) => {
      const v = await variablesOf(task);
      const { bad, total } = await repo.counts(Number(v.uploadId));
      if (bad > 0) throw new ConflictError(`本批次还有 ${bad} 条错误数据，请修改或删除后再提交`);
      if (total === 0) throw new ConflictError('本批次没有数据，不能提交');
    },
    /** 发证 needs the stamped summary and someone left to issue. */
    'history-issue': async ({ task, action }) => {
      if (action !== 'pass') return;
      const v = await variablesOf(task);
      const upload = await repo.upload(Number(v.uploadId));
      if (!upload?.stamped_file_id) throw new ConflictError('请先上传盖章后的汇总表（PDF），再发证');
      const pending = await repo.records(Number(v.uploadId), { bad: false, issueState: 'pending' }, { offset: 0, limit: 1 });
      if (!pending.length) throw new ConflictError('本批次人员均已取消发证，没有可发证的人员');
    },
  };

  return { handlers, checks };
}
