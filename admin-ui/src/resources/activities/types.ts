import type { ApiResponse } from '../../api-types.ts';
import type { FieldSchema } from '../../lib/schema.ts';

/** What the 评审活动 endpoints answer (generated from api/modules/activities/activities.schemas.ts). */
export type { FileRef } from '../../components/FileUploadInput.tsx';
/** A published activity's notice, as the API gives it to anybody. */
export type ActivityNoticeRecord = ApiResponse<'/api/published-activities/{id}'>;
/** The organiser's view of an activity, with the state of its flows and what the caller may do. */
export type ActivityRecord = ApiResponse<'/api/activities/{id}'>;
export type CommitteeOption = ApiResponse<'/api/activities/committee-options'>[number];
export type DeadlineChange = ApiResponse<'/api/activities/{id}/deadline-changes'>[number];

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
