import type { Knex } from 'knex';
import { CalendarUnavailable, shanghaiDate, type Calendar } from '../calendar/calendar.service.ts';
import { sendMessage } from '../messages/messages.service.ts';
import type { WorkflowEngine } from '../../../engine/index.ts';
import { ConflictError } from '../../src/errors.ts';

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
    .select('d.id', 'd.holder_unit_id', 'd.held_since', 'n.name as unit_name', 'n.unit_type as holder_unit_type', 'p.display_name', 'p.unit_id as applicant_unit_id', 'a.name as activity_name')
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
      // the applicant's unit, or the employer above it (上级单位), reviews through 本单位人员审核
      employer: Number(r.applicant_unit_id) === Number(r.holder_unit_id) || r.holder_unit_type === 'employer',
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

/** Why the case of a dossier not delivered in time ends (its instance is cancelled with it). */
export const NOT_DELIVERED_REASON = '评委会接收截止，未报送至评委会';

/** A dossier that was due when the sweep listed it and is no more (delivered, taken by another sweeper). */
class NoLongerDue extends Error {}

/** Dossiers of activities past their receipt deadline that had not reached the committee by then. */
function dueNotDelivered(q: Knex.QueryBuilder, now: Date): Knex.QueryBuilder {
  return q
    .join('activities as a', 'a.id', 'd.activity_id')
    .whereIn('d.status', ['submitted', 'returned'])
    .whereNull('d.not_delivered_at')
    .whereNotNull('a.receipt_deadline')
    .where('a.receipt_deadline', '<', now)
    .where((w) => w.whereNull('d.delivered_at').orWhereRaw('d.delivered_at > a.receipt_deadline'));
}

/**
 * 评委会接收申报截止: dossiers of an activity past its receipt deadline that had not reached the
 * committee by then are marked not delivered, with the unit that held them (none: the
 * applicant), and their case ends: the instance is cancelled (its tasks leave every inbox) in the
 * same transaction. Idempotent; each dossier is claimed with a row lock, so two sweepers never
 * mark one twice, and a dossier whose case cannot be cancelled now is left for the next run.
 */
export async function markNotDelivered(db: Knex, engine: WorkflowEngine, now: Date): Promise<number[]> {
  const candidates = (await dueNotDelivered(db('dossiers as d'), now)
    .leftJoin('process_instances as i', 'i.id', 'd.instance_id')
    .select('d.id', 'd.instance_id', 'i.status as instance_status')
    .orderBy('d.id')) as Array<{ id: number; instance_id: string | null; instance_status: string | null }>;
  const marked: number[] = [];
  let failure: unknown = null;
  for (const c of candidates) {
    const mark = async (trx: Knex.Transaction) => {
      const r = (await dueNotDelivered(trx('dossiers as d'), now)
        .select('d.id', 'd.holder_unit_id', 'd.instance_id', 'a.receipt_deadline')
        .where('d.id', c.id)
        .forUpdate('d')
        .skipLocked()
        .first()) as { id: number; holder_unit_id: number | null; instance_id: string | null; receipt_deadline: Date } | undefined;
      if (!r) throw new NoLongerDue();
      await trx('dossiers').where({ id: r.id }).update({ status: 'not_delivered', not_delivered_at: now, not_delivered_unit_id: r.holder_unit_id, updated_at: now });
      if (r.instance_id) {
        await engine.recordHistory(trx, r.instance_id, {
          type: 'dossier.not_delivered',
          data: { receiptDeadline: new Date(r.receipt_deadline).toISOString(), holderUnitId: r.holder_unit_id == null ? null : Number(r.holder_unit_id), reason: NOT_DELIVERED_REASON },
          actor: null,
          at: now,
        });
      }
    };
    try {
      if (c.instance_id && c.instance_status === 'running') {
        await engine.cancelInstance(c.instance_id, { reason: NOT_DELIVERED_REASON, actor: null, withTransaction: mark });
      } else {
        await db.transaction(mark);
      }
      marked.push(Number(c.id));
    } catch (err) {
      // delivered or claimed meanwhile, or the case moved while we cancelled it: the next run decides
      if (err instanceof NoLongerDue || err instanceof ConflictError) continue;
      // one broken case does not keep the others open; the sweep still reports it
      failure ??= err;
    }
  }
  if (failure) throw failure;
  return marked;
}

/** The chain's scheduled work: transfer-time reminders and the receipt deadline. */
export async function sweepDossierChain(db: Knex, engine: WorkflowEngine, calendar: Calendar, now: Date): Promise<{ reminded: number; notDelivered: number[] }> {
  // the reminders go out even when a case could not be closed this time
  const marking = await markNotDelivered(db, engine, now).then(
    (ids) => ({ ids, failure: null as unknown }),
    (failure: unknown) => ({ ids: [] as number[], failure }),
  );
  const reminded = await remindTransferDuty(db, calendar, now);
  if (marking.failure) throw marking.failure;
  return { reminded, notDelivered: marking.ids };
}
