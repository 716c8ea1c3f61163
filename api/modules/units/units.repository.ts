import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import { containing, escapeLike, type Page } from '../../src/list-query.ts';
import { piiOf } from '../../src/pii-of.ts';
import { openSealed } from '../../src/pii.ts';
import { sealedUnitColumns, UNITS_SEALED } from './units.pii.ts';

/** A row of `units` as stored. */
export interface UnitRow {
  id: number;
  parent_id: number | null;
  name: string;
  unit_type: string;
  admin_level: string | null;
  credit_code: string | null;
  credit_code_derived: boolean;
  nature: string | null;
  region_code: string | null;
  phone: string | null;
  address: string | null;
  legal_rep_name: string | null;
  /** plain only until the sweep seals it (units.pii.ts) */
  legal_rep_id_number: string | null;
  legal_rep_id_number_enc?: string | null;
  legal_rep_phone: string | null;
  legal_rep_phone_enc?: string | null;
  pii_key_id?: string | null;
  licence_file_id: string | null;
  pending_parent_id: number | null;
  registration_instance_id: string | null;
  created_by_unit_id: number | null;
  deactivated_reason: string | null;
  deactivated_at: Date | null;
  path: string;
  status: string;
  version: number;
  created_at: Date;
  updated_at: Date | null;
}

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

const num = (v: number | null | undefined) => (v == null ? null : Number(v));

export function mapUnit(r: Pick<UnitRow, 'id' | 'parent_id' | 'name' | 'unit_type' | 'admin_level' | 'credit_code' | 'path' | 'status'>): UnitRecord {
  return {
    id: Number(r.id),
    parentId: num(r.parent_id),
    name: r.name,
    unitType: r.unit_type,
    adminLevel: r.admin_level ?? null,
    creditCode: r.credit_code ?? null,
    path: r.path,
    status: r.status,
  };
}

export function mapDetail(r: UnitRow): UnitDetailRecord {
  return {
    ...mapUnit(r),
    creditCodeDerived: Boolean(r.credit_code_derived),
    nature: r.nature ?? null,
    regionCode: r.region_code ?? null,
    phone: r.phone ?? null,
    address: r.address ?? null,
    legalRepName: r.legal_rep_name ?? null,
    legalRepIdNumber: r.legal_rep_id_number ?? null,
    legalRepPhone: r.legal_rep_phone ?? null,
    licenceFileId: r.licence_file_id ?? null,
    pendingParentId: num(r.pending_parent_id),
    registrationInstanceId: r.registration_instance_id ?? null,
    createdByUnitId: num(r.created_by_unit_id),
    deactivatedReason: r.deactivated_reason ?? null,
    deactivatedAt: r.deactivated_at ? new Date(r.deactivated_at) : null,
    version: Number(r.version ?? 1),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at ?? r.created_at),
  };
}

/** A unit row with its legal representative's numbers opened from their seals. */
const openUnit = <T extends UnitRow>(db: Knex | Knex.Transaction, r: T): T => openSealed(piiOf(db), UNITS_SEALED, r);

