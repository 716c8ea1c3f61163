import type { ApiResponse } from '../../api-types.ts';

/** A dossier as 申报材料综合查询 and 评审人员统计 list it (generated from api/modules/dossier-queries). */
export type DossierRow = ApiResponse<'/api/dossier-queries'>[number];
export type QueryOptions = ApiResponse<'/api/dossier-queries/options'>;
export type Summary = ApiResponse<'/api/dossier-queries/summary'>;
export type Counts = Summary['totals'];
export type ChangeRecord = ApiResponse<'/api/forwarded-dossiers/{id}/changes'>[number];
