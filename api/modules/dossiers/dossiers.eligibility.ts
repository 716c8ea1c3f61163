import type { Knex } from 'knex';
import type { Clock } from '../../../engine/types.ts';
import { ForbiddenError } from '../../src/errors.ts';
import type { StartHook } from '../instances/instances.hooks.ts';
import type { Regions } from '../regions/regions.service.ts';
import { LEVELS as LEVEL_NAMES, SERIES } from '../../../forms/catalog.ts';
import { UNIT_NATURE_OPTIONS } from '../../../forms/unit-info.ts';
import { freelanceBureau } from './dossiers.freelance.ts';

type Db = Knex | Knex.Transaction;

/** The applicant's employer as the committee's 评审范围 sees it. */
export interface Employer {
  id: number;
  name: string;
  path: string;
  regionCode: string | null;
  nature: string | null;
  /** a 非公 / 自由职业 applicant without an employer: `id` and `name` are their 属地 HR bureau's */
  freelance?: boolean;
}

/** What of an activity's committee decides who may apply. */
export interface CommitteeScope {
  committeeName: string;
  organiserUnitId: number;
  internal: boolean;
  allowedNatures: string[];
  reviewRegions: string[];
}

export async function employerOf(db: Db, userId: number): Promise<Employer | null> {
  const row = await db('users as u').join('units as n', 'n.id', 'u.unit_id').select('n.id', 'n.name', 'n.path', 'n.region_code', 'n.nature').where('u.id', userId).first();
  return row ? asEmployer(db, row as Record<string, unknown>) : null;
}

/**
 * Who stands for the applicant's employer in eligibility: their unit, or for a 非公 / 自由职业
 * applicant registered without one the HR bureau of their 属地 (judged on the applicant's own
 * region). Null when neither is known.
 */
