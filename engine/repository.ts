import type { Knex } from 'knex';
import type {
  DefinitionMeta,
  HistoryEventRecord,
  IncidentRecord,
  InstanceRecord,
  ProcessDefinitionRecord,
  TaskRecord,
} from './types.ts';

type Row = Record<string, unknown>;

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const toDateOrNull = (v: unknown): Date | null => (v == null ? null : toDate(v));
const toNum = (v: unknown): number => Number(v);
const toNumOrNull = (v: unknown): number | null => (v == null ? null : Number(v));
const toJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const toNumArray = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);
const toStrArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function mapDefinition(r: Row): ProcessDefinitionRecord {
  return {
    id: toNum(r.id),
    key: String(r.key),
    version: toNum(r.version),
    name: String(r.name),
    xml: String(r.xml ?? ''),
    contentHash: String(r.content_hash),
    meta: toJson<DefinitionMeta>(r.meta),
    deployedBy: toNumOrNull(r.deployed_by),
    deployedAt: toDate(r.deployed_at),
  };
}

export function mapTask(r: Row): TaskRecord {
  return {
    id: String(r.id),
    instanceId: String(r.instance_id),
    rootInstanceId: String(r.root_instance_id),
    processKey: String(r.process_key),
    processVersion: toNum(r.process_version ?? 0),
    definitionId: toNum(r.definition_id),
    businessKey: (r.business_key as string | null) ?? null,
    elementId: String(r.element_id),
    executionId: String(r.execution_id),
    name: String(r.name),
    formKey: (r.form_key as string | null) ?? null,
    candidateRoles: toStrArray(r.candidate_roles),
    candidateUnitId: toNumOrNull(r.candidate_unit_id),
    candidateScope: r.candidate_scope === 'subtree' ? 'subtree' : 'unit',
    candidateUserIds: toNumArray(r.candidate_user_ids),
    assigneeId: toNumOrNull(r.assignee_id),
    actions: toStrArray(r.actions),
    status: r.status as TaskRecord['status'],
    createdAt: toDate(r.created_at),
    dueAt: toDateOrNull(r.due_at),
    overdueAt: toDateOrNull(r.overdue_at),
    completedAt: toDateOrNull(r.completed_at),
    completedBy: toNumOrNull(r.completed_by),
    action: (r.action as string | null) ?? null,
    opinion: (r.opinion as string | null) ?? null,
  };
}

export function mapInstance(r: Row): InstanceRecord {
  return {
    id: String(r.id),
    definitionId: toNum(r.definition_id),
    processKey: String(r.process_key),
    processVersion: toNum(r.process_version),
    businessKey: (r.business_key as string | null) ?? null,
    parentInstanceId: (r.parent_instance_id as string | null) ?? null,
    parentExecutionId: (r.parent_execution_id as string | null) ?? null,
    parentElementId: (r.parent_element_id as string | null) ?? null,
    callPath: (r.call_path as string[] | null) ?? [],
    rootInstanceId: String(r.root_instance_id),
    status: r.status as InstanceRecord['status'],
    variables: toJson<Record<string, unknown>>(r.variables) ?? {},
    summary: toJson<Record<string, unknown> | null>(r.summary) ?? null,
    trail: toJson<string[]>(r.trail) ?? [],
    version: toNum(r.version),
    openIncidents: toNum(r.open_incidents ?? 0),
    startedBy: toNumOrNull(r.started_by),
    startedAt: toDate(r.started_at),
    endedAt: toDateOrNull(r.ended_at),
    updatedAt: toDate(r.updated_at),
  };
}

export function mapHistory(r: Row): HistoryEventRecord {
  return {
    id: toNum(r.id),
    instanceId: String(r.instance_id),
    rootInstanceId: String(r.root_instance_id),
    type: String(r.type),
    elementId: (r.element_id as string | null) ?? null,
    elementName: (r.element_name as string | null) ?? null,
    taskId: (r.task_id as string | null) ?? null,
    actorId: toNumOrNull(r.actor_id),
    actorName: (r.actor_name as string | null) ?? null,
    action: (r.action as string | null) ?? null,
    opinion: (r.opinion as string | null) ?? null,
    data: toJson<Record<string, unknown> | null>(r.data) ?? null,
    createdAt: toDate(r.created_at),
  };
}

