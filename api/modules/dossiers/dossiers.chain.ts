import type { Knex } from 'knex';
import type { Clock } from '../../../engine/types.ts';
import { ValidationError } from '../../src/errors.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { RETURN_TARGETS, type ReturnTarget } from '../../../forms/review.ts';

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

/** The committee a unit organises that may take a delegated dossier: filed and within its term. */
export async function delegateCommittee(db: Knex | Knex.Transaction, unitId: number, now: Date): Promise<{ id: number; name: string; unitName: string } | null> {
  const row = await db('committees as c')
    .join('units as u', 'u.id', 'c.organizer_unit_id')
    .select('c.id', 'c.name', 'u.name as unit_name')
    .where('c.organizer_unit_id', unitId)
    .where('c.filing_status', 'filed')
    .where((w) => w.whereNull('c.valid_to').orWhere('c.valid_to', '>=', db.raw("(?::timestamptz at time zone 'Asia/Shanghai')::date", [now])))
    .orderBy('c.id')
    .first();
  return row ? { id: Number(row.id), name: String(row.name), unitName: String(row.unit_name) } : null;
}

export interface DelegationDecision {
  delegated?: boolean;
  delegationLetter?: Array<{ id: string; name: string }>;
  delegateUnit?: number;
}

/** What is wrong with a delegation (委托评审), or null. */
export async function delegationProblem(db: Knex | Knex.Transaction, chain: Chain, decision: DelegationDecision, now: Date): Promise<{ field: string; message: string } | null> {
  if (!decision.delegated) return null;
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

/**
 * Completion checks of the chain's forms (`chain-review`, `committee-receipt`): a return goes
 * to the applicant or a unit of this dossier's chain below the reviewer; a delegation names a
 * filed committee and carries the letter. The flow's handlers check again inside the step.
 */
export function createChainCheck(db: Knex, clock: Clock): CompletionCheck {
  return async ({ task, action, data }) => {
    if (task.processKey !== 'dossier-review') return;
    const level = LEVEL_OF_ELEMENT[task.elementId];
    if (!level || (action !== 'return' && action !== 'pass')) return;
    const row = await db('process_instances').select('variables').where({ id: task.rootInstanceId }).first();
    const chain = (row?.variables as { chain?: Chain } | undefined)?.chain;
    if (!chain) return;
    if (action === 'return') {
      const to = (data.returnTo ?? 'applicant') as ReturnTarget;
      const allowed = returnTargets(chain, level);
      if (!allowed.includes(to)) {
        const names = allowed.map((t) => RETURN_TARGETS[t]).join('、');
        throw new ValidationError(`不能退回至${RETURN_TARGETS[to] ?? to}：本申报可退回至 ${names}`, [{ field: 'data.returnTo', message: `可选：${names}` }]);
      }
      return;
    }
    if (level !== 'department' && level !== 'bureau') return;
    const problem = await delegationProblem(db, chain, data as DelegationDecision, clock.now());
    if (problem) throw new ValidationError(problem.message, [problem]);
  };
}

/** Runs several completion checks of one form key in order. */
export function allChecks(...checks: CompletionCheck[]): CompletionCheck {
  return async (input) => {
    for (const check of checks) await check(input);
  };
}
