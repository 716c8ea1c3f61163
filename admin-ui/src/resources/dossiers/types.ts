import type { ApiResponse } from '../../api-types.ts';

/** What the API says about dossiers on the applicant's side (generated from api/modules/dossiers/dossiers.routes.ts). */
export type { FileRef } from '../../components/FileUploadInput.tsx';
export type OpenActivity = ApiResponse<'/api/activities'>[number];
export type MyDossier = ApiResponse<'/api/dossiers/mine'>[number];
export type DossierProgress = ApiResponse<'/api/dossiers/{id}'>;
export type Deadline = NonNullable<DossierProgress['deadline']>;
export type DeclarationView = ApiResponse<'/api/dossiers/{id}/declaration'>;
export type TemplateSpec = DeclarationView['templates'][number];

export const ACHIEVEMENT_TITLES: Record<string, string> = {
  papers: '论文论著',
  before_current: '取得现专业技术职称前主要业绩',
  after_current: '取得现专业技术职称后主要业绩',
  teaching: '教育教学业绩',
  teaching_results: '教学业绩成果',
  teaching_research: '教育教学研究业绩成果',
  achievements: '业绩成果',
  influence: '示范引领和影响力',
  ability: '专业能力',
  ability_achievements: '专业能力和业绩成果',
};
