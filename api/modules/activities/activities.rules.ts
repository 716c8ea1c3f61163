import { DEADLINE_LABELS, NOTICE_DAYS, calendarDaysBetween, deadlineSpacingProblems, shanghaiDay, type DeadlineField } from '../../../forms/activity.ts';
import { LEVELS } from '../../../forms/catalog.ts';
import { ConflictError, ValidationError } from '../../src/errors.ts';
import type { ActivityRecord, CommitteeRecord } from './activities.repository.ts';

export const PHASE_LABELS: Record<string, string> = {
  upcoming: '未开始申报',
  open: '个人申报中',
  revision: '初次提交已截止，可修改提交',
  receipt: '单位审核报送中',
  closed: '申报已截止',
};

const HHMM = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** An instant as a clerk reads it: 2026-04-01 09:00 (Beijing time). */
export function formatShanghai(at: Date): string {
  return `${shanghaiDay(at)} ${HHMM.format(at)}`;
}

/** Where a published activity stands at `now`; null for one not published or without deadlines. */
export function phaseOf(a: Pick<ActivityRecord, 'status' | 'startsAt' | 'firstDeadline' | 'revisionDeadline' | 'receiptDeadline'>, now: Date): string | null {
  if (a.status !== 'published') return null;
  const t = now.getTime();
  if (a.startsAt && t < a.startsAt.getTime()) return 'upcoming';
  if (!a.firstDeadline || t <= a.firstDeadline.getTime()) return 'open';
  if (!a.revisionDeadline || t <= a.revisionDeadline.getTime()) return 'revision';
  if (!a.receiptDeadline || t <= a.receiptDeadline.getTime()) return 'receipt';
  return 'closed';
}

/** Only a committee filed (已备案) and within its term may hold activities. */
export function usableCommitteeProblem(c: CommitteeRecord, now: Date): string | null {
  if (c.filingStatus !== 'filed') return `评委会“${c.name}”尚未核准备案，不能发布评审活动；请先在“评委会备案申报”中完成备案`;
  if (!c.validTo || c.validTo < shanghaiDay(now)) return `评委会“${c.name}”的备案有效期已于 ${c.validTo ?? '—'} 届满，不能发布评审活动；请重新核准备案`;
  return null;
}

export function assertUsableCommittee(c: CommitteeRecord, now: Date, field = 'committeeId'): void {
  const problem = usableCommitteeProblem(c, now);
  if (problem) throw new ValidationError(problem, [{ field, message: problem }]);
}

/** 开设级别 from the committee's filed levels; 开设专业 from its specialties when it was filed by specialty. */
export function offeringProblems(input: { levels: string[]; specialties: string[] }, c: CommitteeRecord, options: { complete: boolean }): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const outside = input.levels.filter((l) => !c.levels.includes(l));
  if (outside.length) {
    const names = outside.map((l) => LEVELS[l as keyof typeof LEVELS] ?? l).join('、');
    const allowed = c.levels.map((l) => LEVELS[l as keyof typeof LEVELS] ?? l).join('、') || '无';
    problems.push({ field: 'levels', message: `开设级别“${names}”不在评委会备案的评审级别（${allowed}）内` });
  }
  if (options.complete && input.levels.length === 0) problems.push({ field: 'levels', message: '请在“开设专业与级别”中至少选择一个开设级别' });
  if (c.specialties.length) {
    const off = input.specialties.filter((s) => !c.specialties.includes(s));
    if (off.length) problems.push({ field: 'specialties', message: `开设专业“${off.join('、')}”不在评委会备案的评审专业（${c.specialties.join('、')}）内` });
  }
  const dup = input.specialties.find((s, i) => input.specialties.indexOf(s) !== i);
  if (dup) problems.push({ field: 'specialties', message: `开设专业“${dup}”重复` });
  return problems;
}

/** Throws one 400 naming every field with a problem. */
export function refuse(problems: Array<{ field: string; message: string }>, prefix = ''): void {
  if (!problems.length) return;
  throw new ValidationError(
    problems.map((p) => p.message).join('；'),
    problems.map((p) => ({ field: prefix ? `${prefix}.${p.field}` : p.field, message: p.message })),
  );
}

/**
 * 申报通知在申报启动日 30 日前发布: at `now` (a submission for publication, or the publication
 * itself) the start must be at least 30 calendar days away, counted on Beijing-time dates.
 */
export function noticeProblem(startsAt: Date | string, now: Date): { field: DeadlineField; message: string } | null {
  const gap = calendarDaysBetween(now, new Date(startsAt));
  if (gap >= NOTICE_DAYS) return null;
  const earliest = shanghaiDay(new Date(now.getTime() + NOTICE_DAYS * 86_400_000));
  return {
    field: 'startsAt',
    message: `申报通知须在申报开始日 ${NOTICE_DAYS} 日前发布：${DEADLINE_LABELS.startsAt}（${shanghaiDay(new Date(startsAt))}）距今只有 ${gap} 天，不得早于 ${earliest}`,
  };
}

export { deadlineSpacingProblems };

/** A unique-index violation of activities_annual_idx, as the clerk should read it. */
export function annualConflict(committeeName: string, year: number, existing: { name: string } | null): ConflictError {
  return new ConflictError(
    `评委会“${committeeName}”${year} 年度已有年度评审活动${existing ? `“${existing.name}”` : ''}，年度评审活动每年只能开展一次；如需另行开展，请选择“专项评审活动”`,
    [{ field: 'kind', message: '本年度已有年度评审活动' }],
  );
}

export function isAnnualViolation(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'activities_annual_idx';
}