export function mapIncident(r: Row): IncidentRecord {
  return {
    id: toNum(r.id),
    instanceId: String(r.instance_id),
    rootInstanceId: String(r.root_instance_id),
    elementId: String(r.element_id),
    executionId: String(r.execution_id),
    handler: (r.handler as string | null) ?? null,
    message: String(r.message),
    attempts: toNum(r.attempts),
    status: r.status as IncidentRecord['status'],
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    resolvedAt: toDateOrNull(r.resolved_at),
  };
}

const TASK_COLUMNS = `t.*, i.process_version, i.business_key`;

/** A task with its instance's version, where every completion starts (plain SQL, no query building). */
const TASK_WITH_INSTANCE = `select ${TASK_COLUMNS}, i.version as instance_version, i.status as instance_status
  from tasks t join process_instances i on i.id = t.instance_id`;

/** A root instance as the monitor's list shows it. */
export type InstanceListItem = Pick<InstanceRecord, 'id' | 'processKey' | 'processVersion' | 'businessKey' | 'status' | 'summary' | 'openIncidents' | 'startedAt' | 'endedAt'>;

/** An instance's row as the engine rebuilds it (its variables live in its state). */
export type InstanceRow = InstanceRecord & { state: unknown; pendingTimers: number };

const INSTANCE_ROW_COLUMNS = [
  'id', 'definition_id', 'process_key', 'process_version', 'business_key', 'parent_instance_id',
  'parent_execution_id', 'parent_element_id', 'call_path', 'root_instance_id', 'status', 'summary', 'trail', 'version', 'open_incidents',
  'started_by', 'started_at', 'ended_at', 'updated_at', 'pending_timers',
];

function mapInstanceRow(row: Row): InstanceRow {
  return { ...mapInstance(row), pendingTimers: toNum(row.pending_timers ?? 0), state: toJson<unknown>(row.state) };
}

