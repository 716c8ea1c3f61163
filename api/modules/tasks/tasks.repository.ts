import type { Knex } from 'knex';
import type { Actor } from '../../../engine/types.ts';
import { iso, type Page } from '../../src/list-query.ts';

export interface TaskFilter {
  processKey?: string;
  elementId?: string;
  name?: string;
  unitId?: number;
  applicantName?: string;
  q?: string;
  createdFrom?: string;
  createdTo?: string;
  overdue?: boolean;
}

const SORT_COLUMNS = {
  createdAt: 't.created_at',
  dueAt: 't.due_at',
  name: 't.name',
  processKey: 't.process_key',
  completedAt: 't.completed_at',
} as const;

export type TaskSortColumn = (typeof SORT_COLUMNS)[keyof typeof SORT_COLUMNS];
export const taskSortColumns: Record<string, TaskSortColumn> = SORT_COLUMNS;

function mapRow(r: Record<string, unknown>) {
  return {
    id: String(r.id),
    name: String(r.name),
    processKey: String(r.root_process_key ?? r.process_key),
    processName: String(r.process_name),
    stepProcessKey: String(r.step_process_key ?? r.process_key),
    processVersion: Number(r.process_version),
    elementId: String(r.element_id),
    /** the step of the case's own flow the task belongs to (the calling element for a sub-flow's task) */
    stepElementId: String(r.step_element_id ?? r.element_id),
    formKey: (r.form_key as string | null) ?? null,
    instanceId: String(r.instance_id),
    rootInstanceId: String(r.root_instance_id),
    businessKey: (r.business_key as string | null) ?? null,
    summary: (r.summary as Record<string, unknown> | null) ?? null,
    candidateUnitId: r.candidate_unit_id == null ? null : Number(r.candidate_unit_id),
    candidateRoles: (r.candidate_roles as string[]) ?? [],
    assigneeId: r.assignee_id == null ? null : Number(r.assignee_id),
    actions: (r.actions as string[]) ?? [],
    status: String(r.status),
    createdAt: iso(r.created_at as Date) as string,
    dueAt: iso(r.due_at as Date | null),
    overdue: r.overdue_at != null,
    completedAt: iso(r.completed_at as Date | null),
    action: (r.action as string | null) ?? null,
    opinion: (r.opinion as string | null) ?? null,
  };
}

export type TaskListItem = ReturnType<typeof mapRow>;

