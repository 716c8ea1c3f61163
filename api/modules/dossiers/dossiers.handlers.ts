import type { Knex } from 'knex';
import type { ServiceHandler } from '../../../engine/types.ts';
import { createUnitsRepository } from '../units/units.repository.ts';
import { competentDepartment } from '../routing/routing.service.ts';
import type { Regions } from '../regions/regions.service.ts';
import { ValidationError } from '../../src/errors.ts';
import { DELEGATION_REQUIRED, delegateCommittee, delegateUnitOf, delegationCase, delegationProblem, LEVELS, nextHolder, returnTargets, type Chain, type DelegationDecision, type Level } from './dossiers.chain.ts';
import { activityScopeOf, admission, employerUnit, withCommitteeScope, type DossierScope, type Employer } from './dossiers.eligibility.ts';
import { personOf } from './dossiers.declaration.ts';
import { localBureau } from './dossiers.freelance.ts';
import { RETURN_TARGETS, type ReturnTarget } from '../../../forms/review.ts';
import { createDossiersRepository } from './dossiers.repository.ts';
import { isFullPhone, sealDeclaration, snapshotPhone } from './dossiers.pii.ts';
import type { PiiCipher } from '../../src/pii.ts';
import { withFlowNotices } from '../messages/flow-notices.ts';
import { NO_REVISION_DEADLINE, resultOf, sendResultMessages, waitUntil, type ResultOutcome } from './dossiers.results.ts';
import { formatShanghai } from '../activities/activities.rules.ts';

/** The matter type a unit configures its 多岗审核 posts for, for dossiers. */
const MATTER = 'dossier_review';

/** Which levels of the chain review dossiers through 多岗审核 posts: the diagram's 审核方式 gateways read it. */
export interface Posts {
  employer: boolean;
  superior: boolean;
  department: boolean;
  bureau: boolean;
}

const POST_LEVELS = ['employer', 'superior', 'department', 'bureau'] as const;

/** A select column: the chain's units that have posts for dossiers (read with whatever else the step reads). */
function postUnitsColumn(trx: Knex.Transaction, chain: Chain) {
  const ids = POST_LEVELS.map((l) => chain[l]).filter((id): id is number => id != null).map(Number);
  return trx.raw("(select coalesce(array_agg(distinct unit_id), '{}') from review_levels where matter_type = ? and unit_id = any(?::bigint[])) as post_units", [MATTER, ids]);
}

function postsOf(chain: Chain, postUnits: unknown): Posts {
  const units = new Set(((postUnits as unknown[] | null) ?? []).map(Number));
  return {
    employer: units.has(Number(chain.employer)),
    superior: chain.superior != null && units.has(Number(chain.superior)),
    department: chain.department != null && units.has(Number(chain.department)),
    bureau: chain.bureau != null && units.has(Number(chain.bureau)),
  };
}

async function readPosts(trx: Knex.Transaction, chain: Chain): Promise<Posts> {
  const row = await trx.select(postUnitsColumn(trx, chain)).first();
  return postsOf(chain, row?.post_units);
}

/**
 * The next step as the earlier diagram versions route by it (`route`, `hasPosts`); cases started
 * on them run there until they end. The current diagram reads `chain` and `posts` instead.
 */
function legacyRoute(level: Level | 'applicant', posts: Posts): { route: Level | 'applicant'; hasPosts: boolean } {
  return { route: level, hasPosts: level === 'applicant' || level === 'committee' ? false : posts[level] };
}

/**
 * 上级单位 of an applicant's unit (manual §3.2.2.2): its parent when the unit is an employer
 * (申报单位) and so is the parent — the parent reviews its sub-units' applicants. A chain
 * without it has no such level.
 */
