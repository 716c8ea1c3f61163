import { expect } from 'vitest';
import type { Knex } from 'knex';
import type { TestApp } from './app.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from './flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

/** Applicant accounts of the demo employer, named 确认申报人1, 2, … in order. */
export async function addApplicants(db: Knex, usernames: string[]): Promise<void> {
  const employer = await db('units').where({ name: '成都示范科技有限公司' }).first();
  const hash = await hashPassword(DEMO_PASSWORD);
  await db('users').insert(usernames.map((username, i) => ({ username, password_hash: hash, display_name: `确认申报人${i + 1}`, unit_id: employer.id, roles: ['applicant'] })));
}

/** A closed meeting of the demo committee (publicity and the meeting itself are other flows' business). */
export async function closedMeeting(db: Knex, kind: 'normal' | 'breakthrough'): Promise<number> {
  const activity = await db('activities').where({ id: 1 }).first('committee_id');
  const at = new Date('2026-06-01T09:00:00+08:00');
  const [row] = await db('review_meetings')
    .insert({ activity_id: 1, committee_id: activity.committee_id, kind, name: kind === 'normal' ? '2026年度普通评审会议' : '2026年度破格评审会议', status: 'closed', created_at: at, updated_at: at })
    .returning('id');
  return Number(row.id);
}

export async function publish(t: TestApp, db: Knex, name: string, correlationKey: string, payload: Record<string, unknown> = {}): Promise<void> {
  await db.transaction((trx) => t.app.engine.publishMessage(trx, { name, correlationKey, payload }));
  await t.app.engine.deliverMessages();
}

/**
 * A dossier received by the committee, passed at the plenary round and through publicity (its case
 * got review-result and publicity-ended): it waits at 确认结果. `delegatedBy` makes it a 委托评审
 * dossier of that unit.
 */
export async function atConfirmation(t: TestApp, db: Knex, applicant: string, meetingId: number, delegatedBy?: number): Promise<number> {
  const id = await submitDossier(t, applicant);
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
  await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
  await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
  await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
  const dossierId = Number((await db('dossiers').where({ instance_id: id }).first('id')).id);
  if (delegatedBy) await db('dossiers').where({ id: dossierId }).update({ delegated_by_unit_id: delegatedBy });
  const order = Number((await db('meeting_candidates').where({ meeting_id: meetingId }).count<{ count: string }[]>('* as count'))[0]!.count) + 1;
  await db('meeting_candidates').insert({ meeting_id: meetingId, dossier_id: dossierId, order_no: order, status: 'passed', result_round: 'plenary', created_at: new Date() });
  await publish(t, db, 'review-result', `dossier:${dossierId}`, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
  await publish(t, db, 'publicity-ended', `dossier:${dossierId}`);
  expect((await t.app.engine.waitingMessages(id)).map((w) => w.name)).toEqual(['result-confirmed']);
  return dossierId;
}

/** What publicity sends after 公示结束: the meeting's passed candidates go to confirmation. */
export async function requestConfirmation(t: TestApp, db: Knex, meetingId: number, dossierIds: number[]): Promise<void> {
  const activity = await db('activities').where({ id: 1 }).first('committee_id');
  await publish(t, db, 'result-confirmation-requested', `confirmation:meeting:${meetingId}`, { meetingId, activityId: 1, committeeId: Number(activity.committee_id), dossierIds });
}
