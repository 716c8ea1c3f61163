import type { ApiResponse } from '../../api-types.ts';

/** What the 评审会议 endpoints answer (generated from api/modules/meetings/meetings.schemas.ts). */
export type ActivityMeetings = ApiResponse<'/api/meeting-activities'>[number];
export type MeetingRecord = ApiResponse<'/api/meetings'>[number];
export type MeetingDetail = ApiResponse<'/api/meetings/{id}'>;
export type MeetingCandidatePage = ApiResponse<'/api/meetings/{id}/candidates'>;
export type MeetingCandidate = MeetingCandidatePage['candidates'][number];
export type MeetingExpert = MeetingDetail['experts'][number];
export type MeetingStep = MeetingDetail['steps'][number];

export const MEETING_STATUS_COLORS: Record<string, 'default' | 'info' | 'success' | 'warning'> = { preparing: 'info', voting: 'warning', closed: 'success', cancelled: 'default' };
export const STEP_STATE_LABELS: Record<string, string> = { done: '已完成', open: '办理中', pending: '未开始', skipped: '不适用' };
export const ATTENDANCE_LABELS: Record<string, string> = { pending: '待确认', confirmed: '确认出席', cancelled: '取消' };
