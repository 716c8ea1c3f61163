import type { Knex } from 'knex';
import type { ServiceHandler } from '../../../engine/types.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ValidationError } from '../../src/errors.ts';
import type { Calendar } from '../calendar/calendar.service.ts';
import { shanghaiDate } from '../calendar/calendar.service.ts';
import { flagObjection } from '../meeting-prep/meeting-prep.service.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { renderNotice } from './result-publicity.pdf.ts';
import { noticePublicityStarted } from '../messages/flow-notices.ts';
import { createPublicityRepository, type PublicCandidateRow } from './result-publicity.repository.ts';

/** The shortest publicity period (人社部令第40号; notices 002/004): 5 working days by the 工作日历. */
export const MIN_WORKING_DAYS = 5;
export const PUBLICITY_RULE = `公示期不少于${MIN_WORKING_DAYS}个工作日（按工作日历计算，含开始、结束当日）`;

/** Working days from `start` to `end`, both included. */
export function periodWorkingDays(calendar: Pick<Calendar, 'isWorkingDay' | 'workingDaysBetween'>, start: string, end: string): number {
  if (end < start) return 0;
  return (calendar.isWorkingDay(start) ? 1 : 0) + calendar.workingDaysBetween(start, end);
}

/** The instant a period ends: 24:00 Asia/Shanghai of its last day. */
export function periodEndsAt(end: string): Date {
  const next = new Date(`${end}T00:00:00+08:00`);
  return new Date(next.getTime() + 24 * 3600 * 1000);
}

export const seriesLabel = (s: string | null) => (s ? (SERIES[s as keyof typeof SERIES] ?? s) : '');
export const levelLabel = (l: string | null) => (l ? (LEVELS[l as keyof typeof LEVELS] ?? l) : '');

export function noticeCandidate(c: PublicCandidateRow) {
  return { dossierId: Number(c.dossier_id), name: c.name, employer: c.employer ?? '', series: seriesLabel(c.series), specialty: c.specialty ?? '', level: levelLabel(c.level), withdrawn: c.status === 'withdrawn' };
}

interface PublicityVariables {
  meetingId: number;
  activityId: number;
  committeeId: number;
  noticeId: number;
  publicity?: { periodStart: string; periodEnd: string; contactPerson: string; contactPhone: string; contactAddress: string };
}

interface ComplaintVariables {
  complaintId: number;
  noticeId: number;
  meetingId: number;
  dossierId: number;
  opinion?: string | null;
}

