import type { Knex } from 'knex';
import type { RequestActor } from './plugins/auth.ts';

export interface AuditEntry {
  action: string;
  targetType: 'unit' | 'user' | 'role' | 'department_route' | 'committee' | 'expert' | 'activity' | 'review_meeting' | 'certificate' | 'certificate_key' | 'person' | 'instance' | 'process_definition' | 'review_levels' | 'task_due_date' | 'incident';
  targetId: number | string;
  /** the unit the change concerns */
  unitId?: number | null;
  data?: Record<string, unknown> | null;
}

/**
 * Appends who changed what (organisation data and administrative settings); in the caller's
 * transaction. Changes record `data: { before, after }` so 操作审计 can show a field diff.
 */
export async function audit(db: Knex | Knex.Transaction, actor: Pick<RequestActor, 'userId' | 'displayName' | 'unitId'> | null, entry: AuditEntry, now: Date): Promise<void> {
  await db('audit_events').insert({
    created_at: now,
    actor_id: actor?.userId ?? null,
    actor_name: actor?.displayName ?? '系统',
    actor_unit_id: actor?.unitId ?? null,
    action: entry.action,
    target_type: entry.targetType,
    target_id: String(entry.targetId),
    unit_id: entry.unitId ?? null,
    data: entry.data ? JSON.stringify(entry.data) : null,
  });
}
