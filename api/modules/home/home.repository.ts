import type { Knex } from 'knex';

/** The caller's unit as the home page shows it (单位信息). */
export interface HomeUnitRow {
  id: number;
  name: string;
  unit_type: string;
  admin_level: string | null;
  credit_code: string | null;
  region_code: string | null;
  status: string;
  parent_name: string | null;
  staff_count: number | string;
}

/** A committee under supervision, with its organiser. */
export interface SupervisedCommitteeRow {
  id: number;
  name: string;
  filing_status: string;
  valid_from: string | null;
  valid_to: string | null;
  organizer_unit_id: number;
  organizer_name: string;
  region_code: string | null;
}

/**
 * What an activity's stage is computed from: its dates and, per kind of work that can still be
 * under way, whether any is (counted over its meetings, their publicity, confirmation and the
 * hand-overs to certificate issuance).
 */
export interface ActivityFactsRow {
  id: number;
  committee_id: number;
  name: string;
  year: number;
  status: string;
  starts_at: Date | null;
  first_deadline: Date | null;
  receipt_deadline: Date | null;
  meetings: number | string;
  meetings_open: number | string;
  publicity_open: number | string;
  confirming: number | string;
  issuing: number | string;
}

export interface LatestMessageRow {
  id: number;
  title: string;
  kind: string;
  created_at: Date;
  read: boolean;
}

export interface AdminCountsRow {
  running: number | string;
  incidents: number | string;
  overdue: number | string;
}

export interface RunningByProcessRow {
  process_key: string;
  name: string;
  count: number | string;
}

export interface DeploymentRow {
  key: string;
  version: number;
  name: string;
  deployed_at: Date;
  deployed_by_name: string | null;
}

export interface OpenIncidentRow {
  id: number;
  root_instance_id: string;
  element_id: string;
  message: string;
  created_at: Date;
}

export interface OverdueTaskRow {
  id: string;
  name: string;
  process_name: string | null;
  candidate_unit_name: string | null;
  due_at: Date;
}

