import type { Knex } from 'knex';
import { sendMessage } from '../messages/messages.service.ts';
import { formatShanghai } from '../activities/activities.rules.ts';

/** 评审结果: the outcomes an application can end with (dossiers.result). */
export type DossierResult = 'passed' | 'review_failed' | 'exam_failed' | 'withdrawn' | 'confirm_failed' | 'abandoned';
export type ResultStage = 'exam' | 'breakthrough' | 'panel' | 'plenary' | 'publicity' | 'confirmation' | 'revision';

export const RESULT_LABELS: Record<DossierResult, string> = {
  passed: '通过',
  review_failed: '未通过',
  exam_failed: '笔试不通过',
  withdrawn: '公示期间被撤销',
  confirm_failed: '确认不通过',
  abandoned: '放弃',
};

export const STAGE_LABELS: Record<ResultStage, string> = {
  exam: '笔试',
  breakthrough: '破格评审',
  panel: '专业组评审',
  plenary: '评委会评审',
  publicity: '评审结果公示',
  confirmation: '评审结果确认',
  revision: '退回修改',
};

export interface ResultOutcome {
  result: DossierResult;
  stage: ResultStage;
  reason: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const REVIEW_STAGES = new Set<string>(['breakthrough', 'panel', 'plenary']);

/**
 * The result a message of the committee's flows gives the dossier (contract of issue 18), or null
 * when it decides nothing yet (an exam passed, a review passed and now in publicity, a certificate
 * issued to a result already passed).
 */
export function resultOf(stage: string, variables: Readonly<Record<string, unknown>>): ResultOutcome | null {
  switch (stage) {
    case 'exam':
      if (variables.examPassed === true) return null;
      return { result: 'exam_failed', stage: 'exam', reason: typeof variables.examScore === 'number' ? `笔试成绩 ${variables.examScore} 分，未达合格标准` : null };
    case 'review': {
      if (variables.reviewPassed === true) return null;
      const reviewStage = String(variables.reviewStage ?? 'plenary');
      // meeting.results names a candidate the exam failed with stage "exam": it never reached the review
      if (reviewStage === 'exam') return { result: 'exam_failed', stage: 'exam', reason: text(variables.reviewReason) };
      return { result: 'review_failed', stage: (REVIEW_STAGES.has(reviewStage) ? reviewStage : 'plenary') as ResultStage, reason: text(variables.reviewReason) };
    }
    case 'withdrawn':
      return { result: 'withdrawn', stage: 'publicity', reason: text(variables.withdrawReason) };
    case 'confirmed':
      return variables.confirmed === true ? { result: 'passed', stage: 'confirmation', reason: null } : { result: 'confirm_failed', stage: 'confirmation', reason: text(variables.confirmReason) };
    default:
      return null;
  }
}

/** How the applicant reads a result: 未通过（评委会评审）, 笔试不通过, 放弃 … */
export function resultText(result: DossierResult, stage: ResultStage | null): string {
  const label = RESULT_LABELS[result];
  return result === 'review_failed' && stage ? `${label}（${STAGE_LABELS[stage]}）` : label;
}

interface Recipients {
  dossierId: number;
  applicantId: number;
  applicantName: string;
  /** the applicant's own unit (their messages are addressed to it, for them only) */
  applicantUnitId: number | null;
  /** the employer on the case's chain (申报单位) */
  employerUnitId: number | null;
  activityName: string;
}

/**
 * 结果通知: the applicant and the employer are told of each result once — the dedupe key is the
 * dossier and the result, so a retried step (or a message delivered again) sends nothing new.
 */
export async function sendResultMessages(trx: Knex.Transaction, to: Recipients, outcome: ResultOutcome, at: Date): Promise<number> {
  const what = resultText(outcome.result, outcome.stage);
  const title = `申报结果：${to.applicantName}（${to.activityName}）${what}`;
  const body = [`“${to.activityName}”申报结果：${what}，${formatShanghai(at)}。`, outcome.reason ? `原因：${outcome.reason}` : null].filter(Boolean).join('');
  const key = `dossier-result:${to.dossierId}:${outcome.result}`;
  // the applicant always (one without an employer has no unit: the message names them alone)
  let sent = (await sendMessage(trx, { unitId: to.applicantUnitId, userId: to.applicantId, permission: 'dossier.apply', kind: 'dossier.result', title, body, link: `/my-dossiers/${to.dossierId}`, dedupeKey: `${key}:applicant` }, at)) ? 1 : 0;
  if (to.employerUnitId != null) {
    const ok = await sendMessage(trx, { unitId: to.employerUnitId, kind: 'dossier.result', title, body, link: `/dossiers/${to.dossierId}`, dedupeKey: `${key}:employer` }, at);
    if (ok) sent++;
  }
  return sent;
}

/** Whole seconds from `now` until `deadline` as an ISO 8601 duration (at least one second), for a timer that fires at the deadline. */
export function waitUntil(deadline: Date, now: Date): string {
  return `PT${Math.max(1, Math.ceil((deadline.getTime() - now.getTime()) / 1000))}S`;
}

/** A revision without any deadline (activities before deadlines existed) never lapses; the timer still needs a time. */
export const NO_REVISION_DEADLINE = 'P100Y';
