/** A dossier as 申报材料综合查询 and 评审人员统计 list it. */
export interface DossierRow {
  id: number;
  applicantName: string;
  employerName: string | null;
  regionCode: string | null;
  regionName: string | null;
  committeeId: number | null;
  committeeName: string | null;
  activityId: number;
  activityName: string;
  year: number;
  series: string | null;
  seriesName: string | null;
  level: string | null;
  levelName: string | null;
  specialty: string | null;
  evaluationMethod: string;
  evaluationMethodName: string;
  status: string;
  statusName: string;
  instanceId: string | null;
  submittedAt: string | null;
}

export interface Choice {
  id: string;
  name: string;
}

export interface QueryOptions {
  committees: Array<{ id: number; name: string; activities: Array<{ id: number; name: string; year: number }> }>;
  evaluationMethods: Choice[];
  series: Choice[];
  levels: Choice[];
  statuses: Choice[];
}

export interface Counts {
  declared: number;
  reviewing: number;
  returned: number;
  rejected: number;
  received: number;
  passed: number;
}

export interface Summary {
  totals: Counts;
  committees: Array<Counts & { id: number; committeeName: string }>;
}

export interface ChangeRecord {
  id: number;
  unitName: string | null;
  actorName: string;
  before: { evaluationMethodName: string; levelName: string | null };
  after: { evaluationMethodName: string; levelName: string | null };
  reason: string | null;
  createdAt: string;
}
