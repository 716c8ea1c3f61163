import type { Knex } from 'knex';
import type { Actor } from '../../../engine/types.ts';
import { containing, iso, type Page } from '../../src/list-query.ts';

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

/**
 * The keys an actor's inbox matches against `tasks.inbox_keys` (kept by the triggers of migration
 * 20261125000200_inbox_keys): the user, and every permission the user holds in the user's unit.
 */
export function inboxKeysOf(actor: Actor): string[] {
  const keys = [`u:${actor.userId}`];
  if (actor.unitId != null) for (const role of actor.roles) keys.push(`r:${role}@${actor.unitId}`);
  return keys;
}

/** The unit a task acts for: its candidate unit, or for a 多岗审核 post (candidate users) the unit whose posts run (`s`: the task's instance). */
const UNIT_OF_TASK = "coalesce(t.candidate_unit_id, case when s.parent_instance_id is not null then (s.variables->>'unitId')::bigint end)";

/** Where a task of a history entry acted: its own form and unit (not the task being looked at now). */
export interface TaskPlace {
  formKey: string | null;
  unitId: number | null;
  unitName: string | null;
}

/** An open task of a case, with who holds it. */
export interface OpenTaskHolder {
  id: string;
  name: string;
  elementId: string;
  unitName: string | null;
  assigneeName: string | null;
}

