import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/index.ts';
import type { ServiceHandler } from '../../../engine/types.ts';
import { activitySchema, achievementsSchema, deadlineSpacingProblems, type ActivityInput, type DeadlineChangeInput } from '../../../forms/activity.ts';
import { describeIssues } from '../../../forms/index.ts';
import { LEVELS } from '../../../forms/catalog.ts';
import { audit } from '../../src/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { canViewInstance } from '../instances/instances.access.ts';
import { columnsOf, createActivitiesRepository, inputOf, type ActivityRecord, type CommitteeRecord, type FileRef } from './activities.repository.ts';
import { annualConflict, assertUsableCommittee, formatShanghai, isAnnualViolation, noticeProblem, offeringProblems, refuse, usableCommitteeProblem } from './activities.rules.ts';
import { reopenWindows } from './activities.job.ts';

export const PUBLICATION_PROCESS = 'activity-publication';
export const DEADLINE_CHANGE_PROCESS = 'activity-deadline-change';

type Db = Knex | Knex.Transaction;
type Deadlines = Pick<ActivityRecord, 'startsAt' | 'firstDeadline' | 'revisionDeadline' | 'receiptDeadline'>;

const EDITABLE = ['draft'];
const SUBMITTABLE = ['draft', 'returned'];

/** The deadlines an extension may move, in order. */
const MOVABLE = [
  { key: 'firstDeadline', column: 'first_deadline', label: '个人初次提交截止时间' },
  { key: 'revisionDeadline', column: 'revision_deadline', label: '个人修改提交截止时间' },
  { key: 'receiptDeadline', column: 'receipt_deadline', label: '评委会接收申报截止时间' },
] as const;

function deadlinesOf(a: Deadlines) {
  return {
    startsAt: a.startsAt?.toISOString() ?? null,
    firstDeadline: a.firstDeadline?.toISOString() ?? null,
    revisionDeadline: a.revisionDeadline?.toISOString() ?? null,
    receiptDeadline: a.receiptDeadline?.toISOString() ?? null,
  };
}

/** The files an activity names, all of them. */
function fileRefsOf(input: Pick<ActivityInput, 'policyFiles' | 'planFiles'>): FileRef[] {
  return [...(input.policyFiles ?? []), ...(input.planFiles ?? [])];
}

/**
 * 评审活动发布 (manual §1.2.4) and 申报时间调整 (notice 000): the organiser's drafts, the
 * publication flow (`processes/activity-publication.bpmn`) and the deadline change flow
 * (`processes/activity-deadline-change.bpmn`), whose service tasks are the handlers below.
 */
