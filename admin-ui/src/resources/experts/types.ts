import type { ApiResponse } from '../../api-types.ts';

/** What the 专家库 endpoints answer (generated from api/modules/experts/experts.schemas.ts). */
export type ExpertRecord = ApiResponse<'/api/experts/{id}', 'put'>;
export type ExpertDetail = ApiResponse<'/api/experts/{id}'>;
export type PoolRecord = ApiResponse<'/api/expert-pools/{committeeId}'>;
export type ImportSummary = ApiResponse<'/api/expert-imports/{id}'>;
export type GoodRow = ApiResponse<'/api/expert-imports/{id}/good'>[number];
export type BadRow = ApiResponse<'/api/expert-imports/{id}/bad'>[number];

/** The four lists of the manual's 专家库管理, plus the experts waiting for the registrar (named by the API's expert statuses). */
export const MANAGE_TABS = [
  { status: 'draft', count: 'draft' },
  { status: 'recommended', count: 'recommended' },
  { status: 'pending', count: 'pending' },
  { status: 'in_pool', count: 'inPool' },
  { status: 'returned', count: 'returned' },
] as const;

/** 主任委员 and 副主任委员 are the organiser's decision: not offered to a recommending unit. */
export const RECOMMENDER_OMITS = ['isChair', 'isViceChair'];
