import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/index.ts';
import { audit } from '../../src/audit.ts';
import type { ActivityRecord } from './activities.repository.ts';

export const DEADLINE_JOB = 'activity-deadlines';

/** The two windows an applicant submits in, and the dossier flow's task of each. */
const WINDOWS = [
  { key: 'first', deadline: 'first_deadline', closed: 'first_closed_at', element: 'submit', label: '个人初次提交截止时间', own: null },
  // a revision deadline the returning unit set for one dossier wins over the activity's
  { key: 'revision', deadline: 'revision_deadline', closed: 'revision_closed_at', element: 'resubmit', label: '个人修改提交截止时间', own: 'revision_deadline' },
] as const;

export interface DeadlineJobResult {
  firstClosed: number[];
  revisionClosed: number[];
  tasksFlagged: number;
}

/**
 * Closes first submissions and revisions of published activities at their deadlines: records
 * the closure on the activity once, and marks every open 提交申报材料 / 修改并重新提交 task of
 * its dossiers overdue (due at the deadline, with a history event) — the completion check refuses
 * them from then on. Idempotent and claimed with row locks, so every API process may run it;
 * a task that opens after the closure (a dossier returned late) is marked on the next run.
 */
export async function closeSubmissionWindows(db: Knex, engine: WorkflowEngine, now: Date): Promise<DeadlineJobResult> {
  const result: DeadlineJobResult = { firstClosed: [], revisionClosed: [], tasksFlagged: 0 };
  for (const w of WINDOWS) {
    const closed = await db.transaction(async (trx) => {
      const rows = await trx('activities')
        .select('id', 'name', 'committee_unit_id', w.deadline)
        .where('status', 'published')
        .whereNotNull(w.deadline)
        .where(w.deadline, '<', now)
        .whereNull(w.closed)
        .forUpdate()
        .skipLocked();
      if (!rows.length) return [];
      const ids = rows.map((r: { id: number }) => Number(r.id));
      await trx('activities').whereIn('id', ids).update({ [w.closed]: now });
      for (const r of rows as Array<Record<string, unknown>>) {
        await audit(trx, null, { action: `activity.${w.key}_closed`, targetType: 'activity', targetId: Number(r.id), unitId: Number(r.committee_unit_id), data: { name: r.name, deadline: (r[w.deadline] as Date).toISOString() } }, now);
      }
      return ids;
    });
    if (w.key === 'first') result.firstClosed = closed;
    else result.revisionClosed = closed;

    result.tasksFlagged += await db.transaction(async (trx) => {
      const deadline = w.own ? `coalesce(d.${w.own}, a.${w.deadline})` : `a.${w.deadline}`;
      const due = (await trx('tasks as t')
        .join('dossiers as d', 'd.instance_id', 't.instance_id')
        .join('activities as a', 'a.id', 'd.activity_id')
        .where({ 't.status': 'open', 't.element_id': w.element })
        .whereNull('t.overdue_at')
        .whereNotNull(`a.${w.closed}`)
        .whereRaw(`${deadline} < ?`, [now])
        .select('t.id', trx.raw(`${deadline} as due_at`))) as Array<{ id: string; due_at: Date }>;
      const marked = await engine.markTasksOverdue(trx, due.map((t) => ({ id: String(t.id), dueAt: t.due_at })), `评审活动的${w.label}已过，不能再提交`);
      return marked.length;
    });
  }
  return result;
}

/**
 * An approved extension reopens what it moves past `now`: the closure is cleared, and the tasks
 * the job marked for the old deadline are open again (to be marked at the new one).
 */
export async function reopenWindows(trx: Knex.Transaction, engine: WorkflowEngine, before: Pick<ActivityRecord, 'id' | 'firstDeadline' | 'revisionDeadline'>, after: { firstDeadline: string; revisionDeadline: string }, now: Date): Promise<void> {
  const moves = [
    { w: WINDOWS[0], old: before.firstDeadline, next: new Date(after.firstDeadline) },
    { w: WINDOWS[1], old: before.revisionDeadline, next: new Date(after.revisionDeadline) },
  ];
  for (const { w, old, next } of moves) {
    if (next.getTime() <= now.getTime()) continue;
    await trx('activities').where({ id: before.id }).update({ [w.closed]: null });
    if (!old) continue;
    const marked = await trx('tasks')
      .whereIn('instance_id', trx('dossiers').select('instance_id').where({ activity_id: before.id }).whereNotNull('instance_id'))
      .where({ status: 'open', element_id: w.element, due_at: old })
      .whereNotNull('overdue_at')
      .pluck('id');
    await engine.clearOverdue(trx, marked.map(String), old);
  }
}