/** Inbox queries: what an actor may work on, filtered and paged on the server. */
export function createTasksRepository(knex: Knex) {
  // the inbox speaks of the case (the root instance: its flow, its summary), even when the task
  // sits in a called sub-flow such as the multi-post review
  const base = () =>
    knex('tasks as t')
      .join('process_instances as i', 'i.id', 't.root_instance_id')
      .join('process_definitions as d', 'd.id', 'i.definition_id')
      .leftJoin('process_instances as s', (j) => j.on('s.id', 't.instance_id').andOn('s.id', '<>', 't.root_instance_id'));

  const visibleTo = (actor: Actor, actorPath: string | null) => (w: Knex.QueryBuilder) => {
    w.where('t.assignee_id', actor.userId).orWhere((open) => {
      open.whereNull('t.assignee_id').andWhere((who) => {
        who.whereRaw('? = any(t.candidate_user_ids)', [actor.userId]);
        if (actor.roles.length && actor.unitId != null) {
          who.orWhere((byRole) => {
            byRole.whereRaw('t.candidate_roles && ?::text[]', [actor.roles]).andWhere((unit) => {
              unit.where('t.candidate_unit_id', actor.unitId);
              if (actorPath) {
                unit.orWhere((sub) =>
                  sub
                    .where('t.candidate_scope', 'subtree')
                    .whereIn('t.candidate_unit_id', knex('units').select('id').where('path', 'like', `${actorPath}%`)),
                );
              }
            });
          });
        }
      });
    });
  };

  const applyFilter = (query: Knex.QueryBuilder, f: TaskFilter) => {
    if (f.processKey) query.where('i.process_key', f.processKey);
    if (f.elementId) query.where((w) => w.where('t.element_id', f.elementId as string).orWhere('s.parent_element_id', f.elementId as string));
    if (f.name) query.where('t.name', f.name);
    if (f.unitId != null) query.where('t.candidate_unit_id', f.unitId);
    if (f.applicantName) query.whereRaw("coalesce(i.summary->>'applicantName', i.summary->>'subject') ilike ?", [`%${f.applicantName}%`]);
    if (f.q) query.where((w) => w.where('t.name', 'ilike', `%${f.q}%`).orWhereRaw('i.summary::text ilike ?', [`%${f.q}%`]));
    if (f.createdFrom) query.where('t.created_at', '>=', new Date(f.createdFrom));
    if (f.createdTo) query.where('t.created_at', '<=', new Date(f.createdTo));
    if (f.overdue === true) query.whereNotNull('t.overdue_at');
    if (f.overdue === false) query.whereNull('t.overdue_at');
  };

  const columns = ['t.*', 't.process_key as step_process_key', 's.parent_element_id as step_element_id', 'i.process_key as root_process_key', 'i.summary', 'i.business_key', 'i.process_version', 'd.name as process_name'];

  return {
    async listOpen(actor: Actor, actorPath: string | null, filter: TaskFilter, page: Page, sort: [string, 'asc' | 'desc']) {
      const where = (q: Knex.QueryBuilder) => {
        q.where('t.status', 'open').andWhere(visibleTo(actor, actorPath));
        applyFilter(q, filter);
        return q;
      };
      const [rows, [{ total }]] = await Promise.all([
        where(base().select(columns)).orderBy(sort[0], sort[1]).orderBy('t.id').offset(page.offset).limit(page.limit),
        where(base().count<{ total: number }[]>({ total: '*' })),
      ]);
      return { items: rows.map(mapRow), total: Number(total) };
    },

    async countsByTask(actor: Actor, actorPath: string | null) {
      // a sub-flow's tasks count under the step that called them
      const step = knex.raw('coalesce(s.parent_element_id, t.element_id)');
      const rows = await base()
        .select('i.process_key', 'd.name as process_name', knex.raw('coalesce(s.parent_element_id, t.element_id) as element_id'), 't.name')
        .count<{ count: number }[]>({ count: '*' })
        .where('t.status', 'open')
        .andWhere(visibleTo(actor, actorPath))
        .groupBy('i.process_key', 'd.name', step, 't.name')
        .orderBy('i.process_key');
      return (rows as Array<Record<string, unknown>>).map((r) => ({
        processKey: String(r.process_key),
        processName: String(r.process_name),
        elementId: String(r.element_id),
        name: String(r.name),
        count: Number(r.count),
      }));
    },

    async listDone(actor: Actor, filter: TaskFilter, page: Page, sort: [string, 'asc' | 'desc']) {
      const where = (q: Knex.QueryBuilder) => {
        q.where('t.status', 'completed').andWhere('t.completed_by', actor.userId);
        applyFilter(q, filter);
        return q;
      };
      const [rows, [{ total }]] = await Promise.all([
        where(base().select(columns)).orderBy(sort[0], sort[1]).orderBy('t.id').offset(page.offset).limit(page.limit),
        where(base().count<{ total: number }[]>({ total: '*' })),
      ]);
      return { items: rows.map(mapRow), total: Number(total) };
    },

    async getItem(taskId: string): Promise<TaskListItem | null> {
      const row = await base().select(columns).where('t.id', taskId).first();
      return row ? mapRow(row) : null;
    },

    async participated(actorId: number, rootInstanceId: string): Promise<boolean> {
      const row = await knex('tasks').select('id').where({ root_instance_id: rootInstanceId, completed_by: actorId }).first();
      return Boolean(row);
    },
  };
}

export type TasksRepository = ReturnType<typeof createTasksRepository>;
