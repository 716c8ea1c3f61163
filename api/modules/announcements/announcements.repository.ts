import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import { containing, countOf, type Page } from '../../src/list-query.ts';

export const ANNOUNCEMENT_TYPES = {
  notice: '通知公告',
  policy: '政策法规',
  document: '公布文件',
  standard: '标准条件',
  upload: '上传文件',
  faq: '常见问题',
  publicity: '评后公示',
  eligibility: '申报条件',
} as const;
export type AnnouncementType = keyof typeof ANNOUNCEMENT_TYPES;

export const ANNOUNCEMENT_STATES = { draft: '草稿', published: '已发布', revoked: '已撤回' } as const;
export type AnnouncementState = keyof typeof ANNOUNCEMENT_STATES;

/** A row of `announcements` as stored. */
export interface AnnouncementRow {
  id: number;
  unit_id: number;
  type: AnnouncementType;
  title: string;
  content: string;
  state: AnnouncementState;
  created_by: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  revoked_at: Date | null;
  version: number;
}

export interface AttachmentRecord {
  id: string;
  name: string;
  size: number;
  mime: string;
}

export interface AnnouncementRecord {
  id: number;
  unitId: number;
  unitName: string;
  type: AnnouncementType;
  title: string;
  content: string;
  state: AnnouncementState;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  revokedAt: Date | null;
  version: number;
  attachments: AttachmentRecord[];
}

export interface AnnouncementFilter {
  /** the managing unit; absent for the public list */
  unitId?: number;
  state?: AnnouncementState;
  type?: AnnouncementType;
  q?: string;
}

type Joined = AnnouncementRow & { unit_name: string; attachments: AttachmentRecord[] | null };

const map = (r: Joined): AnnouncementRecord => ({
  id: Number(r.id),
  unitId: Number(r.unit_id),
  unitName: r.unit_name,
  type: r.type,
  title: r.title,
  content: r.content,
  state: r.state,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  publishedAt: r.published_at ? new Date(r.published_at) : null,
  revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
  version: Number(r.version),
  attachments: (r.attachments ?? []).map((f) => ({ ...f, size: Number(f.size) })),
});

