import { ConflictError } from '../../src/errors.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import type { ExpertDrawService } from './expert-draw.service.ts';

/** The meeting a task of a meeting flow belongs to: business key `meeting:<id>`, else the meeting started with the case. */
async function meetingOf(service: ExpertDrawService, task: { businessKey: string | null; rootInstanceId: string }): Promise<number> {
  const m = /^meeting:(\d+)$/.exec(task.businessKey ?? '');
  const id = m ? Number(m[1]) : await service.repo.meetingOfInstance(task.rootInstanceId);
  if (id == null) throw new ConflictError('找不到本流程对应的评审会议');
  return id;
}

/** `meeting-draw`: the flow moves on once a draw is accepted (its experts are the meeting's). */
export function createDrawCheck(service: ExpertDrawService): CompletionCheck {
  return async ({ task }) => {
    const meetingId = await meetingOf(service, task);
    if (!(await service.repo.acceptedDraw(meetingId))) throw new ConflictError('尚未采用抽选结果：请在专家抽选页面抽选并采用抽选结果后再办理');
  };
}

/** `meeting-attendance`: every principal called, every seat filled, a 主任委员 (and 执行主任 when several), 20 % from elsewhere. */
export function createAttendanceCheck(service: ExpertDrawService): CompletionCheck {
  return async ({ task }) => {
    const meetingId = await meetingOf(service, task);
    const problems = await service.attendanceProblems(meetingId);
    if (problems.length) throw new ConflictError(`确认出席尚未完成：${problems.join('；')}`, { problems });
  };
}
