import type { Knex } from 'knex';
import { CalendarUnavailable, shanghaiDate, type Calendar } from '../calendar/calendar.service.ts';
import { sendMessage } from '../messages/messages.service.ts';

export const CHAIN_JOB = 'dossier-chain';

/** 转报时限 (notice 003): a unit passes a dossier on within 3 working days of receiving it. */
export const TRANSFER_WORKING_DAYS = 3;

export interface HeldDossier {
  dossierId: number;
  applicantName: string;
  activityName: string;
  unitId: number;
  unitName: string;
  /** the applicant's own unit holds it (本单位人员审核) or a unit above (下级单位人员审核) */
  employer: boolean;
  heldSince: Date;
  /** working days held, after the day it arrived */
  workingDays: number;
  /** the last day of the transfer time */
  dueDay: string;
}

/**
 * Dossiers a unit has held longer than the transfer time, by the working-day calendar (a year
 * whose calendar is not published yet is skipped rather than guessed). The committee, which
 * receives rather than transfers, is not counted.
 */
export async function overdueHeld(db: Knex, calendar: Calendar, now: Date, unitId?: number): Promise<HeldDossier[]> {
  const query = db('dossiers as d')
    .join('units as n', 'n.id', 'd.holder_unit_id')
    .join('users as p', 'p.id', 'd.applicant_id')
    .join('activities as a', 'a.id', 'd.activity_id')
    .select('d.id', 'd.holder_unit_id', 'd.held_since', 'n.name as unit_name', 'p.display_name', 'p.unit_id as applicant_unit_id', 'a.name as activity_name')
    .where('d.status', 'submitted')
    .whereNull('d.delivered_at')
    .whereNotNull('d.held_since')
    .orderBy('d.held_since');
  if (unitId != null) query.where('d.holder_unit_id', unitId);
  const today = shanghaiDate(now);
  const items: HeldDossier[] = [];
  for (const r of await query) {
    const since = new Date(r.held_since as string);
    const day = shanghaiDate(since);
    let workingDays: number;
    let dueDay: string;
    try {
      workingDays = calendar.workingDaysBetween(day, today);
      dueDay = calendar.addWorkingDays(day, TRANSFER_WORKING_DAYS);
    } catch (err) {
      if (err instanceof CalendarUnavailable) continue;
      throw err;
    }
    if (workingDays <= TRANSFER_WORKING_DAYS) continue;
    items.push({
      dossierId: Number(r.id),
      applicantName: String(r.display_name),
      activityName: String(r.activity_name),
      unitId: Number(r.holder_unit_id),
      unitName: String(r.unit_name),
      employer: Number(r.applicant_unit_id) === Number(r.holder_unit_id),
      heldSince: since,
      workingDays,
      dueDay,
    });
  }
  return items;
}

/** Reminds each unit holding a dossier past the transfer time, once per dossier and arrival. */
export async function remindTransferDuty(db: Knex, calendar: Calendar, now: Date): Promise<number> {
  let sent = 0;
  for (const item of await overdueHeld(db, calendar, now)) {
    const ok = await sendMessage(
      db,
      {
        unitId: item.unitId,
        permission: item.employer ? 'dossier.review.own' : 'dossier.review.subordinate',
        kind: 'dossier.transfer_overdue',
        title: `${item.applicantName}的申报材料已超过 ${TRANSFER_WORKING_DAYS} 个工作日未转报`,
        body: `“${item.activityName}”中${item.applicantName}的申报材料于 ${shanghaiDate(item.heldSince)} 报送本单位，应在 ${item.dueDay} 前审核并转报（逐级转报时限 ${TRANSFER_WORKING_DAYS} 个工作日）。`,
        link: '/tasks',
        dedupeKey: `dossier-transfer:${item.dossierId}:${item.unitId}:${item.heldSince.getTime()}`,
      },
      now,
    );
    if (ok) sent++;
  }
  return sent;
}

/**
 * 评委会接收申报截止: dossiers of an activity past its receipt deadline that had not reached the
 * committee by then are marked not delivered, with the unit that held them (none: the
 * applicant). Idempotent, claimed with row locks.
 */
export async function markNotDelivered(db: Knex, now: Date): Promise<number[]> {
  return db.transaction(async (trx) => {
    const rows = await trx('dossiers as d')
      .join('activities as a', 'a.id', 'd.activity_id')
      .select('d.id', 'd.holder_unit_id', 'd.instance_id', 'a.receipt_deadline')
      .whereIn('d.status', ['submitted', 'returned'])
      .whereNull('d.not_delivered_at')
      .whereNotNull('a.receipt_deadline')
      .where('a.receipt_deadline', '<', now)
      .where((w) => w.whereNull('d.delivered_at').orWhereRaw('d.delivered_at > a.receipt_deadline'))
      .forUpdate('d')
      .skipLocked();
    if (!rows.length) return [];
    for (const r of rows as Array<{ id: number; holder_unit_id: number | null; instance_id: string | null; receipt_deadline: Date }>) {
      await trx('dossiers').where({ id: r.id }).update({ status: 'not_delivered', not_delivered_at: now, not_delivered_unit_id: r.holder_unit_id, updated_at: now });
      if (r.instance_id) {
        await trx('history_events').insert({
          instance_id: r.instance_id,
          root_instance_id: r.instance_id,
          type: 'dossier.not_delivered',
          data: JSON.stringify({ receiptDeadline: new Date(r.receipt_deadline).toISOString(), holderUnitId: r.holder_unit_id == null ? null : Number(r.holder_unit_id), reason: '评委会接收申报截止时仍未报送至评委会' }),
          created_at: now,
        });
      }
    }
    return rows.map((r: { id: number }) => Number(r.id));
  });
}

/** The chain's scheduled work: transfer-time reminders and the receipt deadline. */
export async function sweepDossierChain(db: Knex, calendar: Calendar, now: Date): Promise<{ reminded: number; notDelivered: number[] }> {
  const notDelivered = await markNotDelivered(db, now);
  const reminded = await remindTransferDuty(db, calendar, now);
  return { reminded, notDelivered };
}
