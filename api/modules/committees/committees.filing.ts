import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/index.ts';
import type { ServiceHandler } from '../../../engine/types.ts';
import { audit } from '../../src/audit.ts';
import { countOf } from '../../src/list-query.ts';
import { ConflictError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { addDays, addMonths, refilingOpensOn, type CommitteeService } from './committees.service.ts';

export const FILING_PROCESS = 'committee-filing';

/** Experts that count for a filing's list: everything entered by the organiser and not sent back. */
const LISTED_EXPERTS = ['draft', 'pending', 'in_pool'];

interface FilingVariables {
  committeeId: number;
  committeeName: string;
  filingId: number;
  refiling: boolean;
  organizerUnitId: number;
  issuerUnitId: number;
  registrarUnitId: number;
  returned?: boolean;
  review?: { action?: string; opinion?: string | null };
}

/**
 * 评委会备案 (processes/committee-filing.bpmn): the organiser submits the committee with its expert
 * list and the request letter; the issuer and then the registrar review it through their review
 * posts. An approved filing gives the committee its term; a re-filing may start two months
 * before the term ends and continues it without a gap.
 */
export function createFiling(deps: { db: Knex; engine: WorkflowEngine; committees: CommitteeService }) {
  const { db, engine, committees } = deps;

  /** Whether the committee may be filed now; the problems name what to fix. */
  async function assertReady(committeeId: number, trx: Knex | Knex.Transaction = db) {
    const row = await committees.getRow(committeeId, trx);
    const view = committees.view(row);
    const missing = [
      !view.issuerUnitId && '授权管理单位',
      !view.registrarUnitId && '备案批复单位',
      !view.officeAgency && '评委会办事机构',
      !view.office && '评委会办公室',
      !view.contactName && '对外联系人',
      !view.contactPhone && '对外联系电话',
      !view.address && '联系地址',
      !view.levels.length && '评审级别',
    ].filter(Boolean);
    if (missing.length) throw new ValidationError(`请先完善评委会信息：${missing.join('、')}`, [{ field: 'committee', message: `缺少${missing.join('、')}` }]);
    if (view.filingStatus === 'filed' && view.validTo && !view.refilingDue) {
      throw new ConflictError(`评委会备案有效期至 ${view.validTo}，届满前 2 个月（${refilingOpensOn(view.validTo)} 起）方可重新备案`);
    }
    const n = await countOf(trx('experts').where({ committee_id: committeeId }).whereIn('status', LISTED_EXPERTS));
    if (n === 0) throw new ValidationError('请先在专家库中录入评委会的专家名单后再提交备案', [{ field: 'experts', message: '专家库名单为空' }]);
    return { row, view, expertCount: n };
  }

  const handlers: Record<string, ServiceHandler> = {
    /** 提交备案: the filing is under review, with the request letter and the size of the expert list. */
    'committee.filingSubmitted': async ({ trx, variables, clock }) => {
      const v = variables as unknown as FilingVariables & { requestFiles?: unknown[]; note?: string };
      const { view, expertCount } = await assertReady(v.committeeId, trx);
      const count = await trx('committee_filings')
        .where({ id: v.filingId })
        .whereIn('status', ['draft', 'returned'])
        .update({ status: 'submitted', request_files: JSON.stringify(v.requestFiles ?? []), expert_count: expertCount, submitted_at: clock.now(), opinion: v.note ?? null });
      if (count !== 1) throw new ConflictError('备案申请已提交');
      return {
        returned: false,
        committeeName: view.name,
        issuerUnitId: view.issuerUnitId,
        registrarUnitId: view.registrarUnitId,
        seriesName: view.seriesName,
        levelNames: view.levelNames.join('、'),
        expertCount,
      };
    },
    'committee.filingReturned': async ({ trx, variables, clock }) => {
      const v = variables as unknown as FilingVariables;
      await trx('committee_filings').where({ id: v.filingId }).update({ status: 'returned', opinion: v.review?.opinion ?? null, decided_at: clock.now() });
      return { returned: true };
    },
    'committee.filingRejected': async ({ trx, variables, clock }) => {
      const v = variables as unknown as FilingVariables;
      await trx('committee_filings').where({ id: v.filingId }).update({ status: 'rejected', opinion: v.review?.opinion ?? null, decided_at: clock.now() });
      await audit(trx, null, { action: 'committee.filing_rejected', targetType: 'committee', targetId: v.committeeId, unitId: v.registrarUnitId, data: { filingId: v.filingId } }, clock.now());
    },
    'committee.filingWithdrawn': async ({ trx, variables, clock }) => {
      const v = variables as unknown as FilingVariables;
      await trx('committee_filings').where({ id: v.filingId }).update({ status: 'withdrawn', decided_at: clock.now() });
    },
    /**
     * 备案通过: the term starts today — or, for a re-filing of a committee still in its term, the
     * day after the current term ends — and lasts the committee's term years.
     */
    'committee.filingApproved': async ({ trx, variables, clock }) => {
      const v = variables as unknown as FilingVariables;
      const row = await committees.getRow(v.committeeId, trx);
      const today = committees.today();
      const current = row.filing_status === 'filed' && typeof row.valid_to === 'string' && row.valid_to >= today ? row.valid_to : null;
      const validFrom = current ? addDays(current, 1) : today;
      const validTo = addDays(addMonths(validFrom, 12 * Number(row.term_years ?? 3)), -1);
      const now = clock.now();
      await trx('committee_filings').where({ id: v.filingId }).update({ status: 'approved', decided_at: now, valid_from: validFrom, valid_to: validTo, opinion: v.review?.opinion ?? null });
      // a committee still in its term keeps its start; the new term follows on
      await trx('committees')
        .where({ id: v.committeeId })
        .update({ filing_status: 'filed', valid_from: current ? trx.raw('valid_from') : validFrom, valid_to: validTo, updated_at: now });
      await audit(trx, null, { action: 'committee.filed', targetType: 'committee', targetId: v.committeeId, unitId: v.registrarUnitId, data: { filingId: v.filingId, validFrom, validTo } }, now);
      return { validFrom, validTo };
    },
  };

  /** Before 提交备案 completes: the committee is ready (the withdrawal needs nothing). */
  const check: CompletionCheck = async ({ task, action }) => {
    if (action !== 'submit') return;
    const instance = await engine.repo.getInstance(task.rootInstanceId);
    await assertReady(Number(instance?.variables.committeeId));
  };

  return {
    handlers,
    check,

    /** 备案申请: opens the organiser's 提交备案 task (the request letter is uploaded there). */
    async start(actor: RequestActor, committeeId: number) {
      const row = await committees.visibleRow(actor, committeeId);
      committees.assertOrganiser(actor, row);
      const { view } = await assertReady(committeeId);
      if (view.openFiling) throw new ConflictError('该评委会已有进行中的备案申请，请在待办事项中办理');
      let filingId = 0;
      const instanceId = await engine.startInstance({
        processKey: FILING_PROCESS,
        actor,
        checkStarter: false,
        businessKey: `committee:${committeeId}`,
        prepare: async (trx) => {
          try {
            const [filing] = await trx('committee_filings')
              .insert({ committee_id: committeeId, status: 'draft', submitted_by: actor.userId, submitted_at: engine.clock.now() })
              .returning('id');
            filingId = Number(filing.id);
          } catch (err) {
            if ((err as { code?: string }).code === '23505') throw new ConflictError('该评委会已有进行中的备案申请，请在待办事项中办理');
            throw err;
          }
          const variables: FilingVariables & Record<string, unknown> = {
            committeeId,
            committeeName: view.name,
            filingId,
            refiling: view.filingStatus !== 'unfiled',
            organizerUnitId: view.organizerUnitId,
            organizerName: view.organizerName,
            issuerUnitId: view.issuerUnitId as number,
            registrarUnitId: view.registrarUnitId as number,
            seriesName: view.seriesName,
            levelNames: view.levelNames.join('、'),
          };
          return {
            variables,
            afterStart: async (tx, id) => void (await tx('committee_filings').where({ id: filingId }).update({ instance_id: id })),
          };
        },
      });
      const task = await db('tasks').where({ root_instance_id: instanceId, status: 'open' }).first('id');
      return { instanceId, filingId, taskId: task ? String(task.id) : null };
    },
  };
}

export type Filing = ReturnType<typeof createFiling>;
