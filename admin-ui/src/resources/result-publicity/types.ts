import type { ApiResponse } from '../../api-types.ts';

export type PublicityNotice = ApiResponse<'/api/public/publicity/{id}'>;
export type PublicityListItem = ApiResponse<'/api/public/publicity'>[number];
export type MeetingPublicity = ApiResponse<'/api/meetings/{id}/publicity'>;
export type Complaint = ApiResponse<'/api/publicity/complaints/mine'>[number];

export const NOTICE_STATUS_COLORS: Record<string, 'success' | 'warning' | 'default' | 'info'> = { drafting: 'default', published: 'success', holding: 'warning', ended: 'info' };
export const COMPLAINT_STATUS_COLORS: Record<string, 'warning' | 'error' | 'success'> = { investigating: 'warning', upheld: 'error', dismissed: 'success' };
