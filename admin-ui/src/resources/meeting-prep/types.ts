import type { ApiResponse } from '../../api-types.ts';

/** What the 评审会议准备 endpoints answer (generated from api/modules/meeting-prep/meeting-prep.schemas.ts). */
export type Preparation = ApiResponse<'/api/meetings/{id}/preparation'>;
export type PrepCandidate = Preparation['candidates'][number];
export type PrepImportSummary = ApiResponse<'/api/meetings/{id}/exam/imports/{importId}'>;
export type ActivityScoring = ApiResponse<'/api/activities/{id}/scoring'>;
export type MeetingNotice = ApiResponse<'/api/dossiers/{id}/meeting-notices'>[number];
export type PrepKind = 'exam' | 'defense';
