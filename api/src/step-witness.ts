import { z } from 'zod';
import { ConflictError, ValidationError } from './errors.ts';

/**
 * A decision taken from a list names the step the list showed (a task's id): a case that has
 * moved on since — decided by another clerk, or by the same clerk at an earlier 多岗审核 post —
 * is not decided again at its next step. Docs: docs/step-witness.md.
 */
export const STALE_STEP = '该记录已由他人处理，请刷新';

/** One step id as a request field. */
export const stepId = z.uuid({ error: '审核环节编号格式不正确' });

/** The step ids a list showed, as a request field. */
export const stepIdList = (max: number) => z.array(stepId, { error: '审核环节应为列表显示的环节编号' }).max(max, `一次最多 ${max} 个审核环节`);

/**
 * Refuses a decision whose case waits at a step the caller's list did not show (409), or that
 * names no step at all (400 naming `field`). Called after the scope check, with the caller's
 * open step of the case.
 */
export function requireShownStep(shown: readonly string[] | undefined, taskId: string, field: string): void {
  if (!shown) throw new ValidationError('请刷新列表后重新选择：缺少列表显示的审核环节', [{ field, message: '缺少审核环节' }]);
  if (!shown.includes(taskId)) throw new ConflictError(STALE_STEP, [{ field, message: '审核环节已变化' }]);
}
