import type { Knex } from 'knex';

/** A row of `department_routes` as stored: within a region, the competent department a committee's dossiers pass through. */
export interface DepartmentRouteRow {
  id: number;
  region_code: string;
  committee_id: number;
  department_unit_id: number;
  configured_by_unit_id: number;
  updated_by: number | null;
  updated_at: Date;
}

export interface DepartmentRoute {
  regionCode: string;
  committeeId: number;
  department: { id: number; name: string; path: string; status: string };
}

/** 主管部门配置 and the committees it is set for. */
export function createRoutingRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    /** The routes set in any of the regions, with their departments. */
    async routesIn(regionCodes: string[], filter: { committeeId?: number } = {}, trx?: Knex.Transaction): Promise<DepartmentRoute[]> {
      const query = q(trx)<DepartmentRouteRow>('department_routes as r')
        .join('units as d', 'd.id', 'r.department_unit_id')
        .select('r.region_code', 'r.committee_id', 'd.id', 'd.name', 'd.path', 'd.status')
        .whereIn('r.region_code', regionCodes);
      if (filter.committeeId !== undefined) query.where('r.committee_id', filter.committeeId);
      const rows = (await query) as Array<{ region_code: string; committee_id: number; id: number; name: string; path: string; status: string }>;
      return rows.map((r) => ({ regionCode: r.region_code, committeeId: Number(r.committee_id), department: { id: Number(r.id), name: r.name, path: r.path, status: r.status } }));
    },

    /** Active committees with their organisers, for the settings page. */
    async activeCommittees(trx?: Knex.Transaction): Promise<Array<{ id: number; name: string; series: string | null; organizerName: string }>> {
      const rows = (await q(trx)('committees as c')
        .join('units as o', 'o.id', 'c.organizer_unit_id')
        .select('c.id', 'c.name', 'c.series', 'o.name as organizer_name')
        .where('c.status', 'active')
        .orderBy('c.id')) as Array<{ id: number; name: string; series: string | null; organizer_name: string }>;
      return rows.map((c) => ({ id: Number(c.id), name: c.name, series: c.series ?? null, organizerName: c.organizer_name }));
    },

    async isActiveCommittee(id: number, trx?: Knex.Transaction): Promise<boolean> {
      return Boolean(await q(trx)('committees').where({ id, status: 'active' }).first('id'));
    },

    /** Sets (or replaces) a region's department for a committee. */
    async set(route: { regionCode: string; committeeId: number; departmentUnitId: number; configuredByUnitId: number | null; updatedBy: number }, now: Date, trx?: Knex.Transaction): Promise<void> {
      await q(trx)('department_routes')
        .insert({ region_code: route.regionCode, committee_id: route.committeeId, department_unit_id: route.departmentUnitId, configured_by_unit_id: route.configuredByUnitId, updated_by: route.updatedBy, updated_at: now })
        .onConflict(['region_code', 'committee_id'])
        .merge();
    },

    /** Removes a region's setting; whether there was one. */
    async clear(regionCode: string, committeeId: number, trx?: Knex.Transaction): Promise<boolean> {
      const count = await q(trx)<DepartmentRouteRow>('department_routes').where({ region_code: regionCode, committee_id: committeeId }).delete();
      return count > 0;
    },
  };
}

export type RoutingRepository = ReturnType<typeof createRoutingRepository>;
