import type { ApiResponse } from '../../api-types.ts';

/** What the API says about dossiers on the applicant's side (generated from api/modules/dossiers/dossiers.routes.ts). */
export type { FileRef } from '../../components/FileUploadInput.tsx';
export type OpenActivity = ApiResponse<'/api/activities'>[number];
export type MyDossier = ApiResponse<'/api/dossiers/mine'>[number];
export type DossierProgress = ApiResponse<'/api/dossiers/{id}'>;
export type Deadline = NonNullable<DossierProgress['deadline']>;
export type DeclarationView = ApiResponse<'/api/dossiers/{id}/declaration'>;
export type TemplateSpec = DeclarationView['templates'][number];
export type DossierCase = ApiResponse<'/api/dossiers/{id}/case'>;
export type CaseSection = DossierCase['sections'][number];
export type CaseGroup = CaseSection['groups'][number];
export type CaseField = CaseSection['fields'][number];
