import type { Knex } from 'knex';
import type { Actor } from '../../engine/types.ts';
import { permissionsOf } from '../../api/src/permissions.ts';

/** The engine-level actor of a user, as the API would build it from their token. */
export async function actorOf(db: Knex, username: string): Promise<Actor> {
  const row = await db('users').where({ username }).first();
  if (!row) throw new Error(`no user ${username}`);
  return { userId: Number(row.id), unitId: row.unit_id == null ? null : Number(row.unit_id), roles: permissionsOf(row.roles), displayName: row.display_name };
}
