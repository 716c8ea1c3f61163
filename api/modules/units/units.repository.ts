import type { Knex } from 'knex';

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
    async insert(
      unit: { parentId: number | null; name: string; unitType: string; adminLevel?: string | null; creditCode?: string | null },
      trx?: Knex.Transaction,
    ): Promise<UnitRecord> {
      const db = q(trx);
      const parent = unit.parentId ? await this.get(unit.parentId, trx) : null;
      const [row] = await db('units')
        .insert({
          parent_id: unit.parentId,
          name: unit.name,
          unit_type: unit.unitType,
          admin_level: unit.adminLevel ?? null,
          credit_code: unit.creditCode ?? null,
          path: '/',
        })
        .returning('*');
      const path = `${parent ? parent.path : '/'}${row.id}/`;
      await db('units').where({ id: row.id }).update({ path });
      return mapUnit({ ...row, path });
    },
  };
}

export type UnitsRepository = ReturnType<typeof createUnitsRepository>;
