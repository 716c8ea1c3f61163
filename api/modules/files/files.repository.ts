import type { Knex } from 'knex';
import type { UnitRow } from '../units/units.repository.ts';

/** A row of `files` as stored. */
export interface FileRow {
  id: string;
  sha256: string;
  name: string;
  mime: string;
  size: number;
  uploaded_by: number | null;
  root_instance_id: string | null;
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
}

const mapFile = (r: FileRow): FileRecord => ({
  id: r.id,
  name: r.name,
  mime: r.mime,
  size: Number(r.size),
  uploadedBy: r.uploaded_by == null ? null : Number(r.uploaded_by),
  rootInstanceId: r.root_instance_id ?? null,
});

/** Uploaded files and their bytes. */
export function createFilesRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    async byIds(ids: readonly string[], trx?: Knex.Transaction): Promise<FileRecord[]> {
      if (!ids.length) return [];
      const rows = await q(trx)<FileRow>('files').whereIn('id', ids);
      return rows.map(mapFile);
    },
    /** A file with its bytes, for download. */
    async withContent(id: string, trx?: Knex.Transaction): Promise<(FileRecord & { content: Buffer }) | null> {
      const row = await q(trx)<FileRow>('files as f')
        .join('file_blobs as b', 'b.sha256', 'f.sha256')
        .select('f.*', 'b.content')
        .where('f.id', id)
        .first<(FileRow & { content: Buffer }) | undefined>();
      return row ? { ...mapFile(row), content: row.content } : null;
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
