import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import type { UserRow } from '../staff/staff.repository.ts';

/** A row of `roles` as stored: a unit's own role, made of catalogue permissions. */
export interface RoleRow {
  id: number;
  unit_id: number;
  name: string;
  description: string | null;
  permissions: string[];
  created_at: Date;
  updated_at: Date;
}

export interface RoleRecord {
  id: number;
  unitId: number;
  name: string;
  description: string | null;
  permissions: string[];
}

const mapRole = (r: RoleRow): RoleRecord => ({ id: Number(r.id), unitId: Number(r.unit_id), name: r.name, description: r.description ?? null, permissions: r.permissions ?? [] });

/** A concurrent create or rename to the same name meets the unique index: a conflict, not a crash. */
async function uniqueName<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ConflictError(`角色“${name}”已存在`, [{ field: 'name', message: '角色名称已存在' }]);
    throw err;
  }
}

/** The custom roles of units, and who holds which role. */
export function createRolesRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    /** A role of the unit (another unit's answers as none). */
    async get(id: number, unitId: number, trx?: Knex.Transaction): Promise<RoleRecord | null> {
      const row = await q(trx)<RoleRow>('roles').where({ id, unit_id: unitId }).first();
      return row ? mapRole(row) : null;
    },

    async ofUnit(unitId: number, trx?: Knex.Transaction): Promise<RoleRecord[]> {
      return (await q(trx)<RoleRow>('roles').where({ unit_id: unitId }).orderBy('id')).map(mapRole);
    },

    /** Whether the unit has a role of that name (other than `exceptId`). */
    async nameTaken(unitId: number, name: string, exceptId: number | null, trx?: Knex.Transaction): Promise<boolean> {
      const query = q(trx)<RoleRow>('roles').where({ unit_id: unitId, name });
      if (exceptId != null) query.whereNot({ id: exceptId });
      return Boolean(await query.first('id'));
    },

    /** How many active staff of the unit hold each role key. */
    async holderCounts(unitId: number, trx?: Knex.Transaction): Promise<Map<string, number>> {
      const db = q(trx);
      const rows = await db<UserRow>('users').select(db.raw('unnest(roles) as role')).count<{ role: string; n: number }[]>({ n: '*' }).where({ unit_id: unitId, status: 'active' }).groupBy('role');
      return new Map(rows.map((r) => [String(r.role), Number(r.n)]));
    },

    /** How many accounts of the unit hold a role key, active or not. */
    async holders(unitId: number, roleKey: string, trx?: Knex.Transaction): Promise<number> {
      const [counted] = await q(trx)<UserRow>('users').where({ unit_id: unitId }).whereRaw('? = any(roles)', [roleKey]).count<{ n: number }[]>({ n: '*' });
      return Number(counted?.n ?? 0);
    },

    async insert(role: { unitId: number; name: string; description: string | null; permissions: string[] }, now: Date, trx?: Knex.Transaction): Promise<RoleRecord> {
      const [row] = await uniqueName(role.name, () =>
        q(trx)('roles')
          .insert({ unit_id: role.unitId, name: role.name, description: role.description, permissions: role.permissions, created_at: now, updated_at: now })
          .returning<RoleRow[]>('*'),
      );
      if (!row) throw new Error('角色未能创建');
      return mapRole(row);
    },

    /** Renames a role and sets its permissions (409 when it was deleted meanwhile). */
    async update(id: number, change: { name: string; description: string | null; permissions: string[] }, now: Date, trx?: Knex.Transaction): Promise<void> {
      const count = await uniqueName(change.name, () => q(trx)<RoleRow>('roles').where({ id }).update({ name: change.name, description: change.description, permissions: change.permissions, updated_at: now }));
      if (count !== 1) throw new ConflictError('角色已被删除，请刷新后重试');
    },

    /** Deletes a role (409 when someone else deleted it first). */
    async remove(id: number, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<RoleRow>('roles').where({ id }).delete();
      if (count !== 1) throw new ConflictError('角色已被删除，请刷新后重试');
    },
  };
}

export type RolesRepository = ReturnType<typeof createRolesRepository>;
