import type { Knex } from 'knex';
import { countOf, type Page } from '../../src/list-query.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { messagesOf } from './messages.service.ts';

/** A row of `messages` as stored: a reminder addressed to a unit. */
export interface MessageRow {
  id: number;
  unit_id: number;
  permission: string | null;
  user_id: number | null;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  dedupe_key: string | null;
  created_at: Date;
  push_id: number | null;
}

export interface MessageRecord {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: Date;
  read: boolean;
  readAt: Date | null;
  /** who sent it (消息推送); null for the flows' own reminders */
  sender: { unitName: string; userName: string } | null;
}

type Reader = Pick<RequestActor, 'userId' | 'unitId' | 'roles'>;

/** The messages a person sees, and what they have read. */
export function createMessagesRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const unreadBy = (db: Knex | Knex.Transaction, reader: Reader) =>
    messagesOf(db, reader).whereNotExists(db('message_reads as r').whereRaw('r.message_id = m.id').where('r.user_id', reader.userId));
  return {
    /** A page of the reader's messages, newest first, and how many there are in all. */
    async list(reader: Reader, filter: { unread: boolean }, page: Page, trx?: Knex.Transaction): Promise<{ rows: MessageRecord[]; total: number }> {
      const db = q(trx);
      const query = messagesOf(db, reader).leftJoin('message_reads as r', (j) => j.on('r.message_id', 'm.id').andOn('r.user_id', db.raw('?', [reader.userId])));
      if (filter.unread) query.whereNull('r.message_id');
      const total = await countOf(query);
      const rows = (await query
        .leftJoin('message_pushes as p', 'p.id', 'm.push_id')
        .leftJoin('units as su', 'su.id', 'p.sender_unit_id')
        .leftJoin('users as sp', 'sp.id', 'p.sender_user_id')
        .select('m.*', 'r.read_at', 'su.name as sender_unit', 'sp.display_name as sender_user')
        .orderBy('m.id', 'desc')
        .offset(page.offset)
        .limit(page.limit)) as Array<MessageRow & { read_at: Date | null; sender_unit: string | null; sender_user: string | null }>;
      return {
        rows: rows.map((r) => ({
          id: Number(r.id),
          kind: r.kind,
          title: r.title,
          body: r.body ?? null,
          link: r.link ?? null,
          createdAt: new Date(r.created_at),
          read: r.read_at != null,
          readAt: r.read_at ? new Date(r.read_at) : null,
          sender: r.push_id != null ? { unitName: r.sender_unit ?? '', userName: r.sender_user ?? '' } : null,
        })),
        total,
      };
    },

    async unreadCount(reader: Reader, trx?: Knex.Transaction): Promise<number> {
      return countOf(unreadBy(q(trx), reader));
    },

    /** Whether the reader sees the message. */
    async visible(reader: Reader, id: number, trx?: Knex.Transaction): Promise<boolean> {
      return Boolean(await messagesOf(q(trx), reader).where('m.id', id).first('m.id'));
    },

    /** Of the ids given, those the reader sees. */
    async visibleIds(reader: Reader, ids: number[], trx?: Knex.Transaction): Promise<number[]> {
      if (!ids.length) return [];
      return (await messagesOf(q(trx), reader).whereIn('m.id', ids).pluck('m.id')).map(Number);
    },

    async markRead(userId: number, ids: number[], at: Date, trx?: Knex.Transaction): Promise<void> {
      if (!ids.length) return;
      await q(trx)('message_reads').insert(ids.map((id) => ({ message_id: id, user_id: userId, read_at: at }))).onConflict(['message_id', 'user_id']).ignore();
    },

    /** Marks every message the reader has not read; how many that were. */
    async markAllRead(reader: Reader, at: Date, trx?: Knex.Transaction): Promise<number> {
      const ids = (await unreadBy(q(trx), reader).pluck('m.id')).map(Number);
      await this.markRead(reader.userId, ids, at, trx);
      return ids.length;
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
