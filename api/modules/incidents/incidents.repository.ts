import type { Knex } from 'knex';
import { escapeLike } from '../../src/list-query.ts';

export interface IncidentListFilter {
  status?: 'open' | 'resolved';
  processKey?: string;
  elementId?: string;
  instanceId?: string;
  /** created at or after */
  from?: Date;
  /** created before */
  to?: Date;
  q?: string;
}

export interface IncidentRow {
  id: number;
  instanceId: string;
  rootInstanceId: string;
  processKey: string;
  processName: string;
  processVersion: number;
  definitionId: number;
  businessKey: string | null;
  elementId: string;
  elementName: string | null;
  executionId: string;
  handler: string | null;
  message: string;
  stack: string | null;
  attempts: number;
  status: 'open' | 'resolved';
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: number | null;
}

function mapRow(r: Record<string, unknown>): IncidentRow {
  const names = (typeof r.element_names === 'string' ? JSON.parse(r.element_names) : r.element_names) as Record<string, string> | null;
  return {
    id: Number(r.id),
    instanceId: String(r.instance_id),
    rootInstanceId: String(r.root_instance_id),
    processKey: String(r.process_key),
    processName: String(r.process_name ?? r.process_key),
    processVersion: Number(r.process_version),
    definitionId: Number(r.definition_id),
    businessKey: (r.business_key as string | null) ?? null,
    elementId: String(r.element_id),
    elementName: names?.[String(r.element_id)] ?? null,
    executionId: String(r.execution_id),
    handler: (r.handler as string | null) ?? null,
    message: String(r.message),
    stack: (r.stack as string | null) ?? null,
    attempts: Number(r.attempts),
    status: r.status as IncidentRow['status'],
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    resolvedAt: r.resolved_at == null ? null : new Date(r.resolved_at as string),
    resolvedBy: r.resolved_by == null ? null : Number(r.resolved_by),
  };
}

/** 流程异常 with their instance's flow and business key (the engine's own rows, read for the console). */
export function createIncidentsRepository(db: Knex) {
  const base = () =>
    db('incidents as n')
      .join('process_instances as i', 'i.id', 'n.instance_id')
      .join('process_definitions as d', 'd.id', 'i.definition_id')
      .select('n.*', 'i.process_key', 'i.process_version', 'i.definition_id', 'i.business_key', 'd.name as process_name', db.raw("d.meta->'elementNames' as element_names"));
  const filtered = (f: IncidentListFilter) => {
    const q = base();
    if (f.status) q.where('n.status', f.status);
    if (f.processKey) q.where('i.process_key', f.processKey);
    if (f.elementId) q.where('n.element_id', f.elementId);
    if (f.instanceId) q.where((w) => w.where('n.instance_id', f.instanceId as string).orWhere('n.root_instance_id', f.instanceId as string));
    if (f.from) q.where('n.created_at', '>=', f.from);
    if (f.to) q.where('n.created_at', '<', f.to);
    if (f.q) {
      const like = `%${escapeLike(f.q)}%`;
      q.where((w) => w.where('n.message', 'ilike', like).orWhere('i.business_key', 'ilike', like));
    }
    return q;
  };
  return {
    async list(f: IncidentListFilter, page: { offset: number; limit: number }, order: 'asc' | 'desc'): Promise<{ items: IncidentRow[]; total: number }> {
      const [counted] = (await filtered(f).clearSelect().count({ count: '*' })) as Array<{ count: string }>;
      const rows = (await filtered(f).orderBy('n.id', order).limit(page.limit).offset(page.offset)) as Array<Record<string, unknown>>;
      return { items: rows.map(mapRow), total: Number(counted?.count ?? 0) };
    },
    async get(id: number): Promise<IncidentRow | null> {
      const row = (await base().where('n.id', id).first()) as Record<string, unknown> | undefined;
      return row ? mapRow(row) : null;
    },
    /** The open incidents among ids (a batch retry skips the others). */
    async openIds(ids: number[]): Promise<number[]> {
      return (await db('incidents').whereIn('id', ids).andWhere('status', 'open').orderBy('id').pluck('id')).map(Number);
    },
  };
}