export async function applicantEmployer(db: Db, regions: Regions, userId: number): Promise<Employer | null> {
  const employer = await employerOf(db, userId);
  if (employer) return employer;
  const bureau = await freelanceBureau(db, regions, userId);
  return bureau ? { id: bureau.id, name: bureau.name, path: bureau.path, regionCode: bureau.regionCode, nature: null, freelance: true } : null;
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
    .select('c.name as committee_name', 'c.organizer_unit_id', 'c.internal', 'c.allowed_natures', 'c.review_regions', 'c.series as committee_series');
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

/** Whether the committee names 评审区域 and the employer's 职称业务归属地 lies in none of them. */
export function outsideReviewRegions(regions: Regions, employer: Employer, c: CommitteeScope): boolean {
  if (c.internal || !c.reviewRegions.length) return false;
  return !(employer.regionCode && c.reviewRegions.some((r) => regions.within(employer.regionCode as string, r)));
}

/**
 * Why the applicant may not apply to a committee's activities, or null when they may: an
 * internal committee (单位内部自主评审) takes only the organiser's own staff (a unit below it is
 * another employer); otherwise the employer's 职称业务归属地 must lie within one of the
 * committee's 评审区域 (unless `ignoreRegions`: the delegated path judges that) and its nature be
 * one the committee admits. An empty list restricts nothing.
 */
export function ineligibility(regions: Regions, employer: Employer, c: CommitteeScope, { ignoreRegions = false } = {}): string | null {
  if (c.internal) {
    return employer.id === c.organiserUnitId && !employer.freelance ? null : `“${c.committeeName}”为单位内部自主评审的评委会，只受理本单位人员的申报`;
  }
  if (!ignoreRegions && outsideReviewRegions(regions, employer, c)) return outsideRegionsReason(regions, employer, c);
  // notice 002 二(二): a committee may not refuse 非公 / 自由职业 applicants for their lack of a unit
  if (!employer.freelance && c.allowedNatures.length && !(employer.nature && c.allowedNatures.includes(employer.nature))) {
    const allowed = c.allowedNatures.map((n) => UNIT_NATURE_OPTIONS[n as keyof typeof UNIT_NATURE_OPTIONS] ?? n).join('、');
    return `“${c.committeeName}”只受理${allowed}人员的申报，您的工作单位“${employer.name}”不在其列`;
  }
  return null;
}

function outsideRegionsReason(regions: Regions, employer: Employer, c: CommitteeScope): string {
  const where = regions.label(employer.regionCode) ?? '未填写';
  return `您的工作单位“${employer.name}”的职称业务归属地（${where}）不在“${c.committeeName}”的评审区域内`;
}

/** Committees filed and within their term on the day of `now` (Asia/Shanghai). */
export function filedInTerm(q: Knex.QueryBuilder, db: Db, now: Date): Knex.QueryBuilder {
  return q
    .where('c.filing_status', 'filed')
    .where((w) => w.whereNull('c.valid_to').orWhere('c.valid_to', '>=', db.raw("(?::timestamptz at time zone 'Asia/Shanghai')::date", [now])));
}

/** What of the declaration decides which committee reviews it. */
export interface DossierScope {
  series?: string | null;
  level?: string | null;
  specialty?: string | null;
}

/** “工程技术系列中级职称”: the title a scope applies for, in words. */
export function titleOf(scope: DossierScope): string {
  const series = SERIES[scope.series as keyof typeof SERIES] ?? scope.series;
  const level = LEVEL_NAMES[scope.level as keyof typeof LEVEL_NAMES] ?? scope.level;
  return `${series}系列${level}职称`;
}

/** A committee that takes the applicant in their own region (`ownRegionCommittee`). */
export interface OwnRegionCommittee {
  id: number;
  name: string;
  regionLabel: string;
  employerName: string;
}

/**
 * The committee of the applicant's own region for this dossier, if there is one (notice 002: a
 * unit delegates only titles its region has no committee for). It is a committee filed and within
 * its term, of the dossier's series, level (and specialty, when filed by specialty), whose 评审区域
 * — named, not left open — take the applicant's employer by the eligibility rules (职称业务归属地
 * within a region, 单位性质 admitted). An internal committee (单位内部自主评审) or one without 评审区域
 * is no region's own. The activity's own committee is named first when it is such a committee.
 */
export async function ownRegionCommittee(
  db: Db,
  regions: Regions,
  employer: Employer,
  dossier: DossierScope,
  activityCommitteeId: number | null,
  now: Date,
): Promise<OwnRegionCommittee | null> {
  if (!dossier.series || !dossier.level || !employer.regionCode) return null;
  const rows = await filedInTerm(db('committees as c'), db, now)
    .select('c.id', 'c.name as committee_name', 'c.organizer_unit_id', 'c.internal', 'c.allowed_natures', 'c.review_regions', 'c.build_by', 'c.specialties')
    .where('c.series', dossier.series)
    .where('c.internal', false)
    .whereRaw('? = any(c.levels)', [dossier.level])
    .whereRaw('cardinality(c.review_regions) > 0')
    .orderByRaw('(c.id = ?) desc, c.id', [activityCommitteeId ?? 0]);
  for (const row of rows as Array<Record<string, unknown>>) {
    const specialties = (row.specialties as string[] | null) ?? [];
    if (row.build_by === 'specialty' && specialties.length && !(dossier.specialty && specialties.includes(dossier.specialty))) continue;
    if (ineligibility(regions, employer, scopeOf(row)) !== null) continue;
    return { id: Number(row.id), name: String(row.committee_name), regionLabel: regions.label(employer.regionCode) ?? employer.regionCode, employerName: employer.name };
  }
  return null;
}

/** An activity as admission judges it: its committee's scope and series, and the levels it opens. */
export interface ActivityScope extends CommitteeScope {
  committeeId: number | null;
  series: string | null;
  levels: string[];
}

/** Reads an activity row selected with `withCommitteeScope` (plus `a.committee_id`, `a.levels`). */
export function activityScopeOf(row: Record<string, unknown>): ActivityScope {
  return {
    ...scopeOf(row),
    committeeId: row.committee_id == null ? null : Number(row.committee_id),
    series: (row.committee_series as string | null) ?? null,
    levels: (row.levels as string[] | null) ?? [],
  };
}

/** The applicant's admission to an activity: refused with a reason, or admitted — directly, or only by 委托评审. */
export type Admission = { reason: string; needsDelegation?: undefined } | { reason: null; needsDelegation: boolean };

/** What the applicant sees beside an activity they reach only by delegation. */
export const DELEGATION_NOTE = '本地区暂无该系列评委会，须经人社部门（主管部门）委托评审';

/**
 * Whether the applicant may apply to an activity. Inside the committee's 评审区域 (or where it
 * names none) by the rules of `ineligibility`. Outside them (manual § 评审区域: such applicants
 * reach the committee by delegation; notice 002 二(四)) only when no committee takes them in their
 * own region for the committee's series at one of the activity's levels — or at the declared
 * level and specialty, once the declaration gives them — and then only delegated
 * (`needsDelegation`). Unit nature and the internal rule apply either way.
 */
export async function admission(db: Db, regions: Regions, employer: Employer, a: ActivityScope, declared: DossierScope, now: Date): Promise<Admission> {
  const reason = ineligibility(regions, employer, a, { ignoreRegions: true });
  if (reason) return { reason };
  if (!outsideReviewRegions(regions, employer, a)) return { reason: null, needsDelegation: false };
  const series = declared.series ?? a.series;
  const levels: Array<string | null> = declared.level ? [declared.level] : a.levels.length ? a.levels : [null];
  let own: { committee: OwnRegionCommittee; level: string | null } | null = null;
  for (const level of levels) {
    const found = await ownRegionCommittee(db, regions, employer, { series, level, specialty: declared.specialty ?? null }, a.committeeId, now);
    if (!found) return { reason: null, needsDelegation: true };
    own ??= { committee: found, level };
  }
  return {
    reason: `${outsideRegionsReason(regions, employer, a)}，而该地区已有评审${titleOf({ series, level: own!.level })}的评委会“${own!.committee.name}”，请向该评委会申报`,
  };
}

/**
 * The dossier start hook, refusing (403) an applicant the activity does not admit first, and
 * recording whether the dossier reaches the committee only by delegation (`needsDelegation`).
 */
export function withEligibility(hook: StartHook, regions: Regions, clock: Clock): StartHook {
  return async (ctx) => {
    const activityId = Number(ctx.variables.activityId);
    const employer = Number.isInteger(activityId) && activityId > 0 ? await applicantEmployer(ctx.trx, regions, ctx.actor.userId) : null;
    let needsDelegation = false;
    // without an employer or a valid activity the hook itself explains what is missing
    if (employer) {
      const row = await withCommitteeScope(ctx.trx('activities as a').where('a.id', activityId)).select('a.committee_id', 'a.levels').first();
      if (row) {
        const admitted = await admission(ctx.trx, regions, employer, activityScopeOf(row as Record<string, unknown>), {}, clock.now());
        if (admitted.reason !== null) throw new ForbiddenError(`${admitted.reason}，不能申报`);
        needsDelegation = admitted.needsDelegation;
      }
    }
    const started = await hook(ctx);
    return { ...started, variables: { ...started.variables, needsDelegation } };
  };
}
