import type { Knex } from 'knex';
import type { ServiceHandler, TaskRecord } from '../../../engine/types.ts';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { checkIdNumber } from '../../../forms/validators.ts';
import { ConflictError } from '../../src/errors.ts';
import type { CertificatesService } from '../certificates/certificates.service.ts';
import type { CertificateSubject } from '../certificates/certificates.types.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { checkIssuingData } from './certificate-issuance.rules.ts';
import { batchRefOf, createIssuanceRepository, type BatchPersonRow, type IssuanceBatchRow } from './certificate-issuance.repository.ts';
import type { PiiCipher } from '../../src/pii.ts';

const label = (table: Record<string, string>, code: string | null) => (code ? (table[code] ?? code) : '');

/** 工程技术 中级 → 工程师: the title a series and level confer (the series' own names where the series has them). */
const TITLES: Record<string, [string, string, string, string]> = {
  engineering: ['正高级工程师', '高级工程师', '工程师', '助理工程师'],
  economics: ['正高级经济师', '高级经济师', '经济师', '助理经济师'],
  accounting: ['正高级会计师', '高级会计师', '会计师', '助理会计师'],
  statistics: ['正高级统计师', '高级统计师', '统计师', '助理统计师'],
  auditing: ['正高级审计师', '高级审计师', '审计师', '助理审计师'],
  agriculture: ['正高级农艺师', '高级农艺师', '农艺师', '助理农艺师'],
};
const LEVEL_INDEX: Record<string, number> = { senior_full: 0, senior_deputy: 1, intermediate: 2, junior: 3 };

export function titleNameOf(series: string | null, level: string | null): string {
  const named = series ? TITLES[series] : undefined;
  const i = level ? LEVEL_INDEX[level] : undefined;
  if (named && i !== undefined) return named[i]!;
  return `${label(LEVELS, level)}${label(SERIES, series)}职称`;
}

const genderOf = (idNumber: string) => {
  const r = checkIdNumber(idNumber);
  return r.ok ? (r.sex === 'male' ? '男' : '女') : null;
};

/** What the certificate of a batch's person carries (the dossier's data, or the 初定 entry). */
export function subjectOf(batch: IssuanceBatchRow, p: BatchPersonRow): CertificateSubject {
  const initial = p.source_type === 'initial';
  return {
    kind: batch.kind,
    sourceType: p.source_type,
    sourceId: Number(p.source_id),
    dossierId: p.dossier_id == null ? null : Number(p.dossier_id),
    userId: p.user_id == null ? null : Number(p.user_id),
    personName: p.person_name,
    idNumber: p.id_number ?? '',
    gender: p.gender ?? genderOf(p.id_number ?? ''),
    series: initial ? p.series! : label(SERIES, p.series),
    specialty: p.specialty ?? '',
    titleName: initial ? p.title_name! : titleNameOf(p.series, p.level),
    level: initial ? p.level! : label(LEVELS, p.level),
    committeeName: p.committee_name,
    employerName: p.employer_name,
    issuerUnitId: Number(batch.issuer_unit_id),
    approvalDate: p.approval_date!,
    documentNo: p.document_no!,
    reviewDate: p.review_date,
  };
}

const num = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`证书生成缺少${name}`);
  return n;
};

/**
 * The handlers of certificate-issuance.bpmn and delegated-certificate.bpmn and the check of their
 * 生成证书 step; the diagrams decide the order (发证 → 开始生成证书 → 证书生成完毕 → 登记发证结果 →
 * 通知证书已发放).
 */
export function createIssuanceFlow(db: Knex, engine: Pick<WorkflowEngine, 'repo'>, certificates: Pick<CertificatesService, 'startGeneration'>, pii: PiiCipher) {
  const repo = createIssuanceRepository(db, pii);

  const handlers: Record<string, ServiceHandler> = {
    /** 开始生成证书: the batch's waiting persons go to the core's background generation. */
    'issuance.startGeneration': async ({ trx, variables }) => {
      const batchId = num(variables.batchId, '批次（batchId）');
      const batch = await repo.lockBatch(batchId, trx);
      if (!batch) throw new Error(`发证批次 ${batchId} 不存在`);
      const persons = await repo.persons(batchId, ['pending'], trx);
      const ref = batchRefOf(batchId);
      await certificates.startGeneration(trx, {
        ref,
        issuerUnitId: Number(batch.issuer_unit_id),
        subjects: persons.map((p) => subjectOf(batch, p)),
        // who pressed 发证 is the step's history event; the certificates name the issuing unit
        actorId: null,
        message: { name: 'certificate-generation-finished', correlationKey: ref },
      });
      await repo.markGenerating(batchId, ref, trx);
      return { generationRef: ref, total: persons.length };
    },

    /** 登记发证结果: the persons and the batch 已发放; which dossiers' cases to tell (issuedDossiers). */
    'issuance.issued': async ({ trx, variables, clock }) => {
      const batchId = num(variables.batchId, '批次（batchId）');
      await repo.markIssued(batchId, clock.now(), trx);
      return { issuedDossiers: await repo.issuedDossiers(batchId, trx) };
    },

    'issuance.discarded': async ({ trx, variables }) => {
      await repo.markDiscarded(num(variables.batchId, '批次（batchId）'), trx);
    },
  };

  const variablesOf = async (task: TaskRecord) => (await engine.repo.getInstance(task.instanceId))?.variables ?? {};

  const checks: Record<string, CompletionCheck> = {
    /**
     * 发证 needs persons, each with approval date and 文号 (the year rule), and the stamped summary
     * table; 撤销批次 only once every person has been cancelled.
     */
    'issuance-issue': async ({ task, action }) => {
      const batchId = Number((await variablesOf(task)).batchId);
      const batch = await repo.batch(batchId);
      if (!batch) throw new ConflictError('发证批次不存在');
      const persons = await repo.persons(batchId, ['pending']);
      if (action === 'discard') {
        if (persons.length) throw new ConflictError('批次中还有待发证人员，不能撤销批次；请先取消他们的发证');
        return;
      }
      if (!persons.length) throw new ConflictError('批次中没有待发证人员');
      const missing = persons.filter((p) => !p.document_no || !p.approval_date);
      if (missing.length) throw new ConflictError(`请先设置批准时间和职称文件文号：${missing.map((p) => p.person_name).join('、')}`, { itemIds: missing.map((p) => Number(p.id)) });
      for (const p of persons) checkIssuingData(p.document_no!, p.approval_date!);
      // what the certificate must carry, checked here so that a gap is a refusal, not an incident in the background
      const noId = persons.filter((p) => !checkIdNumber(p.id_number ?? '').ok);
      if (noId.length) throw new ConflictError(`身份证号缺失或无效，不能发证，请取消其发证后核实：${noId.map((p) => p.person_name).join('、')}`, { itemIds: noId.map((p) => Number(p.id)) });
      const incomplete = persons.filter((p) => !p.series || !p.specialty?.trim() || !p.level);
      if (incomplete.length) throw new ConflictError(`系列、专业或层级缺失，不能发证，请取消其发证后核实：${incomplete.map((p) => p.person_name).join('、')}`, { itemIds: incomplete.map((p) => Number(p.id)) });
      if (!batch.stamped_file_id) throw new ConflictError('请先导出汇总表，线下盖章后上传盖章汇总表（PDF），再发证');
    },
  };

  return { handlers, checks };
}
