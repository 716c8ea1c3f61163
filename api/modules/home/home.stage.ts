/**
 * 当前工作进度 of a review activity (评审工作监督), read from facts: its dates and whether any of
 * its meetings still has work at a stage. The furthest stage with work under way is the one
 * shown; once every meeting is closed, published, confirmed and issued the activity is 已办结.
 */
export const ACTIVITY_STAGES = {
  upcoming: '未开始',
  applying: '申报中',
  reviewing: '审核中',
  meeting: '评审会议',
  publicity: '公示中',
  confirming: '确认中',
  issuing: '发证中',
  done: '已办结',
} as const;

export type ActivityStage = keyof typeof ACTIVITY_STAGES;

export interface ActivityFacts {
  startsAt: Date | null;
  /** 申报截止 */
  firstDeadline: Date | null;
  /** meetings of the activity, cancelled ones left out */
  meetings: number;
  /** meetings preparing or voting */
  meetingsOpen: number;
  /** closed meetings whose publicity has not ended */
  publicityOpen: number;
  /** meetings whose publicity ended and whose confirmation is not closed */
  confirming: number;
  /** persons handed to certificate issuance and not issued */
  issuing: number;
}

export function activityStage(f: ActivityFacts, now: Date): ActivityStage {
  if (f.issuing > 0) return 'issuing';
  if (f.confirming > 0) return 'confirming';
  if (f.publicityOpen > 0) return 'publicity';
  if (f.meetingsOpen > 0) return 'meeting';
  if (f.meetings > 0) return 'done';
  if (f.startsAt && now < f.startsAt) return 'upcoming';
  if (!f.firstDeadline || now <= f.firstDeadline) return 'applying';
  return 'reviewing';
}
