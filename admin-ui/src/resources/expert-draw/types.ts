import type { ApiBody, ApiResponse } from '../../api-types.ts';

/** What the 专家抽选 and 确认出席 endpoints answer (generated from api/modules/expert-draw/expert-draw.schemas.ts). */
export type DrawPageData = ApiResponse<'/api/meetings/{meetingId}/draw'>;
export type DrawGroup = DrawPageData['groups'][number];
export type DrawRecord = ApiResponse<'/api/meetings/{meetingId}/draws/{drawId}'>;
export type SnapshotPage = ApiResponse<'/api/meetings/{meetingId}/draws/{drawId}/pool'>;
export type ReplayResult = ApiResponse<'/api/meetings/{meetingId}/draws/{drawId}/replay', 'post'>;
export type AttendanceData = ApiResponse<'/api/meetings/{meetingId}/attendance'>;
export type AttendanceExpert = AttendanceData['experts'][number];
export type AttendanceAnswer = ApiResponse<'/api/meetings/{meetingId}/attendance', 'post'>;
export type AttendanceRequest = ApiBody<'/api/meetings/{meetingId}/attendance', 'post'>;

export const DRAW_STATUS: Record<DrawRecord['status'], string> = { drawn: '待采用', refused: '未完成（不满足抽选规则）', accepted: '已采用', superseded: '未采用' };
export const ATTENDANCE: Record<AttendanceExpert['attendance'], string> = { pending: '待确认', confirmed: '确认出席', cancelled: '已取消' };
export const roleLabel = (e: { role: 'principal' | 'alternate'; altOrder: number | null }) => (e.role === 'principal' ? '正选' : `候补${e.altOrder ?? ''}`);