/** The home page's reads: one query per block, each bounded. */
export function createHomeRepository(db: Knex) {
  return {
    async unit(unitId: number): Promise<HomeUnitRow | null> {
      const row = await db('units as u')
        .leftJoin('units as p', 'p.id', 'u.parent_id')
        .where('u.id', unitId)
        .first<HomeUnitRow | undefined>(
          'u.id',
          'u.name',
          'u.unit_type',
          'u.admin_level',
          'u.credit_code',
          'u.region_code',
          'u.status',
          'p.name as parent_name',
          db('users as s').count('*').where('s.unit_id', db.ref('u.id')).whereRaw("not ('applicant' = any(s.roles))").as('staff_count'),
        );
      return row ?? null;
    },

    /**
     * The committees a unit supervises: those it organises, and — for a bureau that oversees a
     * region — those organised anywhere in its subtree.
     */
    async committees(unit: { id: number; path: string }, subtree: boolean): Promise<SupervisedCommitteeRow[]> {
      const query = db('committees as c')
        .join('units as o', 'o.id', 'c.organizer_unit_id')
        .select('c.id', 'c.name', 'c.filing_status', db.raw("to_char(c.valid_from, 'YYYY-MM-DD') as valid_from"), db.raw("to_char(c.valid_to, 'YYYY-MM-DD') as valid_to"), 'c.organizer_unit_id', 'o.name as organizer_name', 'o.region_code')
        .where('c.status', 'active')
        .orderBy([{ column: 'c.organizer_unit_id', order: 'asc' }, { column: 'c.id', order: 'asc' }]);
      if (subtree) query.where('o.path', 'like', `${unit.path}%`);
      else query.where('c.organizer_unit_id', unit.id);
      return (await query) as SupervisedCommitteeRow[];
    },

    /** The published activities of these committees and the facts their stage is read from. */
    async activityFacts(committeeIds: number[]): Promise<ActivityFactsRow[]> {
      if (!committeeIds.length) return [];
      const meetings = (extra: (q: Knex.QueryBuilder) => void) => {
        const q = db('review_meetings as m').count('*').where('m.activity_id', db.ref('a.id')).whereNot('m.status', 'cancelled');
        extra(q);
        return q;
      };
      return (await db('activities as a')
        .whereIn('a.committee_id', committeeIds)
        .where('a.status', 'published')
        .orderBy([{ column: 'a.year', order: 'desc' }, { column: 'a.id', order: 'desc' }])
        .select(
          'a.id',
          'a.committee_id',
          'a.name',
          'a.year',
          'a.status',
          'a.starts_at',
          'a.first_deadline',
          'a.receipt_deadline',
          meetings(() => {}).as('meetings'),
          meetings((q) => q.whereIn('m.status', ['preparing', 'voting'])).as('meetings_open'),
          // a closed meeting whose publicity has not ended (not yet drafted, drafting, published, holding)
          meetings((q) =>
            q.where('m.status', 'closed').whereNotExists(db('publicity_notices as n').whereRaw('n.meeting_id = m.id').where('n.status', 'ended')),
          ).as('publicity_open'),
          // publicity ended, the confirmation not closed (办结)
          meetings((q) =>
            q
              .where('m.status', 'closed')
              .whereExists(db('publicity_notices as n').whereRaw('n.meeting_id = m.id').where('n.status', 'ended'))
              .whereNotExists(db('confirmation_closures as cc').whereRaw('cc.meeting_id = m.id')),
          ).as('confirming'),
          // persons handed to certificate issuance and not issued yet
          db('certificate_handovers as h')
            .count('*')
            .join('review_meetings as m', 'm.id', 'h.meeting_id')
            .where('m.activity_id', db.ref('a.id'))
            .whereNull('h.returned_at')
            .whereNotExists(db('issuance_batch_items as i').whereRaw('i.dossier_id = h.dossier_id').where('i.state', 'issued'))
            .as('issuing'),
        )) as ActivityFactsRow[];
    },

    /** The newest of the reader's messages (the query is the messages module's `messagesOf`). */
    async latestMessages(messages: Knex.QueryBuilder, userId: number, limit: number): Promise<LatestMessageRow[]> {
      return (await messages
        .clone()
        .select('m.id', 'm.title', 'm.kind', 'm.created_at', db.raw('exists (select 1 from message_reads r where r.message_id = m.id and r.user_id = ?) as read', [userId]))
        .orderBy('m.id', 'desc')
        .limit(limit)) as LatestMessageRow[];
    },

    async adminCounts(now: Date): Promise<AdminCountsRow> {
      const row = await db
        .select(
          db('process_instances').count('*').where('status', 'running').whereNull('parent_instance_id').as('running'),
          db('incidents').count('*').where('status', 'open').as('incidents'),
          db('tasks').count('*').where('status', 'open').where('due_at', '<', now).as('overdue'),
        )
        .first<AdminCountsRow>();
      return row;
    },

    async runningByProcess(limit: number): Promise<RunningByProcessRow[]> {
      return (await db('process_instances as i')
        .join('process_definitions as d', 'd.id', 'i.definition_id')
        .where('i.status', 'running')
        .whereNull('i.parent_instance_id')
        .groupBy('d.key')
        .select('d.key as process_key', db.raw('max(d.name) as name'), db.raw('count(*) as count'))
        .orderBy('count', 'desc')
        .limit(limit)) as RunningByProcessRow[];
    },

    async openIncidents(limit: number): Promise<OpenIncidentRow[]> {
      return (await db('incidents').where('status', 'open').orderBy('id', 'desc').limit(limit).select('id', 'root_instance_id', 'element_id', 'message', 'created_at')) as OpenIncidentRow[];
    },

    async overdueTasks(now: Date, limit: number): Promise<OverdueTaskRow[]> {
      return (await db('tasks as t')
        .leftJoin('process_definitions as d', 'd.id', 't.definition_id')
        .leftJoin('units as u', 'u.id', 't.candidate_unit_id')
        .where('t.status', 'open')
        .where('t.due_at', '<', now)
        .orderBy('t.due_at', 'asc')
        .limit(limit)
        .select('t.id', 't.name', 'd.name as process_name', 'u.name as candidate_unit_name', 't.due_at')) as OverdueTaskRow[];
    },

    async recentDeployments(limit: number): Promise<DeploymentRow[]> {
      return (await db('process_definitions as d')
        .leftJoin('users as u', 'u.id', 'd.deployed_by')
        .orderBy('d.deployed_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(limit)
        .select('d.key', 'd.version', 'd.name', 'd.deployed_at', 'u.display_name as deployed_by_name')) as DeploymentRow[];
    },
  };
}

export type HomeRepository = ReturnType<typeof createHomeRepository>;
