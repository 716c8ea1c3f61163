import type { Knex } from 'knex';

export const COUNTS_JOB = 'dossier-counts';

/**
 * 综合查询's summary (`dossier_count_deltas`): the trigger `dossiers_count_deltas` appends one row
 * per change of a declared dossier (−1 for the key it leaves, +1 for the one it enters), so that
 * two transitions never wait on one counter row. This folds the rows into one per key (committee,
 * activity, year, status, result) in one statement; rows a transaction appends meanwhile are not
 * seen by it and stay, so the sums never change. Returns the number of rows folded.
 */
export async function compactDossierCounts(db: Knex): Promise<number> {
  const { rows } = (await db.raw(
    `with moved as (
       delete from dossier_count_deltas returning committee_id, activity_id, year, status, result, n
     ), folded as (
       insert into dossier_count_deltas (committee_id, activity_id, year, status, result, n)
       select committee_id, activity_id, year, status, result, sum(n)
         from moved group by committee_id, activity_id, year, status, result having sum(n) <> 0
     )
     select count(*) as n from moved`,
  )) as { rows: Array<{ n: string | number }> };
  return Number(rows[0]?.n ?? 0);
}
