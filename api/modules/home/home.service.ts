import type { Knex } from 'knex';
import { ADMIN_LEVELS, UNIT_TYPES, type AdminLevel, type UnitType } from '../../src/permissions.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { FILING_STATUS } from '../../../forms/labels.ts';
import type { Regions } from '../regions/regions.service.ts';
import { messagesOf } from '../messages/messages.service.ts';
import { ACTIVITY_STAGES, activityStage, type ActivityStage } from './home.stage.ts';
import { createHomeRepository, type ActivityFactsRow, type SupervisedCommitteeRow } from './home.repository.ts';

export interface SupervisedActivity {
  id: number;
  name: string;
  year: number;
  startsAt: string | null;
  firstDeadline: string | null;
  stage: ActivityStage;
  stageName: string;
}

export interface SupervisedCommittee {
  id: number;
  name: string;
  organizerName: string;
  region: string | null;
  filingStatus: keyof typeof FILING_STATUS;
  filingStatusName: string;
  validFrom: string | null;
  validTo: string | null;
  activities: SupervisedActivity[];
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const n = (v: number | string | null | undefined) => Number(v ?? 0);
const day = (d: Date) => d.toISOString().slice(0, 10);

/** A province or city bureau oversees the committees organised anywhere below it. */
export function supervisesSubtree(actor: Pick<RequestActor, 'unitType' | 'adminLevel'>): boolean {
  return actor.unitType === 'hr_bureau' && (actor.adminLevel === 'province' || actor.adminLevel === 'city');
}

/** 首页: the caller's unit, messages, and 评审工作监督 over the committees it organises or oversees. */
export function createHomeService(deps: { db: Knex; regions: Regions; now: () => Date }) {
  const repo = createHomeRepository(deps.db);

  function filing(row: SupervisedCommitteeRow, today: string): keyof typeof FILING_STATUS {
    if (row.filing_status === 'filed') return row.valid_to && row.valid_to < today ? 'expired' : 'filed';
    return 'unfiled';
  }

  function activity(row: ActivityFactsRow, now: Date): SupervisedActivity {
    const stage = activityStage(
      {
        startsAt: row.starts_at ? new Date(row.starts_at) : null,
        firstDeadline: row.first_deadline ? new Date(row.first_deadline) : null,
        meetings: n(row.meetings),
        meetingsOpen: n(row.meetings_open),
        publicityOpen: n(row.publicity_open),
        confirming: n(row.confirming),
        issuing: n(row.issuing),
      },
      now,
    );
    return { id: Number(row.id), name: row.name, year: Number(row.year), startsAt: iso(row.starts_at), firstDeadline: iso(row.first_deadline), stage, stageName: ACTIVITY_STAGES[stage] };
  }

  return {
    async unit(actor: RequestActor) {
      if (actor.unitId == null) return null;
      const row = await repo.unit(actor.unitId);
      if (!row) return null;
      return {
        id: Number(row.id),
        name: row.name,
        unitType: row.unit_type,
        unitTypeName: UNIT_TYPES[row.unit_type as UnitType] ?? row.unit_type,
        adminLevelName: row.admin_level ? (ADMIN_LEVELS[row.admin_level as AdminLevel] ?? row.admin_level) : null,
        creditCode: row.credit_code,
        region: deps.regions.label(row.region_code),
        parentName: row.parent_name,
        status: row.status,
        staffCount: n(row.staff_count),
      };
    },

    async messages(actor: RequestActor, limit = 5) {
      const base = messagesOf(deps.db, actor);
      const [latest, unread] = await Promise.all([
        repo.latestMessages(base, actor.userId, limit),
        base
          .clone()
          .whereNotExists(deps.db('message_reads as r').whereRaw('r.message_id = m.id').where('r.user_id', actor.userId))
          .count<{ count: string }[]>('* as count'),
      ]);
      return {
        unread: n(unread[0]?.count),
        latest: latest.map((m) => ({ id: Number(m.id), title: m.title, kind: m.kind, createdAt: new Date(m.created_at).toISOString(), read: Boolean(m.read) })),
      };
    },

    /**
     * 评审工作监督: every committee in view with its filing standing and the stage of each of its
     * published activities, and the four tiles counted over the same committees.
     */
    async supervision(actor: RequestActor) {
      if (actor.unitId == null || !actor.unitPath) return null;
      const subtree = supervisesSubtree(actor);
      const now = deps.now();
      const today = day(now);
      const committees = await repo.committees({ id: actor.unitId, path: actor.unitPath }, subtree);
      const facts = await repo.activityFacts(committees.map((c) => Number(c.id)));
      const byCommittee = new Map<number, SupervisedActivity[]>();
      for (const row of facts) {
        const list = byCommittee.get(Number(row.committee_id)) ?? [];
        list.push(activity(row, now));
        byCommittee.set(Number(row.committee_id), list);
      }
      const rows: SupervisedCommittee[] = committees.map((c) => {
        const status = filing(c, today);
        return {
          id: Number(c.id),
          name: c.name,
          organizerName: c.organizer_name,
          region: deps.regions.label(c.region_code),
          filingStatus: status,
          filingStatusName: FILING_STATUS[status],
          validFrom: c.valid_from,
          validTo: c.valid_to,
          activities: byCommittee.get(Number(c.id)) ?? [],
        };
      });
      const filed = rows.filter((r) => r.filingStatus === 'filed').length;
      const running = rows.reduce((k, r) => k + r.activities.filter((a) => a.stage !== 'done' && a.stage !== 'upcoming').length, 0);
      return {
        scope: subtree ? ('subtree' as const) : ('own' as const),
        tiles: { committees: rows.length, filed, unfiled: rows.length - filed, runningActivities: running },
        committees: rows,
      };
    },

    /** The administrator's home: what runs, what failed, what is late, what was deployed. */
    async admin() {
      const now = deps.now();
      const [counts, running, incidents, overdue, deployments] = await Promise.all([
        repo.adminCounts(now),
        repo.runningByProcess(10),
        repo.openIncidents(5),
        repo.overdueTasks(now, 5),
        repo.recentDeployments(5),
      ]);
      return {
        counts: { running: n(counts.running), incidents: n(counts.incidents), overdue: n(counts.overdue) },
        runningByProcess: running.map((r) => ({ processKey: r.process_key, name: r.name, count: n(r.count) })),
        incidents: incidents.map((i) => ({ id: Number(i.id), rootInstanceId: i.root_instance_id, elementId: i.element_id, message: i.message, createdAt: new Date(i.created_at).toISOString() })),
        overdueTasks: overdue.map((t) => ({ id: t.id, name: t.name, processName: t.process_name, unitName: t.candidate_unit_name, dueAt: new Date(t.due_at).toISOString() })),
        deployments: deployments.map((d) => ({ key: d.key, version: Number(d.version), name: d.name, deployedAt: new Date(d.deployed_at).toISOString(), deployedBy: d.deployed_by_name })),
      };
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
