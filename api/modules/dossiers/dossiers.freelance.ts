import type { Knex } from 'knex';
import type { Regions } from '../regions/regions.service.ts';
import { createDossiersRepository } from './dossiers.repository.ts';

/**
 * 非公 / 自由职业 professionals (notice 002 二(二): 根据属地管理…直接申报, 各级职称评审委员会不得以任何
 * 理由拒收; notice 004: 非公有制企业报登记住所地所在县（市、区）人社部门). An applicant registered
 * without an employer names their 属地; the HR bureau of that region — the county's, else the
 * city's, else the province's — takes their dossier at the employer level of the chain. The
 * steps are the same; only the unit differs, so the chain records it as a fact
 * (`chain.freelance`), not as another path of the diagram.
 */
export interface LocalBureau {
  id: number;
  name: string;
  path: string;
  /** the applicant's 属地, which eligibility judges (the bureau's own region may lie above it) */
  regionCode: string;
}

/** The 属地 HR bureau of a region: the nearest active hr_bureau from the region upwards. */
export async function localBureau(db: Knex | Knex.Transaction, regions: Regions, regionCode: string): Promise<LocalBureau | null> {
  const codes = regions.chain(regionCode).map((r) => r.code);
  if (!codes.length) return null;
  const bureaus = await createDossiersRepository(db as Knex).hrBureausIn(codes);
  for (const code of codes) {
    const hit = bureaus.find((b) => b.regionCode === code);
    if (hit) return { id: hit.id, name: hit.name, path: hit.path, regionCode };
  }
  return null;
}

/** The 属地 bureau of a unit-less applicant, or null for an applicant with an employer (or without a 属地). */
export async function freelanceBureau(db: Knex | Knex.Transaction, regions: Regions, userId: number): Promise<LocalBureau | null> {
  const region = await createDossiersRepository(db as Knex).freelanceRegion(userId);
  return region ? localBureau(db, regions, region) : null;
}
