import type { Knex } from 'knex';
import type { Regions } from '../regions/regions.service.ts';
import { createUnitsRepository } from '../units/units.repository.ts';
import { createRoutingRepository } from './routing.repository.ts';

/**
 * The competent department of an employer's dossiers for a committee: the mapping of the
 * nearest region (county, then city, then province) that has one, else the nearest department
 * above the employer in the unit tree, else none.
 */
export async function competentDepartment(
  db: Knex | Knex.Transaction,
  regions: Regions,
  employer: { id: number; path: string; regionCode: string | null },
  committeeId: number | null,
): Promise<{ id: number; name: string; path: string; via: 'mapping' | 'tree' } | null> {
  if (committeeId != null && employer.regionCode) {
    const chain = regions.chain(employer.regionCode).map((r) => r.code);
    const routes = await createRoutingRepository(db).routesIn(chain, { committeeId });
    for (const code of chain) {
      const hit = routes.find((r) => r.regionCode === code && r.department.status === 'active');
      if (hit && hit.department.id !== employer.id) return { id: hit.department.id, name: hit.department.name, path: hit.department.path, via: 'mapping' };
    }
  }
  const ancestorIds = employer.path.split('/').filter(Boolean).map(Number).filter((id) => id !== employer.id);
  if (!ancestorIds.length) return null;
  const ancestors = await createUnitsRepository(db).byIds(ancestorIds);
  const nearest = ancestorIds
    .reverse()
    .map((id) => ancestors.find((a) => a.id === id))
    .find((a) => a?.unitType === 'department');
  return nearest ? { id: nearest.id, name: nearest.name, path: nearest.path, via: 'tree' } : null;
}
