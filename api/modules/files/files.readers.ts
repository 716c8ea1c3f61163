import type { RequestActor } from '../../src/plugins/auth.ts';
import type { FileRecord } from './files.repository.ts';

/**
 * Whether an account may read an attachment, besides its uploader, a process monitor and whoever
 * may see the case the file belongs to (the files module's own rules). A module whose records hold
 * files outside any case (a meeting's 评审材料, a confirmation's 任职资格文件) adds a reader for
 * them; a reader answers false for files it does not know.
 */
export type FileReader = (actor: RequestActor, file: FileRecord) => Promise<boolean>;

export interface FileReaders {
  /** adds a reader under a name of its own (each name once) */
  add(name: string, reader: FileReader): void;
  /** whether any reader admits the account */
  admits(actor: RequestActor, file: FileRecord): Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    fileReaders: FileReaders;
  }
}

export function createFileReaders(): FileReaders {
  const readers = new Map<string, FileReader>();
  return {
    add(name, reader) {
      if (readers.has(name)) throw new Error(`附件读取规则“${name}”已注册`);
      readers.set(name, reader);
    },
    async admits(actor, file) {
      for (const reader of readers.values()) if (await reader(actor, file)) return true;
      return false;
    },
  };
}