/** The publicity flow's handlers (`publicity.*`) and the check of 发布公示公告. */
export function createPublicityFlow(db: Knex, calendar: Calendar) {
  const repo = createPublicityRepository(db);

  /** 发布公示公告: a period of at least 5 working days by the calendar. */
  const publishCheck: CompletionCheck = async ({ data }) => {
    const { periodStart, periodEnd } = data as { periodStart: string; periodEnd: string };
    if (periodEnd < periodStart) throw new ValidationError('公示结束日期不能早于开始日期', [{ field: 'periodEnd', message: '公示结束日期不能早于开始日期' }]);
    const days = periodWorkingDays(calendar, periodStart, periodEnd);
    if (days < MIN_WORKING_DAYS) {
      const message = `${PUBLICITY_RULE}：${periodStart} 至 ${periodEnd} 仅 ${days} 个工作日`;
      throw new ValidationError(message, [{ field: 'periodEnd', message }]);
    }
  };

  const handlers: Record<string, ServiceHandler> = {
    /** 准备公示: the meeting's notice (待发布) and whose clerks publish it. */
    'publicity.prepare': async ({ trx, variables, instanceId, clock }) => {
      const v = variables as unknown as PublicityVariables;
      const meeting = await repo.meetingFacts(v.meetingId, trx);
      if (!meeting) throw new Error(`评审会议 ${v.meetingId} 不存在`);
      const noticeId = await repo.createNotice({ meetingId: v.meetingId, activityId: v.activityId, committeeId: v.committeeId, instanceId, at: clock.now() }, trx);
      return { noticeId, organizerUnitId: Number(meeting.organizer_unit_id), meetingName: meeting.name, activityName: meeting.activity_name };
    },

    /** 生成公示公告: the PDF, the notice published, and how long until the period is over. */
    'publicity.generate': async ({ trx, variables, clock }) => {
      const v = variables as unknown as PublicityVariables;
      const p = v.publicity;
      if (!p) throw new Error('缺少公示期');
      const meeting = await repo.meetingFacts(v.meetingId, trx);
      if (!meeting) throw new Error(`评审会议 ${v.meetingId} 不存在`);
      const now = clock.now();
      const candidates = (await repo.candidates(v.meetingId, trx)).filter((c) => c.status === 'passed').map(noticeCandidate);
      const title = `${meeting.committee_name}评审结果公示`;
      const pdf = await renderNotice({ title, committeeName: meeting.committee_name, activityName: meeting.activity_name, ...p, publishedOn: shanghaiDate(now), candidates });
      await repo.publish(v.noticeId, { ...p, title, pdf, at: now }, trx);
      await noticePublicityStarted(trx, { noticeId: v.noticeId, meetingId: v.meetingId, title, periodStart: p.periodStart, periodEnd: p.periodEnd }, now);
      const seconds = Math.max(0, Math.round((periodEndsAt(p.periodEnd).getTime() - now.getTime()) / 1000));
      return { periodWait: `PT${seconds}S` };
    },

    /** 查看未结投诉: complaints still under investigation when the period is over. */
    'publicity.openComplaints': async ({ trx, variables, clock }) => {
      const v = variables as unknown as PublicityVariables;
      await repo.lockNotice(v.noticeId, trx);
      const openComplaints = await repo.openComplaints(v.noticeId, trx);
      if (openComplaints > 0) await repo.setStatus(v.noticeId, ['published'], 'holding', clock.now(), trx);
      return { openComplaints };
    },

    /**
     * 结束无投诉人员的公示 (at the period's end, and after each complaint concluded while the
     * publicity waits): `clearedIds`, the passed candidates not withdrawn with no complaint under
     * investigation whose publicity has not ended yet; `publicityEndedIds` keeps those already ended.
     */
    'publicity.clear': async ({ trx, variables }) => {
      const v = variables as unknown as PublicityVariables & { publicityEndedIds?: number[] };
      await repo.lockNotice(v.noticeId, trx);
      const ended = new Set(v.publicityEndedIds ?? []);
      const clearedIds = (await repo.clearedDossierIds(v.meetingId, v.noticeId, trx)).filter((id) => !ended.has(id));
      return { clearedIds, publicityEndedIds: [...ended, ...clearedIds] };
    },

    /** 公示结束: the candidates whose publicity ends (passed, not withdrawn). */
    'publicity.end': async ({ trx, variables, clock }) => {
      const v = variables as unknown as PublicityVariables;
      await repo.setStatus(v.noticeId, ['published', 'holding'], 'ended', clock.now(), trx);
      return { endedDossierIds: await repo.passedDossierIds(v.meetingId, trx) };
    },

    /**
     * 撤销评审结果: the complaint upheld; the candidate withdrawn unless an earlier complaint did it.
     * `publicityHolding`: the period is over and the publicity waits for its complaints.
     */
    'publicity.upholdComplaint': async ({ trx, variables, clock }) => {
      const v = variables as unknown as ComplaintVariables;
      const publicityHolding = (await repo.lockNotice(v.noticeId, trx)) === 'holding';
      await repo.conclude(v.complaintId, { status: 'upheld', conclusion: v.opinion ?? '', at: clock.now() }, trx);
      // 查看公示有异议人员 lists the candidates a complaint was upheld against
      await flagObjection(trx, v.meetingId, v.dossierId, { objection: true, note: `公示期间投诉经核实属实：${v.opinion ?? ''}`, by: null, at: clock.now() });
      return { withdrawnNow: await repo.withdrawCandidate(v.meetingId, v.dossierId, trx), publicityHolding };
    },

    /** 维持评审结果: the complaint dismissed. */
    'publicity.dismissComplaint': async ({ trx, variables, clock }) => {
      const v = variables as unknown as ComplaintVariables;
      const publicityHolding = (await repo.lockNotice(v.noticeId, trx)) === 'holding';
      await repo.conclude(v.complaintId, { status: 'dismissed', conclusion: v.opinion ?? '', at: clock.now() }, trx);
      return { publicityHolding };
    },
  };

  return { handlers, checks: { 'publicity-publish': publishCheck } };
}
