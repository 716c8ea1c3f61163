import type { Knex } from 'knex';
import { containing, escapeLike } from '../../src/list-query.ts';
import { revealUserIdNumber, userIdNumberColumns, whereUserIdNumberIs } from '../staff/users.pii.ts';

/** A case (root instance) as 流程实例 lists it, with its flow's name and who started it. */
export interface InstanceSearchRow {
  id: string;
  processKey: string;
  processName: string;
  processVersion: number;
  businessKey: string | null;
  status: string;
  summary: Record<string, unknown> | null;
  openIncidents: number;
  startedAt: Date;
  endedAt: Date | null;
  starterName: string | null;
  starterIdNumber: string | null;
  starterUnitName: string | null;
}

interface RawInstanceSearchRow {
  id: string;
  process_key: string;
  process_name: string;
  process_version: number | string;
  business_key: string | null;
  status: string;
  summary: Record<string, unknown> | string | null;
  open_incidents: number | string | null;
  started_at: Date | string;
  ended_at: Date | string | null;
  starter_name: string | null;
  starter_id_number: string | null;
  starter_id_number_enc: string | null;
  starter_unit_name: string | null;
}

export interface InstanceSearch {
  processKey?: string;
  status?: string;
  processVersion?: number;
  businessKey?: string;
  /** the starter's (for a declaration: the applicant's) name, from its first character */
  applicant?: string;
  /** the starter's ID number, whole */
  idNumber?: string;
  /** part of the name of the starter's unit */
  unit?: string;
}

/**
 * Who asks: `all` for monitors; otherwise the cases the actor may open (canViewInstance): started
 * by them, with a task they completed, or with an open task in their inbox.
 */
export type InstanceScope = { all: true } | { all: false; userId: number; inboxKeys: string[] };

export type InstanceSort = { column: 'started_at' | 'process_key' | 'status'; order: 'asc' | 'desc' };

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** 流程实例: the search over every case, answered from indexes (see docs/console.md). */
export function createInstancesRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;

  /** The starters a search by person narrows to; null when the search does not name a person. */
  function starters(db: Knex | Knex.Transaction, filter: InstanceSearch): Knex.QueryBuilder | null {
    if (!filter.applicant && !filter.idNumber && !filter.unit) return null;
    const users = db('users').select('id');
    // a prefix (users_display_name_idx) and the ID number's unique keyed hash keep this an index lookup
    if (filter.applicant) users.where('display_name', 'like', `${escapeLike(filter.applicant)}%`);
    if (filter.idNumber) whereUserIdNumberIs(db, users, filter.idNumber);
    // units are few; their ids then reach users through users_unit_idx
    if (filter.unit) users.whereIn('unit_id', db('units').select('id').where('name', 'like', containing(filter.unit)));
    return users;
  }

  return {
    async search(filter: InstanceSearch, scope: InstanceScope, sort: InstanceSort, page: { offset: number; limit: number }, trx?: Knex.Transaction): Promise<{ rows: InstanceSearchRow[]; total: number }> {
      const db = q(trx);
      const where = (query: Knex.QueryBuilder) => {
        query.whereNull('i.parent_instance_id');
        if (filter.processKey !== undefined) query.where('i.process_key', filter.processKey);
        if (filter.status !== undefined) query.where('i.status', filter.status);
        if (filter.processVersion !== undefined) query.where('i.process_version', filter.processVersion);
        if (filter.businessKey !== undefined) query.where('i.business_key', filter.businessKey);
        const people = starters(db, filter);
        if (people) query.whereIn('i.started_by', people);
        if (!scope.all) {
          const { userId, inboxKeys } = scope;
          // one set of ids from three index lookups (tasks_done_idx, tasks_open_inbox_keys_idx,
          // process_instances_started_by_idx); an OR of the three read every instance
          query.whereIn(
            'i.id',
            db('tasks')
              .select('root_instance_id')
              .where({ completed_by: userId, status: 'completed' })
              .union([
                db('tasks').select('root_instance_id').where('status', 'open').whereRaw('inbox_keys && ?::text[]', [inboxKeys]),
                db('process_instances').select('id').where('started_by', userId).whereNull('parent_instance_id'),
              ]),
          );
        }
        return query;
      };
      const [rows, counted] = await Promise.all([
        where(db('process_instances as i'))
          .join('process_definitions as d', 'd.id', 'i.definition_id')
          .leftJoin('users as s', 's.id', 'i.started_by')
          .leftJoin('units as n', 'n.id', 's.unit_id')
          .select(
            'i.id', 'i.process_key', 'd.name as process_name', 'i.process_version', 'i.business_key', 'i.status', 'i.summary', 'i.open_incidents', 'i.started_at', 'i.ended_at',
            's.display_name as starter_name', ...userIdNumberColumns('s', 'starter_id_number'), 'n.name as starter_unit_name',
          )
          .orderBy(`i.${sort.column}`, sort.order)
          .orderBy('i.id', sort.order)
          .offset(page.offset)
          .limit(page.limit) as Promise<RawInstanceSearchRow[]>,
        where(db('process_instances as i')).count<{ total: number | string }[]>({ total: '*' }),
      ]);
      return {
        rows: rows.map((r) => ({
          id: String(r.id),
          processKey: r.process_key,
          processName: r.process_name,
          processVersion: Number(r.process_version),
          businessKey: r.business_key,
          status: r.status,
          summary: typeof r.summary === 'string' ? (JSON.parse(r.summary) as Record<string, unknown>) : r.summary,
          openIncidents: Number(r.open_incidents ?? 0),
          startedAt: toDate(r.started_at),
          endedAt: r.ended_at == null ? null : toDate(r.ended_at),
          starterName: r.starter_name,
          starterIdNumber: revealUserIdNumber(db, r, 'starter_id_number'),
          starterUnitName: r.starter_unit_name,
        })),
        total: Number(counted[0]?.total ?? 0),
      };
    },
  };
}
