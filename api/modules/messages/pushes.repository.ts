import type { Knex } from 'knex';
import { containing, countOf, type Page } from '../../src/list-query.ts';
import { maskPhone } from '../../src/pii.ts';
import { revealUserPhone } from '../staff/users.pii.ts';

/** A row of `message_pushes` as stored: one 消息推送 by a unit's staff. */
export interface MessagePushRow {
  id: number;
  sender_unit_id: number;
  sender_user_id: number;
  recipient_kind: 'unit' | 'person';
  title: string;
  content: string;
  recipient_count: number;
  created_at: Date;
}

export interface PushRecord {
  id: number;
  recipientKind: 'unit' | 'person';
  title: string;
  content: string;
  senderName: string;
  recipientCount: number;
  readCount: number;
  createdAt: Date;
}

/** One recipient of a push and whether (and by whom, when) it was read. */
export interface ReceiptRecord {
  messageId: number;
  recipientId: number;
  recipientName: string;
  readAt: Date | null;
  readBy: string | null;
}

export interface RecipientOption {
  id: number;
  name: string;
  detail: string | null;
}

/** Who a unit's staff may send to, and what they sent. */
export function createPushesRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  // a recipient has read it when anyone it is addressed to has: one person, or any staff of the unit
  const readCount = (db: Knex | Knex.Transaction) =>
    db.raw('(select count(*) from messages m where m.push_id = p.id and exists (select 1 from message_reads r where r.message_id = m.id))::int as read_count');
  return {
    /** Active units below the sender's unit, by name: a page of them and how many there are. */
    async subordinateUnits(unitId: number, unitPath: string, term: string | undefined, page: Page, trx?: Knex.Transaction): Promise<{ rows: RecipientOption[]; total: number }> {
      const db = q(trx);
      const query = db('units as u').where('u.path', 'like', `${unitPath}%`).whereNot('u.id', unitId).where('u.status', 'active');
      if (term) query.where('u.name', 'ilike', containing(term));
      const total = await countOf(query);
      const rows = (await query.leftJoin('units as p', 'p.id', 'u.parent_id').select('u.id', 'u.name', 'p.name as parent_name').orderBy('u.path').offset(page.offset).limit(page.limit)) as Array<{ id: number; name: string; parent_name: string | null }>;
      return { rows: rows.map((r) => ({ id: Number(r.id), name: r.name, detail: r.parent_name ? `上级：${r.parent_name}` : null })), total };
    },

    /** Active applicants of one unit (本单位人员列表), by name: a page of them and how many there are. */
    async unitApplicants(unitId: number, term: string | undefined, page: Page, trx?: Knex.Transaction): Promise<{ rows: RecipientOption[]; total: number }> {
      const db = q(trx);
      const query = db('users as a').where('a.unit_id', unitId).whereRaw("'applicant' = any(a.roles)").where('a.status', 'active');
      if (term) query.where((w) => w.where('a.display_name', 'ilike', containing(term)).orWhere('a.username', 'ilike', containing(term)));
      const total = await countOf(query);
      const rows = (await query.select('a.id', 'a.display_name', 'a.phone', 'a.phone_enc').orderBy('a.id').offset(page.offset).limit(page.limit)) as Array<{ id: number; display_name: string; phone: string | null; phone_enc: string | null }>;
      // the phone an SMS would go to, opened from its seal; a list shows it masked
      return { rows: rows.map((r) => ({ id: Number(r.id), name: r.display_name, detail: maskPhone(revealUserPhone(db, r)) })), total };
    },

    /** Of the ids given, those that are active units below the sender's unit. */
    async unitsBelow(ids: number[], unitId: number, unitPath: string, trx?: Knex.Transaction): Promise<number[]> {
      const rows = await q(trx)('units').whereIn('id', ids).where('path', 'like', `${unitPath}%`).whereNot('id', unitId).where('status', 'active').pluck('id');
      return rows.map(Number);
    },

    /** Of the ids given, those that are active applicants of the unit. */
    async applicantsOf(ids: number[], unitId: number, trx?: Knex.Transaction): Promise<number[]> {
      const rows = await q(trx)('users').whereIn('id', ids).where('unit_id', unitId).whereRaw("'applicant' = any(roles)").where('status', 'active').pluck('id');
      return rows.map(Number);
    },

    async insert(push: Omit<MessagePushRow, 'id'>, trx?: Knex.Transaction): Promise<number> {
      const [row] = (await q(trx)('message_pushes').insert(push).returning('id')) as Array<{ id: number }>;
      return Number(row!.id);
    },

    /** One message per recipient, in the recipients' lists like any reminder. */
    async addressTo(pushId: number, recipients: Array<{ unitId: number; userId: number | null; permission: string | null }>, message: { title: string; body: string }, at: Date, trx?: Knex.Transaction): Promise<void> {
      const rows = recipients.map((r) => ({ unit_id: r.unitId, user_id: r.userId, permission: r.permission, kind: 'push', title: message.title, body: message.body, link: null, dedupe_key: null, created_at: at, push_id: pushId }));
      for (let i = 0; i < rows.length; i += 500) await q(trx)('messages').insert(rows.slice(i, i + 500));
    },

    /** A page of the pushes a unit sent, newest first, with how many recipients have read each. */
    async sent(unitId: number, filter: { q?: string }, page: Page, trx?: Knex.Transaction): Promise<{ rows: PushRecord[]; total: number }> {
      const db = q(trx);
      const query = db<MessagePushRow>('message_pushes as p').where('p.sender_unit_id', unitId);
      if (filter.q) query.where((w) => w.where('p.title', 'ilike', containing(filter.q!)).orWhere('p.content', 'ilike', containing(filter.q!)));
      const total = await countOf(query);
      const rows = (await query.join('users as s', 's.id', 'p.sender_user_id').select('p.*', 's.display_name as sender_name', readCount(db)).orderBy('p.id', 'desc').offset(page.offset).limit(page.limit)) as Array<
        MessagePushRow & { sender_name: string; read_count: number }
      >;
      return { rows: rows.map(mapPush), total };
    },

    async get(id: number, unitId: number, trx?: Knex.Transaction): Promise<PushRecord | null> {
      const db = q(trx);
      const row = (await db('message_pushes as p').where({ 'p.id': id, 'p.sender_unit_id': unitId }).join('users as s', 's.id', 'p.sender_user_id').first('p.*', 's.display_name as sender_name', readCount(db))) as
        | (MessagePushRow & { sender_name: string; read_count: number })
        | undefined;
      return row ? mapPush(row) : null;
    },

    /** Every recipient of a push with the first reading of its message. */
    async receipts(pushId: number, trx?: Knex.Transaction): Promise<ReceiptRecord[]> {
      const db = q(trx);
      const rows = (await db('messages as m')
        .where('m.push_id', pushId)
        .leftJoin('units as u', 'u.id', 'm.unit_id')
        .leftJoin('users as a', 'a.id', 'm.user_id')
        .joinRaw('left join lateral (select r.read_at, rd.display_name from message_reads r join users rd on rd.id = r.user_id where r.message_id = m.id order by r.read_at, r.user_id limit 1) fr on true')
        .select('m.id', 'm.unit_id', 'm.user_id', 'u.name as unit_name', 'a.display_name as person_name', 'fr.read_at', 'fr.display_name as read_by')
        .orderBy('m.id')) as Array<{ id: number; unit_id: number; user_id: number | null; unit_name: string; person_name: string | null; read_at: Date | null; read_by: string | null }>;
      return rows.map((r) => ({
        messageId: Number(r.id),
        recipientId: Number(r.user_id ?? r.unit_id),
        recipientName: r.user_id != null ? (r.person_name ?? '') : r.unit_name,
        readAt: r.read_at ? new Date(r.read_at) : null,
        readBy: r.read_by ?? null,
      }));
    },
  };
}

const mapPush = (r: MessagePushRow & { sender_name: string; read_count: number }): PushRecord => ({
  id: Number(r.id),
  recipientKind: r.recipient_kind,
  title: r.title,
  content: r.content,
  senderName: r.sender_name,
  recipientCount: Number(r.recipient_count),
  readCount: Number(r.read_count),
  createdAt: new Date(r.created_at),
});

export type PushesRepository = ReturnType<typeof createPushesRepository>;
