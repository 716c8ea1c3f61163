import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { defaultAuthorize } from '../../../engine/index.ts';
import type { TaskAuthorizer } from '../../../engine/types.ts';

/** Unit paths change rarely (moves go through approval); a short cache keeps checks off the database. */
export function createUnitPathCache(db: Knex, ttlMs = 30_000) {
  const cache = new LRUCache<number, string>({ max: 10_000, ttl: ttlMs });
  return async (unitId: number): Promise<string | null> => {
    const hit = cache.get(unitId);
    if (hit !== undefined) return hit;
    const row = await db('units').select('path').where({ id: unitId }).first();
    if (!row) return null;
    cache.set(unitId, String(row.path));
    return String(row.path);
  };
}

/**
 * Who may act on a task: its assignee, a named candidate, or a holder of a candidate role in
 * the candidate unit — or, for tasks scoped to the subtree, in any unit above it.
 */
export function createTaskAuthorizer(pathOf: (unitId: number) => Promise<string | null>): TaskAuthorizer {
  return async (actor, task) => {
    if (defaultAuthorize(actor, task)) return true;
    if (task.assigneeId != null) return false;
    if (task.candidateScope !== 'subtree' || task.candidateUnitId == null || actor.unitId == null) return false;
    if (!task.candidateRoles.some((r) => actor.roles.includes(r))) return false;
    const [taskPath, actorPath] = await Promise.all([pathOf(task.candidateUnitId), pathOf(actor.unitId)]);
    return Boolean(taskPath && actorPath && taskPath.startsWith(actorPath));
  };
}
