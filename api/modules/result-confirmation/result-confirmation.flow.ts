import type { Knex } from 'knex';
import type { ServiceHandler, TaskRecord } from '../../../engine/types.ts';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import { ConflictError, ValidationError } from '../../src/errors.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { createResultConfirmationRepository } from './result-confirmation.repository.ts';

/** A candidate as 分组 hands it to the per-candidate flow (`result-confirmation-candidate`). */
export interface ConfirmationCandidate {
  dossierId: number;
  applicantName: string;
  unitId: number;
  unitName: string;
  delegated: boolean;
  hasPosts: boolean;
}

const num = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`评审结果确认缺少${name}`);
  return n;
};

/**
 * The handlers of the confirmation diagrams: they record where a candidate stands and compute the
 * facts the diagrams route on; the order of the steps is the diagrams'.
 */
export function createConfirmationFlow(db: Knex, engine: Pick<WorkflowEngine, 'repo'>) {
  const repo = createResultConfirmationRepository(db);

  const handlers: Record<string, ServiceHandler> = {
    /**
     * 按确认单位分组: a directly reviewed candidate is confirmed by the committee's 授权管理单位, a
     * delegated one (委托评审) by the unit that delegated it (manual §1.2.7, 线上委托结果确认).
     */
    'confirmation.group': async ({ trx, variables, clock }) => {
      const meetingId = num(variables.meetingId, '评审会议（meetingId）');
      const meeting = await repo.meetingOf(meetingId, trx);
      if (!meeting) throw new Error(`评审会议 ${meetingId} 不存在`);
      const ids = Array.isArray(variables.dossierIds) ? (variables.dossierIds as unknown[]).map((v) => num(v, '申报（dossierIds）')) : [];
      const dossiers = await repo.dossiersToGroup(ids, trx);
      if (dossiers.length !== new Set(ids).size) throw new Error('移交结果确认的申报不存在');
      const direct = dossiers.some((d) => d.delegated_by_unit_id == null);
      if (direct && meeting.issuer_unit_id == null) throw new Error(`评委会“${meeting.committee_name}”没有授权管理单位，无法移交评审结果确认`);
      const unitOf = (d: (typeof dossiers)[number]) => Number(d.delegated_by_unit_id ?? meeting.issuer_unit_id);
      const unitIds = [...new Set(dossiers.map(unitOf))];
      const [names, withPosts] = await Promise.all([repo.unitNames(unitIds, trx), repo.unitsWithPosts(unitIds, trx)]);
      const candidates: ConfirmationCandidate[] = dossiers.map((d) => ({
        dossierId: Number(d.id),
        applicantName: d.applicant_name,
        unitId: unitOf(d),
        unitName: names.get(unitOf(d)) ?? '',
        delegated: d.delegated_by_unit_id != null,
        hasPosts: withPosts.has(unitOf(d)),
      }));
      await repo.insertCandidates(
        candidates.map((c) => ({ meetingId, dossierId: c.dossierId, unitId: c.unitId, delegated: c.delegated })),
        clock.now(),
        trx,
      );
      return { meetingName: meeting.name, committeeName: meeting.committee_name, organizerUnitId: Number(meeting.organizer_unit_id), candidates };
    },

    'confirmation.returned': async ({ trx, variables, clock }) => {
      await repo.markReturned(num(variables.meetingId, '评审会议'), num(variables.dossierId, '申报'), String(variables.opinion ?? ''), clock.now(), trx);
    },

    'confirmation.resubmitted': async ({ trx, variables }) => {
      await repo.markResubmitted(num(variables.meetingId, '评审会议'), num(variables.dossierId, '申报'), trx);
    },

    /** 登记确认结果: what the dossier's case receives with 确认结果 (`confirmReason` '' when passed). */
    'confirmation.decided': async ({ trx, variables, clock }) => {
      const confirmed = variables.action === 'pass';
      const reason = confirmed ? '' : String(variables.opinion ?? '');
      await repo.markDecided(num(variables.meetingId, '评审会议'), num(variables.dossierId, '申报'), confirmed, reason || null, clock.now(), trx);
      return { confirmed, confirmReason: reason };
    },

    'confirmation.closed': async ({ trx, variables, clock }) => {
      await repo.close(num(variables.meetingId, '评审会议'), clock.now(), trx);
    },
  };

  const variablesOf = async (task: TaskRecord) => (await engine.repo.getInstance(task.instanceId))?.variables ?? {};

  const checks: Record<string, CompletionCheck> = {
    /** 材料审阅 (and each 多岗审核 post of it) reviews; 不通过 is 结果确认's decision. */
    'confirmation-review': async ({ action }) => {
      if (action === 'reject') throw new ValidationError('材料审阅只能“审阅无误”或“退回补充材料”，不通过请在结果确认中办理', [{ field: 'action', message: '材料审阅不能选择不通过' }]);
    },
    /** 通过 needs the confirming unit's 任职资格文件 for the meeting. */
    'confirmation-decision': async ({ task, action }) => {
      if (action !== 'pass') return;
      const v = await variablesOf(task);
      const file = await repo.file(Number(v.meetingId), Number(v.unitId), 'qualification');
      if (!file) throw new ConflictError('请先上传本次评审的任职资格文件，再确认通过');
    },
    /** 办结 only when every confirmed candidate holds a certificate. */
    'confirmation-close': async ({ task }) => {
      const v = await variablesOf(task);
      const pending = await repo.pendingCertificates(Number(v.meetingId));
      if (pending.length) {
        throw new ConflictError(`确认通过人员的证书尚未全部发放，不能办结：${pending.map((p) => p.applicant_name).join('、')}`, { dossierIds: pending.map((p) => Number(p.dossier_id)) });
      }
    },
  };

  return { handlers, checks };
}
