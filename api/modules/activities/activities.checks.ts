import type { Knex } from 'knex';
import type { Clock } from '../../../engine/types.ts';
import { ConflictError } from '../../src/errors.ts';
import type { BatchReads, CompletionCheck } from '../tasks/tasks.service.ts';
import { formatShanghai } from './activities.rules.ts';

/** The flow of a dossier and the flow its multi-post levels run in. */
const DOSSIER_FLOWS = new Set(['dossier-review', 'multi-post-review']);

interface CaseActivity {
  name: string;
  first_deadline: Date | null;
  revision_deadline: Date | null;
  own_revision_deadline: Date | null;
  receipt_deadline: Date | null;
  unit_review_deadline: Date | null;
  department_review_deadline: Date | null;
  department_revision_deadline: Date | null;
  /** the dossier went back to the applicant at least once: its units review a revision */
  returned_at: Date | null;
}

/** The steps of the dossier flow, and the calls of its 多岗审核, by the level whose review deadline (notice 004) binds them. */
const UNIT_STEPS = new Set(['unit_review', 'unit_materials', 'superior_review', 'unit_review_posts', 'superior_review_posts']);
const DEPARTMENT_STEPS = new Set(['department_review', 'department_review_posts']);

/**
 * The activity's deadlines drive the dossier flow (null deadlines, of older activities, restrict
 * nothing). Registered as completion checks by form key:
 * - 提交申报材料 (`submit`) until 个人初次提交截止时间, 修改并重新提交 (`resubmit`) until 个人修改提交截止时间;
 * - the levels' own review deadlines of notice 004 (`levelDeadline`) close a unit's or department's pass;
 * - 评委会接收申报截止时间 closes the units' side: after it no unit passes a dossier on (it could no
 *   longer reach the committee in time), and the committee accepts only dossiers that reached it
 *   by then — its 参评资格审核 of those may take place afterwards.
 */
export function createDeadlineChecks(db: Knex, clock: Clock) {
  const activitiesOfCases = async (rootInstanceIds: string[]): Promise<Map<string, CaseActivity>> => {
    const rows = await db('dossiers as d')
      .join('activities as a', 'a.id', 'd.activity_id')
      .select(
        'd.instance_id',
        'a.name',
        'a.first_deadline',
        'a.revision_deadline',
        'a.receipt_deadline',
        'a.unit_review_deadline',
        'a.department_review_deadline',
        'a.department_revision_deadline',
        'd.returned_at',
        'd.revision_deadline as own_revision_deadline',
      )
      .whereIn('d.instance_id', rootInstanceIds);
    return new Map(rows.map((r: CaseActivity & { instance_id: string }) => [String(r.instance_id), r]));
  };
  // a batch reads the activities of its cases together
  const activityOfCase = async (rootInstanceId: string, batch?: BatchReads): Promise<CaseActivity | undefined> =>
    batch ? batch.load('activities.deadlines', rootInstanceId, activitiesOfCases) : (await activitiesOfCases([rootInstanceId])).get(rootInstanceId);

  const dossierSubmit: CompletionCheck = async ({ task, action }) => {
    if (task.processKey !== 'dossier-review' || action !== 'submit') return;
    const a = await activityOfCase(task.rootInstanceId);
    if (!a) return;
    const revision = task.elementId === 'resubmit';
    // after a return, the time the returning unit set wins over the committee's (notice 000)
    const own = revision ? a.own_revision_deadline : null;
    const deadline = own ?? (revision ? a.revision_deadline : a.first_deadline);
    if (deadline && clock.now().getTime() > deadline.getTime()) {
      const label = own ? '退回单位设置的修改提交截止时间' : revision ? '个人修改提交截止时间' : '个人初次提交截止时间';
      throw new ConflictError(`“${a.name}”的${label}为 ${formatShanghai(deadline)}，已经截止，不能再提交申报材料`);
    }
  };

  /** The step of the dossier flow a task acts for: its own, or for a 多岗审核 post the call that started the posts. */
  const stepOf = async (task: { processKey: string; elementId: string; instanceId: string }): Promise<string | null> => {
    if (task.processKey === 'dossier-review') return task.elementId;
    const row = await db('process_instances').select('call_path').where({ id: task.instanceId }).first();
    const [key, element] = (((row?.call_path as string[] | null) ?? [])[0] ?? '').split(':');
    return key === 'dossier-review' && element ? element : null;
  };

  /**
   * Notice 004 三: the units' own review deadlines. A first review at the applicant's unit (and
   * its 上级单位) closes at 单位初次审核截止时间, at the competent department at 主管部门网上审核截止时间;
   * once the dossier has been returned to the applicant, the revision is reviewed by both until
   * 主管部门修改提交截止时间. The HR bureau has no deadline of its own besides the committee's receipt.
   */
  const levelDeadline = async (task: { processKey: string; elementId: string; instanceId: string }, a: CaseActivity): Promise<{ at: Date; label: string } | null> => {
    if (!a.unit_review_deadline && !a.department_review_deadline && !a.department_revision_deadline) return null;
    const step = await stepOf(task);
    const unit = step != null && UNIT_STEPS.has(step);
    const department = step != null && DEPARTMENT_STEPS.has(step);
    if (!unit && !department) return null;
    if (a.returned_at) return a.department_revision_deadline ? { at: a.department_revision_deadline, label: '主管部门修改提交截止时间' } : null;
    if (unit) return a.unit_review_deadline ? { at: a.unit_review_deadline, label: '申报人所在单位初次审核截止时间' } : null;
    return a.department_review_deadline ? { at: a.department_review_deadline, label: '主管部门网上审核截止时间' } : null;
  };

  const unitReview: CompletionCheck = async ({ task, action, batch }) => {
    if (action !== 'pass' || !DOSSIER_FLOWS.has(task.processKey)) return;
    const a = await activityOfCase(task.rootInstanceId, batch);
    if (!a) return;
    const at = clock.now().getTime();
    if (a.receipt_deadline && at > a.receipt_deadline.getTime()) {
      throw new ConflictError(`“${a.name}”的评委会接收申报截止时间为 ${formatShanghai(a.receipt_deadline)}，已经截止，评委会不再接收单位报送的申报材料；不能审核通过，可退回或不通过`);
    }
    const own = await levelDeadline(task, a);
    if (own && at > own.at.getTime()) {
      throw new ConflictError(`“${a.name}”的${own.label}为 ${formatShanghai(own.at)}，已经截止，本级不能再审核通过报送；可退回或不通过`);
    }
  };

  const committeeReceipt: CompletionCheck = async ({ task, action, batch }) => {
    if (action !== 'pass' || task.processKey !== 'dossier-review') return;
    const a = await activityOfCase(task.rootInstanceId, batch);
    if (!a?.receipt_deadline || task.createdAt.getTime() <= a.receipt_deadline.getTime()) return;
    throw new ConflictError(`该申报材料于 ${formatShanghai(task.createdAt)} 报送评委会，晚于评委会接收申报截止时间 ${formatShanghai(a.receipt_deadline)}，不能接收`);
  };

  return { dossierSubmit, unitReview, committeeReceipt };
}
