import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** A row of `expert_submissions` as stored. */
export interface ExpertSubmissionRow {
  id: number;
  committee_id: number;
  registrar_unit_id: number;
  submitted_by: number | null;
  expert_ids: Array<number | string>;
  status: 'reviewing' | 'done';
  instance_id: string | null;
  created_at: Date;
  finished_at: Date | null;
}

/** SQL of 专家库审核 as a flow: the submissions and where their experts stand. */
export function createPoolReviewRepository(db: Knex) {
  const q = (trx?: Db) => trx ?? db;
  return {
    async insert(row: Pick<ExpertSubmissionRow, 'committee_id' | 'registrar_unit_id' | 'submitted_by' | 'expert_ids' | 'created_at'>, trx: Knex.Transaction): Promise<number> {
      const [r] = await trx('expert_submissions').insert(row).returning('id');
      const id = Number((r as { id: number }).id);
      await trx('experts').whereIn('id', row.expert_ids.map(Number)).update({ submission_id: id });
      return id;
    },
    async setInstance(id: number, instanceId: string, trx?: Db): Promise<void> {
      await q(trx)('expert_submissions').where({ id }).update({ instance_id: instanceId });
    },
    async byInstance(instanceId: string, trx?: Db): Promise<ExpertSubmissionRow | undefined> {
      return q(trx)<ExpertSubmissionRow>('expert_submissions').where({ instance_id: instanceId }).first();
    },
    async get(id: number, trx?: Db): Promise<ExpertSubmissionRow | undefined> {
      return q(trx)<ExpertSubmissionRow>('expert_submissions').where({ id }).first();
    },
    /** The ids still 待备案单位审核 in a submission. */
    async pendingIds(submissionId: number, trx?: Db): Promise<number[]> {
      const rows = await q(trx)('experts').where({ submission_id: submissionId, status: 'pending' }).select('id');
      return rows.map((r: { id: number | string }) => Number(r.id));
    },
    /** Pending experts of a committee among `ids`, with the submission each waits in. */
    async pendingOf(committeeId: number, ids: number[], trx?: Db): Promise<Array<{ id: number; submission_id: number | null }>> {
      const rows = await q(trx)('experts').where({ committee_id: committeeId, status: 'pending' }).whereIn('id', ids).select('id', 'submission_id');
      return rows.map((r: { id: number | string; submission_id: number | string | null }) => ({ id: Number(r.id), submission_id: r.submission_id == null ? null : Number(r.submission_id) }));
    },
    async finish(id: number, at: Date, trx: Knex.Transaction): Promise<void> {
      await trx('expert_submissions').where({ id, status: 'reviewing' }).update({ status: 'done', finished_at: at });
    },
    async openSteps(instanceId: string, trx?: Db): Promise<Array<{ id: string; form_key: string | null }>> {
      return q(trx)('tasks').where({ root_instance_id: instanceId, status: 'open' }).select('id', 'form_key').orderBy('created_at');
    },
    /** Whether a 多岗审核 post of the unit comes after `levelNo` (the deciding post is the last). */
    async laterPost(unitId: number, matterType: string, levelNo: number, trx?: Db): Promise<boolean> {
      return Boolean(await q(trx)('review_levels').where({ unit_id: unitId, matter_type: matterType }).where('level_no', '>', levelNo).first('id'));
    },
  };
}
