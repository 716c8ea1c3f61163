import type { Knex } from 'knex';
import type { Clock, TaskRecord } from '../../../engine/types.ts';
import { ValidationError } from '../../src/errors.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import type { Regions } from '../regions/regions.service.ts';
import type { ReturnTarget } from '../../../forms/review.ts';
import { employerUnit, filedInTerm, ownRegionCommittee, titleOf, type DossierScope } from './dossiers.eligibility.ts';

export type { DossierScope };

/** The review chain of a dossier as `dossier.submitted` computes it (instance variable `chain`). */
export interface Chain {
  employer: number;
  employerName?: string | null;
  /**
   * 上级单位 (manual §3.2.2.2 下级单位人员审核): the employer above the applicant's unit when that
   * unit is a sub-unit of another employer; it reviews after the unit, before the department.
   * Absent on chains computed before the level existed: no such level.
   */
  superior?: number | null;
  superiorName?: string | null;
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
export const LEVELS = ['employer', 'superior', 'department', 'bureau', 'committee'] as const;
export type Level = (typeof LEVELS)[number];

/** The level a review task of the dossier flow acts at. */
export const LEVEL_OF_ELEMENT: Record<string, Level> = {
  unit_review: 'employer',
  unit_materials: 'employer',
  superior_review: 'superior',
  department_review: 'department',
  bureau_review: 'bureau',
  committee_receipt: 'committee',
};

/** The level a call of the 多岗审核 sub-flow reviews at (its posts' tasks act for that level). */
export const LEVEL_OF_CALL: Record<string, Level> = {
  unit_review_posts: 'employer',
  superior_review_posts: 'superior',
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

/**
 * The committee a unit organises that may take a delegated dossier: filed and within its term;
 * `preferred` (the activity's own committee, when the unit is its organiser) first.
 */
export async function delegateCommittee(db: Knex | Knex.Transaction, unitId: number, now: Date, preferred: number | null = null): Promise<{ id: number; name: string; unitName: string } | null> {
  const row = await filedInTerm(db('committees as c').join('units as u', 'u.id', 'c.organizer_unit_id'), db, now)
    .select('c.id', 'c.name', 'u.name as unit_name')
    .where('c.organizer_unit_id', unitId)
    .orderByRaw('(c.id = ?) desc, c.id', [preferred ?? 0])
    .first();
  return row ? { id: Number(row.id), name: String(row.name), unitName: String(row.unit_name) } : null;
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
  /** the applicant is outside the activity's committee's 评审区域 and their region has no committee of its own (`admission`) */
  needsDelegation: boolean;
}

/** Why a dossier that needs delegation may not reach the committee undelegated (notice 002: 违反委托评审程序报送). */
export const DELEGATION_REQUIRED = '申报人所在地区没有该系列评委会，报送评委会须委托评审并上传委托函';

/** The committee's organiser a delegation goes to: the one chosen, else (for a dossier that needs it) the activity's own. */
export function delegateUnitOf({ chain, needsDelegation }: DelegationCase, decision: DelegationDecision): number | null {
  if (decision.delegateUnit) return Number(decision.delegateUnit);
  return needsDelegation ? Number(chain.activityCommittee ?? chain.committee) : null;
}

/** What is wrong with a delegation (委托评审), or null. */
export async function delegationProblem(
  db: Knex | Knex.Transaction,
  regions: Regions,
  found: DelegationCase,
  decision: DelegationDecision,
  now: Date,
): Promise<{ field: string; message: string } | null> {
  if (!decision.delegated) return null;
  const { chain, dossier, activityCommitteeId, needsDelegation } = found;
  // the applicant's own region has a committee only when they are not one who needs delegation
  const employer = needsDelegation ? null : await employerUnit(db, Number(chain.employer));
  const own = employer ? await ownRegionCommittee(db, regions, employer, dossier, activityCommitteeId, now) : null;
  if (own) {
    return {
      field: 'data.delegated',
      message: `申报单位“${own.employerName}”的职称业务归属地（${own.regionLabel}）已有评审${titleOf(dossier)}的评委会“${own.name}”，不能委托评审，请按正常程序报送该评委会`,
    };
  }
  if (!decision.delegationLetter?.length) return { field: 'data.delegationLetter', message: '委托评审须上传委托函' };
  const unit = delegateUnitOf(found, decision);
  if (!unit) return { field: 'data.delegateUnit', message: '委托评审须选择受委托评委会' };
  // an applicant outside the activity's committee's regions is delegated to that very committee
  if (!needsDelegation && unit === Number(chain.activityCommittee ?? chain.committee)) {
    return { field: 'data.delegateUnit', message: '受委托评委会不能是本评审活动的评委会' };
  }
  if (!(await delegateCommittee(db, unit, now, activityCommitteeId))) {
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
/** JSON nulls of keys a case does not have, dropped (`jsonb_build_object` keeps them). */
function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

export function delegationCase(variables: Record<string, unknown>): DelegationCase | null {
  const chain = variables.chain as Chain | undefined;
  if (!chain) return null;
  const committeeId = variables.committeeId == null ? null : Number(variables.committeeId);
  return {
    chain,
    dossier: (variables.dossier ?? {}) as DossierScope,
    activityCommitteeId: Number.isInteger(committeeId) ? committeeId : null,
    needsDelegation: variables.needsDelegation === true,
  };
}

/**
 * Completion checks of the chain's forms (`chain-review`, `committee-receipt`), at a level's own
 * task or at a post of its 多岗审核: a delegation is made by the level's last post, names a filed
 * committee, carries the letter, and is for an applicant whose region has no committee of its
 * own. The flow's handlers check again inside the step.
 */
export function createChainCheck(db: Knex, clock: Clock, regions: Regions): CompletionCheck {
  // only what the rules read: a case's variables carry the whole declaration
  const readCases = async (rootInstanceIds: string[]): Promise<Map<string, Record<string, unknown>>> => {
    const rows = await db('process_instances')
      .select(
        'id',
        db.raw(
          "jsonb_build_object('chain', variables->'chain', 'committeeId', variables->'committeeId', 'needsDelegation', variables->'needsDelegation', " +
            "'dossier', jsonb_build_object('series', variables#>'{dossier,series}', 'level', variables#>'{dossier,level}', 'specialty', variables#>'{dossier,specialty}')) as variables",
        ),
      )
      .whereIn('id', rootInstanceIds);
    return new Map(rows.map((r: { id: string; variables: Record<string, unknown> }) => [String(r.id), r.variables]));
  };
  return async ({ task, action, data, batch }) => {
    // where a return may go is the diagram's 退回至 gateway (the engine refuses any other choice)
    if (action !== 'pass') return;
    const place = await placeOf(db, task);
    if (!place) return;
    const { level } = place;
    // a batch reads the cases of its tasks together
    const variables = batch ? await batch.load('chain.case', task.rootInstanceId, readCases) : (await readCases([task.rootInstanceId])).get(task.rootInstanceId);
    const found = delegationCase(withoutNulls(variables ?? {}));
    if (!found) return;
    if (level !== 'department' && level !== 'bureau') return;
    // the posts of a level decide one after another: only the last one's pass sends the dossier on
    const later = place.post
      ? await db('review_levels')
          .where({ unit_id: place.post.unitId, matter_type: place.post.matterType })
          .where('level_no', '>', place.post.levelNo)
          .orderBy('level_no')
          .first('name')
      : null;
    if (data.delegated && later) {
      throw new ValidationError(`委托评审由最后一个审核岗位决定：本岗通过后还须经“${later.name}”审核`, [{ field: 'data.delegated', message: '仅最后一个审核岗位可委托评审' }]);
    }
    if (!data.delegated && !later && found.needsDelegation && nextHolder(found.chain, level).level === 'committee') {
      const dossier = await db('dossiers').select('delegated_by_unit_id').where({ instance_id: task.rootInstanceId }).first();
      // a delegation made below this level stands; this level's own is withdrawn by passing without it
      const standing = dossier?.delegated_by_unit_id != null && Number(dossier.delegated_by_unit_id) !== Number(found.chain[level]);
      if (!standing) throw new ValidationError(DELEGATION_REQUIRED, [{ field: 'data.delegated', message: '须勾选委托评审' }]);
    }
    const problem = await delegationProblem(db, regions, found, data as DelegationDecision, clock.now());
    if (problem) throw new ValidationError(problem.message, [problem]);
  };
}
