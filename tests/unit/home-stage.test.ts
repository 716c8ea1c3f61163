import { describe, expect, it } from 'vitest';
import { activityStage, type ActivityFacts } from '../../api/modules/home/home.stage.ts';

const none: ActivityFacts = { startsAt: new Date('2026-03-01T00:00:00Z'), firstDeadline: new Date('2026-04-01T00:00:00Z'), meetings: 0, meetingsOpen: 0, publicityOpen: 0, confirming: 0, issuing: 0 };
const at = (iso: string) => new Date(iso);

describe('当前工作进度 of an activity', () => {
  it('reads the dates before any meeting: 未开始, 申报中 up to the deadline, then 审核中', () => {
    expect(activityStage(none, at('2026-02-28T00:00:00Z'))).toBe('upcoming');
    expect(activityStage(none, at('2026-03-15T00:00:00Z'))).toBe('applying');
    expect(activityStage(none, at('2026-04-01T00:00:00Z'))).toBe('applying');
    expect(activityStage(none, at('2026-04-02T00:00:00Z'))).toBe('reviewing');
  });

  it('shows the furthest stage with work under way, and 已办结 only when no meeting has any left', () => {
    const later = at('2026-09-01T00:00:00Z');
    expect(activityStage({ ...none, meetings: 1, meetingsOpen: 1 }, later)).toBe('meeting');
    expect(activityStage({ ...none, meetings: 2, meetingsOpen: 1, publicityOpen: 1 }, later)).toBe('publicity');
    expect(activityStage({ ...none, meetings: 2, publicityOpen: 1, confirming: 1 }, later)).toBe('confirming');
    expect(activityStage({ ...none, meetings: 2, confirming: 1, issuing: 3 }, later)).toBe('issuing');
    expect(activityStage({ ...none, meetings: 2 }, later)).toBe('done');
    // a meeting held while applications are still open is still 评审会议, not 申报中
    expect(activityStage({ ...none, meetings: 1, meetingsOpen: 1 }, at('2026-03-15T00:00:00Z'))).toBe('meeting');
  });
});
