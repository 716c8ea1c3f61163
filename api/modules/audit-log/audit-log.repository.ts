import type { Knex } from 'knex';
import { containing } from '../../src/list-query.ts';

/** A row of `audit_events` as stored (append-only: a trigger refuses update and delete). */
export interface AuditEventRow {
  id: string;
  created_at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_unit_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  unit_id: string | null;
  data: Record<string, unknown> | null;
}

export interface AuditEventRecord {
  id: number;
  createdAt: Date;
  actorId: number | null;
  actorName: string;
  actorUnitId: number | null;
  actorUnitName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  unitId: number | null;
  unitName: string | null;
  data: Record<string, unknown> | null;
}

export interface AuditEventFilter {
  /** the acting account */
  actorId?: number;
  /** part of the acting person's name */
  actorName?: string;
  /** an action (`user.update`) or a family of them (`user.`) */
  action?: string;
  targetType?: string;
  targetId?: string;
  /** the unit the change concerns */
  unitId?: number;
  from?: Date;
  to?: Date;
  /** one event */
  id?: number;
  /** keyset paging: events older than this id */
  beforeId?: number;
  /**
   * the reader's unit subtree (its materialized path, `/1/4/`): only events whose acting person's
   * unit or whose concerned unit lies in it; absent for the province's administrators (all events)
   */
  subtreePath?: string;
}

const num = (v: string | null) => (v == null ? null : Number(v));

/** 操作审计: reads of the administrative audit log, newest first. */
export function createAuditLogRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const filtered = (f: AuditEventFilter, trx?: Knex.Transaction) => {
    const query = q(trx)<AuditEventRow>('audit_events as e');
    if (f.id !== undefined) query.where('e.id', f.id);
    if (f.actorId !== undefined) query.where('e.actor_id', f.actorId);
    if (f.actorName) query.whereILike('e.actor_name', containing(f.actorName));
    if (f.action) {
      if (f.action.endsWith('.')) query.whereLike('e.action', `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      else query.where('e.action', f.action);
    }
    if (f.targetType) query.where('e.target_type', f.targetType);
    if (f.targetId) query.where('e.target_id', f.targetId);
    if (f.unitId !== undefined) query.where('e.unit_id', f.unitId);
    if (f.from) query.where('e.created_at', '>=', f.from);
    if (f.to) query.where('e.created_at', '<', f.to);
    if (f.beforeId !== undefined) query.where('e.id', '<', f.beforeId);
    if (f.subtreePath !== undefined) {
      const subtree = q(trx)('units').select('id').whereLike('path', `${f.subtreePath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      query.where((w) => w.whereIn('e.actor_unit_id', subtree).orWhereIn('e.unit_id', subtree));
    }
    return query;
  };
  return {
    /** A page of events, newest first (by id: ids grow with time within one database). */
    async list(f: AuditEventFilter, page: { offset: number; limit: number }, trx?: Knex.Transaction): Promise<AuditEventRecord[]> {
      const rows = await filtered(f, trx)
        .leftJoin('units as au', 'au.id', 'e.actor_unit_id')
        .leftJoin('units as u', 'u.id', 'e.unit_id')
        .select<Array<AuditEventRow & { actor_unit_name: string | null; unit_name: string | null }>>('e.*', 'au.name as actor_unit_name', 'u.name as unit_name')
        .orderBy('e.id', 'desc')
        .offset(page.offset)
        .limit(page.limit);
      return rows.map((r) => ({
        id: Number(r.id),
        createdAt: r.created_at,
        actorId: num(r.actor_id),
        actorName: r.actor_name ?? '系统',
        actorUnitId: num(r.actor_unit_id),
        actorUnitName: r.actor_unit_name,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        unitId: num(r.unit_id),
        unitName: r.unit_name,
        data: r.data,
      }));
    },
    /** How many events match, counted up to `cap` (beyond it a person narrows the search). */
    async count(f: AuditEventFilter, cap: number, trx?: Knex.Transaction): Promise<number> {
      const inner = filtered(f, trx).select('e.id').limit(cap);
      const [row] = await q(trx).from(inner.as('x')).count<Array<{ n: string }>>({ n: '*' });
      return Number(row?.n ?? 0);
    },
  };
}

export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;
