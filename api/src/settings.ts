import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * The token signing key: JWT_SECRET when set, otherwise one generated on first start and kept
 * in the database, so every API process and every restart signs with the same key.
 */
export async function resolveJwtSecret(db: Knex, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const candidate = randomBytes(48).toString('base64url');
  await db('settings').insert({ key: 'jwt_secret', value: JSON.stringify(candidate) }).onConflict('key').ignore();
  const row = await db('settings').where({ key: 'jwt_secret' }).first();
  // jsonb comes back parsed: the stored JSON string is a plain string here
  return String(row.value);
}
