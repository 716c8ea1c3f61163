import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';

export interface UnitRecord {
  id: number;
  parentId: number | null;
  name: string;
  unitType: string;
  adminLevel: string | null;
  creditCode: string | null;
  path: string;
  status: string;
}

export interface UnitDetailRecord extends UnitRecord {
  creditCodeDerived: boolean;
  nature: string | null;
  regionCode: string | null;
  phone: string | null;
  address: string | null;
  legalRepName: string | null;
  legalRepIdNumber: string | null;
  legalRepPhone: string | null;
  licenceFileId: string | null;
  pendingParentId: number | null;
  registrationInstanceId: string | null;
  createdByUnitId: number | null;
  deactivatedReason: string | null;
  deactivatedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The editable fields of a unit, in the API's camelCase. */
export interface UnitInfo {
  name: string;
  creditCode: string | null;
  creditCodeDerived?: boolean;
  unitType: string;
  nature: string | null;
  regionCode: string | null;
  adminLevel: string | null;
  phone: string | null;
  address?: string | null;
  legalRepName?: string | null;
  legalRepIdNumber?: string | null;
  legalRepPhone?: string | null;
  licenceFileId?: string | null;
}

function mapUnit(r: Record<string, unknown>): UnitRecord {
  return {
    id: Number(r.id),
    parentId: r.parent_id == null ? null : Number(r.parent_id),
    name: String(r.name),
    unitType: String(r.unit_type),
    adminLevel: (r.admin_level as string | null) ?? null,
    creditCode: (r.credit_code as string | null) ?? null,
    path: String(r.path),
    status: String(r.status),
  };
}

const str = (v: unknown) => (v == null ? null : String(v));
const num = (v: unknown) => (v == null ? null : Number(v));

function mapDetail(r: Record<string, unknown>): UnitDetailRecord {
  return {
    ...mapUnit(r),
    creditCodeDerived: Boolean(r.credit_code_derived),
    nature: str(r.nature),
    regionCode: str(r.region_code),
    phone: str(r.phone),
    address: str(r.address),
    legalRepName: str(r.legal_rep_name),
    legalRepIdNumber: str(r.legal_rep_id_number),
    legalRepPhone: str(r.legal_rep_phone),
    licenceFileId: str(r.licence_file_id),
    pendingParentId: num(r.pending_parent_id),
    registrationInstanceId: str(r.registration_instance_id),
    createdByUnitId: num(r.created_by_unit_id),
    deactivatedReason: str(r.deactivated_reason),
    deactivatedAt: r.deactivated_at ? new Date(r.deactivated_at as string) : null,
    version: Number(r.version ?? 1),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date((r.updated_at ?? r.created_at) as string),
  };
}

function infoColumns(info: Partial<UnitInfo>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  const map: Record<keyof UnitInfo, string> = {
    name: 'name',
    creditCode: 'credit_code',
    creditCodeDerived: 'credit_code_derived',
    unitType: 'unit_type',
    nature: 'nature',
    regionCode: 'region_code',
    adminLevel: 'admin_level',
    phone: 'phone',
    address: 'address',
    legalRepName: 'legal_rep_name',
    legalRepIdNumber: 'legal_rep_id_number',
    legalRepPhone: 'legal_rep_phone',
    licenceFileId: 'licence_file_id',
  };
  for (const [key, column] of Object.entries(map) as Array<[keyof UnitInfo, string]>) {
    if (info[key] !== undefined) columns[column] = info[key] ?? null;
  }
  return columns;
}

const UNIQUE_VIOLATION = '23505';

async function guardUnique<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if ((err as { code?: string; constraint?: string }).code === UNIQUE_VIOLATION) {
      throw new ConflictError('统一社会信用代码已被其他单位使用', [{ field: 'creditCode', message: '已被其他单位使用' }]);
    }
    throw err;
  }
}

