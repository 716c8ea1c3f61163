/** What the API says about dossiers on the applicant's side (see api/modules/dossiers/dossiers.routes.ts). */
export interface FileRef {
  id: string;
  name: string;
  size: number;
  mime: string;
}

export interface Deadline {
  label: string;
  at: string;
  passed: boolean;
}

export interface Holder {
  taskId: string;
  name: string;
  unitId: number | null;
  unitName: string | null;
  level: string | null;
  mine: boolean;
}

export interface OpenActivity {
  id: number;
  name: string;
  year: number;
  committeeName: string;
  committeeUnitName: string;
  levels: string[];
  specialties: string[];
  startsAt: string | null;
  firstDeadline: string | null;
  revisionDeadline: string | null;
  open: boolean;
  closedReason: string | null;
  /** the applicant reaches this committee only by 委托评审 */
  delegationNote: string | null;
  dossierId: number | null;
}

export interface DossierProgress {
  id: number;
  activityId: number;
  activityName: string;
  committeeName: string;
  applicantName: string;
  unitName: string | null;
  status: string;
  statusLabel: string;
  instanceId: string | null;
  submittedAt: string | null;
  holders: Holder[];
  opinions: Array<{ step: string; unitName: string | null; level: string | null; actorName: string | null; action: string; actionLabel: string; opinion: string | null; at: string }>;
  defects: { step: string; unitName: string | null; level: string | null; actorName: string | null; opinion: string | null; at: string; items: string[] } | null;
  deadline: Deadline | null;
  submitTaskId: string | null;
  canSetRevisionDeadline: boolean;
}

export interface TemplateSpec {
  key: string;
  label: string;
  fields: Array<{ key: string; label: string; type: string; required: boolean }>;
}

export interface DeclarationView {
  dossierId: number;
  status: string;
  statusLabel: string;
  applicant: { name: string; idNumber: string | null; unitName: string | null };
  activity: {
    id: number;
    name: string;
    committeeName: string;
    levels: string[];
    specialties: string[];
    achievements: Array<{ order: number; title: string; templates: string[]; requirement: string }>;
    breakthrough: boolean;
    breakthroughConditions: Array<{ name: string; description?: string }>;
    materials: Array<{ name: string; required: boolean; maxFiles: number; description?: string }>;
  };
  templates: TemplateSpec[];
  data: Record<string, unknown>;
  draftSavedAt: string | null;
  deadline: Deadline | null;
  submitTaskId: string | null;
  editable: boolean;
}

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