async function superiorEmployer(trx: Knex.Transaction, unit: { unitType: string; parentId: number | null }): Promise<{ id: number; name: string } | null> {
  if (unit.unitType !== 'employer' || unit.parentId == null) return null;
  const parent = await createUnitsRepository(trx).get(unit.parentId, trx);
  if (!parent || parent.unitType !== 'employer' || parent.status !== 'active') return null;
  return { id: parent.id, name: parent.name };
}

interface ApplicantVar {
  id: number;
  /** null for a 非公 / 自由职业 applicant, who names a 属地 instead */
  unitId: number | null;
  regionCode?: string;
}

function dossierIdOf(variables: Readonly<Record<string, unknown>>): number {
  const id = Number(variables.dossierId);
  if (!Number.isInteger(id)) throw new Error('流程变量中缺少申报编号 dossierId');
  return id;
}

async function setStatus(trx: Knex.Transaction, id: number, status: string, now: Date, extra: Record<string, unknown> = {}) {
  // a dossier marked not delivered at the receipt deadline stays so (a later return or pass cannot bring it back in time)
  const kept = status === 'rejected' ? status : trx.raw("case when status = 'not_delivered' then status else ? end", [status]);
  const count = await trx('dossiers').where({ id }).update({ status: kept, updated_at: now, ...extra });
  if (count !== 1) throw new Error(`申报记录 ${id} 不存在`);
}

/**
 * The dossier's status after each result the committee's flows send (contract: the message
 * variables); the result itself (dossiers.result*) is `resultOf`'s. 通过人数 counts results
 * 'passed', and dossiers past the review while they have no result yet (dossier-queries).
 */
export function resultStatus(stage: string, variables: Readonly<Record<string, unknown>>): string {
  switch (stage) {
    case 'exam':
      return variables.examPassed === true ? 'received' : 'exam_failed';
    case 'review':
      return variables.reviewPassed === true ? 'review_passed' : 'review_failed';
    case 'publicity':
      return 'publicity_ended';
    case 'withdrawn':
      return 'withdrawn';
    case 'confirmed':
      return variables.confirmed === true ? 'confirmed' : 'confirm_failed';
    case 'certificate':
      return 'certified';
    default:
      throw new Error(`评审结果环节“${stage}”无效`);
  }
}

/**
 * Whether the applicant's dossier reaches the activity's committee only by delegation, judged on
 * the declared title; an applicant whose region has a committee of its own for it is refused (400).
 */
async function delegationNeeded(trx: Knex.Transaction, regions: Regions, employerOrId: number | Employer, activityId: number, declared: DossierScope, now: Date): Promise<boolean> {
  const employer = typeof employerOrId === 'number' ? await employerUnit(trx, employerOrId) : employerOrId;
  const row = Number.isInteger(activityId) ? await withCommitteeScope(trx('activities as a').where('a.id', activityId)).select('a.committee_id', 'a.levels').first() : null;
  if (!employer || !row) return false;
  const admitted = await admission(trx, regions, employer, activityScopeOf(row as Record<string, unknown>), declared, now);
  if (admitted.reason !== null) throw new ValidationError(`${admitted.reason}，不能提交`, [{ field: 'data.level', message: admitted.reason }]);
  return admitted.needsDelegation;
}

/**
 * Service-task handlers of the dossier review flow. The diagram decides when they run;
 * they keep the dossier record in step with it and compute the review chain.
 */