export function createActivityService(deps: { db: Knex; engine: WorkflowEngine }) {
  const { db, engine } = deps;
  const repo = createActivitiesRepository(db);
  const now = () => engine.clock.now();

  // ------------------------------------------------------------------ access

  const isOrganiser = (actor: RequestActor, a: Pick<ActivityRecord, 'organiserUnitId'>) => actor.roles.includes('activity.manage') && actor.unitId === a.organiserUnitId;

  async function getOrThrow(id: number, trx?: Db, options: { forUpdate?: boolean } = {}): Promise<ActivityRecord> {
    const a = await repo.get(id, trx, options);
    if (!a) throw new NotFoundError('评审活动不存在');
    return a;
  }

  /** The organiser's clerks (评审活动发布 in the committee's organiser unit) manage an activity. */
  async function forOrganiser(actor: RequestActor, id: number, trx?: Db): Promise<ActivityRecord> {
    const a = await getOrThrow(id, trx);
    if (!isOrganiser(actor, a)) {
      await refuseUnseen(actor, a);
      throw new ForbiddenError('只能管理本单位组建的评委会的评审活动');
    }
    return a;
  }

  /** Instances that concern an activity: its publication and every deadline change. */
  async function instancesOf(a: ActivityRecord): Promise<string[]> {
    const ids = await db('activity_deadline_changes').where({ activity_id: a.id }).whereNotNull('instance_id').pluck('instance_id');
    return [...(a.instanceId ? [a.instanceId] : []), ...(ids as string[])];
  }

  /**
   * Besides the organiser, reviewers through the tasks they hold or held (the issuer, the
   * registrar). Everybody else reads a published activity's notice, without its internal plan.
   */
  async function forReader(actor: RequestActor, id: number): Promise<ActivityRecord> {
    const a = await getOrThrow(id);
    if (isOrganiser(actor, a) || (await reviews(actor, a))) return a;
    await refuseUnseen(actor, a);
    throw new ForbiddenError('您无权查看该评审活动');
  }

  async function reviews(actor: RequestActor, a: ActivityRecord): Promise<boolean> {
    for (const instanceId of await instancesOf(a)) {
      const instance = await engine.repo.getInstance(instanceId);
      if (instance && (await canViewInstance(db, engine, actor, instance))) return true;
    }
    return false;
  }

  /**
   * An activity the caller cannot see at all — not published, not of their unit, not under their
   * review — answers exactly as one that does not exist, before anything about its state is said.
   */
  async function refuseUnseen(actor: RequestActor, a: ActivityRecord): Promise<void> {
    if (a.status === 'published' || actor.unitId === a.organiserUnitId || (await reviews(actor, a))) return;
    throw new NotFoundError('评审活动不存在');
  }

  /** 评委会名称 drop-down: committees of the caller's unit that are filed and within their term. */
  async function committeeOptions(actor: RequestActor) {
    if (actor.unitId == null) return [];
    const rows = await db('committees').select('id').where({ organizer_unit_id: actor.unitId }).orderBy('id');
    const out = [];
    for (const r of rows as Array<{ id: number }>) {
      const c = (await repo.committee(Number(r.id))) as CommitteeRecord;
      const problem = usableCommitteeProblem(c, now());
      out.push({ id: c.id, name: c.name, series: c.series, levels: c.levels, levelLabels: c.levels.map((l) => LEVELS[l as keyof typeof LEVELS] ?? l), specialties: c.specialties, validTo: c.validTo, usable: problem === null, problem, achievementDefaults: c.achievementDefaults });
    }
    return out;
  }

  async function committeeForOrganiser(actor: RequestActor, committeeId: number, trx?: Db): Promise<CommitteeRecord> {
    const c = await repo.committee(committeeId, trx);
    if (!c) throw new ValidationError('所选评委会不存在', [{ field: 'committeeId', message: '评委会不存在' }]);
    if (c.organizerUnitId !== actor.unitId) throw new ForbiddenError('只能为本单位组建的评委会发布评审活动');
    return c;
  }

  // ------------------------------------------------------------------ checks

  /**
   * Files named in the form must be in the file store, uploaded by someone of the organiser's unit
   * or already part of this activity; the stored name, size and type are kept.
   */
  async function checkedFiles(trx: Db, refs: FileRef[], organiserUnitId: number, a: ActivityRecord | null): Promise<Map<string, FileRef>> {
    const ids = [...new Set(refs.map((f) => f.id))];
    const out = new Map<string, FileRef>();
    if (!ids.length) return out;
    const rows = await trx('files as f').leftJoin('users as u', 'u.id', 'f.uploaded_by').select('f.id', 'f.name', 'f.size', 'f.mime', 'f.root_instance_id', 'u.unit_id').whereIn('f.id', ids);
    const own = a ? new Set(await instancesOf(a)) : new Set<string>();
    for (const id of ids) {
      const row = rows.find((r: Record<string, unknown>) => r.id === id);
      const field = refs.find((f) => f.id === id)?.name ?? id;
      if (!row) throw new ValidationError(`附件“${field}”不存在或已被删除，请重新上传`, [{ field: 'policyFiles', message: '附件不存在' }]);
      const mine = Number(row.unit_id) === organiserUnitId && row.root_instance_id == null;
      if (!mine && !own.has(String(row.root_instance_id))) throw new ForbiddenError(`不能使用其他单位或其他事项的附件“${field}”`);
      out.set(id, { id, name: String(row.name), size: Number(row.size), mime: String(row.mime) });
    }
    return out;
  }

  async function normaliseFiles(trx: Db, input: ActivityInput, organiserUnitId: number, a: ActivityRecord | null): Promise<ActivityInput> {
    const files = await checkedFiles(trx, fileRefsOf(input), organiserUnitId, a);
    const map = (list: FileRef[] | undefined) => (list ?? []).map((f) => files.get(f.id) ?? f);
    return { ...input, policyFiles: map(input.policyFiles), planFiles: map(input.planFiles) };
  }

  /** Everything that must hold for a draft to be saved: the committee's levels and specialties, one annual activity a year. */
  async function checkDraft(trx: Db, c: CommitteeRecord, input: ActivityInput, exceptId: number | null) {
    refuse(offeringProblems(input, c, { complete: false }));
    if (input.kind === 'annual') {
      const existing = await repo.annualOf(c.id, input.year, exceptId, trx);
      if (existing) throw annualConflict(c.name, input.year, existing);
    }
  }

  /** …and for it to go to (or be) published at `at`: a usable committee, a level opened, the notice 30 days ahead, an issuer. */
  async function checkSubmission(trx: Db, c: CommitteeRecord, input: ActivityInput, exceptId: number, at: Date) {
    assertUsableCommittee(c, at);
    if (c.issuerUnitId == null) throw new ConflictError(`评委会“${c.name}”没有授权管理单位，不能提交发布审核；请先完善评委会信息`);
    refuse(offeringProblems(input, c, { complete: true }));
    const notice = noticeProblem(input.startsAt, at);
    if (notice) refuse([notice]);
    await checkDraft(trx, c, input, exceptId);
  }

  /** The form's rules on data that did not come through a route's schema (the stored draft). */
  function parseActivity(data: unknown): ActivityInput {
    const parsed = activitySchema.safeParse(data);
    if (!parsed.success) {
      const fields = describeIssues(activitySchema, parsed.error.issues);
      throw new ValidationError(`评审活动信息不完整：${fields.map((f) => f.message).join('；')}`, fields);
    }
    return parsed.data;
  }

  async function save<T>(work: () => Promise<T>, c: CommitteeRecord, year: number): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isAnnualViolation(err)) throw annualConflict(c.name, year, null);
      throw err;
    }
  }

  // ------------------------------------------------------------------ drafts

  async function create(actor: RequestActor, body: ActivityInput & { committeeId: number }) {
    const { committeeId, ...fields } = body;
    const at = now();
    const id = await db.transaction(async (trx) => {
      const c = await committeeForOrganiser(actor, committeeId, trx);
      assertUsableCommittee(c, at);
      // 业绩成果配置: a committee's defaults come with a new activity unless the form brings its own
      const input = await normaliseFiles(trx, { ...fields, achievements: fields.achievements.length ? fields.achievements : c.achievementDefaults }, c.organizerUnitId, null);
      await checkDraft(trx, c, input, null);
      const newId = await save(
        () =>
          repo.insert(
            { ...columnsOf(input), committee_id: c.id, committee_unit_id: c.organizerUnitId, status: 'draft', created_by: actor.userId, created_at: at, updated_at: at },
            trx,
          ),
        c,
        input.year,
      );
      await audit(trx, actor, { action: 'activity.create', targetType: 'activity', targetId: newId, unitId: c.organizerUnitId, data: { name: input.name, committeeId: c.id } }, at);
      return newId;
    });
    return getOrThrow(id);
  }

  async function update(actor: RequestActor, id: number, body: ActivityInput & { version: number }) {
    const { version, ...fields } = body;
    const at = now();
    await db.transaction(async (trx) => {
      const a = await forOrganiser(actor, id, trx);
      if (!EDITABLE.includes(a.status)) {
        throw new ConflictError(
          a.status === 'returned'
            ? '被退回的评审活动请在“修改并重新提交”中修改后提交'
            : `评审活动${a.status === 'published' ? '已发布，申报时间的调整请提交“时间调整申请”' : `处于“${a.status === 'reviewing' ? '发布审核中' : '审核不通过'}”状态，不能修改`}`,
        );
      }
      const c = (await repo.committee(a.committeeId, trx)) as CommitteeRecord;
      const input = await normaliseFiles(trx, fields, a.organiserUnitId, a);
      await checkDraft(trx, c, input, a.id);
      const count = await save(() => repo.update(id, { version, status: EDITABLE }, columnsOf(input), at, trx), c, input.year);
      if (count !== 1) throw new ConflictError('评审活动已被他人修改或已提交，请刷新后重试');
    });
    return getOrThrow(id);
  }

  /** A draft never submitted goes; anything that entered a flow stays (its history is kept). */
  async function remove(actor: RequestActor, id: number, version: number) {
    const at = now();
    await db.transaction(async (trx) => {
      const a = await forOrganiser(actor, id, trx);
      if (a.status !== 'draft' || a.instanceId) throw new ConflictError('只能删除从未提交审核的草稿');
      const count = await trx('activities').where({ id, version, status: 'draft' }).whereNull('instance_id').delete();
      if (count !== 1) throw new ConflictError('评审活动已被他人修改或已提交，请刷新后重试');
      await audit(trx, actor, { action: 'activity.delete', targetType: 'activity', targetId: id, unitId: a.organiserUnitId, data: { name: a.name } }, at);
    });
  }

  // ------------------------------------------------------------------ publication

  /** The organiser's open step of the publication flow (提交发布审核 or 修改并重新提交), if any. */
  async function openSubmitTask(instanceId: string | null): Promise<{ id: string; elementId: string } | null> {
    if (!instanceId) return null;
    const row = await db('tasks').select('id', 'element_id').where({ root_instance_id: instanceId, status: 'open' }).whereIn('element_id', ['submit', 'revise']).first();
    return row ? { id: String(row.id), elementId: String(row.element_id) } : null;
  }

  /**
   * 提交审核: a draft starts the publication flow, a returned activity goes back into it; either
   * way the organiser's task is completed with the activity's data (the stored draft, or the data
   * given), which the issuer then sees. A second click finds the task done: 409.
   */
  async function submit(actor: RequestActor, id: number, body: { data?: ActivityInput | undefined }) {
    const a = await forOrganiser(actor, id);
    if (!SUBMITTABLE.includes(a.status)) {
      throw new ConflictError(a.status === 'reviewing' ? '评审活动已提交审核，请勿重复提交' : `评审活动${a.status === 'published' ? '已发布' : '审核不通过'}，不能提交审核`);
    }
    const c = (await repo.committee(a.committeeId)) as CommitteeRecord;
    const input = body.data ? await normaliseFiles(db, body.data, a.organiserUnitId, a) : parseActivity(inputOf(a));
    await checkSubmission(db, c, input, a.id, now());
    let instanceId = a.instanceId;
    if (!instanceId) {
      instanceId = await engine.startInstance({
        processKey: PUBLICATION_PROCESS,
        actor,
        checkStarter: false,
        businessKey: `activity:${a.id}`,
        variables: { activityId: a.id, activityName: a.name, committeeId: c.id, committeeName: c.name, organiserUnitId: a.organiserUnitId, issuerUnitId: c.issuerUnitId, year: a.year },
        prepare: async (trx) => {
          const row = await trx('activities').where({ id: a.id }).forUpdate().first('status', 'instance_id');
          if (row?.status !== 'draft' || row.instance_id) throw new ConflictError('评审活动已提交审核，请勿重复提交');
          return { afterStart: async (tx, newId) => void (await tx('activities').where({ id: a.id }).update({ instance_id: newId })) };
        },
      });
    }
    const task = await openSubmitTask(instanceId);
    if (!task) throw new ConflictError('评审活动已提交审核，请勿重复提交');
    await engine.completeTask(task.id, actor, { action: 'submit', data: input });
    return getOrThrow(id);
  }

  // ------------------------------------------------------------------ deadline changes

  /** 只能延后: each deadline at or after its old value, one at least moved, the moved ones still ahead, the spacing kept. */
  function changeProblems(a: Deadlines, input: Pick<DeadlineChangeInput, 'firstDeadline' | 'revisionDeadline' | 'receiptDeadline'>, at: Date | null) {
    const problems: Array<{ field: string; message: string }> = [];
    let moved = false;
    for (const m of MOVABLE) {
      const next = new Date(input[m.key]);
      const old = a[m.key];
      if (old && next.getTime() < old.getTime()) problems.push({ field: m.key, message: `${m.label}只能延后，不能早于原时间 ${formatShanghai(old)}` });
      else if (!old || next.getTime() !== old.getTime()) {
        moved = true;
        if (at && next.getTime() <= at.getTime()) problems.push({ field: m.key, message: `调整后的${m.label}须晚于当前时间` });
      }
    }
    if (!moved && !problems.length) problems.push({ field: 'firstDeadline', message: '调整后的时间与原时间相同，没有需要调整的时间' });
    problems.push(...deadlineSpacingProblems({ startsAt: a.startsAt, ...input }));
    return problems;
  }

  async function deadlineChanges(actor: RequestActor, id: number) {
    const a = await forReader(actor, id);
    const rows = await db('activity_deadline_changes as d').leftJoin('users as u', 'u.id', 'd.requested_by').select('d.*', 'u.display_name as requested_by_name').where('d.activity_id', a.id).orderBy('d.id', 'desc');
    const out = [];
    for (const r of rows as Array<Record<string, unknown>>) {
      // who decided: the registrar's completion in the flow's history
      const decision = r.instance_id
        ? await db('history_events').select('actor_name').where({ root_instance_id: r.instance_id, type: 'task.complete', element_id: 'registrar_review' }).orderBy('id', 'desc').first()
        : null;
      out.push({
        id: Number(r.id),
        status: String(r.status),
        reason: String(r.reason),
        before: r.before as Record<string, string | null>,
        after: r.after as Record<string, string | null>,
        requestedByName: (r.requested_by_name as string | null) ?? null,
        requestedAt: (r.requested_at as Date).toISOString(),
        decidedAt: r.decided_at ? (r.decided_at as Date).toISOString() : null,
        decidedByName: (decision?.actor_name as string | undefined) ?? null,
        opinion: (r.opinion as string | null) ?? null,
        instanceId: (r.instance_id as string | null) ?? null,
      });
    }
    return out;
  }

  /**
   * 延长申报时间: a published activity's deadlines move only with the consent of the committee's
   * registrar (核准备案单位). The request is recorded at once; the deadlines change on approval.
   */
  async function requestDeadlineChange(actor: RequestActor, id: number, input: DeadlineChangeInput) {
    const a = await forOrganiser(actor, id);
    if (a.status !== 'published') throw new ConflictError('只有已发布的评审活动才需申请调整申报时间；未发布的可直接修改');
    const c = (await repo.committee(a.committeeId)) as CommitteeRecord;
    if (c.registrarUnitId == null) throw new ConflictError(`评委会“${c.name}”没有核准备案单位，不能申请调整申报时间`);
    refuse(changeProblems(a, input, now()));
    const at = now();
    let changeId = 0;
    const instanceId = await engine.startInstance({
      processKey: DEADLINE_CHANGE_PROCESS,
      actor,
      checkStarter: false,
      variables: { activityId: a.id, activityName: a.name, committeeName: c.name, organiserUnitId: a.organiserUnitId, registrarUnitId: c.registrarUnitId },
      prepare: async (trx) => {
        const open = await trx('activity_deadline_changes').where({ activity_id: a.id, status: 'requested' }).first('id');
        if (open) throw new ConflictError('该评审活动已有待审核的时间调整申请，请等待审核结果');
        try {
          const [row] = await trx('activity_deadline_changes')
            .insert({ activity_id: a.id, reason: input.reason, before: JSON.stringify(deadlinesOf(a)), after: JSON.stringify({ ...deadlinesOf(a), ...afterOf(input) }), status: 'requested', requested_by: actor.userId, requested_at: at })
            .returning('id');
          changeId = Number(row.id);
        } catch (err) {
          if ((err as { code?: string }).code === '23505') throw new ConflictError('该评审活动已有待审核的时间调整申请，请等待审核结果');
          throw err;
        }
        return {
          businessKey: `activity-deadline-change:${changeId}`,
          variables: { changeId },
          afterStart: async (tx, newId) => void (await tx('activity_deadline_changes').where({ id: changeId }).update({ instance_id: newId })),
        };
      },
    });
    const task = await db('tasks').select('id').where({ root_instance_id: instanceId, status: 'open', element_id: 'request' }).first();
    if (task) await engine.completeTask(String(task.id), actor, { action: 'submit', data: input });
    return (await deadlineChanges(actor, id)).find((d) => d.id === changeId);
  }

  function afterOf(input: Pick<DeadlineChangeInput, 'firstDeadline' | 'revisionDeadline' | 'receiptDeadline'>) {
    return {
      firstDeadline: new Date(input.firstDeadline).toISOString(),
      revisionDeadline: new Date(input.revisionDeadline).toISOString(),
      receiptDeadline: new Date(input.receiptDeadline).toISOString(),
    };
  }

  // ------------------------------------------------------------------ committee defaults

  async function committeeForDefaults(actor: RequestActor, committeeId: number): Promise<CommitteeRecord> {
    const c = await repo.committee(committeeId);
    // a committee the caller's unit neither organises, issues for nor files is not theirs to know of
    if (!c || actor.unitId == null || ![c.organizerUnitId, c.issuerUnitId, c.registrarUnitId].includes(actor.unitId)) throw new NotFoundError('评委会不存在');
    if (c.organizerUnitId !== actor.unitId) throw new ForbiddenError('只能配置本单位组建的评委会的业绩成果默认配置');
    return c;
  }

  async function achievementDefaults(actor: RequestActor, committeeId: number) {
    const c = await committeeForDefaults(actor, committeeId);
    return { committeeId: c.id, committeeName: c.name, achievements: c.achievementDefaults };
  }

  async function saveAchievementDefaults(actor: RequestActor, committeeId: number, items: ActivityInput['achievements']) {
    const c = await committeeForDefaults(actor, committeeId);
    const sorted = [...achievementsSchema.parse(items)].sort((x, y) => x.order - y.order);
    const at = now();
    await db.transaction(async (trx) => {
      await trx('committees').where({ id: c.id }).update({ achievement_defaults: JSON.stringify(sorted), updated_at: at });
      await audit(trx, actor, { action: 'committee.achievement_defaults', targetType: 'committee', targetId: c.id, unitId: c.organizerUnitId, data: { items: sorted.length } }, at);
    });
    return { committeeId: c.id, committeeName: c.name, achievements: sorted };
  }

  // ------------------------------------------------------------------ flow handlers

  const activityIdOf = (variables: Readonly<Record<string, unknown>>) => {
    const id = Number(variables.activityId);
    if (!Number.isInteger(id)) throw new Error('流程变量中缺少评审活动编号 activityId');
    return id;
  };

  async function setStatus(trx: Knex.Transaction, id: number, from: string[], values: Record<string, unknown>, at: Date, message: string) {
    const count = await repo.update(id, { status: from }, values, at, trx);
    if (count !== 1) throw new ConflictError(message);
  }

  async function changeOf(trx: Knex.Transaction, variables: Readonly<Record<string, unknown>>) {
    const id = Number(variables.changeId);
    const row = await trx('activity_deadline_changes').where({ id }).forUpdate().first();
    if (!row) throw new Error(`时间调整申请 ${id} 不存在`);
    if (row.status !== 'requested') throw new ConflictError('该时间调整申请已处理');
    return row as Record<string, unknown> & { id: number; activity_id: number; before: Record<string, string | null>; after: Record<string, string | null> };
  }

  const handlers: Record<string, ServiceHandler> = {
    /**
     * 提交发布审核 (first time or after a return): the submitted data becomes the activity, checked
     * again at this moment (committee term, levels, the 30-day notice, one annual activity a year);
     * a refusal answers the organiser and nothing moves.
     */
    'activity.submitted': async ({ trx, variables, clock, rootInstanceId }) => {
      const id = activityIdOf(variables);
      const at = clock.now();
      const input = parseActivity(variables.activity);
      const a = await getOrThrow(id, trx, { forUpdate: true });
      if (!SUBMITTABLE.includes(a.status)) throw new ConflictError('评审活动已提交审核，请勿重复提交');
      const c = (await repo.committee(a.committeeId, trx)) as CommitteeRecord;
      await checkSubmission(trx, c, input, a.id, at);
      await save(
        () => setStatus(trx, id, SUBMITTABLE, { ...columnsOf(input), status: 'reviewing', submitted_at: at, review_opinion: null, instance_id: rootInstanceId }, at, '评审活动已提交审核，请勿重复提交'),
        c,
        input.year,
      );
      // the attachments become part of the case: the issuer may open them
      const fileIds = fileRefsOf(input).map((f) => f.id);
      if (fileIds.length) await trx('files').whereIn('id', fileIds).whereNull('root_instance_id').update({ root_instance_id: rootInstanceId });
      await audit(trx, null, { action: 'activity.submit', targetType: 'activity', targetId: id, unitId: a.organiserUnitId, data: { name: input.name } }, at);
      return { activityName: input.name, committeeName: c.name, issuerUnitId: c.issuerUnitId };
    },
    /** 审核通过 → 对外发布, provided the start is still 30 days ahead and the committee still filed. */
    'activity.published': async ({ trx, variables, clock }) => {
      const id = activityIdOf(variables);
      const at = clock.now();
      const a = await getOrThrow(id, trx, { forUpdate: true });
      if (a.status !== 'reviewing') throw new ConflictError('评审活动不在发布审核中');
      const c = (await repo.committee(a.committeeId, trx)) as CommitteeRecord;
      const expired = usableCommitteeProblem(c, at);
      if (expired) throw new ConflictError(`不能发布：${expired}`);
      const notice = a.startsAt ? noticeProblem(a.startsAt, at) : null;
      if (notice) throw new ConflictError(`不能发布：${notice.message}；请退回组建单位调整申报时间`, [notice]);
      await setStatus(trx, id, ['reviewing'], { status: 'published', published_at: at, review_opinion: null }, at, '评审活动不在发布审核中');
      await audit(trx, null, { action: 'activity.publish', targetType: 'activity', targetId: id, unitId: a.organiserUnitId, data: { name: a.name } }, at);
    },
    'activity.returned': async ({ trx, variables, clock }) => {
      const review = (variables.review ?? {}) as { opinion?: string | null };
      await setStatus(trx, activityIdOf(variables), ['reviewing'], { status: 'returned', review_opinion: review.opinion ?? null }, clock.now(), '评审活动不在发布审核中');
    },
    /** 不通过: the activity ends; its year is free again for another annual activity. */
    'activity.rejected': async ({ trx, variables, clock }) => {
      const review = (variables.review ?? {}) as { opinion?: string | null };
      await setStatus(trx, activityIdOf(variables), ['reviewing'], { status: 'rejected', review_opinion: review.opinion ?? null }, clock.now(), '评审活动不在发布审核中');
    },
    /** 撤回: back to a draft, to be edited and submitted again as a new case. */
    'activity.withdrawn': async ({ trx, variables, clock }) => {
      await setStatus(trx, activityIdOf(variables), SUBMITTABLE, { status: 'draft', instance_id: null }, clock.now(), '评审活动已提交审核，不能撤回');
    },

    /** The request as submitted (again checked at this moment). */
    'activity.deadlineChangeRequested': async ({ trx, variables, clock }) => {
      const change = await changeOf(trx, variables);
      const input = variables.deadlineChange as DeadlineChangeInput;
      const a = await getOrThrow(Number(change.activity_id), trx, { forUpdate: true });
      if (a.status !== 'published') throw new ConflictError('评审活动未发布，不能调整申报时间');
      refuse(changeProblems(a, input, clock.now()));
      await trx('activity_deadline_changes').where({ id: change.id }).update({ reason: input.reason, before: JSON.stringify(deadlinesOf(a)), after: JSON.stringify({ ...deadlinesOf(a), ...afterOf(input) }) });
    },
    /** 核准备案单位同意: the new deadlines apply; a window they reopen is open again. */
    'activity.deadlineChangeApproved': async ({ trx, variables, clock }) => {
      const at = clock.now();
      const change = await changeOf(trx, variables);
      const a = await getOrThrow(Number(change.activity_id), trx, { forUpdate: true });
      const current = deadlinesOf(a);
      if (MOVABLE.some((m) => current[m.key] !== change.before[m.key])) throw new ConflictError('评审活动的申报时间在申请后已变更，请不予同意并重新申请');
      const after = { firstDeadline: String(change.after.firstDeadline), revisionDeadline: String(change.after.revisionDeadline), receiptDeadline: String(change.after.receiptDeadline) };
      refuse(changeProblems(a, after, null));
      await setStatus(
        trx,
        a.id,
        ['published'],
        { first_deadline: new Date(after.firstDeadline), revision_deadline: new Date(after.revisionDeadline), receipt_deadline: new Date(after.receiptDeadline) },
        at,
        '评审活动未发布，不能调整申报时间',
      );
      await reopenWindows(trx, engine, a, after, at);
      await trx('activity_deadline_changes').where({ id: change.id }).update({ status: 'approved', decided_at: at, opinion: (variables.opinion as string | null) ?? null });
      await audit(trx, null, { action: 'activity.deadline_change', targetType: 'activity', targetId: a.id, unitId: a.organiserUnitId, data: { changeId: change.id, before: change.before, after } }, at);
    },
    'activity.deadlineChangeRejected': async ({ trx, variables, clock }) => {
      const change = await changeOf(trx, variables);
      await trx('activity_deadline_changes').where({ id: change.id }).update({ status: 'rejected', decided_at: clock.now(), opinion: (variables.opinion as string | null) ?? null });
    },
    'activity.deadlineChangeWithdrawn': async ({ trx, variables, clock }) => {
      const change = await changeOf(trx, variables);
      await trx('activity_deadline_changes').where({ id: change.id }).update({ status: 'withdrawn', decided_at: clock.now() });
    },
  };

  return {
    repo,
    now,
    isOrganiser,
    forReader,
    forOrganiser,
    committeeOptions,
    create,
    update,
    remove,
    submit,
    openSubmitTask,
    deadlineChanges,
    requestDeadlineChange,
    achievementDefaults,
    saveAchievementDefaults,
    handlers,
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
