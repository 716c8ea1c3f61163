import type { Knex } from 'knex';

/** A dossier as the flow notices address it: its applicant, their unit, where it is now. */
export interface NoticeDossierRow {
  id: number;
  status: string;
  applicant_id: number;
  applicant_name: string;
  applicant_unit_id: number | null;
  holder_unit_id: number | null;
  activity_name: string;
}

/** A returned dossier whose revision deadline (the unit's, else the activity's) falls in a window. */
export interface DeadlineRow extends NoticeDossierRow {
  deadline: Date;
}

/** What the flow notices read (dossiers, cases, units); they write only `messages`, through sendMessage. */
export function createFlowNoticesRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const dossierQuery = (db: Knex | Knex.Transaction) =>
    db('dossiers as d')
      .join('users as a', 'a.id', 'd.applicant_id')
      .join('activities as ac', 'ac.id', 'd.activity_id')
      .select('d.id', 'd.status', 'd.applicant_id', 'a.display_name as applicant_name', 'a.unit_id as applicant_unit_id', 'd.holder_unit_id', 'ac.name as activity_name');
  return {
    async dossier(id: number, trx?: Knex.Transaction): Promise<NoticeDossierRow | null> {
      const row = (await dossierQuery(q(trx)).where('d.id', id).first()) as NoticeDossierRow | undefined;
      return row ?? null;
    },

    async dossiers(ids: number[], trx?: Knex.Transaction): Promise<NoticeDossierRow[]> {
      if (!ids.length) return [];
      return (await dossierQuery(q(trx)).whereIn('d.id', ids).orderBy('d.id')) as NoticeDossierRow[];
    },

    async unitName(id: number, trx?: Knex.Transaction): Promise<string | null> {
      const row = (await q(trx)('units').where({ id }).first('name')) as { name: string } | undefined;
      return row?.name ?? null;
    },

    /**
     * How many tasks of the case were completed before this step: the same when a step is run
     * again after a rollback, larger for every later occurrence (a second return follows at least
     * a resubmission), so it tells occurrences apart without the clock.
     */
    async completedTasks(rootInstanceId: string, trx?: Knex.Transaction): Promise<number> {
      const rows = await q(trx)('history_events').where({ root_instance_id: rootInstanceId, type: 'task.complete' }).count<Array<{ n: string | number }>>({ n: '*' });
      return Number(rows[0]?.n ?? 0);
    },

    /** The dossiers of a meeting's passed candidates (those a publicity notice names). */
    async passedCandidates(meetingId: number, trx?: Knex.Transaction): Promise<number[]> {
      const rows = await q(trx)('meeting_candidates').where({ meeting_id: meetingId, status: 'passed' }).orderBy('order_no').pluck('dossier_id');
      return rows.map(Number);
    },

    /** Returned dossiers whose revision deadline falls in [from, to). */
    async revisionDeadlinesBetween(from: Date, to: Date, trx?: Knex.Transaction): Promise<DeadlineRow[]> {
      const db = q(trx);
      return (await dossierQuery(db)
        .select(db.raw('coalesce(d.revision_deadline, ac.revision_deadline) as deadline'))
        .where('d.status', 'returned')
        .whereRaw('coalesce(d.revision_deadline, ac.revision_deadline) >= ?', [from])
        .whereRaw('coalesce(d.revision_deadline, ac.revision_deadline) < ?', [to])
        .orderBy('d.id')) as DeadlineRow[];
    },
  };
}
