import type { Knex } from 'knex';
import { ForbiddenError } from '../../src/errors.ts';
import type { StartHook } from '../instances/instances.hooks.ts';
import type { Regions } from '../regions/regions.service.ts';

type Db = Knex | Knex.Transaction;

/** The applicant's employer as the committee's 评审范围 sees it. */
export interface Employer {
  id: number;
  name: string;
  path: string;
  regionCode: string | null;
  nature: string | null;
}

/** What of an activity's committee decides who may apply. */
export interface CommitteeScope {
  committeeName: string;
  organiserUnitId: number;
  internal: boolean;
  allowedNatures: string[];
  reviewRegions: string[];
}

const NATURE_LABELS: Record<string, string> = { agency: '机关', institution: '事业单位', enterprise: '企业', social_org: '社会组织', other: '其他' };

export async function employerOf(db: Db, userId: number): Promise<Employer | null> {
  const row = await db('users as u').join('units as n', 'n.id', 'u.unit_id').select('n.id', 'n.name', 'n.path', 'n.region_code', 'n.nature').where('u.id', userId).first();
  return row ? asEmployer(db, row as Record<string, unknown>) : null;
}

/** A unit as the employer of an applicant (the dossier's chain knows the unit, not the user). */
export async function employerUnit(db: Db, unitId: number): Promise<Employer | null> {
  const row = await db('units as n').select('n.id', 'n.name', 'n.path', 'n.region_code', 'n.nature').where('n.id', unitId).first();
  return row ? asEmployer(db, row as Record<string, unknown>) : null;
}

async function asEmployer(db: Db, row: Record<string, unknown>): Promise<Employer> {
  let regionCode = (row.region_code as string | null) ?? null;
  if (!regionCode) {
    // a unit without its own 职称业务归属地 does its title business where the nearest unit above it does
    const ids = String(row.path).split('/').filter(Boolean).map(Number);
    const above = await db('units').whereIn('id', ids).whereNotNull('region_code').select('id', 'region_code');
    const byId = new Map(above.map((u: Record<string, unknown>) => [Number(u.id), String(u.region_code)]));
    regionCode = [...ids].reverse().map((id) => byId.get(id)).find(Boolean) ?? null;
  }
  return { id: Number(row.id), name: String(row.name), path: String(row.path), regionCode, nature: (row.nature as string | null) ?? null };
}

/** Selects an activity's committee scope next to the activity's own columns (`a` and `c` aliases). */
export function withCommitteeScope(q: Knex.QueryBuilder): Knex.QueryBuilder {
  return q
    .join('committees as c', 'c.id', 'a.committee_id')
    .select('c.name as committee_name', 'c.organizer_unit_id', 'c.internal', 'c.allowed_natures', 'c.review_regions');
}

export function scopeOf(row: Record<string, unknown>): CommitteeScope {
  return {
    committeeName: String(row.committee_name ?? ''),
    organiserUnitId: Number(row.organizer_unit_id),
    internal: Boolean(row.internal),
    allowedNatures: (row.allowed_natures as string[] | null) ?? [],
    reviewRegions: (row.review_regions as string[] | null) ?? [],
  };
}

/**
 * Why the applicant may not apply to a committee's activities, or null when they may: an
 * internal committee (单位内部自主评审) takes only the organiser's own staff (a unit below it is
 * another employer); otherwise the employer's 职称业务归属地 must lie within one of the
 * committee's 评审区域 and its nature be one the committee admits. An empty list restricts nothing.
 */
export function ineligibility(regions: Regions, employer: Employer, c: CommitteeScope): string | null {
  if (c.internal) {
    return employer.id === c.organiserUnitId ? null : `“${c.committeeName}”为单位内部自主评审的评委会，只受理本单位人员的申报`;
  }
  if (c.reviewRegions.length && !(employer.regionCode && c.reviewRegions.some((r) => regions.within(employer.regionCode as string, r)))) {
    const where = regions.label(employer.regionCode) ?? '未填写';
    return `您的工作单位“${employer.name}”的职称业务归属地（${where}）不在“${c.committeeName}”的评审区域内`;
  }
  if (c.allowedNatures.length && !(employer.nature && c.allowedNatures.includes(employer.nature))) {
    const allowed = c.allowedNatures.map((n) => NATURE_LABELS[n] ?? n).join('、');
    return `“${c.committeeName}”只受理${allowed}人员的申报，您的工作单位“${employer.name}”不在其列`;
  }
  return null;
}

/** The dossier start hook, refusing (403) an applicant outside the activity's committee's 评审范围 first. */
export function withEligibility(hook: StartHook, regions: Regions): StartHook {
  return async (ctx) => {
    const activityId = Number(ctx.variables.activityId);
    const employer = Number.isInteger(activityId) && activityId > 0 ? await employerOf(ctx.trx, ctx.actor.userId) : null;
    // without an employer or a valid activity the hook itself explains what is missing
    if (employer) {
      const row = await withCommitteeScope(ctx.trx('activities as a').where('a.id', activityId)).first();
      if (row) {
        const reason = ineligibility(regions, employer, scopeOf(row as Record<string, unknown>));
        if (reason) throw new ForbiddenError(`${reason}，不能申报`);
      }
    }
    return hook(ctx);
  };
}
