import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { customRoleId, effectivePermissions, roleName, type Permission } from './permissions.ts';

/** Who is calling, as every permission and scope check sees it. */
export interface Principal {
  userId: number;
  username: string;
  displayName: string;
  status: string;
  disabledReason: string | null;
  mustChangePassword: boolean;
  passwordChangedAt: Date | null;
  unitId: number | null;
  unitName: string | null;
  unitPath: string | null;
  unitType: string | null;
  adminLevel: string | null;
  unitStatus: string | null;
  roleKeys: string[];
  roleNames: string[];
  permissions: Permission[];
  isApplicant: boolean;
}

interface Cached {
  principal: Principal;
  /** `users.auth_version` and `auth_epoch` when the principal was read */
  stamp: string;
}

/**
 * Loads principals from the database, cached by their version: every check reads the account's
 * `auth_version` and the `auth_epoch` (one index lookup; triggers bump them when an account, a
 * role or a unit changes), so a disabled account, a lost role or a changed password takes
 * effect at once on every API process — also a change no process announced (a sweep, SQL).
 */
export function createPrincipals(db: Knex, ttlMs = 60_000) {
  const cache = new LRUCache<number, Cached>({ max: 20_000, ttl: ttlMs });

  async function stampOf(userId: number): Promise<string | null> {
    const row = await db('users as u').join('auth_epoch as e', 'e.id', db.raw('1')).select('u.auth_version', 'e.epoch').where('u.id', userId).first();
    return row ? `${row.auth_version}:${row.epoch}` : null;
  }

  async function load(userId: number): Promise<Cached | null> {
    const row = await db('users as u')
      .leftJoin('units as n', 'n.id', 'u.unit_id')
      .join('auth_epoch as e', 'e.id', db.raw('1'))
      .select(
        'u.auth_version', 'e.epoch', 'u.id', 'u.username', 'u.display_name', 'u.status', 'u.disabled_reason', 'u.must_change_password', 'u.password_changed_at',
        'u.unit_id', 'u.roles', 'n.name as unit_name', 'n.path as unit_path', 'n.unit_type', 'n.admin_level', 'n.status as unit_status',
      )
      .where('u.id', userId)
      .first();
    if (!row) return null;
    const roleKeys = (row.roles as string[]) ?? [];
    const customIds = roleKeys.map(customRoleId).filter((id): id is number => id != null);
    const customRows = customIds.length && row.unit_id != null ? await db('roles').select('id', 'name', 'permissions').whereIn('id', customIds).where('unit_id', row.unit_id) : [];
    const customPerms = new Map<number, string[]>(customRows.map((r: Record<string, unknown>) => [Number(r.id), r.permissions as string[]]));
    const customNames = new Map<number, string>(customRows.map((r: Record<string, unknown>) => [Number(r.id), String(r.name)]));
    const unit =
      row.unit_id == null ? null : { unitType: String(row.unit_type), adminLevel: (row.admin_level as string | null) ?? null, status: String(row.unit_status) };
    const principal: Principal = {
      userId: Number(row.id),
      username: String(row.username),
      displayName: String(row.display_name),
      status: String(row.status),
      disabledReason: (row.disabled_reason as string | null) ?? null,
      mustChangePassword: Boolean(row.must_change_password),
      passwordChangedAt: row.password_changed_at ? new Date(row.password_changed_at as string) : null,
      unitId: row.unit_id == null ? null : Number(row.unit_id),
      unitName: (row.unit_name as string | null) ?? null,
      unitPath: (row.unit_path as string | null) ?? null,
      unitType: unit?.unitType ?? null,
      adminLevel: unit?.adminLevel ?? null,
      unitStatus: unit?.status ?? null,
      roleKeys,
      roleNames: roleKeys.map((k) => roleName(k, customNames)),
      permissions: effectivePermissions(roleKeys, customPerms, unit),
      isApplicant: roleKeys.includes('applicant'),
    };
    // read with the data: a change made meanwhile makes the next check read again
    return { principal, stamp: `${row.auth_version}:${row.epoch}` };
  }

  return {
    async get(userId: number): Promise<Principal | null> {
      const hit = cache.get(userId);
      if (hit) {
        const stamp = await stampOf(userId);
        if (stamp === null) {
          cache.delete(userId);
          return null;
        }
        if (stamp === hit.stamp) return hit.principal;
      }
      const loaded = await load(userId);
      if (!loaded) {
        cache.delete(userId);
        return null;
      }
      cache.set(userId, loaded);
      return loaded.principal;
    },
    /** Drops cached principals (the version check makes this an early release of memory, not a need). */
    invalidate(userId?: number) {
      if (userId === undefined) cache.clear();
      else cache.delete(userId);
    },
  };
}

export type Principals = ReturnType<typeof createPrincipals>;

/** Why a disabled account cannot log in, in words a clerk can act on. */
export function disabledMessage(reason: string | null): string {
  switch (reason) {
    case 'inactive':
      return '账号超过 3 个月未登录已被停用，请联系所在市（州）人社局解禁';
    case 'unit_inactive':
      return '账号所属单位已停用，请联系上级单位';
    case 'meeting_closed':
      return '评审会议已结束，专家评审账号已失效';
    default:
      return '账号已停用，请联系本单位超级管理员';
  }
}
