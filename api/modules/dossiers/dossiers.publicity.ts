import type { Clock } from '../../../engine/types.ts';
import { ValidationError } from '../../src/errors.ts';
import { CalendarUnavailable, shanghaiDate, type Calendar } from '../calendar/calendar.service.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';

/** 单位公示: notice 002 — at least 5 working days, before the employer passes the dossier on. */
export const UNIT_PUBLICITY_MIN_WORKING_DAYS = 5;

/** Working days from `start` to `end`, both included, by the 工作日历 (a year not entered is refused, naming it). */
export function publicityWorkingDays(calendar: Pick<Calendar, 'isWorkingDay' | 'workingDaysBetween'>, start: string, end: string): number {
  return (calendar.isWorkingDay(start) ? 1 : 0) + calendar.workingDaysBetween(start, end);
}

/**
 * The employer's pass (本单位人员审核, form employer-review) carries its 公示期: refused (400 naming
 * the field and the rule) unless it spans at least 5 working days of the 工作日历 and has ended by
 * the day of the pass — a publicity still running (or not yet begun) cannot be passed on.
 */
export function createUnitPublicityCheck(calendar: Calendar, clock: Clock): CompletionCheck {
  return async ({ task, action, data }) => {
    if (action !== 'pass' || task.processKey !== 'dossier-review') return;
    const start = typeof data.publicityStart === 'string' ? data.publicityStart : null;
    const end = typeof data.publicityEnd === 'string' ? data.publicityEnd : null;
    // the form's schema requires both; nothing to judge without them
    if (!start || !end) return;
    if (end < start) throw new ValidationError('公示结束日期不能早于公示开始日期', [{ field: 'data.publicityEnd', message: '不能早于公示开始日期' }]);
    const today = shanghaiDate(clock.now());
    if (end > today) {
      throw new ValidationError(`单位公示须在审核通过前结束：公示结束日期 ${end} 晚于今天（${today}），请公示期满后再审核通过`, [{ field: 'data.publicityEnd', message: '公示期须在审核通过前结束' }]);
    }
    let days: number;
    try {
      days = publicityWorkingDays(calendar, start, end);
    } catch (err) {
      if (err instanceof CalendarUnavailable) throw new ValidationError(err.message, [{ field: 'data.publicityStart', message: `${err.year} 年工作日历未公布，不能计算公示期` }]);
      throw err;
    }
    if (days < UNIT_PUBLICITY_MIN_WORKING_DAYS) {
      throw new ValidationError(`单位公示期不少于 ${UNIT_PUBLICITY_MIN_WORKING_DAYS} 个工作日（按工作日历计算）：${start} 至 ${end} 仅 ${days} 个工作日`, [
        { field: 'data.publicityEnd', message: `公示期仅 ${days} 个工作日，不少于 ${UNIT_PUBLICITY_MIN_WORKING_DAYS} 个工作日` },
      ]);
    }
  };
}
