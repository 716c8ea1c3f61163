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

/** The demo chain's units: the province's and the city's HR bureaus, the department, the employer. */
export async function demoChainUnits(db: Knex) {
  const [province, city, department, employer] = await Promise.all([
    db('units').where({ admin_level: 'province', unit_type: 'hr_bureau' }).first(),
    db('units').where({ admin_level: 'city', unit_type: 'hr_bureau' }).first(),
    db('units').where({ name: '成都市经济和信息化局' }).first(),
    db('units').where({ name: '成都示范科技有限公司' }).first(),
  ]);
  return { province, city, department, employer };
}
