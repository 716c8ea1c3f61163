import type { Knex } from 'knex';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { RequestActor } from './plugins/auth.ts';

/**
 * Unit scope, the second half of every check after the permission: a caller acts on their own
 * unit, and on units below it where the permission is about subordinates. Paths are
 * materialized (/1/4/9/), so "below" is a prefix test.
 */
export type ScopeMode = 'own' | 'below' | 'ownOrBelow';

export function inScope(actor: Pick<RequestActor, 'unitId' | 'unitPath'>, unit: { id: number; path: string }, mode: ScopeMode): boolean {
  if (actor.unitId == null || !actor.unitPath) return false;
  const own = unit.id === actor.unitId;
  const below = !own && unit.path.startsWith(actor.unitPath);
  return mode === 'own' ? own : mode === 'below' ? below : own || below;
}

/**
 * Loads a unit for a caller: a unit outside their own and the ones below it answers 404 exactly
 * like one that does not exist (nothing about other units' records gets out, not even that they
 * exist); one they can see but the mode excludes answers 403.
 */
export async function unitInScope(db: Knex | Knex.Transaction, actor: RequestActor, unitId: number, mode: ScopeMode): Promise<Record<string, unknown> & { id: number; path: string }> {
  const row = await db('units').where({ id: unitId }).first();
  const unit = row ? { ...row, id: Number(row.id), path: String(row.path) } : null;
  if (!unit || !inScope(actor, unit, 'ownOrBelow')) throw new NotFoundError('单位不存在');
  if (!inScope(actor, unit, mode)) {
    throw new ForbiddenError(mode === 'own' ? '只能操作本单位的数据' : mode === 'below' ? '只能操作本单位的下级单位' : '只能操作本单位及下级单位的数据');
  }
  return unit;
}
