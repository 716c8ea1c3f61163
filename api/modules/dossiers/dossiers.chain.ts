import type { Knex } from 'knex';
import type { Clock, TaskRecord } from '../../../engine/types.ts';
import { ValidationError } from '../../src/errors.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import type { Regions } from '../regions/regions.service.ts';
import { RETURN_TARGETS, type ReturnTarget } from '../../../forms/review.ts';
import { LEVELS as LEVEL_NAMES, SERIES } from '../../../forms/catalog.ts';
import { employerUnit, ineligibility, scopeOf } from './dossiers.eligibility.ts';

/** The review chain of a dossier as `dossier.submitted` computes it (instance variable `chain`). */
export interface Chain {
  employer: number;
  employerName?: string | null;
  department: number | null;
  departmentName?: string | null;
  bureau: number | null;
  bureauName?: string | null;
  committee: number;
  committeeName?: string | null;
  /** the activity's own committee, restored when a delegation is withdrawn */
  activityCommittee?: number;
  activityCommitteeName?: string | null;
}

/** The levels of the chain, lowest first; the applicant is below all of them. */
export const LEVELS = ['employer', 'department', 'bureau', 'committee'] as const;
export type Level = (typeof LEVELS)[number];

/** The level a review task of the dossier flow acts at. */
export const LEVEL_OF_ELEMENT: Record<string, Level> = {
  unit_review: 'employer',
  unit_materials: 'employer',
  department_review: 'department',
  bureau_review: 'bureau',
  committee_receipt: 'committee',
};

/** The level a call of the 多岗审核 sub-flow reviews at (its posts' tasks act for that level). */
export const LEVEL_OF_CALL: Record<string, Level> = {
  unit_review_posts: 'employer',
  department_review_posts: 'department',
  bureau_review_posts: 'bureau',
};

/** Where a level may send a dossier back: the applicant, or a unit of this chain below it. */
export function returnTargets(chain: Chain, from: Level): ReturnTarget[] {
  const targets: ReturnTarget[] = ['applicant'];
  for (const level of LEVELS) {
    if (level === from) break;
    if (level !== 'committee' && chain[level] != null) targets.push(level);
  }
  return targets;
}

/** The next unit up from a level: the next level present on the chain, else the committee. */
export function nextHolder(chain: Chain, from: Level): { level: Level; unitId: number } {
  const start = LEVELS.indexOf(from) + 1;
  for (const level of LEVELS.slice(start)) {
    const unitId = chain[level];
    if (unitId != null) return { level, unitId: Number(unitId) };
  }
  return { level: 'committee', unitId: Number(chain.committee) };
}

/** Committees filed and within their term on the day of `now` (Asia/Shanghai). */
function filedInTerm(q: Knex.QueryBuilder, db: Knex | Knex.Transaction, now: Date): Knex.QueryBuilder {
  return q
    .where('c.filing_status', 'filed')
    .where((w) => w.whereNull('c.valid_to').orWhere('c.valid_to', '>=', db.raw("(?::timestamptz at time zone 'Asia/Shanghai')::date", [now])));
}

/** The committee a unit organises that may take a delegated dossier: filed and within its term. */
export async function delegateCommittee(db: Knex | Knex.Transaction, unitId: number, now: Date): Promise<{ id: number; name: string; unitName: string } | null> {
  const row = await filedInTerm(db('committees as c').join('units as u', 'u.id', 'c.organizer_unit_id'), db, now)
    .select('c.id', 'c.name', 'u.name as unit_name')
    .where('c.organizer_unit_id', unitId)
    .orderBy('c.id')
    .first();
  return row ? { id: Number(row.id), name: String(row.name), unitName: String(row.unit_name) } : null;
}

