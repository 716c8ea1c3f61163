import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { compactDossierCounts } from '../../api/modules/dossier-queries/dossier-queries.counts.ts';

/**
 * What the lists at province scale read instead of computing (docs/dossier-queries.md):
 * `dossier_forwards` (评审人员统计) agrees with the reviews the units completed with 通过 on the
 * case's chain, after forwards, returns, a rejection and a cancelled case; `dossier_count_deltas`
 * (综合查询's summary) equals a full count of the dossiers after a flow of changes, and after the
 * job folds it.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  // applicants of 成都示范科技 beside the demo's two
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const [username, name] of [['fw_a', '冯甲'], ['fw_b', '冯乙'], ['fw_c', '冯丙']]) {
    await db.knex('users').insert({ username, password_hash: hash, display_name: name, unit_id: employer.id, roles: ['applicant'] });
  }
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** The forwards as the reviews tell them (the definition 评审人员统计 used before the table): unit → dossier ids. */
async function forwardsByReviews(k: Knex): Promise<string[]> {
  const { rows } = await k.raw<{ rows: Array<{ unit_id: string; dossier_id: string }> }>(`
    select distinct x.unit_id, d.id as dossier_id
      from (select t.root_instance_id, t.candidate_unit_id as unit_id from tasks t where t.status = 'completed' and t.action = 'pass' and t.candidate_unit_id is not null
            union all
            select t.root_instance_id, u.unit_id from tasks t join users u on u.id = t.completed_by
             where t.status = 'completed' and t.action = 'pass' and not ('applicant' = any(u.roles))) x
      join dossiers d on d.instance_id = x.root_instance_id
      join process_instances i on i.id = d.instance_id
     where x.unit_id in ((i.variables->'chain'->>'employer')::bigint, (i.variables->'chain'->>'superior')::bigint,
                         (i.variables->'chain'->>'department')::bigint, (i.variables->'chain'->>'bureau')::bigint)`);
  return rows.map((r) => `${r.unit_id}:${r.dossier_id}`).sort();
}

async function forwardsByTable(k: Knex): Promise<string[]> {
  return ((await k('dossier_forwards').select('unit_id', 'dossier_id')) as Array<{ unit_id: string; dossier_id: string }>).map((r) => `${r.unit_id}:${r.dossier_id}`).sort();
}

async function dossierOf(instanceId: string): Promise<number> {
  return Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
}

async function unitOf(username: string): Promise<number> {
  return Number((await db.knex('users').where({ username }).first('unit_id')).unit_id);
}

