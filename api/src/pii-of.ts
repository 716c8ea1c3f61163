import type { Knex } from 'knex';
import type { PiiCipher } from './pii.ts';

/**
 * The personal-information cipher of a database handle, for code that reads a sealed column but
 * is handed only `db` / `trx` (repositories, flow handlers, demo loaders). The `pii` plugin binds
 * the app's cipher to its knex instance; a transaction shares its knex's client config, so
 * `piiOf(trx)` finds the same cipher.
 */
const bound = new WeakMap<object, PiiCipher>();

export function bindPii(db: Knex, cipher: PiiCipher): void {
  bound.set(db.client.config as object, cipher);
}

/** The cipher bound to this handle's database; throws when no app was built on it. */
export function piiOf(db: Knex | Knex.Transaction): PiiCipher {
  const cipher = bound.get(db.client.config as object);
  if (!cipher) throw new Error('个人信息密钥未加载：数据库未经 API 的 pii 插件绑定');
  return cipher;
}

/** The bound cipher, or null (a script writing before any app was built: the sweep seals later). */
export function piiOfOrNull(db: Knex | Knex.Transaction): PiiCipher | null {
  return bound.get(db.client.config as object) ?? null;
}