/** What of the declaration decides which committee reviews it. */
export interface DossierScope {
  series?: string | null;
  level?: string | null;
  specialty?: string | null;
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
  db: Knex | Knex.Transaction,
  regions: Regions,
  chain: Chain,
  dossier: DossierScope,
  activityCommitteeId: number | null,
  now: Date,
): Promise<{ id: number; name: string; regionLabel: string; employerName: string } | null> {
  if (!dossier.series || !dossier.level) return null;
  const employer = await employerUnit(db, Number(chain.employer));
  if (!employer?.regionCode) return null;
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

export interface DelegationDecision {
  delegated?: boolean;
  delegationLetter?: Array<{ id: string; name: string }>;
  delegateUnit?: number;
}

/** The case a delegation is judged on: its chain, its declaration and the activity's committee. */
export interface DelegationCase {
  chain: Chain;
  dossier: DossierScope;
  activityCommitteeId: number | null;
}

/** What is wrong with a delegation (委托评审), or null. */
export async function delegationProblem(
  db: Knex | Knex.Transaction,
  regions: Regions,
  { chain, dossier, activityCommitteeId }: DelegationCase,
  decision: DelegationDecision,
  now: Date,
): Promise<{ field: string; message: string } | null> {
  if (!decision.delegated) return null;
  const own = await ownRegionCommittee(db, regions, chain, dossier, activityCommitteeId, now);
  if (own) {
    const series = SERIES[dossier.series as keyof typeof SERIES] ?? dossier.series;
    const level = LEVEL_NAMES[dossier.level as keyof typeof LEVEL_NAMES] ?? dossier.level;
    return {
      field: 'data.delegated',
      message: `申报单位“${own.employerName}”的职称业务归属地（${own.regionLabel}）已有评审${series}系列${level}职称的评委会“${own.name}”，不能委托评审，请按正常程序报送该评委会`,
    };
  }
  if (!decision.delegationLetter?.length) return { field: 'data.delegationLetter', message: '委托评审须上传委托函' };
  if (!decision.delegateUnit) return { field: 'data.delegateUnit', message: '委托评审须选择受委托评委会' };
  if (Number(decision.delegateUnit) === Number(chain.activityCommittee ?? chain.committee)) {
    return { field: 'data.delegateUnit', message: '受委托评委会不能是本评审活动的评委会' };
  }
  if (!(await delegateCommittee(db, Number(decision.delegateUnit), now))) {
    return { field: 'data.delegateUnit', message: '所选单位没有已备案且在有效期内的评委会' };
  }
  return null;
}

/** Where a task of a dossier acts: its level, and for a post of 多岗审核 the post and the unit's matter. */
interface TaskPlace {
  level: Level;
  post: { levelNo: number; unitId: number; matterType: string } | null;
}

/** The level a task of a dossier acts at: its own step, or the step of the dossier flow that called its 多岗审核 sub-flow. */
async function placeOf(db: Knex, task: TaskRecord): Promise<TaskPlace | null> {
  if (task.processKey === 'dossier-review') {
    const level = LEVEL_OF_ELEMENT[task.elementId];
    return level ? { level, post: null } : null;
  }
  if (task.processKey !== 'multi-post-review') return null;
  const row = await db('process_instances').select('call_path', 'variables').where({ id: task.instanceId }).first();
  // call_path names the calling steps from the case's flow down: `dossier-review:department_review_posts`
  const [callerKey, callerElement] = (((row?.call_path as string[] | null) ?? [])[0] ?? '').split(':');
  if (callerKey !== 'dossier-review' || !callerElement) return null;
  const level = LEVEL_OF_CALL[callerElement];
  if (!level) return null;
  const vars = (row?.variables ?? {}) as { post?: { levelNo?: number } | null; unitId?: number; matterType?: string };
  const post = vars.post?.levelNo != null ? { levelNo: Number(vars.post.levelNo), unitId: Number(vars.unitId), matterType: String(vars.matterType ?? '') } : null;
  return { level, post };
}

/** The case of a dossier's instance, as its variables hold it. */
export function delegationCase(variables: Record<string, unknown>): DelegationCase | null {
  const chain = variables.chain as Chain | undefined;
  if (!chain) return null;
  const committeeId = variables.committeeId == null ? null : Number(variables.committeeId);
  return { chain, dossier: (variables.dossier ?? {}) as DossierScope, activityCommitteeId: Number.isInteger(committeeId) ? committeeId : null };
}

/**
 * Completion checks of the chain's forms (`chain-review`, `committee-receipt`), at a level's own
 * task or at a post of its 多岗审核: a return goes to the applicant or a unit of this dossier's
 * chain below the reviewer; a delegation is made by the level's last post, names a filed
 * committee, carries the letter, and is for an applicant whose region has no committee of its
 * own. The flow's handlers check again inside the step.
 */
export function createChainCheck(db: Knex, clock: Clock, regions: Regions): CompletionCheck {
  return async ({ task, action, data }) => {
    if (action !== 'return' && action !== 'pass') return;
    const place = await placeOf(db, task);
    if (!place) return;
    const { level } = place;
    const row = await db('process_instances').select('variables').where({ id: task.rootInstanceId }).first();
    const found = delegationCase((row?.variables ?? {}) as Record<string, unknown>);
    if (!found) return;
    if (action === 'return') {
      const to = (data.returnTo ?? 'applicant') as ReturnTarget;
      const allowed = returnTargets(found.chain, level);
      if (!allowed.includes(to)) {
        const names = allowed.map((t) => RETURN_TARGETS[t]).join('、');
        throw new ValidationError(`不能退回至${RETURN_TARGETS[to] ?? to}：本申报可退回至 ${names}`, [{ field: 'data.returnTo', message: `可选：${names}` }]);
      }
      return;
    }
    if (level !== 'department' && level !== 'bureau') return;
    if (data.delegated && place.post) {
      // the posts of a level decide one after another: only the last one's pass sends the dossier on
      const later = await db('review_levels')
        .where({ unit_id: place.post.unitId, matter_type: place.post.matterType })
        .where('level_no', '>', place.post.levelNo)
        .orderBy('level_no')
        .first('name');
      if (later) {
        throw new ValidationError(`委托评审由最后一个审核岗位决定：本岗通过后还须经“${later.name}”审核`, [{ field: 'data.delegated', message: '仅最后一个审核岗位可委托评审' }]);
      }
    }
    const problem = await delegationProblem(db, regions, found, data as DelegationDecision, clock.now());
    if (problem) throw new ValidationError(problem.message, [problem]);
  };
}

/** Runs several completion checks of one form key in order. */
export function allChecks(...checks: CompletionCheck[]): CompletionCheck {
  return async (input) => {
    for (const check of checks) await check(input);
  };
}
