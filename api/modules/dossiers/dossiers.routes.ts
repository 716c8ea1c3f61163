import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { iso } from '../../src/list-query.ts';
import { auditPiiView, maskIdNumber, maskPhone, piiQuerySchema, piiValueSchema } from '../../src/pii.ts';
import { beijingInstant } from '../../../forms/define.ts';
import { ForbiddenError, NotFoundError, ConflictError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { actionLabelOf } from '../../../forms/index.ts';
import { LEVEL_OF_CALL, LEVEL_OF_ELEMENT } from './dossiers.chain.ts';
import type { Regions } from '../regions/regions.service.ts';
import { formatShanghai } from '../activities/activities.rules.ts';
import { activityScopeOf, admission, applicantEmployer, DELEGATION_NOTE } from './dossiers.eligibility.ts';
import { personOf, templateSpecs } from './dossiers.declaration.ts';
import { GENDERS } from '../../../forms/dossier-submit.ts';
import { renderReviewForm } from './dossiers.pdf.ts';
import { isFullPhone, sealDeclaration, withPhone } from './dossiers.pii.ts';
import { caseChanges, caseChangeSchema, caseSections, caseSectionSchema } from './dossiers.case.ts';
import { createDossiersRepository, type Dossier, type DossierResultRecord, type Holder, type SubmissionDeadlines } from './dossiers.repository.ts';
import { resultText, STAGE_LABELS, type DossierResult, type ResultStage } from './dossiers.results.ts';
import { createFilesRepository } from '../files/files.repository.ts';
import { shanghaiDate } from '../calendar/calendar.service.ts';
import { createBallotsRepository } from '../ballots/ballots.repository.ts';

const STATUS_LABELS: Record<string, string> = {
  draft: '待提交',
  submitted: '审核中',
  returned: '已退回待修改',
  rejected: '不通过',
  // the committee received it: the case waits for the review's results (docs/dossiers.md)
  received: '评审中',
  exam_failed: '笔试不通过',
  review_passed: '评审通过（公示中）',
  review_failed: '评审未通过',
  publicity_ended: '公示结束，待确认',
  withdrawn: '评审结果已撤销',
  confirmed: '评审结果已确认',
  confirm_failed: '确认不通过',
  certified: '证书已发放',
  abandoned: '放弃（逾期未修改）',
  not_delivered: '未按期报送评委会',
  cancelled: '已取消',
};

/** The levels of a dossier's review chain, by the variable that names the unit. */
const CHAIN_LEVELS: Array<[string, string]> = [
  ['employer', '申报单位'],
  ['superior', '上级单位'],
  ['department', '主管部门'],
  ['bureau', '人社部门'],
  ['committee', '评委会'],
];
const REVIEW_PERMISSIONS = ['dossier.review.own', 'dossier.review.subordinate', 'dossier.receive'];

const idParams = z.object({ id: z.coerce.number().int().positive({ error: '申报编号不正确' }) });

const fileRef = z.object({ id: z.uuid(), name: z.string(), size: z.number(), mime: z.string() });
const deadlineSchema = z.object({ label: z.string(), at: z.string(), passed: z.boolean() }).nullable();
const holderSchema = z.object({
  taskId: z.string(),
  name: z.string(),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  level: z.string().nullable(),
  mine: z.boolean(),
  /** 办理期限: when the holder's task falls due, the working days left until then (0: due today), whether it is past */
  dueAt: z.string().nullable(),
  workingDaysLeft: z.number().nullable(),
  overdue: z.boolean(),
});
/** 评审结果 as the applicant and the staff read it: 通过 / 未通过（专业组评审） / 笔试不通过 / 公示期间被撤销 / 确认不通过 / 放弃. */
const resultSchema = z
  .object({ code: z.string(), label: z.string(), stage: z.string().nullable(), stageLabel: z.string().nullable(), reason: z.string().nullable(), at: z.string(), documentNo: z.string().nullable(), certificateNo: z.string().optional().describe('电子证书编号（证书发放后）') })
  .nullable();

function resultView(r: DossierResultRecord | null): z.infer<typeof resultSchema> {
  if (!r) return null;
  const stage = (r.stage ?? null) as ResultStage | null;
  return {
    code: r.result,
    label: resultText(r.result as DossierResult, stage),
    stage,
    stageLabel: stage ? (STAGE_LABELS[stage] ?? stage) : null,
    reason: r.reason,
    at: r.at.toISOString(),
    // the 职称文件文号 belongs to a passed result only
    documentNo: r.result === 'passed' ? r.documentNo : null,
    // the 电子证书 once issued (absent before)
    ...(r.result === 'passed' && r.certificateNo ? { certificateNo: r.certificateNo } : {}),
  };
}

const opinionSchema = z.object({ step: z.string(), unitName: z.string().nullable(), level: z.string().nullable(), actorName: z.string().nullable(), action: z.string(), actionLabel: z.string(), opinion: z.string().nullable(), at: z.string() });

/** The file refs anywhere in a draft (attachments of achievements, materials, certificates…). */
function fileRefsIn(value: unknown, out: Array<z.infer<typeof fileRef>> = []): Array<z.infer<typeof fileRef>> {
  if (Array.isArray(value)) for (const v of value) fileRefsIn(v, out);
  else if (value && typeof value === 'object') {
    const parsed = fileRef.safeParse(value);
    if (parsed.success) out.push(parsed.data);
    else for (const v of Object.values(value)) fileRefsIn(v, out);
  }
  return out;
}

/** The applicant's side of the dossier flow: eligible activities, my dossiers, drafts, progress and the 评审表. */
const dossiersRoutes: FastifyPluginAsyncZod<{ regions: Regions }> = async (app, opts) => {
  const { regions } = opts;
  app.addHook('onRequest', app.authenticate);
  const now = () => app.engine.clock.now();

  const dossiers = createDossiersRepository(app.db, app.pii);
  const ballots = createBallotsRepository(app.db);
  const files = createFilesRepository(app.db);

  async function loadDossier(id: number): Promise<Dossier> {
    const d = await dossiers.get(id);
    if (!d) throw new NotFoundError('申报记录不存在');
    return d;
  }

  async function chainOf(instanceId: string | null): Promise<Record<string, unknown>> {
    if (!instanceId) return {};
    const instance = await app.engine.repo.getInstance(instanceId);
    const chain = instance?.variables.chain;
    return chain && typeof chain === 'object' ? (chain as Record<string, unknown>) : {};
  }

  const levelOf = (chain: Record<string, unknown>, unitId: number | null) => (unitId == null ? null : (CHAIN_LEVELS.find(([key]) => Number(chain[key]) === unitId)?.[1] ?? null));

  /**
   * The applicant, and the units on the dossier's chain: staff who review dossiers in a unit
   * the chain names, whoever may act on an open task of the case or acted on one, monitors.
   */
  async function readable(actor: RequestActor, d: Dossier): Promise<Record<string, unknown>> {
    const chain = await chainOf(d.instanceId);
    if (d.applicantId === actor.userId) return chain;
    if (d.instanceId) {
      if (actor.roles.includes('process.monitor')) return chain;
      const onChain = actor.unitId != null && CHAIN_LEVELS.some(([key]) => Number(chain[key]) === actor.unitId);
      if (onChain && actor.roles.some((r) => REVIEW_PERMISSIONS.includes(r))) return chain;
      if (await dossiers.actedOn(d.instanceId, actor.userId)) return chain;
      for (const id of await dossiers.openTaskIds(d.instanceId)) if (await app.engine.canAct(actor, await app.engine.getTask(id))) return chain;
    }
    // an expert reads the dossiers of the round they vote in (评审会议's 专家端)
    if (await ballots.expertMayRead(d.id, actor.userId)) return chain;
    // someone else's dossier answers exactly as one that does not exist
    throw new NotFoundError('申报记录不存在');
  }

  async function own(actor: RequestActor, d: Dossier) {
    if (d.applicantId === actor.userId) return;
    await readable(actor, d);
    throw new ForbiddenError('只有申报人本人可以填写申报材料');
  }

  /**
   * The level an entry was recorded at: its own step's (or the calling step's, for a 多岗审核
   * post), never guessed from its unit — one unit may be both 人社部门 and 评委会.
   */
  const levelOfEntry = (h: { elementId: string | null; processKey: string | null; callerElementId: string | null; unitId: number | null }, chain: Record<string, unknown>) => {
    const level = h.processKey === 'dossier-review' ? LEVEL_OF_ELEMENT[h.elementId ?? ''] : h.callerElementId ? LEVEL_OF_CALL[h.callerElementId] : undefined;
    if (level) return CHAIN_LEVELS.find(([key]) => key === level)?.[1] ?? null;
    return h.unitId == null ? '申报人' : levelOf(chain, h.unitId);
  };

  /** When a holder's task falls due, in the working days of the 工作日历 from today (Asia/Shanghai). */
  const dueOf = (dueAt: Date | null) => {
    if (!dueAt) return { dueAt: null, workingDaysLeft: null, overdue: false };
    const overdue = dueAt.getTime() < now().getTime();
    return { dueAt: dueAt.toISOString(), workingDaysLeft: overdue ? 0 : app.calendar.dueDates.workingDaysBetween(shanghaiDate(now()), shanghaiDate(dueAt)), overdue };
  };

  /** The open tasks of the case as the applicant's pages show them: the unit, its level on the chain, whether it is `me`'s, until when. */
  const holdersView = (holders: Holder[], chain: Record<string, unknown>, me: number) =>
    holders.map((h) => ({ taskId: h.taskId, name: h.name, elementId: h.elementId, unitId: h.unitId, unitName: h.unitName, level: levelOfEntry({ elementId: h.elementId, processKey: 'dossier-review', callerElementId: null, unitId: h.unitId }, chain), mine: h.assigneeId === me, ...dueOf(h.dueAt) }));

  async function holdersOf(d: Dossier, chain: Record<string, unknown>, me: number) {
    if (!d.instanceId) return [];
    return holdersView(await dossiers.holders(d.instanceId), chain, me);
  }

  async function opinionsOf(d: Dossier, chain: Record<string, unknown>) {
    if (!d.instanceId) return [];
    return (await dossiers.completions(d.instanceId)).map((h) => ({
      step: h.step,
      unitName: h.unitName,
      level: levelOfEntry(h, chain),
      actorName: h.actorName,
      action: h.action,
      actionLabel: actionLabelOf(h.formKey, h.action || null) ?? '',
      opinion: h.opinion,
      at: h.at.toISOString(),
      data: h.data,
    }));
  }

  /** The deadline the applicant's next submission is held to: the first one, or after a return the revision one. */
  function deadlineOf(d: SubmissionDeadlines & { status: string }) {
    const revision = d.status === 'returned';
    // after a return, the time the returning unit set wins over the committee's (notice 000)
    const own = revision ? d.ownRevisionDeadline : null;
    const at = own ?? (revision ? d.revisionDeadline : d.firstDeadline);
    if (!at || !['draft', 'returned'].includes(d.status)) return null;
    const label = own ? '退回单位设置的修改提交截止时间' : revision ? '个人修改提交截止时间' : '个人初次提交截止时间';
    return { label, at: new Date(at).toISOString(), passed: now().getTime() > new Date(at).getTime() };
  }

  /** The unit whose clerk returned the dossier to the applicant last (null when it is not returned). */
  async function returningUnitOf(d: Dossier): Promise<number | null> {
    if (d.status !== 'returned' || !d.instanceId) return null;
    return dossiers.returningUnit(d.instanceId);
  }

  /** 退回的问题: the returning step's opinion, one line per defect (structured ones when the step gave them). */
  function defectsOf(opinions: Awaited<ReturnType<typeof opinionsOf>>, status: string) {
    if (status !== 'returned') return null;
    const last = [...opinions].reverse().find((o) => o.action === 'return');
    if (!last) return null;
    const structured = Array.isArray(last.data?.defects) ? (last.data.defects as unknown[]).map((x) => (typeof x === 'string' ? x : [(x as Record<string, unknown>).field, (x as Record<string, unknown>).message ?? (x as Record<string, unknown>).reason].filter(Boolean).join('：'))) : [];
    const lines = (last.opinion ?? '').split(/\r?\n|；|;/).map((s) => s.replace(/^\s*(\d+[.、)）]|[（(]\d+[)）])\s*/, '').trim()).filter(Boolean);
    return { step: last.step, unitName: last.unitName, level: last.level, actorName: last.actorName, opinion: last.opinion, at: last.at, items: structured.length ? structured : lines };
  }

  const activityListItem = z.object({
    id: z.number(),
    name: z.string(),
    year: z.number(),
    committeeUnitId: z.number(),
    committeeUnitName: z.string(),
    committeeName: z.string(),
    levels: z.array(z.string()),
    specialties: z.array(z.string()),
    startsAt: z.string().nullable(),
    firstDeadline: z.string().nullable(),
    revisionDeadline: z.string().nullable(),
    open: z.boolean(),
    closedReason: z.string().nullable(),
    /** set when the applicant reaches the committee only by 委托评审 (outside its 评审区域, no committee of their own region) */
    delegationNote: z.string().nullable(),
    dossierId: z.number().nullable(),
  });

  app.get('/api/activities', {
    schema: {
      tags: ['申报'],
      summary: '可申报的评审活动：已发布、申报人的工作单位在评委会评审范围内（区域、单位性质、内部评委会），或本地区没有该系列评委会须委托评审',
      response: { 200: z.array(activityListItem), 401: errorSchema },
    },
    handler: async (request) => {
      const employer = await applicantEmployer(app.db, regions, request.actor.userId);
      if (!employer) return [];
      const rows = await dossiers.publishedActivities();
      const mine = await dossiers.dossierIdsByActivity(request.actor.userId);
      const at = now().getTime();
      const admitted: Array<[(typeof rows)[number], boolean]> = [];
      for (const r of rows) {
        const a = await admission(app.db, regions, employer, activityScopeOf(r), {}, now());
        if (a.reason === null) admitted.push([r, a.needsDelegation]);
      }
      return admitted.map(([r, needsDelegation]) => {
        const startsAt = r.starts_at ? new Date(r.starts_at) : null;
        const first = r.first_deadline ? new Date(r.first_deadline) : null;
        const closedReason = startsAt && at < startsAt.getTime() ? `${formatShanghai(startsAt)} 开始申报` : first && at > first.getTime() ? `个人初次提交已于 ${formatShanghai(first)} 截止` : null;
        return {
          id: Number(r.id),
          name: r.name,
          year: Number(r.year),
          committeeUnitId: Number(r.committee_unit_id),
          committeeUnitName: r.unit_name,
          committeeName: r.committee_name,
          levels: r.levels ?? [],
          specialties: r.specialties ?? [],
          startsAt: iso(startsAt),
          firstDeadline: iso(first),
          revisionDeadline: iso(r.revision_deadline ? new Date(r.revision_deadline) : null),
          open: closedReason == null,
          closedReason,
          delegationNote: needsDelegation ? DELEGATION_NOTE : null,
          dossierId: mine.get(Number(r.id)) ?? null,
        };
      });
    },
  });

  app.get('/api/dossiers/mine', {
    schema: {
      tags: ['申报'],
      summary: '我的申报：状态、当前办理单位、最近意见和提交截止时间',
      response: {
        200: z.array(
          z.object({
            id: z.number(),
            activityId: z.number(),
            activityName: z.string(),
            year: z.number(),
            status: z.string(),
            statusLabel: z.string(),
            instanceId: z.string().nullable(),
            submittedAt: z.string().nullable(),
            currentSteps: z.array(holderSchema),
            lastOpinion: z.object({ step: z.string().nullable(), action: z.string().nullable(), opinion: z.string().nullable(), at: z.string() }).nullable(),
            deadline: deadlineSchema,
            result: resultSchema,
          }),
        ),
        401: errorSchema,
      },
    },
    handler: async (request) => {
      const me = request.actor.userId;
      return (await dossiers.mine(me)).map((d) => {
        // a case an administrator cancelled: its reason is what the applicant needs to read
        const cancelled = d.status === 'cancelled' && d.cancelReason ? { step: '流程取消', action: 'cancel', opinion: d.cancelReason, at: iso(d.updatedAt) ?? new Date().toISOString() } : null;
        const last = d.lastOpinion ? { ...d.lastOpinion, at: d.lastOpinion.at.toISOString() } : null;
        return {
          id: d.id,
          activityId: d.activityId,
          activityName: d.activityName,
          year: d.year,
          status: d.status,
          statusLabel: STATUS_LABELS[d.status] ?? d.status,
          instanceId: d.instanceId,
          submittedAt: iso(d.submittedAt),
          currentSteps: holdersView(d.holders, d.chain, me).map(({ elementId: _e, ...s }) => s),
          lastOpinion: cancelled ?? last,
          deadline: deadlineOf(d),
          result: resultView(d.result),
        };
      });
    },
  });

  const mayReview = (actor: RequestActor) => ['dossier.review.own', 'dossier.review.subordinate', 'dossier.receive'].some((p) => actor.roles.includes(p));

  app.put('/api/dossiers/:id/revision-deadline', {
    schema: {
      tags: ['申报'],
      summary: '退回单位设置申报人的修改提交截止时间（与评委会设置的修改截止时间无关）',
      params: idParams,
      body: z.object({ at: beijingInstant() }),
      response: { 200: z.object({ at: z.string(), label: z.string() }), 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
    },
    handler: async (request) => {
      const d = await loadDossier(request.params.id);
      await readable(request.actor, d);
      if (d.status !== 'returned') throw new ConflictError('申报材料不在退回修改中，不能设置修改提交截止时间');
      const unitId = await returningUnitOf(d);
      if (!mayReview(request.actor) || unitId == null || unitId !== request.actor.unitId) {
        throw new ForbiddenError('只有退回该申报材料的单位可以设置修改提交截止时间');
      }
      const at = new Date(request.body.at);
      if (at.getTime() <= now().getTime()) throw new ValidationError('修改提交截止时间须晚于现在', [{ field: 'at', message: '须晚于现在' }]);
      // a resubmission meanwhile leaves nothing to set: 409, not a deadline on a dossier no longer returned
      await dossiers.setRevisionDeadline(d.id, at, unitId, now());
      return { at: at.toISOString(), label: `退回单位设置的修改提交截止时间 ${formatShanghai(at)}` };
    },
  });

  app.get('/api/dossiers/:id', {
    schema: {
      tags: ['申报'],
      summary: '申报进度：当前办理单位与层级、各环节意见、退回的问题、提交截止时间',
      params: idParams,
      response: {
        200: z.object({
          id: z.number(),
          activityId: z.number(),
          activityName: z.string(),
          committeeName: z.string(),
          applicantName: z.string(),
          unitName: z.string().nullable(),
          status: z.string(),
          statusLabel: z.string(),
          instanceId: z.string().nullable(),
          submittedAt: z.string().nullable(),
          holders: z.array(holderSchema),
          opinions: z.array(opinionSchema),
          defects: z.object({ step: z.string(), unitName: z.string().nullable(), level: z.string().nullable(), actorName: z.string().nullable(), opinion: z.string().nullable(), at: z.string(), items: z.array(z.string()) }).nullable(),
          deadline: deadlineSchema,
          submitTaskId: z.string().nullable(),
          /** whether the caller's unit returned it and may set the applicant's revision deadline */
          canSetRevisionDeadline: z.boolean(),
          result: resultSchema,
        }),
        401: errorSchema,
        403: errorSchema,
        404: errorSchema,
      },
    },
    handler: async (request) => {
      const d = await loadDossier(request.params.id);
      const chain = await readable(request.actor, d);
      const holders = await holdersOf(d, chain, request.actor.userId);
      const opinions = await opinionsOf(d, chain);
      const deadline = deadlineOf(d);
      const submit = d.applicantId === request.actor.userId ? holders.find((h) => h.mine && (h.elementId === 'submit' || h.elementId === 'resubmit')) : undefined;
      return {
        id: d.id,
        activityId: d.activityId,
        activityName: d.activityName,
        committeeName: d.committeeName,
        applicantName: d.applicantName,
        unitName: d.employerName,
        status: d.status,
        statusLabel: STATUS_LABELS[d.status] ?? d.status,
        instanceId: d.instanceId,
        submittedAt: iso(d.submittedAt),
        holders: holders.map(({ elementId: _e, ...h }) => h),
        opinions: opinions.map(({ data: _d, ...o }) => o),
        defects: defectsOf(opinions, d.status),
        deadline,
        // after the deadline the button is gone (the API refuses it as well)
        submitTaskId: submit && !deadline?.passed ? submit.taskId : null,
        canSetRevisionDeadline: mayReview(request.actor) && (await returningUnitOf(d)) === request.actor.unitId,
        result: resultView(d.result),
      };
    },
  });

  const declarationResponse = z.object({
    dossierId: z.number(),
    status: z.string(),
    statusLabel: z.string(),
    applicant: z.object({
      name: z.string(),
      idNumber: z.string().nullable(),
      unitName: z.string().nullable(),
      /** 性别 and 出生日期 as the ID number gives them: shown, not typed */
      gender: z.enum(['male', 'female']).nullable(),
      genderLabel: z.string().nullable(),
      birthDate: z.string().nullable(),
    }),
    activity: z.object({
      id: z.number(),
      name: z.string(),
      committeeName: z.string(),
      /** the series it opens (its committee's): the only ones the form offers */
      series: z.array(z.string()),
      levels: z.array(z.string()),
      specialties: z.array(z.string()),
      minContinuingEducationHours: z.number(),
      achievements: z.array(z.object({ order: z.number(), title: z.string(), templates: z.array(z.string()), requirement: z.string() })),
      breakthrough: z.boolean(),
      breakthroughConditions: z.array(z.object({ name: z.string(), description: z.string().optional() })),
      materials: z.array(z.object({ name: z.string(), required: z.boolean(), maxFiles: z.number(), description: z.string().optional() })),
    }),
    templates: z.array(z.object({ key: z.string(), label: z.string(), fields: z.array(z.object({ key: z.string(), label: z.string(), type: z.string(), required: z.boolean() })) })),
    data: z.record(z.string(), z.unknown()),
    draftSavedAt: z.string().nullable(),
    deadline: deadlineSchema,
    submitTaskId: z.string().nullable(),
    editable: z.boolean(),
  });

  async function declarationOf(actor: RequestActor, d: Dossier) {
    const chain = await chainOf(d.instanceId);
    const holders = await holdersOf(d, chain, actor.userId);
    const submit = holders.find((h) => h.mine && (h.elementId === 'submit' || h.elementId === 'resubmit'));
    const deadline = deadlineOf(d);
    const rules = d.rules;
    const person = personOf(d.applicantIdNumber);
    // the applicant fills it in with their phone opened from its seal; any other reader sees the
    // numbers masked (查看完整: GET …/pii)
    const masked = d.applicantId !== actor.userId;
    const data = masked ? (typeof d.data.phone === 'string' ? { ...d.data, phone: maskPhone(d.phone ?? d.data.phone) } : d.data) : withPhone(d.data, d.phone);
    return {
      dossierId: d.id,
      status: d.status,
      statusLabel: STATUS_LABELS[d.status] ?? d.status,
      applicant: { name: d.applicantName, idNumber: masked ? maskIdNumber(d.applicantIdNumber) : d.applicantIdNumber, unitName: d.employerName, gender: person?.gender ?? null, genderLabel: person ? GENDERS[person.gender] : null, birthDate: person?.birthDate ?? null },
      activity: {
        id: d.activityId,
        name: rules.name,
        committeeName: d.committeeName,
        series: rules.series,
        levels: rules.levels,
        specialties: rules.specialties,
        minContinuingEducationHours: rules.minContinuingEducationHours,
        achievements: rules.achievements,
        breakthrough: rules.breakthrough,
        breakthroughConditions: rules.breakthroughConditions,
        materials: rules.materials,
      },
      templates: templateSpecs(),
      data,
      draftSavedAt: ['draft', 'returned'].includes(d.status) ? iso(d.updatedAt) : null,
      deadline,
      submitTaskId: submit && !deadline?.passed ? submit.taskId : null,
      editable: Boolean(submit) && !deadline?.passed,
    };
  }

  app.get('/api/dossiers/:id/declaration', {
    schema: { tags: ['申报'], summary: '申报材料填写：评审活动的业绩成果、破格、申报材料要求和已保存的草稿', params: idParams, response: { 200: declarationResponse, 401: errorSchema, 403: errorSchema, 404: errorSchema } },
    handler: async (request) => {
      const d = await loadDossier(request.params.id);
      await own(request.actor, d);
      return declarationOf(request.actor, d);
    },
  });

  app.put('/api/dossiers/:id/draft', {
    schema: {
      tags: ['申报'],
      summary: '保存草稿（随时保存，不校验完整性；附件只需上传一次）',
      params: idParams,
      body: z.object({ data: z.record(z.string(), z.unknown()) }),
      response: { 200: declarationResponse, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
    },
    handler: async (request) => {
      const d = await loadDossier(request.params.id);
      await own(request.actor, d);
      const current = await declarationOf(request.actor, d);
      if (!current.editable) {
        throw new ConflictError(current.deadline?.passed ? `${current.deadline.label}为 ${formatShanghai(new Date(current.deadline.at))}，已经截止，不能再修改申报材料` : `申报材料${current.statusLabel}，现在不能修改`);
      }
      const refs = fileRefsIn(request.body.data);
      if (refs.length) {
        const ids = [...new Set(refs.map((f) => f.id))];
        const usable = (await files.byIds(ids)).filter((f) => f.uploadedBy === request.actor.userId && (f.rootInstanceId == null || f.rootInstanceId === d.instanceId));
        if (usable.length !== ids.length) throw new ValidationError('附件不存在或不是您上传的，请重新上传', [{ field: 'data', message: '附件不存在或不是您上传的' }]);
      }
      // the phone sealed in its own column, the JSON keeps it masked
      const sealed = sealDeclaration(app.pii, request.body.data);
      const json = JSON.stringify(sealed.data);
      if (json.length > 1_000_000) throw new ValidationError('草稿过大', [{ field: 'data', message: '草稿过大' }]);
      // a submission meanwhile makes the save a 409: the submitted declaration is not overwritten
      await dossiers.saveDraft(d.id, json, sealed.columns, now());
      return declarationOf(request.actor, await loadDossier(d.id));
    },
  });

  const caseResponse = z.object({
    dossierId: z.number(),
    activityName: z.string(),
    committeeName: z.string(),
    applicantName: z.string(),
    unitName: z.string().nullable(),
    status: z.string(),
    statusLabel: z.string(),
    submittedAt: z.string().nullable(),
    /** what is shown: the declaration as submitted, as it was returned (the applicant is revising it), or the applicant's unsubmitted draft */
    version: z.enum(['submitted', 'returned', 'draft']),
    versionLabel: z.string(),
    sections: z.array(caseSectionSchema),
    /** 修改痕迹: after a resubmission, what changed since the last return to the applicant */
    changes: z.object({ returnedAt: z.string(), resubmittedAt: z.string().nullable(), items: z.array(caseChangeSchema) }).nullable(),
  });

  app.get('/api/dossiers/:id/case', {
    schema: {
      tags: ['申报'],
      summary: '申报材料全文：按栏目（基本信息、学历、工作经历、继续教育、业绩成果、资格证书、工作总结、附件）查看；重新提交后附修改痕迹',
      params: idParams,
      response: { 200: caseResponse, 401: errorSchema, 404: errorSchema },
    },
    handler: async (request) => {
      const d = await loadDossier(request.params.id);
      await readable(request.actor, d);
      const applicant = { name: d.applicantName, idNumber: d.applicantIdNumber, unitName: d.employerName };
      const masked = d.applicantId !== request.actor.userId;
      // while the applicant revises, `data` is their draft: readers see what was returned (for a
      // dossier returned before the snapshot was kept, the last submission in the case's history)
      // (the phones come from their seals: the JSON holds them masked; caseSections masks them again
      // for any reader but the applicant)
      const snapshot = d.returnedData ? withPhone(d.returnedData, d.returnedPhone) : null;
      const returned = d.status === 'returned' ? (snapshot ?? (d.instanceId ? [...(await dossiers.completions(d.instanceId))].reverse().find((c) => c.action === 'submit' && c.data)?.data : null) ?? null) : null;
      const version: 'draft' | 'returned' | 'submitted' = d.status === 'draft' ? 'draft' : returned ? 'returned' : 'submitted';
      const shown = returned ?? withPhone(d.data, d.phone);
      const sections = caseSections({ data: shown, rules: d.rules, applicant, masked });
      let changes = null;
      if (version === 'submitted' && snapshot && d.returnedAt) {
        const items = caseChanges(caseSections({ data: snapshot, rules: d.rules, applicant, masked }), sections);
        const resubmitted = d.instanceId ? [...(await dossiers.completions(d.instanceId))].reverse().find((c) => c.action === 'submit' && c.at.getTime() >= d.returnedAt!.getTime()) : undefined;
        changes = { returnedAt: d.returnedAt.toISOString(), resubmittedAt: resubmitted ? resubmitted.at.toISOString() : null, items };
      }
      return {
        dossierId: d.id,
        activityName: d.activityName,
        committeeName: d.committeeName,
        applicantName: d.applicantName,
        unitName: d.employerName,
        status: d.status,
        statusLabel: STATUS_LABELS[d.status] ?? d.status,
        submittedAt: iso(d.submittedAt),
        version,
        versionLabel: version === 'draft' ? '草稿（尚未提交）' : version === 'returned' ? `退回时的申报材料（${d.returnedAt ? `${formatShanghai(d.returnedAt)} ` : ''}退回，申报人修改中）` : '已提交的申报材料',
        sections,
        changes,
      };
    },
  });

  app.get('/api/dossiers/:id/pii', {
    schema: {
      tags: ['申报'],
      summary: '查看完整：申报人的身份证号码或联系电话（申报材料中为脱敏显示；每次查看记入操作审计）',
      params: idParams,
      querystring: piiQuerySchema,
      response: { 200: piiValueSchema, 401: errorSchema, 404: errorSchema },
    },
    handler: async (request) => {
      const d = await loadDossier(request.params.id);
      await readable(request.actor, d);
      const { field: which } = request.query;
      // the phone from its seal (a declaration stored before the seals: the JSON's, when it is whole)
      const value = which === 'idNumber' ? d.applicantIdNumber : (d.phone ?? (isFullPhone(d.data.phone) ? d.data.phone : null));
      // the applicant's own numbers are theirs to see; anyone else's view is recorded
      if (d.applicantId !== request.actor.userId) {
        await auditPiiView(app.db, request.actor, { subject: 'dossier', id: d.id, fields: [which], unitId: request.actor.unitId, personName: d.applicantName }, now());
      }
      return { field: which, value };
    },
  });

  app.get('/api/dossiers/:id/review-form.pdf', {
    schema: { tags: ['申报'], summary: '打印评审表（PDF）：申报人本人和审核链上的单位可下载', params: idParams },
    handler: async (request, reply) => {
      const d = await loadDossier(request.params.id);
      const chain = await readable(request.actor, d);
      const opinions = await opinionsOf(d, chain);
      // the applicant's own form shows their numbers; every other reader's copy has them masked
      // (查看完整 stays the audited GET …/pii)
      const own = d.applicantId === request.actor.userId;
      const phone = d.phone ?? (typeof d.data.phone === 'string' ? d.data.phone : null);
      const pdf = await renderReviewForm({
        dossierId: d.id,
        statusLabel: STATUS_LABELS[d.status] ?? d.status,
        activityName: d.activityName,
        committeeName: d.committeeName,
        applicant: { name: d.applicantName, idNumber: own ? d.applicantIdNumber : maskIdNumber(d.applicantIdNumber), unitName: d.employerName },
        // 性别 and 出生日期 from the ID number, for a draft as for a submitted declaration
        data: { ...d.data, phone: own ? phone : maskPhone(phone), ...(personOf(d.applicantIdNumber) ?? {}) },
        rules: d.rules,
        opinions: opinions.map((o) => ({ step: o.step, unitName: o.unitName, actorName: o.actorName, action: o.actionLabel, opinion: o.opinion, at: formatShanghai(new Date(o.at)) })),
        pledgeAcceptedAt: d.pledgeAcceptedAt ? formatShanghai(new Date(d.pledgeAcceptedAt)) : null,
        printedAt: formatShanghai(now()),
      });
      const name = `评审表-${d.applicantName}-${d.id}.pdf`;
      reply.header('Content-Type', 'application/pdf');
      reply.header('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`);
      return reply.send(pdf);
    },
  });
};

export default dossiersRoutes;
