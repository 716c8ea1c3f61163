/** What the 专家库 endpoints answer (see api/modules/experts/experts.schemas.ts). */
export interface ExpertRecord {
  id: number;
  committeeId: number;
  committeeName: string;
  name: string;
  idNumber: string;
  sex: string;
  sexName: string;
  birthMonth: string;
  age: number | null;
  retired: boolean;
  employer: string;
  department: string | null;
  post: string;
  postLevel: string | null;
  postLevelName: string | null;
  phone1: string;
  phone2: string | null;
  honours: string;
  series: string | null;
  seriesName: string | null;
  specialty: string;
  currentTitle: string;
  isChair: boolean;
  isViceChair: boolean;
  active: boolean;
  regionCode: string | null;
  regionName: string | null;
  status: string;
  statusName: string;
  recommendedByUnitId: number | null;
  recommendedByUnitName: string | null;
  returnedStage: string | null;
  returnedStageName: string | null;
  returnedReason: string | null;
  returnedByUnitName: string | null;
  returnedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ExpertDetail extends ExpertRecord {
  roles: Roles;
  events: Array<{ action: string; actionName: string; actorName: string | null; opinion: string | null; createdAt: string }>;
}

export interface Roles {
  manage: boolean;
  review: boolean;
  recommend: boolean;
}

export interface PoolRecord {
  id: number;
  name: string;
  series: string | null;
  seriesName: string | null;
  levels: string[];
  levelNames: string[];
  organizerUnitId: number;
  organizerName: string;
  registrarUnitId: number | null;
  registrarName: string | null;
  roles: Roles;
  counts: { draft: number; recommended: number; pending: number; inPool: number; returned: number; activeInPool: number };
  chairs: string[];
  viceChairs: string[];
}

export interface ImportSummary {
  id: string;
  committeeId: number;
  fileId: string;
  fileName: string;
  total: number;
  goodCount: number;
  badCount: number;
  status: string;
  statusName: string;
  createdAt: string;
  importedAt: string | null;
  importedCount: number | null;
  skipped: Array<{ row: number; name: string; idNumber: string; message: string }>;
}

export interface GoodRow {
  row: number;
  name: string;
  idNumber: string;
  sexName: string | null;
  birthMonth: string | null;
  age: number | null;
  employer: string;
  post: string;
  phone1: string;
  specialty: string;
  currentTitle: string;
  seriesName: string | null;
}

export interface BadRow {
  row: number;
  values: Record<string, string>;
  errors: Array<{ column: string; field: string; message: string }>;
}

/** The four lists of the manual's 专家库管理, plus the experts waiting for the registrar. */
export const MANAGE_TABS = [
  { status: 'draft', label: '新增待提交', count: 'draft' },
  { status: 'recommended', label: '下级推荐待审核', count: 'recommended' },
  { status: 'pending', label: '待备案单位审核', count: 'pending' },
  { status: 'in_pool', label: '在库', count: 'inPool' },
  { status: 'returned', label: '已退回', count: 'returned' },
] as const;

/** 主任委员 and 副主任委员 are the organiser's decision: not offered to a recommending unit. */
export const RECOMMENDER_OMITS = ['isChair', 'isViceChair'];