/** Queries on the engine's tables; every method takes an optional transaction. */
export function createEngineRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction | Knex) => trx ?? knex;
  return {
    async latestDefinition(key: string, trx?: Knex.Transaction): Promise<ProcessDefinitionRecord | null> {
      const row = await q(trx)('process_definitions').where({ key }).orderBy('version', 'desc').first();
      return row ? mapDefinition(row) : null;
    },
    async definitionById(id: number, trx?: Knex.Transaction): Promise<ProcessDefinitionRecord | null> {
      const row = await q(trx)('process_definitions').where({ id }).first();
      return row ? mapDefinition(row) : null;
    },
    async definitionByVersion(key: string, version: number, trx?: Knex.Transaction): Promise<ProcessDefinitionRecord | null> {
      const row = await q(trx)('process_definitions').where({ key, version }).first();
      return row ? mapDefinition(row) : null;
    },
    async deployedKeys(trx?: Knex.Transaction): Promise<Set<string>> {
      const rows = await q(trx)('process_definitions').distinct('key');
      return new Set(rows.map((r: Row) => String(r.key)));
    },
    async listDefinitions(trx?: Knex.Transaction) {
      const rows = await q(trx).raw(`
        select d.id, d.key, d.version, d.name, d.content_hash, d.deployed_by, d.deployed_at, d.meta,
               (select count(*) from process_instances i where i.definition_id = d.id and i.status = 'running')::int as running
        from process_definitions d order by d.key, d.version desc`);
      return (rows.rows as Row[]).map((r) => ({ ...mapDefinition({ ...r, xml: '' }), running: toNum(r.running) }));
    },
    /** The newest version of each process key, by key. */
    async latestVersions(trx?: Knex.Transaction): Promise<Array<{ key: string; version: number }>> {
      const rows = await q(trx)('process_definitions').select('key').max<{ key: string; version: number }[]>({ version: 'version' }).groupBy('key').orderBy('key');
      return rows.map((r) => ({ key: String(r.key), version: toNum(r.version) }));
    },
    /** How many instances of a definition are running. */
    async runningCount(definitionId: number, trx?: Knex.Transaction): Promise<number> {
      const [row] = await q(trx)('process_instances').where({ definition_id: definitionId, status: 'running' }).count<{ n: number }[]>({ n: '*' });
      return toNum(row?.n ?? 0);
    },
    /** A page of root instances, as the monitor lists them, and how many match in all. */
    async rootInstances(
      filter: { processKey?: string; status?: string; processVersion?: number; businessKey?: string },
      sort: { column: 'started_at' | 'process_key' | 'status'; order: 'asc' | 'desc' },
      page: { offset: number; limit: number },
      trx?: Knex.Transaction,
    ): Promise<{ rows: InstanceListItem[]; total: number }> {
      const where = (query: Knex.QueryBuilder) => {
        query.whereNull('parent_instance_id');
        if (filter.processKey !== undefined) query.where('process_key', filter.processKey);
        if (filter.status !== undefined) query.where('status', filter.status);
        if (filter.processVersion !== undefined) query.where('process_version', filter.processVersion);
        if (filter.businessKey !== undefined) query.where('business_key', filter.businessKey);
        return query;
      };
      const [rows, counted] = await Promise.all([
        where(q(trx)('process_instances'))
          .select('id', 'process_key', 'process_version', 'business_key', 'status', 'summary', 'open_incidents', 'started_at', 'ended_at')
          .orderBy(sort.column, sort.order)
          .offset(page.offset)
          .limit(page.limit) as Promise<Row[]>,
        where(q(trx)('process_instances')).count<{ total: number }[]>({ total: '*' }),
      ]);
      return {
        rows: rows.map((r) => ({
          id: String(r.id),
          processKey: String(r.process_key),
          processVersion: toNum(r.process_version),
          businessKey: (r.business_key as string | null) ?? null,
          status: r.status as InstanceRecord['status'],
          summary: toJson<Record<string, unknown> | null>(r.summary) ?? null,
          openIncidents: toNum(r.open_incidents ?? 0),
          startedAt: toDate(r.started_at),
          endedAt: toDateOrNull(r.ended_at),
        })),
        total: toNum(counted[0]?.total ?? 0),
      };
    },
    /** Every completion starts here: plain SQL, no query building. */
    async taskWithInstance(taskId: string, trx?: Knex.Transaction) {
      const result = await q(trx).raw(
        `${TASK_WITH_INSTANCE} where t.id = ? limit 1`,
        [taskId],
      );
      const row = (result.rows as Row[])[0];
      if (!row) return null;
      return { task: mapTask(row), instanceVersion: toNum(row.instance_version), instanceStatus: String(row.instance_status) };
    },
    async getTask(taskId: string, trx?: Knex.Transaction): Promise<TaskRecord | null> {
      const row = await q(trx).select(knex.raw(TASK_COLUMNS)).from('tasks as t').join('process_instances as i', 'i.id', 't.instance_id').where('t.id', taskId).first();
      return row ? mapTask(row) : null;
    },
    async openTasksOfRoot(rootInstanceId: string, trx?: Knex.Transaction): Promise<TaskRecord[]> {
      const rows = await q(trx)
        .select(knex.raw(TASK_COLUMNS))
        .from('tasks as t')
        .join('process_instances as i', 'i.id', 't.instance_id')
        .where({ 't.root_instance_id': rootInstanceId, 't.status': 'open' })
        .orderBy('t.created_at');
      return rows.map(mapTask);
    },
    async instanceRow(id: string, knownVersion: number, trx?: Knex.Transaction): Promise<InstanceRow | null> {
      // the state is only shipped when the caller's cached copy is stale
      const row = await q(trx)
        .select(...INSTANCE_ROW_COLUMNS, knex.raw('case when version = ? then null else state end as state', [knownVersion]), knex.raw("'{}'::jsonb as variables"))
        .from('process_instances')
        .where({ id })
        .first();
      return row ? mapInstanceRow(row) : null;
    },
    /**
     * Many tasks with their instances' rows, for a batch about to complete them: two statements
     * instead of two per task. An instance's row is left out where `knownVersion` (the engine's
     * copy) already has its current version.
     */
    async tasksForBatch(taskIds: string[], knownVersion: (instanceId: string) => number | undefined) {
      if (!taskIds.length) return [];
      const tasks = (
        await knex.raw(`${TASK_WITH_INSTANCE} where t.id = any(?::uuid[])`, [taskIds])
      ).rows as Row[];
      const stale = [...new Set(tasks.filter((t) => knownVersion(String(t.instance_id)) !== toNum(t.instance_version)).map((t) => String(t.instance_id)))];
      const rows = stale.length
        ? ((await knex.select(...INSTANCE_ROW_COLUMNS, 'state', knex.raw("'{}'::jsonb as variables")).from('process_instances').whereIn('id', stale)) as Row[])
        : [];
      const byId = new Map(rows.map((r) => [String(r.id), mapInstanceRow(r)]));
      return tasks.map((r) => ({
        task: mapTask(r),
        instanceVersion: toNum(r.instance_version),
        row: byId.get(String(r.instance_id)) ?? null,
      }));
    },
    async getInstance(id: string, trx?: Knex.Transaction): Promise<InstanceRecord | null> {
      const row = await q(trx)('process_instances')
        .select(
          'id', 'definition_id', 'process_key', 'process_version', 'business_key', 'parent_instance_id',
          'parent_execution_id', 'parent_element_id', 'call_path', 'root_instance_id', 'status', 'variables', 'summary', 'trail', 'version',
          'open_incidents', 'started_by', 'started_at', 'ended_at', 'updated_at',
        )
        .where({ id })
        .first();
      return row ? mapInstance(row) : null;
    },
    async childInstances(parentId: string, trx?: Knex.Transaction): Promise<InstanceRecord[]> {
      const rows = await q(trx)('process_instances')
        .select(
          'id', 'definition_id', 'process_key', 'process_version', 'business_key', 'parent_instance_id',
          'parent_execution_id', 'parent_element_id', 'call_path', 'root_instance_id', 'status', 'variables', 'summary', 'trail', 'version',
          'open_incidents', 'started_by', 'started_at', 'ended_at', 'updated_at',
        )
        .where({ parent_instance_id: parentId })
        .orderBy('started_at');
      return rows.map(mapInstance);
    },
    async history(rootInstanceId: string, trx?: Knex.Transaction): Promise<HistoryEventRecord[]> {
      const rows = await q(trx)('history_events').where({ root_instance_id: rootInstanceId }).orderBy('id');
      return rows.map(mapHistory);
    },
    async pendingTimerExecutions(instanceId: string, trx?: Knex.Transaction): Promise<string[]> {
      const rows = await q(trx)('timers').select('execution_id').where({ instance_id: instanceId, status: 'pending' });
      return rows.map((r: Row) => String(r.execution_id));
    },
    async formKeysOfTasks(taskIds: string[], trx?: Knex.Transaction): Promise<Map<string, string | null>> {
      const rows = await q(trx)('tasks').select('id', 'form_key').whereIn('id', taskIds);
      return new Map(rows.map((r: Row) => [String(r.id), (r.form_key as string | null) ?? null]));
    },
    async openIncidentExecutions(instanceId: string, trx?: Knex.Transaction): Promise<string[]> {
      const rows = await q(trx)('incidents').select('execution_id').where({ instance_id: instanceId, status: 'open' });
      return rows.map((r: Row) => String(r.execution_id));
    },
    async incidents(filter: { status?: string; instanceId?: string }, trx?: Knex.Transaction): Promise<IncidentRecord[]> {
      const query = q(trx)('incidents').orderBy('created_at', 'desc').limit(500);
      if (filter.status) query.where({ status: filter.status });
      if (filter.instanceId) query.where({ root_instance_id: filter.instanceId });
      return (await query).map(mapIncident);
    },
    async incident(id: number, trx?: Knex.Transaction): Promise<IncidentRecord | null> {
      const row = await q(trx)('incidents').where({ id }).first();
      return row ? mapIncident(row) : null;
    },
  };
}

export type EngineRepository = ReturnType<typeof createEngineRepository>;