export function createDossierHandlers(db: Knex, regions: Regions, cipher?: PiiCipher): Record<string, ServiceHandler> {
  const dossiers = createDossiersRepository(db);
  /** A result reached the dossier: written on it, and the applicant and the employer told (once each). */
  async function recordOutcome(trx: Knex.Transaction, variables: Readonly<Record<string, unknown>>, outcome: ResultOutcome, status: string, now: Date) {
    const id = dossierIdOf(variables);
    await dossiers.recordResult(id, { status, ...outcome, at: now }, trx);
    const applicant = (variables.applicant ?? {}) as Partial<ApplicantVar> & { name?: string };
    const chain = (variables.chain ?? {}) as Partial<Chain>;
    await sendResultMessages(
      trx,
      {
        dossierId: id,
        applicantId: Number(applicant.id),
        applicantName: applicant.name ?? '',
        applicantUnitId: applicant.unitId == null ? null : Number(applicant.unitId),
        employerUnitId: chain.employer == null ? null : Number(chain.employer),
        activityName: String(variables.activityName ?? ''),
      },
      outcome,
      now,
    );
    return { resultStatus: status, result: outcome.result, resultStage: outcome.stage };
  }
  const handlers: Record<string, ServiceHandler> = {
    /** 登记提交: stores the submitted data and computes who reviews it, from the unit tree. */
    'dossier.submitted': async ({ trx, variables, input, clock }) => {
      const id = dossierIdOf(variables);
      const now = clock.now();
      const applicant = variables.applicant as ApplicantVar | undefined;
      // a 非公 / 自由职业 applicant (no employer) is taken by the HR bureau of their 属地: the same
      // steps, that bureau at the employer level, no competent department
      const local = applicant && !applicant.unitId && applicant.regionCode ? await localBureau(trx, regions, applicant.regionCode) : null;
      const unitId = applicant?.unitId ?? local?.id;
      if (!applicant || !unitId) throw new Error('申报人没有工作单位，也没有属地人社部门，无法确定审核单位');
      const units = createUnitsRepository(db);
      const employer = await units.detail(unitId, trx);
      if (!employer) throw new Error(`工作单位 ${unitId} 不存在`);
      const committeeId = variables.committeeId == null ? null : Number(variables.committeeId);
      const department = local ? null : await competentDepartment(trx, regions, employer, committeeId);
      // the HR bureau above the competent department (or above the employer when there is none)
      const bureauBase = department ? await units.ancestry(department.id, trx) : (await units.ancestry(employer.id, trx)).slice(1);
      const bureau = bureauBase.find((u) => u.unitType === 'hr_bureau') ?? null;
      const committeeUnitId = Number(variables.committeeUnitId);
      const committee = (await units.get(committeeUnitId, trx)) ?? null;
      if (!committee) throw new Error('评审活动的评委会组建单位不存在');
      const needsDelegation = await delegationNeeded(trx, regions, local ? { ...local, nature: null, freelance: true } : employer.id, Number(variables.activityId), (variables.dossier ?? {}) as DossierScope, now);
      const row = await trx('dossiers').select('submitted_at').where({ id }).first();
      // 性别 and 出生日期 are the ID number's, never typed (the form does not take them)
      const idRow = (await trx('users').select('id_number').where({ id: applicant.id }).first()) as { id_number: string | null } | undefined;
      const given: Record<string, unknown> = { ...((variables.dossier ?? {}) as Record<string, unknown>), ...(personOf(idRow?.id_number) ?? {}) };
      // the submission check sealed the phone and left it masked; a declaration that reached the
      // case another way (a case started before the seals) is sealed here
      const sealed = cipher && isFullPhone(given.phone) ? sealDeclaration(cipher, given) : { data: given, columns: {} };
      const dossier = sealed.data;
      // a new submission starts the chain afresh: the employer holds it, no delegation yet
      await setStatus(trx, id, 'submitted', now, {
        ...sealed.columns,
        data: JSON.stringify(dossier),
        submitted_at: row?.submitted_at ?? now,
        // 诚信承诺: the submission check requires it; kept with the time it was accepted
        pledge_accepted_at: (dossier as { pledge?: unknown }).pledge === true ? now : null,
        holder_unit_id: employer.id,
        held_since: now,
        delivered_at: null,
        delegated_by_unit_id: null,
        delegated_committee_id: null,
        delegation_letter: null,
      });
      // an HR bureau applying for its own staff is not reviewed twice by itself
      const bureauId = bureau && bureau.id !== employer.id ? bureau.id : null;
      // 下级单位人员审核: only a diagram that draws the 上级单位 level asks for it (older versions
      // route the chain without it until their cases end)
      const superior = input.superiorLevel === true ? await superiorEmployer(trx, employer) : null;
      const chain = {
        employer: employer.id,
        employerName: employer.name,
        ...(superior ? { superior: superior.id, superiorName: superior.name } : {}),
        ...(local ? { freelance: true } : {}),
        department: department?.id ?? null,
        departmentName: department?.name ?? null,
        departmentVia: department?.via ?? null,
        bureau: bureauId,
        bureauName: bureauId ? (bureau?.name ?? null) : null,
        committee: committee.id,
        committeeName: committee.name,
        activityCommittee: committee.id,
        activityCommitteeName: committee.name,
      };
      const posts = await readPosts(trx, chain);
      return { dossier, chain, needsDelegation, posts, ...legacyRoute('employer', posts) };
    },
    /**
     * A level passed the dossier on (转报): the next unit of the chain holds it from now. A
     * department or HR bureau may delegate it to another committee (委托评审): the committee's
     * organiser receives it and the dossier records who delegated; passing again without
     * delegating withdraws that level's own delegation. A dossier that needs delegation reaches
     * the committee only delegated.
     */
    'dossier.passed': async ({ trx, variables, input, clock }) => {
      const id = dossierIdOf(variables);
      const now = clock.now();
      const level = String(input.level) as Level;
      if (!LEVELS.includes(level)) throw new Error(`审核级别 ${String(input.level)} 无效`);
      let chain = { ...(variables.chain as Chain) };
      const unitId = chain[level];
      const decision = (input.decision ?? null) as DelegationDecision | null;
      const found = { ...delegationCase(variables)!, chain };
      // the chain's review posts are read with the dossier (a delegation changes only the
      // committee, which has none)
      const current = await trx('dossiers').select('delegated_by_unit_id', postUnitsColumn(trx, chain)).where({ id }).first();
      let delegatedBy: number | null = current?.delegated_by_unit_id == null ? null : Number(current.delegated_by_unit_id);
      const extra: Record<string, unknown> = {};
      if (decision?.delegated && (level === 'department' || level === 'bureau')) {
        const problem = await delegationProblem(trx, regions, found, decision, now);
        if (problem) throw new ValidationError(problem.message, [problem]);
        const unit = delegateUnitOf(found, decision)!;
        const delegate = (await delegateCommittee(trx, unit, now, found.activityCommitteeId))!;
        chain = { ...chain, committee: unit, committeeName: delegate.unitName };
        delegatedBy = Number(unitId);
        Object.assign(extra, { delegated_by_unit_id: unitId, delegated_committee_id: delegate.id, delegation_letter: JSON.stringify(decision.delegationLetter ?? []) });
      } else if (level === 'department' || level === 'bureau') {
        if (delegatedBy != null && delegatedBy === Number(unitId)) {
          chain = { ...chain, committee: Number(chain.activityCommittee ?? chain.committee), committeeName: chain.activityCommitteeName ?? chain.committeeName ?? null };
          delegatedBy = null;
          Object.assign(extra, { delegated_by_unit_id: null, delegated_committee_id: null, delegation_letter: null });
        }
      }
      const next = nextHolder(chain, level);
      if (next.level === 'committee' && found.needsDelegation && delegatedBy == null) {
        throw new ValidationError(DELEGATION_REQUIRED, [{ field: 'data.delegated', message: '须由主管部门或人社部门委托评审' }]);
      }
      await setStatus(trx, id, 'submitted', now, {
        holder_unit_id: next.unitId,
        held_since: now,
        delivered_at: next.level === 'committee' ? now : null,
        ...extra,
      });
      // 评审人员统计: the unit forwarded it (the committee receives rather than forwards)
      if (level !== 'committee' && unitId != null) await dossiers.recordForward(id, Number(unitId), now, trx);
      const posts = postsOf(chain, current?.post_units);
      return { chain, posts, ...legacyRoute(next.level, posts) };
    },
    /**
     * A unit above the employer returned the dossier: to the applicant (the flow goes on to
     * 登记退回) or to a unit of the chain below it, which holds it from now and reviews it again.
     * The current diagram offers only the returns its 退回至 gateway has for this chain; the earlier
     * versions name the returning level (`from`), and the rule is checked here.
     */
    'dossier.returnedTo': async ({ trx, variables, input, clock }) => {
      const id = dossierIdOf(variables);
      const to = String(input.to ?? 'applicant') as ReturnTarget;
      const chain = variables.chain as Chain;
      if (input.from != null && !returnTargets(chain, String(input.from) as Level).includes(to)) {
        throw new ValidationError(`不能退回至${RETURN_TARGETS[to] ?? to}`, [{ field: 'data.returnTo', message: '不在本申报的审核链上或不在本级以下' }]);
      }
      if (to === 'applicant') return { returnTarget: to, ...legacyRoute(to, variables.posts as Posts) };
      if (chain[to] == null) throw new Error(`本申报的审核链上没有${RETURN_TARGETS[to]}，不能退回至该级`);
      const unitId = Number(chain[to]);
      const row = await trx('dossiers').select(postUnitsColumn(trx, chain)).where({ id }).first();
      await setStatus(trx, id, 'submitted', clock.now(), { holder_unit_id: unitId, held_since: clock.now(), delivered_at: null });
      const posts = postsOf(chain, row?.post_units);
      return { returnTarget: to, posts, ...legacyRoute(to, posts) };
    },
    'dossier.returned': async ({ trx, variables, clock }) => {
      // a new return starts from the activity's revision deadline until the returning unit sets one;
      // the declaration as returned is kept, so that the resubmission shows what changed (修改痕迹)
      const id = dossierIdOf(variables);
      await setStatus(trx, id, 'returned', clock.now(), { holder_unit_id: null, held_since: clock.now(), delivered_at: null, revision_deadline: null, revision_deadline_unit_id: null, returned_data: trx.raw('data'), ...snapshotPhone(trx), returned_at: clock.now() });
      // the diagram's 修改期限已过 timer on 修改并重新提交 waits this long
      const current = await dossiers.currentRevisionDeadline(id, trx);
      return { revisionWait: current?.deadline ? waitUntil(current.deadline, clock.now()) : NO_REVISION_DEADLINE };
    },
    /**
     * 核对修改期限: the 修改期限已过 timer fired. The deadline is read again now — an approved
     * extension or a later deadline set by the returning unit moved it — and the diagram either
     * registers 放弃 or waits for the applicant again until the new deadline.
     */
    'dossier.revisionChecked': async ({ trx, variables, clock }) => {
      const current = await dossiers.currentRevisionDeadline(dossierIdOf(variables), trx);
      const now = clock.now();
      const deadline = current?.deadline ?? null;
      const revisionExpired = deadline != null && now.getTime() >= deadline.getTime();
      return { revisionExpired, revisionWait: deadline == null ? NO_REVISION_DEADLINE : revisionExpired ? null : waitUntil(deadline, now) };
    },
    /** 登记放弃: the revision deadline passed without a resubmission; the case ends with the result 放弃. */
    'dossier.abandoned': async ({ trx, variables, clock }) => {
      const id = dossierIdOf(variables);
      const now = clock.now();
      const current = await dossiers.currentRevisionDeadline(id, trx);
      const reason = current?.deadline ? `修改提交截止时间 ${formatShanghai(current.deadline)} 已过，未重新提交申报材料` : '修改提交截止时间已过，未重新提交申报材料';
      return recordOutcome(trx, variables, { result: 'abandoned', stage: 'revision', reason }, 'abandoned', now);
    },
    /** 不通过: the dossier stays rejected, which bars a new application to this activity. */
    'dossier.rejected': async ({ trx, variables, clock }) => {
      await setStatus(trx, dossierIdOf(variables), 'rejected', clock.now(), { holder_unit_id: null, held_since: null });
    },
    'dossier.received': async ({ trx, variables, clock }) => {
      const id = dossierIdOf(variables);
      await setStatus(trx, id, 'received', clock.now(), { holder_unit_id: null, held_since: null });
      // the case then waits for the committee's results: first the written exam's, when the activity holds one
      const activity = await trx('dossiers as d').join('activities as a', 'a.id', 'd.activity_id').where('d.id', id).select('a.written_exam').first();
      return { hasExam: activity != null && activity.written_exam !== 'none' };
    },
    /**
     * 登记笔试结果 / 评审结果 / 公示结束 / 撤销 / 确认结果 / 证书发放: a message of the committee's
     * flows arrived (its variables are the case's now) and the dossier's status says so.
     */
    'dossier.resultRecorded': async ({ trx, variables, input, clock }) => {
      const stage = String(input.stage);
      const status = resultStatus(stage, variables);
      const outcome = resultOf(stage, variables);
      if (outcome) return recordOutcome(trx, variables, outcome, status, clock.now());
      await setStatus(trx, dossierIdOf(variables), status, clock.now());
      return { resultStatus: status };
    },
  };
  /**
   * 登记办理结果并确定下一步: every step of the flow (the applicant's submission, a level's single
   * review, a level's posts, the employer's materials) ends here. It tells what happened from where
   * the dossier was (`route` and `hasPosts`, which it set itself when it sent the dossier there) and
   * the action taken, records it with the handlers above, and names the next step; the diagram's
   * conditional flows out of this one task enter it. (The earlier diagrams, which running instances
   * of older versions still use, call those handlers one by one through gateways.)
   */
  handlers['dossier.decided'] = async (ctx) => {
    const { variables } = ctx;
    const at = variables.route == null ? null : String(variables.route);
    if (at === null || at === 'applicant') {
      if (variables.action !== 'submit') throw new Error(`申报人提交步骤的办理结果“${String(variables.action)}”无效`);
      return (await handlers['dossier.submitted']!(ctx)) ?? {};
    }
    const level = (at === 'employer_materials' ? 'employer' : at) as Level;
    if (!LEVELS.includes(level)) throw new Error(`流程变量 route 的值“${at}”无效`);
    // a level reviewed through posts hands back the deciding post's action and form data as `review`
    const viaPosts = variables.hasPosts === true && at !== 'employer_materials' && level !== 'committee';
    const source = (viaPosts ? (variables.review ?? {}) : variables) as { action?: unknown; decision?: unknown };
    const action = String(source.action);
    const decision = (level === 'employer' ? null : (source.decision ?? null)) as (DelegationDecision & { returnTo?: ReturnTarget }) | null;
    switch (action) {
      case 'pass': {
        // the employer's posts passed it: the employer still uploads its 公示 proof and recommendation
        if (level === 'employer' && viaPosts) return { route: 'employer_materials', hasPosts: false };
        if (level === 'committee') {
          await handlers['dossier.received']!(ctx);
          return { route: 'received', hasPosts: false };
        }
        return (await handlers['dossier.passed']!({ ...ctx, input: { level, decision } })) ?? {};
      }
      case 'return': {
        const to = decision?.returnTo ?? 'applicant';
        const moved = (await handlers['dossier.returnedTo']!({ ...ctx, input: { from: level, to } })) ?? {};
        if (to === 'applicant') await handlers['dossier.returned']!(ctx);
        return moved;
      }
      case 'reject':
        await handlers['dossier.rejected']!(ctx);
        return { route: 'rejected', hasPosts: false };
      default:
        throw new Error(`${level} 审核的办理结果“${action}”无效`);
    }
  };
  return withFlowNotices(handlers);
}