export function unitIdsOfPath(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** Units and the tree they form (materialized paths make subtree checks prefix matches). */
export function createUnitsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    async get(id: number, trx?: Knex.Transaction): Promise<UnitRecord | null> {
      const row = await q(trx)('units').where({ id }).first();
      return row ? mapUnit(row) : null;
    },
    async detail(id: number, trx?: Knex.Transaction): Promise<UnitDetailRecord | null> {
      const row = await q(trx)('units').where({ id }).first();
      return row ? mapDetail(row) : null;
    },
    async byIds(ids: number[], trx?: Knex.Transaction): Promise<UnitRecord[]> {
      if (!ids.length) return [];
      const rows = await q(trx)('units').whereIn('id', ids);
      return rows.map(mapUnit);
    },
    /** The unit and every unit above it, nearest first. */
    async ancestry(id: number, trx?: Knex.Transaction): Promise<UnitRecord[]> {
      const unit = await this.get(id, trx);
      if (!unit) return [];
      const ids = unitIdsOfPath(unit.path).reverse();
      const units = await this.byIds(ids, trx);
      const byId = new Map(units.map((u) => [u.id, u]));
      return ids.map((i) => byId.get(i)).filter((u): u is UnitRecord => Boolean(u));
    },
    /** Codes already taken under a parent's code, for deriving a sub-unit's code. */
    async codesStartingWith(prefix: string, trx?: Knex.Transaction): Promise<string[]> {
      const rows = await q(trx)('units').select('credit_code').where('credit_code', 'like', `${prefix}%`);
      return rows.map((r: { credit_code: string }) => r.credit_code);
    },
    async codeTaken(code: string, exceptId: number | null, trx?: Knex.Transaction): Promise<boolean> {
      const query = q(trx)('units').where({ credit_code: code });
      if (exceptId != null) query.whereNot({ id: exceptId });
      return Boolean(await query.first('id'));
    },
    async insert(
      unit: Partial<UnitInfo> & { parentId: number | null; name: string; unitType: string; status?: string; pendingParentId?: number | null; createdByUnitId?: number | null },
      trx?: Knex.Transaction,
    ): Promise<UnitRecord> {
      const db = q(trx);
      // the parent row is locked so that a concurrent move cannot leave the new unit on an old path
      const parentRow = unit.parentId ? await db('units').where({ id: unit.parentId }).forUpdate().first() : null;
      const parent = parentRow ? mapUnit(parentRow) : null;
      const [row] = await guardUnique(() =>
        db('units')
          .insert({
            ...infoColumns(unit),
            parent_id: unit.parentId,
            status: unit.status ?? 'active',
            pending_parent_id: unit.pendingParentId ?? null,
            created_by_unit_id: unit.createdByUnitId ?? null,
            path: '/',
          })
          .returning('*'),
      );
      const path = `${parent ? parent.path : '/'}${row.id}/`;
      await db('units').where({ id: row.id }).update({ path });
      return mapUnit({ ...row, path });
    },
    /**
     * Guarded update of the editable fields (`info`) and any other columns (`columns`, snake_case):
     * refuses (409) when someone changed the unit since `version` was read.
     */
    async update(
      id: number,
      version: number | null,
      change: { info?: Partial<UnitInfo>; columns?: Record<string, unknown> },
      now: Date,
      trx?: Knex.Transaction,
    ): Promise<void> {
      const db = q(trx);
      const query = db('units').where({ id });
      if (version != null) query.where({ version });
      const count = await guardUnique(() =>
        query.update({ ...infoColumns(change.info ?? {}), ...(change.columns ?? {}), updated_at: now, version: db.raw('version + 1') }),
      );
      if (count !== 1) throw new ConflictError('单位信息已被他人修改，请刷新后重试');
    },
    /** Moves a unit (and everything below it) under a new parent. */
    async move(id: number, newParentId: number, now: Date, trx?: Knex.Transaction): Promise<void> {
      const db = q(trx);
      // lock both ends and everything below the unit: no unit is created or moved under them meanwhile
      const unitRow = await db('units').where({ id }).forUpdate().first();
      const parentRow = await db('units').where({ id: newParentId }).forUpdate().first();
      const unit = unitRow ? mapUnit(unitRow) : null;
      const parent = parentRow ? mapUnit(parentRow) : null;
      if (!unit || !parent) throw new ConflictError('单位或上级单位不存在');
      await db('units').where('path', 'like', `${unit.path}%`).forUpdate().select('id');
      if (parent.path.startsWith(unit.path)) throw new ConflictError('不能把单位移到它自己的下级单位之下');
      const newPath = `${parent.path}${id}/`;
      await db('units')
        .where('path', 'like', `${unit.path}%`)
        .update({ path: db.raw('? || substr(path, ?)', [newPath, unit.path.length + 1]) });
      await db('units').where({ id }).update({ parent_id: newParentId, pending_parent_id: null, updated_at: now, version: db.raw('version + 1') });
    },
  };
}

export type UnitsRepository = ReturnType<typeof createUnitsRepository>;