/** Inbox queries: what an actor may work on, filtered and paged on the server. */
export function createTasksRepository(knex: Knex) {
  // the inbox speaks of the case (the root instance: its flow, its summary), even when the task
  // sits in a called sub-flow such as the multi-post review
  const base = () =>
    knex('tasks as t')
      .join('process_instances as i', 'i.id', 't.root_instance_id')
      .join('process_definitions as d', 'd.id', 'i.definition_id')
      .leftJoin('process_instances as s', (j) => j.on('s.id', 't.instance_id').andOn('s.id', '<>', 't.root_instance_id'));

  const visibleTo = (actor: Actor) => (q: Knex.QueryBuilder) => q.where('t.status', 'open').whereRaw('t.inbox_keys && ?::text[]', [inboxKeysOf(actor)]);

  // a task of the case's own flow answers from its row; only a sub-flow's task (its instance is
  // not the case's) looks an instance up
  const inSubflow = (q: Knex.QueryBuilder, instanceColumn: string, column: string, value: string) =>
    q
      .whereRaw('t.instance_id <> t.root_instance_id')
      .whereExists(knex('process_instances as x').select(knex.raw('1')).whereRaw(`x.id = ${instanceColumn}`).where(column, value));

  /**
   * `summary` is where the searches read the case's summary: an open task's own copy
   * (`case_summary`), so that the inbox filters the task rows alone, or the case joined as `i`.
   */
  const applyFilter = (query: Knex.QueryBuilder, f: TaskFilter, summary: 't.case_summary' | 'i.summary') => {
    const { processKey, elementId } = f;
    // the case's flow
    if (processKey) {
      query.where((w) =>
        w
          .where((own) => own.whereRaw('t.instance_id = t.root_instance_id').where('t.process_key', processKey))
          .orWhere((sub) => inSubflow(sub, 't.root_instance_id', 'x.process_key', processKey)),
      );
    }
    // the step of the case's flow: a sub-flow's task also answers to the step that called it
    if (elementId) query.where((w) => w.where('t.element_id', elementId).orWhere((sub) => inSubflow(sub, 't.instance_id', 'x.parent_element_id', elementId)));
    if (f.name) query.where('t.name', f.name);
    if (f.unitId != null) query.where('t.candidate_unit_id', f.unitId);
    if (f.applicantName) query.whereRaw(`coalesce(${summary}->>'applicantName', ${summary}->>'subject') ilike ?`, [containing(f.applicantName)]);
    if (f.q) {
      const term = containing(f.q);
      query.where((w) => w.where('t.name', 'ilike', term).orWhereRaw(`${summary}::text ilike ?`, [term]));
    }
    if (f.createdFrom) query.where('t.created_at', '>=', new Date(f.createdFrom));
    if (f.createdTo) query.where('t.created_at', '<=', new Date(f.createdTo));
    if (f.overdue === true) query.whereNotNull('t.overdue_at');
    if (f.overdue === false) query.whereNull('t.overdue_at');
  };

  const columns = ['t.*', 't.process_key as step_process_key', 's.parent_element_id as step_element_id', 'i.process_key as root_process_key', 'i.summary', 'i.business_key', 'i.process_version', 'd.name as process_name'];

  /**
   * One page and the total from one pass over the matching tasks (a window count beside the
   * page's ids, on the task rows alone); only the page's rows are joined to their cases.
   */
  const list = async (scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder, open: boolean, filter: TaskFilter, page: Page, sort: [string, 'asc' | 'desc']) => {
    const matching = () => {
      const q = knex('tasks as t');
      if (!open && (filter.applicantName || filter.q)) q.join('process_instances as i', 'i.id', 't.root_instance_id');
      scope(q);
      applyFilter(q, filter, open ? 't.case_summary' : 'i.summary');
      return q;
    };
    const pageIds = matching()
      .select('t.id', knex.raw('count(*) over () as total'))
      .orderBy(sort[0], sort[1])
      .orderBy('t.id')
      .offset(page.offset)
      .limit(page.limit);
    const rows = (await base()
      .with('p', pageIds)
      .join('p', 'p.id', 't.id')
      .select([...columns, 'p.total as page_total'])
      .orderBy(sort[0], sort[1])
      .orderBy('t.id')) as Array<Record<string, unknown>>;
    // a page past the end carries no total
    let total = rows.length ? Number(rows[0]?.page_total) : 0;
    if (!rows.length && page.offset > 0) total = Number((await matching().count<{ total: number }[]>({ total: '*' }))[0]?.total);
    return { items: rows.map(mapRow), total };
  };

  return {
    async listOpen(actor: Actor, filter: TaskFilter, page: Page, sort: [string, 'asc' | 'desc']) {
      return list(visibleTo(actor), true, filter, page, sort);
    },

    async countsByTask(actor: Actor) {
      // grouped on the task rows first: a task of the case's own flow needs nothing else (its
      // definition is the case's — an instance keeps its version); a sub-flow's tasks count under
      // the step of the case's flow that called them, so only their groups look instances up
      const { rows } = (await knex.raw(
        `select d.key as process_key, d.name as process_name, coalesce(s.parent_element_id, g.element_id) as element_id, g.name, sum(g.n) as count
           from (select t.definition_id, t.element_id, t.name,
                        case when t.instance_id <> t.root_instance_id then t.instance_id end as subflow_id,
                        case when t.instance_id <> t.root_instance_id then t.root_instance_id end as case_id,
                        count(*) as n
                   from tasks t
                  where t.status = 'open' and t.inbox_keys && ?::text[]
                  group by 1, 2, 3, 4, 5) g
           left join process_instances s on s.id = g.subflow_id
           left join process_instances i on i.id = g.case_id
           join process_definitions d on d.id = coalesce(i.definition_id, g.definition_id)
          group by d.key, d.name, coalesce(s.parent_element_id, g.element_id), g.name
          order by d.key, 3, g.name`,
        [inboxKeysOf(actor)],
      )) as { rows: Array<Record<string, unknown>> };
      return rows.map((r) => ({
        processKey: String(r.process_key),
        processName: String(r.process_name),
        elementId: String(r.element_id),
        name: String(r.name),
        count: Number(r.count),
      }));
    },

    async listDone(actor: Actor, filter: TaskFilter, page: Page, sort: [string, 'asc' | 'desc']) {
      return list((q) => q.where('t.status', 'completed').andWhere('t.completed_by', actor.userId), false, filter, page, sort);
    },

    /** The form and unit of each task a history names, read from the tasks themselves. */
    async places(taskIds: string[]): Promise<Map<string, TaskPlace>> {
      if (!taskIds.length) return new Map();
      const rows = (await knex('tasks as t')
        .leftJoin('process_instances as s', 's.id', 't.instance_id')
        .leftJoin('units as u', (j) => j.on('u.id', '=', knex.raw(UNIT_OF_TASK)))
        .whereIn('t.id', [...new Set(taskIds)])
        .select('t.id', 't.form_key', knex.raw(`${UNIT_OF_TASK} as unit_id`), 'u.name as unit_name')) as Array<{ id: string; form_key: string | null; unit_id: number | string | null; unit_name: string | null }>;
      return new Map(rows.map((r) => [String(r.id), { formKey: r.form_key ?? null, unitId: r.unit_id == null ? null : Number(r.unit_id), unitName: r.unit_name ?? null }]));
    },

    /** The case's open tasks after a step, oldest first, with the unit or person that holds each. */
    async openOfCase(rootInstanceId: string): Promise<OpenTaskHolder[]> {
      const rows = (await knex('tasks as t')
        .leftJoin('process_instances as s', 's.id', 't.instance_id')
        .leftJoin('units as u', (j) => j.on('u.id', '=', knex.raw(UNIT_OF_TASK)))
        .leftJoin('users as a', 'a.id', 't.assignee_id')
        .where({ 't.root_instance_id': rootInstanceId, 't.status': 'open' })
        .orderBy('t.created_at')
        .orderBy('t.id')
        .select('t.id', 't.name', 't.element_id', 'u.name as unit_name', 'a.display_name as assignee_name')) as Array<{ id: string; name: string; element_id: string; unit_name: string | null; assignee_name: string | null }>;
      return rows.map((r) => ({ id: String(r.id), name: r.name, elementId: r.element_id, unitName: r.unit_name ?? null, assigneeName: r.assignee_name ?? null }));
    },

    async getItem(taskId: string): Promise<TaskListItem | null> {
      const row = await base().select(columns).where('t.id', taskId).first();
      return row ? mapRow(row) : null;
    },
  };
}

export type TasksRepository = ReturnType<typeof createTasksRepository>;
