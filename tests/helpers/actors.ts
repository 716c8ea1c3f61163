import type { Knex } from 'knex';
import { createPrincipals } from '../../api/src/principals.ts';
import { actorOf as requestActorOf, type RequestActor } from '../../api/src/plugins/auth.ts';

/** The actor of a user, as the API builds it for their requests. */
export async function actorOf(db: Knex, username: string): Promise<RequestActor> {
  const row = await db('users').where({ username }).first('id');
  if (!row) throw new Error(`no user ${username}`);
  const principal = await createPrincipals(db).get(Number(row.id));
  if (!principal) throw new Error(`no user ${username}`);
  return requestActorOf(principal);
}
