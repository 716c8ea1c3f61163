import type { FieldSchema } from '../../lib/schema.ts';

export interface FileRef {
  id: string;
  name: string;
  size: number;
  mime: string;
}

/** A published activity's notice, as the API gives it to anybody. */
export interface ActivityNoticeRecord {
  id: number;
  name: string;
  scope: string | null;
  year: number;
  kind: string;
  kindLabel: string;
  committeeId: number;
  committeeName: string;
  organiserUnitName: string;
  reviewMethodLabel: string;
  writtenExamLabel: string;
  defenseLabel: string;
  startsAt: string | null;
  firstDeadline: string | null;
  revisionDeadline: string | null;
  receiptDeadline: string | null;
  healthPage: boolean;
  schoolPage: boolean;
  vocationalPage: boolean;
  policyFiles: FileRef[];
  documentNumber: string | null;
  levels: string[];
  levelLabels: string[];
  specialties: string[];
  achievements: Array<Record<string, unknown>>;
  breakthroughConditions: Array<Record<string, unknown>>;
  materials: Array<Record<string, unknown>>;
  publishedAt: string | null;
  phase: string | null;
  phaseLabel: string | null;
}

/** The organiser's view of an activity, with the state of its flows and what the caller may do. */
export interface ActivityRecord extends ActivityNoticeRecord {
  organiserUnitId: number;
  status: string;
  statusLabel: string;
  breakthrough: boolean;
  panels: boolean;
  panelMethod: string | null;
  planFiles: FileRef[];
  public: boolean;
  instanceId: string | null;
  submittedAt: string | null;
  firstClosedAt: string | null;
  revisionClosedAt: string | null;
  reviewOpinion: string | null;
  version: number;
  openTaskId: string | null;
  pendingDeadlineChangeId: number | null;
  canEdit: boolean;
  canSubmit: boolean;
  canDelete: boolean;
  canRequestDeadlineChange: boolean;
  [field: string]: unknown;
}

export interface CommitteeOption {
  id: number;
  name: string;
  levels: string[];
  levelLabels: string[];
  specialties: string[];
  validTo: string | null;
  usable: boolean;
  problem: string | null;
  achievementDefaults: Array<Record<string, unknown>>;
}

export interface DeadlineChange {
  id: number;
  status: string;
  reason: string;
  before: Record<string, string | null>;
  after: Record<string, string | null>;
  requestedByName: string | null;
  requestedAt: string;
  decidedAt: string | null;
  decidedByName: string | null;
  opinion: string | null;
  instanceId: string | null;
}

/** The activity form as published by the API, with the manual's steps. */
export type ActivityFormSchema = FieldSchema & { 'x-steps'?: Array<{ key: string; title: string; fields: string[] }> };

export const STATUS_COLORS: Record<string, 'default' | 'primary' | 'success' | 'warning' | 'error' | 'info'> = {
  draft: 'default',
  reviewing: 'info',
  returned: 'warning',
  published: 'success',
  rejected: 'error',
};

/** Form values without the empty entries an input leaves (the API reads a missing field, not null). */
export function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || v === '' || v === undefined) continue;
      out[k] = clean(v);
    }
    return out;
  }
  return value;
}