describe('dossier_forwards (评审人员统计)', () => {
  it('records the employer’s forward in the step’s transaction, with the dossier’s submission time', async () => {
    // given a submitted dossier
    const id = await submitDossier(t, 'zhangwei');
    const dossier = await dossierOf(id);
    expect(await db.knex('dossier_forwards').where({ dossier_id: dossier })).toEqual([]);

    // when the employer passes it on
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);

    // then the employer forwarded it, and the row agrees with the reviews
    const rows = await db.knex('dossier_forwards').where({ dossier_id: dossier });
    const submitted = (await db.knex('dossiers').where({ id: dossier }).first('submitted_at')).submitted_at as Date;
    expect(rows.map((r) => Number(r.unit_id))).toEqual([await unitOf('kj_hr')]);
    expect((rows[0].submitted_at as Date).getTime()).toBe(submitted.getTime());
    expect(await forwardsByTable(db.knex)).toEqual(await forwardsByReviews(db.knex));
  });

  it('keeps a unit’s forward after a return to the applicant and records the resubmission’s forward once', async () => {
    // given a dossier the employer and the department passed on
    const id = await submitDossier(t, 'lina');
    const dossier = await dossierOf(id);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '同意');

    // when the bureau returns it to the applicant, who resubmits, and the employer passes it again
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'return', '请补充', { returnTo: 'applicant' });
    const units = await db.knex('dossier_forwards').where({ dossier_id: dossier }).orderBy('unit_id').pluck('unit_id');
    const resubmit = await taskOf(t, 'lina', id, 'resubmit');
    await completeOk(t, 'lina', resubmit.id, 'submit', undefined, (await db.knex('dossiers').where({ id: dossier }).first()).data);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);

    // then the employer and the department stay its forwarders (one row each), as the reviews say
    expect(units.map(Number).sort()).toEqual([await unitOf('kj_hr'), await unitOf('cd_jxj')].sort());
    expect((await db.knex('dossier_forwards').where({ dossier_id: dossier })).length).toBe(2);
    expect(await forwardsByTable(db.knex)).toEqual(await forwardsByReviews(db.knex));
  });

  it('records nothing for a rejection and keeps the forwards of a cancelled case', async () => {
    // given two dossiers passed on by the employer
    const rejected = await submitDossier(t, 'fw_a');
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', rejected, 'unit_review')).id);
    const cancelled = await submitDossier(t, 'fw_b');
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', cancelled, 'unit_review')).id);

    // when the department rejects one and an administrator cancels (withdraws) the other's case
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', rejected, 'department_review')).id, 'reject', '不符合申报条件');
    const revision = Number((await db.knex('process_instances').where({ id: cancelled }).first('version')).version);
    const cancel = await t.request('POST', `/api/process-instances/${cancelled}/cancel`, { user: 'admin', body: { reason: '重复申报', revision } });
    expect(cancel.statusCode).toBe(200);

    // then the department forwarded neither; the employer forwarded both; the table agrees with the reviews
    const department = await unitOf('cd_jxj');
    expect(await db.knex('dossier_forwards').whereIn('dossier_id', [await dossierOf(rejected), await dossierOf(cancelled)]).where({ unit_id: department })).toEqual([]);
    expect((await db.knex('dossier_forwards').whereIn('dossier_id', [await dossierOf(rejected), await dossierOf(cancelled)]).where({ unit_id: await unitOf('kj_hr') })).length).toBe(2);
    expect(await forwardsByTable(db.knex)).toEqual(await forwardsByReviews(db.knex));
  });

  it('lists a unit’s forwards newest first through the table, and pages on by cursor', async () => {
    // given the employer's forwards so far
    const expected = await db
      .knex('dossier_forwards')
      .where({ unit_id: await unitOf('kj_hr') })
      .orderBy([{ column: 'submitted_at', order: 'desc' }, { column: 'dossier_id', order: 'desc' }])
      .pluck('dossier_id');

    // when kj_hr reads 评审人员统计 one row a page
    const first = await t.request('GET', '/api/forwarded-dossiers?range=[0,0]', { user: 'kj_hr' });
    const second = await t.request('GET', `/api/forwarded-dossiers?range=[1,1]&cursor=${String(first.headers['x-next-cursor'])}`, { user: 'kj_hr' });

    // then the pages follow the table's order and the total counts them all
    expect(first.headers['content-range']).toBe(`forwarded-dossiers 0-0/${expected.length}`);
    expect([first.json()[0].id, second.json()[0].id]).toEqual(expected.slice(0, 2).map(Number));
  });
});

