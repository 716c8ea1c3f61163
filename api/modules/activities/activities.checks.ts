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
}

/**
 * The activity's deadlines drive the dossier flow (null deadlines, of older activities, restrict
 * nothing). Registered as completion checks by form key:
 * - 提交申报材料 (`submit`) until 个人初次提交截止时间, 修改并重新提交 (`resubmit`) until 个人修改提交截止时间;
 * - 评委会接收申报截止时间 closes the units' side: after it no unit passes a dossier on (it could no
 *   longer reach the committee in time), and the committee accepts only dossiers that reached it
 *   by then — its 参评资格审核 of those may take place afterwards.
 */
export function createDeadlineChecks(db: Knex, clock: Clock) {
  const activitiesOfCases = async (rootInstanceIds: string[]): Promise<Map<string, CaseActivity>> => {
    const rows = await db('dossiers as d')
      .join('activities as a', 'a.id', 'd.activity_id')
      .select('d.instance_id', 'a.name', 'a.first_deadline', 'a.revision_deadline', 'a.receipt_deadline', 'd.revision_deadline as own_revision_deadline')
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

  const unitReview: CompletionCheck = async ({ task, action, batch }) => {
    if (action !== 'pass' || !DOSSIER_FLOWS.has(task.processKey)) return;
    const a = await activityOfCase(task.rootInstanceId, batch);
    if (!a?.receipt_deadline || clock.now().getTime() <= a.receipt_deadline.getTime()) return;
    throw new ConflictError(`“${a.name}”的评委会接收申报截止时间为 ${formatShanghai(a.receipt_deadline)}，已经截止，评委会不再接收单位报送的申报材料；不能审核通过，可退回或不通过`);
  };

  const committeeReceipt: CompletionCheck = async ({ task, action, batch }) => {
    if (action !== 'pass' || task.processKey !== 'dossier-review') return;
    const a = await activityOfCase(task.rootInstanceId, batch);
    if (!a?.receipt_deadline || task.createdAt.getTime() <= a.receipt_deadline.getTime()) return;
    throw new ConflictError(`该申报材料于 ${formatShanghai(task.createdAt)} 报送评委会，晚于评委会接收申报截止时间 ${formatShanghai(a.receipt_deadline)}，不能接收`);
  };

  return { dossierSubmit, unitReview, committeeReceipt };
}
