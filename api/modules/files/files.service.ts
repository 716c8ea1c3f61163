import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { storedFile } from './files.schemas.ts';
import { createFilesRepository } from './files.repository.ts';

export type StoredFile = z.infer<typeof storedFile>;

export const MAX_FILE_MB = 20;
export const MAX_FILES = 20;

/**
 * Stores the files of one upload together or not at all: the bytes once per content hash and a
 * file record per file — the same file submitted twice by the same person for the same field is
 * one record (a double click, a retried request).
 */
export async function storeFiles(db: Knex, inputs: Array<{ name: string; mime: string; content: Buffer; field?: string }>, uploadedBy: number): Promise<StoredFile[]> {
  const files = createFilesRepository(db);
  return db.transaction(async (trx) => {
    const stored: StoredFile[] = [];
    for (const input of inputs) {
      const sha256 = createHash('sha256').update(input.content).digest('hex');
      const uploadKey = `${sha256}/${input.field ?? 'file'}/${input.name}`;
      const file = await files.store({ id: randomUUID(), sha256, uploadKey, name: input.name, mime: input.mime, content: input.content, uploadedBy }, trx);
      stored.push({ id: file.id, name: file.name, mime: file.mime, size: file.size, sha256 });
    }
    return stored;
  });
}

/** File ids found in submitted form data (values shaped like `{ id, name, size }` with a UUID id). */
export function fileIdsIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) fileIdsIn(v, out);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.id === 'string' && typeof record.name === 'string' && 'size' in record && /^[0-9a-f-]{36}$/i.test(record.id)) {
      out.add(record.id);
    }
    for (const v of Object.values(record)) fileIdsIn(v, out);
  }
  return out;
}