/** 综合查询's counts computed from the dossiers themselves, per key. */
async function fullCount(k: Knex) {
  const { rows } = await k.raw<{ rows: Array<Record<string, unknown>> }>(`
    select committee_id, activity_id, year, status, coalesce(result, '-') as result, count(*)::int as n
      from dossiers where submitted_at is not null and committee_id is not null
     group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);
  return rows;
}

async function keptCount(k: Knex) {
  const { rows } = await k.raw<{ rows: Array<Record<string, unknown>> }>(`
    select committee_id, activity_id, year, status, coalesce(result, '-') as result, sum(n)::int as n
      from dossier_count_deltas group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5`);
  return rows;
}

describe('dossier_count_deltas (综合查询 summary)', () => {
  it('equals a full count after a flow of changes: submissions, forwards, returns, a rejection, results, a delegation, deletes', async () => {
    // given the dossiers of the flows above, and more changes written as the flows and the jobs write them
    const k = db.knex;
    const id = await submitDossier(t, 'fw_c');
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    const committee = await k('committees').first('id', 'organizer_unit_id');
    const activity = await k('activities').where({ committee_id: committee.id }).first('id', 'year');
    const employer = await unitOf('kj_hr');
    const applicants = await Promise.all(
      ['甲', '乙', '丙', '丁', '戊', '己'].map(async (name) => Number((await k('users').insert({ username: `sum_${name}`, password_hash: 'x', display_name: name, unit_id: employer, roles: ['applicant'] }).returning('id'))[0].id)),
    );
    const at = new Date('2026-03-02T02:00:00Z');
    const inserted = (await k('dossiers')
      .insert(applicants.map((a, i) => ({ activity_id: activity.id, applicant_id: a, year: activity.year, status: i === 0 ? 'draft' : 'submitted', data: '{}', submitted_at: i === 0 ? null : at, created_at: at, updated_at: at })))
      .returning('id')) as Array<{ id: string }>;
    const ids = inserted.map((r) => Number(r.id));
    await k('dossiers').where({ id: ids[0] }).update({ status: 'submitted', submitted_at: at });
    await k('dossiers').where({ id: ids[1] }).update({ status: 'received' });
    await k('dossiers').where({ id: ids[1] }).update({ status: 'review_passed' });
    await k('dossiers').where({ id: ids[2] }).update({ status: 'review_passed', result: 'passed' });
    await k('dossiers').where({ id: ids[2] }).update({ status: 'withdrawn', result: 'withdrawn' });
    await k('dossiers').where({ id: ids[3] }).update({ status: 'returned' });
    await k('dossiers').where({ id: ids[4] }).delete();
    const [other] = await k('committees').insert({ name: '汇总测试评委会', organizer_unit_id: committee.organizer_unit_id, series: 'health', admin_level: 'city' }).returning('id');
    await k('dossiers').where({ id: ids[5] }).update({ delegated_committee_id: other.id });

    // when the counts are read as kept, and again after the job folds them
    const kept = await keptCount(k);
    const deltaRows = Number((await k('dossier_count_deltas').count({ n: '*' }))[0]!.n);
    const folded = await compactDossierCounts(k);
    const afterFold = await keptCount(k);

    // then both equal a full count, and the fold left one row per key
    const full = await fullCount(k);
    expect(full.some((r) => Number(r.committee_id) === Number(other.id))).toBe(true);
    expect(kept).toEqual(full);
    expect(afterFold).toEqual(full);
    expect(folded).toBe(deltaRows);
    expect(Number((await k('dossier_count_deltas').count({ n: '*' }))[0]!.n)).toBe(full.length);
  });

  it('answers the summary from the kept counts exactly as counting the dossiers does', async () => {
    // given the organiser's dossiers after the changes above
    const all = (await t.request('GET', '/api/dossier-queries/summary', { user: 'cd_pw' })).json();
    // when the same summary is asked with a filter the kept counts do not key by (every dossier matches it)
    const counted = (await t.request('GET', `/api/dossier-queries/summary?filter=${encodeURIComponent(JSON.stringify({ regionCode: '510000' }))}`, { user: 'cd_pw' })).json();
    const { rows } = await db.knex.raw<{ rows: Array<{ n: number }> }>(
      `select count(*)::int as n from dossiers d join committees c on c.id = d.committee_id
        where c.organizer_unit_id = (select unit_id from users where username = 'cd_pw') and d.submitted_at is not null and d.region_code like '51%'`,
    );

    // then both agree, and with a plain count of the dossiers
    expect(all.totals.declared).toBeGreaterThan(0);
    expect(all).toEqual(counted);
    expect(all.totals.declared).toBe(rows[0]!.n);
  });
});
