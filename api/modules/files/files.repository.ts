import type { Knex } from 'knex';
import { piiOf, piiOfOrNull } from '../../src/pii-of.ts';
import type { UnitRow } from '../units/units.repository.ts';

/** A blob as stored: its bytes, sealed with SM4 when `pii_key_id` is set (plain: an older release's, the sweep seals it). */
export interface BlobContentRow {
  content: Buffer;
  pii_key_id: string | null;
}

/**
 * The plain bytes of a stored blob (every reader of `file_blobs.content` goes through this): opened
 * with the key it was sealed with, or as stored when no key is recorded.
 */
export function openedContent(db: Knex | Knex.Transaction, row: BlobContentRow): Buffer {
  return row.pii_key_id == null ? row.content : piiOf(db).bytes.openBytes(row.content);
}

/**
 * The column values of a blob written now: sealed under the current key, or plain when no app's
 * cipher is bound to this database (a script before any app was built: the sweep seals it later).
 */
export function sealedBlob(db: Knex | Knex.Transaction, content: Buffer): { content: Buffer; pii_key_id: string | null } {
  const cipher = piiOfOrNull(db);
  return cipher ? { content: cipher.bytes.sealBytes(content), pii_key_id: cipher.bytes.keyId } : { content, pii_key_id: null };
}

/** A row of `files` as stored. */
export interface FileRow {
  id: string;
  sha256: string;
  name: string;
  mime: string;
  size: number;
  uploaded_by: number | null;
  root_instance_id: string | null;
  /** content hash, form field and name of an upload not yet part of a case (one record per uploader) */
  upload_key: string | null;
  created_at: Date;
}

export interface FileRecord {
  id: string;
  name: string;
  mime: string;
  size: number;
  uploadedBy: number | null;
  /** the case the file was submitted with */
  rootInstanceId: string | null;
  /** set on uploads checked by content (their `mime` is the sniffed type) */
  uploadKey: string | null;
}

const mapFile = (r: FileRow): FileRecord => ({
  id: r.id,
  name: r.name,
  mime: r.mime,
  size: Number(r.size),
  uploadedBy: r.uploaded_by == null ? null : Number(r.uploaded_by),
  rootInstanceId: r.root_instance_id ?? null,
  uploadKey: r.upload_key ?? null,
});

/** Uploaded files and their bytes. */
export function createFilesRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    /**
     * Stores one uploaded file: its bytes once per content hash, and its record once per uploader
     * and upload key — a second submit of the same file answers the first record (also when both
     * arrive at once: the unique index makes the later insert wait and then do nothing).
     */
    async store(input: { id: string; sha256: string; uploadKey: string; name: string; mime: string; content: Buffer; uploadedBy: number }, trx?: Knex.Transaction): Promise<FileRecord & { sha256: string }> {
      const db = q(trx);
      // sealed at rest; the key stays the plain content's hash, so a double submit stores one blob
      await db('file_blobs').insert({ sha256: input.sha256, ...sealedBlob(db, input.content), size: input.content.length }).onConflict('sha256').ignore();
      await db.raw(
        `insert into files (id, sha256, name, mime, size, uploaded_by, upload_key) values (?, ?, ?, ?, ?, ?, ?)
         on conflict (uploaded_by, upload_key) where upload_key is not null and root_instance_id is null do nothing`,
        [input.id, input.sha256, input.name, input.mime, input.content.length, input.uploadedBy, input.uploadKey],
      );
      const row = await db<FileRow>('files').where({ uploaded_by: input.uploadedBy, upload_key: input.uploadKey }).whereNull('root_instance_id').first();
      if (!row) throw new Error('附件记录写入后未找到');
      return { ...mapFile(row), sha256: row.sha256 };
    },
    async byIds(ids: readonly string[], trx?: Knex.Transaction): Promise<FileRecord[]> {
      if (!ids.length) return [];
      const rows = await q(trx)<FileRow>('files').whereIn('id', ids);
      return rows.map(mapFile);
    },
    /** A file with its bytes (opened), for download and the import readers. */
    async withContent(id: string, trx?: Knex.Transaction): Promise<(FileRecord & { content: Buffer }) | null> {
      const row = await q(trx)<FileRow>('files as f')
        .join('file_blobs as b', 'b.sha256', 'f.sha256')
        .select('f.*', 'b.content', 'b.pii_key_id')
        .where('f.id', id)
        .first<(FileRow & BlobContentRow) | undefined>();
      return row ? { ...mapFile(row), content: openedContent(q(trx), row) } : null;
    },
    /**
     * Copies of files for a case (one upload shared by the cases of a batch): the same bytes,
     * a record of the case's own, so each case keeps, shows and deletes its files alone.
     */
    async copyToCase(copies: Array<{ from: string; id: string }>, rootInstanceId: string, trx?: Knex.Transaction): Promise<void> {
      if (!copies.length) return;
      const rows = await q(trx)<FileRow>('files').whereIn('id', copies.map((c) => c.from));
      const byId = new Map(rows.map((r) => [r.id, r]));
      await q(trx)('files').insert(
        copies.map(({ from, id }) => {
          const row = byId.get(from);
          if (!row) throw new Error(`附件 ${from} 不存在`);
          return { id, sha256: row.sha256, name: row.name, mime: row.mime, size: row.size, uploaded_by: row.uploaded_by, root_instance_id: rootInstanceId };
        }),
      );
    },
    /** The units whose business licence the file is (who may read a unit may read its licence). */
    async licensees(fileId: string, trx?: Knex.Transaction): Promise<Array<{ id: number; path: string; pendingParentId: number | null }>> {
      const rows = await q(trx)<UnitRow>('units')
        .select('id', 'path', 'pending_parent_id')
        .where({ licence_file_id: fileId });
      return rows.map((u) => ({ id: Number(u.id), path: u.path, pendingParentId: u.pending_parent_id == null ? null : Number(u.pending_parent_id) }));
    },
  };
}

export type FilesRepository = ReturnType<typeof createFilesRepository>;