function infoColumns(db: Knex | Knex.Transaction, info: Partial<UnitInfo>): Record<string, unknown> {
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
  return sealedUnitColumns(db, columns);
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

/** What the unit directory (pickers) is filtered by; active units only. */
export interface DirectoryFilter {
  /** the units at and below this path */
  within?: string;
  q?: string;
  ids?: number[];
  unitType?: string;
  parentId?: number;
}

/** What the list of a unit's subordinates is filtered by. */
export interface SubordinateFilter {
  /** the unit whose subordinates these are */
  unitId: number;
  unitPath: string;
  q?: string;
  unitType?: string;
  status?: string;
  parentId?: number;
  /** a region code: the units of that region and the regions inside it */
  regionCode?: string;
}

export type SubordinateRecord = UnitDetailRecord & { parentName: string | null };

function directoryWhere(query: Knex.QueryBuilder, f: DirectoryFilter): Knex.QueryBuilder {
  query.where('status', 'active');
  if (f.within !== undefined) query.where('path', 'like', `${f.within}%`);
  if (f.q) query.where('name', 'ilike', containing(f.q));
  if (f.ids) query.whereIn('id', f.ids);
  if (f.unitType !== undefined) query.where('unit_type', f.unitType);
  if (f.parentId !== undefined) query.where('parent_id', f.parentId);
  return query;
}

function subordinateWhere(query: Knex.QueryBuilder, f: SubordinateFilter): Knex.QueryBuilder {
  query.where('u.path', 'like', `${f.unitPath}%`).whereNot('u.id', f.unitId);
  if (f.q) {
    const term = containing(f.q);
    query.where((w) => w.where('u.name', 'ilike', term).orWhere('u.credit_code', 'ilike', term));
  }
  if (f.unitType !== undefined) query.where('u.unit_type', f.unitType);
  if (f.status !== undefined) query.where('u.status', f.status);
  if (f.parentId !== undefined) query.where('u.parent_id', f.parentId);
  if (f.regionCode !== undefined) query.where('u.region_code', 'like', `${escapeLike(f.regionCode.replace(/0+$/, ''))}%`);
  return query;
}

const mapSubordinate = (r: UnitRow & { parent_name: string | null }): SubordinateRecord => ({ ...mapDetail(r), parentName: r.parent_name ?? null });

export function unitIdsOfPath(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** Units and the tree they form (materialized paths make subtree checks prefix matches). */
export function createUnitsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    async get(id: number, trx?: Knex.Transaction): Promise<UnitRecord | null> {
      const row = await q(trx)<UnitRow>('units').where({ id }).first();
      return row ? mapUnit(row) : null;
    },
    async detail(id: number, trx?: Knex.Transaction): Promise<UnitDetailRecord | null> {
      const row = await q(trx)<UnitRow>('units').where({ id }).first();
      return row ? mapDetail(openUnit(q(trx), row)) : null;
    },
    /** Active units by name (at least the caller's part of it), type or id, for the public pickers: 20 at most. */
    async searchActive(f: { q?: string; unitType?: string; id?: number }, trx?: Knex.Transaction): Promise<UnitDetailRecord[]> {
      const query = q(trx)<UnitRow>('units').where('status', 'active').orderBy('name').limit(20);
      if (f.id) query.where({ id: f.id });
      if (f.q) query.where('name', 'ilike', containing(f.q));
      if (f.unitType) query.where('unit_type', f.unitType);
      // lists never show the legal representative's numbers: their seals stay closed
      return (await query).map(mapDetail);
    },
    /** A page of the unit directory and how many units it has in all. */
    async directory(f: DirectoryFilter, sort: [string, 'asc' | 'desc'], page: Page, trx?: Knex.Transaction): Promise<{ rows: UnitDetailRecord[]; total: number }> {
      const [rows, counted] = await Promise.all([
        directoryWhere(q(trx)('units'), f).orderBy(sort[0], sort[1]).offset(page.offset).limit(page.limit) as Promise<UnitRow[]>,
        directoryWhere(q(trx)('units'), f).count<{ n: number }[]>({ n: '*' }),
      ]);
      return { rows: rows.map(mapDetail), total: Number(counted[0]?.n ?? 0) };
    },
    /** A page of the units below a unit, with their parents' names, and how many there are in all. */
    async subordinates(f: SubordinateFilter, sort: [string, 'asc' | 'desc'], page: Page, trx?: Knex.Transaction): Promise<{ rows: SubordinateRecord[]; total: number }> {
      const [rows, counted] = await Promise.all([
        subordinateWhere(q(trx)('units as u'), f).leftJoin('units as p', 'p.id', 'u.parent_id').select('u.*', 'p.name as parent_name').orderBy(sort[0], sort[1]).offset(page.offset).limit(page.limit) as Promise<Array<UnitRow & { parent_name: string | null }>>,
        subordinateWhere(q(trx)('units as u'), f).count<{ n: number }[]>({ n: '*' }),
      ]);
      return { rows: rows.map(mapSubordinate), total: Number(counted[0]?.n ?? 0) };
    },
    /** Every unit below a unit in tree order, for an export (50 000 at most). */
    async allSubordinates(f: SubordinateFilter, trx?: Knex.Transaction): Promise<SubordinateRecord[]> {
      const rows = (await subordinateWhere(q(trx)('units as u'), f).leftJoin('units as p', 'p.id', 'u.parent_id').select('u.*', 'p.name as parent_name').orderBy('u.path').limit(50_000)) as Array<UnitRow & { parent_name: string | null }>;
      return rows.map(mapSubordinate);
    },
    /** What hangs on a unit: its sub-units, its staff accounts and its applicants' dossiers. */
    async dependants(id: number, trx?: Knex.Transaction): Promise<{ children: number; staff: number; dossiers: number }> {
      const db = q(trx);
      const row = (await db('units as u')
        .where('u.id', id)
        .first(
          db.raw('(select count(*) from units c where c.parent_id = u.id)::int as children'),
          db.raw("(select count(*) from users s where s.unit_id = u.id and not ('applicant' = any(s.roles)))::int as staff"),
          db.raw('(select count(*) from dossiers d join users a on a.id = d.applicant_id where a.unit_id = u.id)::int as dossiers'),
        )) as { children: number; staff: number; dossiers: number } | undefined;
      return { children: Number(row?.children ?? 0), staff: Number(row?.staff ?? 0), dossiers: Number(row?.dossiers ?? 0) };
    },
    async byIds(ids: number[], trx?: Knex.Transaction): Promise<UnitRecord[]> {
      if (!ids.length) return [];
      const rows = await q(trx)<UnitRow>('units').whereIn('id', ids);
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
      const rows = await q(trx)<UnitRow>('units').select('credit_code').where('credit_code', 'like', `${prefix}%`);
      return rows.map((r) => String(r.credit_code));
    },
    async codeTaken(code: string, exceptId: number | null, trx?: Knex.Transaction): Promise<boolean> {
      const query = q(trx)<UnitRow>('units').where({ credit_code: code });
      if (exceptId != null) query.whereNot({ id: exceptId });
      return Boolean(await query.first('id'));
    },
    async insert(
      unit: Partial<UnitInfo> & { parentId: number | null; name: string; unitType: string; status?: string; pendingParentId?: number | null; createdByUnitId?: number | null },
      trx?: Knex.Transaction,
    ): Promise<UnitRecord> {
      const db = q(trx);
      // the parent row is locked so that a concurrent move cannot leave the new unit on an old path
      const parentRow = unit.parentId ? await db<UnitRow>('units').where({ id: unit.parentId }).forUpdate().first() : null;
      const parent = parentRow ? mapUnit(parentRow) : null;
      const [row] = await guardUnique(() =>
        db('units')
          .insert({
            ...infoColumns(db, unit),
            parent_id: unit.parentId,
            status: unit.status ?? 'active',
            pending_parent_id: unit.pendingParentId ?? null,
            created_by_unit_id: unit.createdByUnitId ?? null,
            path: '/',
          })
          .returning<UnitRow[]>('*'),
      );
      if (!row) throw new Error('单位未能创建');
      const path = `${parent ? parent.path : '/'}${row.id}/`;
      await db<UnitRow>('units').where({ id: row.id }).update({ path });
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
      const query = db<UnitRow>('units').where({ id });
      if (version != null) query.where({ version });
      const count = await guardUnique(() =>
        query.update({ ...infoColumns(db, change.info ?? {}), ...(change.columns ?? {}), updated_at: now, version: db.raw('version + 1') }),
      );
      if (count !== 1) throw new ConflictError('单位信息已被他人修改，请刷新后重试');
    },
    /** Moves a unit (and everything below it) under a new parent. */
    async move(id: number, newParentId: number, now: Date, trx?: Knex.Transaction): Promise<void> {
      const db = q(trx);
      // lock both ends and everything below the unit: no unit is created or moved under them meanwhile
      const unitRow = await db<UnitRow>('units').where({ id }).forUpdate().first();
      const parentRow = await db<UnitRow>('units').where({ id: newParentId }).forUpdate().first();
      const unit = unitRow ? mapUnit(unitRow) : null;
      const parent = parentRow ? mapUnit(parentRow) : null;
      if (!unit || !parent) throw new ConflictError('单位或上级单位不存在');
      await db<UnitRow>('units').where('path', 'like', `${unit.path}%`).forUpdate().select('id');
      if (parent.path.startsWith(unit.path)) throw new ConflictError('不能把单位移到它自己的下级单位之下');
      const newPath = `${parent.path}${id}/`;
      await db<UnitRow>('units')
        .where('path', 'like', `${unit.path}%`)
        .update({ path: db.raw('? || substr(path, ?)', [newPath, unit.path.length + 1]) });
      await db<UnitRow>('units').where({ id }).update({ parent_id: newParentId, pending_parent_id: null, updated_at: now, version: db.raw('version + 1') });
    },
  };
}

export type UnitsRepository = ReturnType<typeof createUnitsRepository>;
