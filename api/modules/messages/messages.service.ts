import type { Knex } from 'knex';
import type { RequestActor } from '../../src/plugins/auth.ts';

export interface NewMessage {
  /** the unit addressed; null only for a person without a unit (a 属地 applicant), named by userId */
  unitId: number | null;
  /** who in the unit sees it; everyone in the unit when absent */
  permission?: string | null;
  /** only this person of the unit sees it (an applicant's own notice) */
  userId?: number | null;
  kind: string;
  title: string;
  body?: string | null;
  /** a console path the message opens */
  link?: string | null;
  /** the same reminder is written once */
  dedupeKey?: string | null;
}

/** 消息: reminders addressed to a unit (or to those of its staff who hold a permission). */
export async function sendMessage(db: Knex | Knex.Transaction, message: NewMessage, now: Date): Promise<boolean> {
  if (message.unitId == null && message.userId == null) throw new Error('消息须指定接收单位或接收人');
  const rows = await db('messages')
    .insert({
      unit_id: message.unitId,
      permission: message.permission ?? null,
      user_id: message.userId ?? null,
      kind: message.kind,
      title: message.title,
      body: message.body ?? null,
      link: message.link ?? null,
      dedupe_key: message.dedupeKey ?? null,
      created_at: now,
    })
    .onConflict('dedupe_key')
    .ignore()
    .returning('id');
  return rows.length > 0;
}

/**
 * The messages a person sees: their unit's, limited to the permissions they hold. A unit-wide
 * message is for its staff; an applicant (who holds 申报职称) sees what names them — with or
 * without a unit, as an applicant without an employer has none — and what is addressed to all the
 * applicants of their unit.
 */
export function messagesOf(db: Knex | Knex.Transaction, actor: Pick<RequestActor, 'userId' | 'unitId' | 'roles'>) {
  if (actor.roles.includes('dossier.apply')) {
    return db('messages as m')
      .where('m.permission', 'dossier.apply')
      .where((w) => w.where('m.user_id', actor.userId).orWhere((u) => u.whereNull('m.user_id').where('m.unit_id', actor.unitId ?? -1)));
  }
  return db('messages as m')
    .where('m.unit_id', actor.unitId ?? -1)
    .where((w) => w.whereNull('m.user_id').orWhere('m.user_id', actor.userId))
    .where((w) => w.whereNull('m.permission').orWhereIn('m.permission', actor.roles.length ? actor.roles : ['']));
}