/** Announcements, their attachments, and the public's view of the published ones. */
export function createAnnouncementsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  // one read: the announcement, its unit's name and its attachments in order
  const joined = (db: Knex | Knex.Transaction) =>
    db('announcements as a')
      .join('units as u', 'u.id', 'a.unit_id')
      .select(
        'a.*',
        'u.name as unit_name',
        db.raw(
          "(select coalesce(json_agg(json_build_object('id', f.id, 'name', f.name, 'size', f.size, 'mime', f.mime) order by af.order_no), '[]'::json) from announcement_files af join files f on f.id = af.file_id where af.announcement_id = a.id) as attachments",
        ),
      );
  const where = (query: Knex.QueryBuilder, f: AnnouncementFilter) => {
    if (f.unitId !== undefined) query.where('a.unit_id', f.unitId);
    if (f.state !== undefined) query.where('a.state', f.state);
    if (f.type !== undefined) query.where('a.type', f.type);
    if (f.q) query.where((w) => w.where('a.title', 'ilike', containing(f.q!)).orWhere('a.content', 'ilike', containing(f.q!)));
    return query;
  };
  return {
    async list(f: AnnouncementFilter, page: Page, trx?: Knex.Transaction): Promise<{ rows: AnnouncementRecord[]; total: number }> {
      const db = q(trx);
      const total = await countOf(where(db('announcements as a'), f));
      const order = f.state === 'published' ? ['a.published_at', 'a.id'] : ['a.id'];
      const query = where(joined(db), f);
      for (const c of order) query.orderBy(c, 'desc');
      const rows = (await query.offset(page.offset).limit(page.limit)) as Joined[];
      return { rows: rows.map(map), total };
    },

    async get(id: number, trx?: Knex.Transaction): Promise<AnnouncementRecord | null> {
      const row = (await joined(q(trx)).where('a.id', id).first()) as Joined | undefined;
      return row ? map(row) : null;
    },

    async insert(a: { unitId: number; type: AnnouncementType; title: string; content: string; createdBy: number; at: Date }, trx?: Knex.Transaction): Promise<number> {
      const [row] = (await q(trx)('announcements')
        .insert({ unit_id: a.unitId, type: a.type, title: a.title, content: a.content, state: 'draft', created_by: a.createdBy, created_at: a.at, updated_at: a.at })
        .returning('id')) as Array<{ id: number }>;
      return Number(row!.id);
    },

    /** Edits an announcement not published, at the version the caller read. */
    async update(id: number, version: number, a: { type: AnnouncementType; title: string; content: string; at: Date }, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<AnnouncementRow>('announcements')
        .where({ id, version })
        .whereIn('state', ['draft', 'revoked'])
        .update({ type: a.type, title: a.title, content: a.content, updated_at: a.at, version: version + 1 });
      if (count !== 1) throw new ConflictError('公告已发布或已被他人修改，请刷新后重试（已发布的公告须先撤回再编辑）');
    },

    /** Moves an announcement from one of the states given; false when it was in none of them. */
    async transition(id: number, from: AnnouncementState[], to: AnnouncementState, at: Date, trx?: Knex.Transaction): Promise<boolean> {
      const stamp = to === 'published' ? { published_at: at, revoked_at: null } : to === 'revoked' ? { revoked_at: at } : {};
      const count = await q(trx)<AnnouncementRow>('announcements')
        .where({ id })
        .whereIn('state', from)
        .update({ state: to, updated_at: at, version: knex.raw('version + 1'), ...stamp });
      return count === 1;
    },

    async removeDraft(id: number, trx?: Knex.Transaction): Promise<boolean> {
      const db = q(trx);
      const draft = await db<AnnouncementRow>('announcements').where({ id, state: 'draft' }).forUpdate().first('id');
      if (!draft) return false;
      await db('announcement_files').where({ announcement_id: id }).delete();
      return (await db('announcements').where({ id, state: 'draft' }).delete()) === 1;
    },

    async setAttachments(id: number, fileIds: string[], trx?: Knex.Transaction): Promise<void> {
      const db = q(trx);
      await db('announcement_files').where({ announcement_id: id }).delete();
      if (fileIds.length) await db('announcement_files').insert(fileIds.map((fileId, i) => ({ announcement_id: id, file_id: fileId, order_no: i + 1 })));
    },

    /** Of the files given, those the person uploaded or the announcement already holds. */
    async attachable(fileIds: string[], userId: number, announcementId: number | null, trx?: Knex.Transaction): Promise<string[]> {
      if (!fileIds.length) return [];
      const db = q(trx);
      const rows = await db('files as f')
        .whereIn('f.id', fileIds)
        .where((w) => {
          w.where('f.uploaded_by', userId);
          if (announcementId != null) w.orWhereExists(db('announcement_files as af').whereRaw('af.file_id = f.id').where('af.announcement_id', announcementId));
        })
        .pluck('f.id');
      return rows.map(String);
    },

    /** The units whose announcements hold the file (their managers may read it). */
    async unitsHoldingFile(fileId: string, trx?: Knex.Transaction): Promise<number[]> {
      const rows = await q(trx)('announcement_files as af').join('announcements as a', 'a.id', 'af.announcement_id').where('af.file_id', fileId).distinct('a.unit_id').pluck('a.unit_id');
      return rows.map(Number);
    },

    /** Whether a published announcement holds the file (the public may download it). */
    async publishedHolds(id: number, fileId: string, trx?: Knex.Transaction): Promise<boolean> {
      const row = await q(trx)('announcement_files as af').join('announcements as a', 'a.id', 'af.announcement_id').where({ 'a.id': id, 'a.state': 'published', 'af.file_id': fileId }).first('a.id');
      return Boolean(row);
    },
  };
}

export type AnnouncementsRepository = ReturnType<typeof createAnnouncementsRepository>;
