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

/**
 * Loads principals from the database with a short cache: a disabled account, a changed role or
 * a deactivated unit takes effect within seconds on every API process, at once on this one.
 */
export function createPrincipals(db: Knex, ttlMs = 5_000) {
  const cache = new LRUCache<number, Principal>({ max: 20_000, ttl: ttlMs });

  async function load(userId: number): Promise<Principal | null> {
    const row = await db('users as u')
      .leftJoin('units as n', 'n.id', 'u.unit_id')
      .select(
        'u.id', 'u.username', 'u.display_name', 'u.status', 'u.disabled_reason', 'u.must_change_password', 'u.password_changed_at',
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
    return {
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
  }

  return {
    async get(userId: number): Promise<Principal | null> {
      const hit = cache.get(userId);
      if (hit) return hit;
      const principal = await load(userId);
      if (principal) cache.set(userId, principal);
      return principal;
    },
    /** Drops cached principals after a change of accounts, roles or units made by this process. */
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
    default:
      return '账号已停用，请联系本单位超级管理员';
  }
}
