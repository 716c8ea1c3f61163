import { maskIdNumber } from '../../src/pii.ts';
import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import type { TaskRecord } from '../../../engine/types.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { requireShownStep } from '../../src/step-witness.ts';
import { workbookOf } from '../../src/xlsx.ts';
import { meetingInScope } from '../meetings/meetings.scope.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { createResultConfirmationRepository, STATE_LABELS, type CandidateRow, type ConfirmationFilter, type OpenStepRow } from './result-confirmation.repository.ts';

/** A page of a confirmation list, narrowed by state and the start of a name. */
export interface PageQuery {
  page: number;
  pageSize: number;
  state?: CandidateRow['state'];
  name?: string;
}

/** The form of a 职称文件文号: 川人社职〔2026〕12号 — a prefix, the year in 〔〕, a number, 号. */
const DOCUMENT_NO = /^(\S+?)〔(\d{4})〕([1-9]\d*)号$/;

/** Checks a 职称文件文号 against its approval date; the 400 names the rule. */
export function checkDocumentNo(documentNo: string, approvalDate: string): void {
  const m = DOCUMENT_NO.exec(documentNo.trim());
  if (!m) throw new ValidationError('职称文件文号格式应为“X〔YYYY〕N号”，如 川人社职〔2026〕12号', [{ field: 'documentNo', message: '职称文件文号格式应为“X〔YYYY〕N号”' }]);
  const year = approvalDate.slice(0, 4);
  if (m[2] !== year) {
    throw new ValidationError(`职称文件文号的年份（${m[2]}）须与批准日期的年份（${year}）一致`, [{ field: 'documentNo', message: `职称文件文号的年份须为批准年份 ${year}` }]);
  }
}

const REVIEW_LABELS: Record<string, string> = { passed: '通过', failed: '未通过', eliminated: '专业组未通过', withdrawn: '已撤销', candidate: '评审中' };
const ROUND_LABELS: Record<string, string> = { plenary: '评委会评审', panel: '专业组评审', breakthrough: '破格评审', exam: '笔试' };
/** 评委会评审通过: the meeting's result as the confirming unit reads it. */
const reviewResultOf = (status: string | null, round: string | null) => `${ROUND_LABELS[round ?? ''] ?? '评审'}${REVIEW_LABELS[status ?? ''] ?? '通过'}`;
const STEP_OF: Record<string, 'review' | 'decision' | 'supplement' | 'close'> = {
  'confirmation-review': 'review',
  'confirmation-decision': 'decision',
  'confirmation-supplement': 'supplement',
  'confirmation-close': 'close',
};
const STEP_LABELS = { review: '材料审阅', decision: '结果确认', supplement: '补充材料', close: '办结' } as const;

const dateOf = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** 评审结果确认 for the confirming units (授权管理单位, 委托单位) and the committee organising the meeting. */
export function createResultConfirmationService(deps: { db: Knex; engine: WorkflowEngine; checks: Record<string, CompletionCheck>; now?: () => Date }) {
  const { db, engine, checks } = deps;
  const now = deps.now ?? (() => new Date());
  const repo = createResultConfirmationRepository(db);

  const checked = (actor: RequestActor) => (task: TaskRecord, validated: { action: string; data: Record<string, unknown> }) => {
    const check = task.formKey ? checks[task.formKey] : undefined;
    return check ? check({ task, actor, ...validated }) : Promise.resolve();
  };

  /** The confirming unit's scope: 评审结果确认 held in a unit that confirms someone of the meeting. */
  async function confirmingScope(actor: RequestActor, meetingId: number): Promise<number> {
    if (!actor.roles.includes('result.confirm') || actor.unitId == null) throw new ForbiddenError('没有“评审结果确认”权限');
    if (!Number.isSafeInteger(meetingId) || !(await repo.unitConfirms(meetingId, actor.unitId))) throw new ForbiddenError('无权确认该评审会议的结果');
    return actor.unitId;
  }

  /** The steps this actor may take now, per candidate (a post of 多岗审核 is only its holders'). */
  async function actableSteps(actor: RequestActor, steps: OpenStepRow[]) {
    const out = new Map<number, { taskId: string; step: keyof typeof STEP_LABELS; name: string }>();
    for (const s of steps) {
      const step = s.form_key ? STEP_OF[s.form_key] : undefined;
      if (!step) continue;
      const task = await engine.getTask(s.id);
      if (await engine.canAct(actor, task)) out.set(s.dossier_id, { taskId: s.id, step, name: s.name });
    }
    return out;
  }

  const candidateView = (r: CandidateRow, step?: { taskId: string; step: keyof typeof STEP_LABELS } | undefined, openStep?: OpenStepRow) => ({
    meetingId: Number(r.meeting_id),
    dossierId: Number(r.dossier_id),
    applicantName: r.applicant_name,
    idNumber: maskIdNumber(r.id_number),
    employer: r.employer,
    series: r.series ? ((SERIES as Record<string, string>)[r.series] ?? r.series) : null,
    level: r.level ? ((LEVELS as Record<string, string>)[r.level] ?? r.level) : null,
    specialty: r.specialty,
    reviewResult: reviewResultOf(r.review_status, r.result_round),
    unitId: Number(r.unit_id),
    unitName: r.unit_name,
    delegated: Boolean(r.delegated),
    state: r.state,
    stateLabel: STATE_LABELS[r.state],
    returnReason: r.return_reason,
    returnCount: Number(r.return_count),
    reason: r.reason,
    decidedAt: dateOf(r.decided_at),
    documentNo: r.document_no,
    approvalDate: r.approval_date,
    handedAt: dateOf(r.handed_at),
    certificateReturnReason: r.certificate_return_reason ?? null,
    certified: r.dossier_status === 'certified',
    /** what is open on the candidate now (a 多岗审核 post is named by its task) */
    openStep: openStep ? (openStep.form_key ? (STEP_LABELS[STEP_OF[openStep.form_key]!] ?? openStep.name) : openStep.name) : null,
    taskId: step?.taskId ?? null,
    step: step?.step ?? null,
  });

  const meetingHeader = (r: CandidateRow) => ({ meetingId: Number(r.meeting_id), meetingName: r.meeting_name, committeeName: r.committee_name, activityName: r.activity_name });

  /** One page of candidates with what is open on each and what this actor may do there (only the page's steps are read). */
  async function candidatePage(actor: RequestActor, meetingId: number, filter: ConfirmationFilter, query: PageQuery) {
    const { rows, total } = await repo.pageOfMeeting(meetingId, { ...filter, state: query.state, name: query.name || undefined }, (query.page - 1) * query.pageSize, query.pageSize);
    const steps = await repo.openSteps(meetingId, undefined, { dossierIds: rows.map((r) => Number(r.dossier_id)) });
    const mine = await actableSteps(actor, steps);
    const stepOfCandidate = new Map(steps.map((s) => [s.dossier_id, s]));
    return { total, candidates: rows.map((r) => candidateView(r, mine.get(Number(r.dossier_id)), stepOfCandidate.get(Number(r.dossier_id)))) };
  }

  /**
   * 线上评审结果确认 / 线上委托结果确认: the meetings whose candidates the unit confirms, newest first,
   * with their counts; the candidates themselves a page at a time (`unitCandidates`).
   */
  async function unitList(actor: RequestActor, kind: 'direct' | 'delegated') {
    if (!actor.roles.includes('result.confirm') || actor.unitId == null) throw new ForbiddenError('没有“评审结果确认”权限');
    const unitId = actor.unitId;
    const meetings = await repo.meetingsOfUnit(unitId, kind === 'delegated');
    return Promise.all(
      meetings.map(async (m) => {
        const file = await repo.file(Number(m.meeting_id), unitId, 'qualification');
        return {
          meetingId: Number(m.meeting_id),
          meetingName: m.meeting_name,
          committeeName: m.committee_name,
          activityName: m.activity_name,
          qualificationFile: file ? { id: file.file_id, name: file.name } : null,
          counts: await repo.countsOfMeeting(Number(m.meeting_id), { unitId, delegated: kind === 'delegated' }),
        };
      }),
    );
  }

  /** The unit's candidates of one meeting (direct or 委托), a page at a time in the meeting's order. */
  async function unitCandidates(actor: RequestActor, meetingId: number, kind: 'direct' | 'delegated', query: PageQuery) {
    const unitId = await confirmingScope(actor, meetingId);
    return candidatePage(actor, meetingId, { unitId, delegated: kind === 'delegated' }, query);
  }

  /** The candidate's dossier and the meeting's result, read-only, for whoever confirms or organises. */
  async function candidateDetail(actor: RequestActor, meetingId: number, dossierId: number) {
    const row = await repo.get(meetingId, dossierId);
    if (actor.roles.includes('result.confirm') && actor.unitId != null && row && Number(row.unit_id) === actor.unitId) {
      // the confirming unit
    } else {
      await meetingInScope(db, actor, meetingId, 'read');
    }
    if (!row) throw new NotFoundError('该申报人不在本次评审结果确认中');
    const r = await repo.candidateOf(meetingId, dossierId);
    const dossier = await repo.dossierData(dossierId);
    return { candidate: candidateView(r!), meeting: meetingHeader(r!), dossierData: dossier?.data ?? {}, dossierInstanceId: dossier?.instance_id ?? null };
  }

  async function stepOf(meetingId: number, dossierId: number, formKeys: string[]) {
    return (await repo.openSteps(meetingId)).filter((s) => s.dossier_id === dossierId && s.form_key != null && formKeys.includes(s.form_key));
  }

  async function completeStep(actor: RequestActor, meetingId: number, dossierId: number, formKeys: string[], action: string, opinion: string | null, missing: string, shown: { taskId: string | undefined } | null = null) {
    const steps = await stepOf(meetingId, dossierId, formKeys);
    for (const s of steps) {
      const task = await engine.getTask(s.id);
      if (!(await engine.canAct(actor, task))) continue;
      // a second click that arrives after the first committed finds the next post's step: not shown, not decided
      if (shown) requireShownStep(shown.taskId ? [shown.taskId] : undefined, s.id, 'taskId');
      await engine.completeTask(s.id, actor, { action, opinion, check: checked(actor) });
      return;
    }
    throw new ConflictError(missing);
  }

  /** 材料审阅: 审阅无误 (on to 结果确认) or 退回补充材料 with the reason. */
  async function review(actor: RequestActor, meetingId: number, dossierId: number, input: { action: 'pass' | 'return'; reason?: string | null; taskId?: string }) {
    await confirmingScope(actor, meetingId);
    if (input.action === 'return' && !input.reason?.trim()) throw new ValidationError('请填写退回补充材料的原因', [{ field: 'reason', message: '请填写退回原因' }]);
    await completeStep(actor, meetingId, dossierId, ['confirmation-review'], input.action, input.reason ?? null, '该申报人当前不在材料审阅环节', { taskId: input.taskId });
  }

  /** 结果确认: 通过, or 不通过 with the reason. */
  async function decide(actor: RequestActor, meetingId: number, dossierId: number, input: { passed: boolean; reason?: string | null; taskId?: string }) {
    await confirmingScope(actor, meetingId);
    if (!input.passed && !input.reason?.trim()) throw new ValidationError('确认不通过须填写原因', [{ field: 'reason', message: '请填写不通过的原因' }]);
    await completeStep(actor, meetingId, dossierId, ['confirmation-decision'], input.passed ? 'pass' : 'reject', input.passed ? null : input.reason!.trim(), '该申报人当前不在结果确认环节', { taskId: input.taskId });
  }

  /**
   * 一键通过: every candidate of the unit's list in this meeting that the actor may pass now —
   * 材料审阅 as 审阅无误 and then 结果确认 as 通过. Candidates out for 补充材料 or at a 多岗审核 post
   * of someone else stay where they are; the answer counts both.
   */
  async function passAll(actor: RequestActor, meetingId: number, kind: 'direct' | 'delegated' | null) {
    const unitId = await confirmingScope(actor, meetingId);
    if (!(await repo.file(meetingId, unitId, 'qualification'))) throw new ConflictError('请先上传本次评审的任职资格文件，再一键通过');
    const list = (await repo.ofMeetingAndUnit(meetingId, unitId)).filter((c) => c.state === 'confirming' && (kind == null || Boolean(c.delegated) === (kind === 'delegated')));
    let passed = 0;
    for (const c of list) {
      const dossierId = Number(c.dossier_id);
      for (const formKey of ['confirmation-review', 'confirmation-decision']) {
        const [step] = await stepOf(meetingId, dossierId, [formKey]);
        if (!step || !(await engine.canAct(actor, await engine.getTask(step.id)))) continue;
        await engine.completeTask(step.id, actor, { action: 'pass', opinion: null, check: checked(actor) });
        if (formKey === 'confirmation-decision') passed++;
      }
    }
    return { passed, remaining: list.length - passed };
  }

  async function uploadQualification(actor: RequestActor, meetingId: number, fileId: string) {
    const unitId = await confirmingScope(actor, meetingId);
    if (!(await repo.ownFile(fileId, actor.userId))) throw new ValidationError('任职资格文件不存在，请重新上传', [{ field: 'fileId', message: '文件不存在' }]);
    await repo.putFile(meetingId, unitId, 'qualification', fileId, actor.userId, now());
  }

  /** 数据导出: the list of the page (this meeting, direct or 委托) with the results. */
  async function exportUnitList(actor: RequestActor, meetingId: number, kind: 'direct' | 'delegated' | null) {
    const unitId = await confirmingScope(actor, meetingId);
    const rows = (await repo.ofMeetingAndUnit(meetingId, unitId)).filter((c) => kind == null || Boolean(c.delegated) === (kind === 'delegated')).map((r) => candidateView(r));
    const name = rows.length ? (await repo.meetingOf(meetingId))?.name ?? '' : '';
    const buffer = await workbookOf(
      '评审结果确认',
      [
        { header: '序号', width: 8, value: (r: (typeof rows)[number]) => rows.indexOf(r) + 1 },
        { header: '姓名', width: 14, value: (r) => r.applicantName },
        { header: '身份证号', width: 22, value: (r) => r.idNumber },
        { header: '工作单位', width: 30, value: (r) => r.employer },
        { header: '系列', width: 14, value: (r) => r.series },
        { header: '专业', width: 16, value: (r) => r.specialty },
        { header: '层级', width: 10, value: (r) => r.level },
        { header: '评委会评审结果', width: 18, value: (r) => r.reviewResult },
        { header: '评审方式', width: 10, value: (r) => (r.delegated ? '委托评审' : '直接评审') },
        { header: '确认状态', width: 12, value: (r) => r.stateLabel },
        { header: '原因', width: 30, value: (r) => r.reason ?? (r.state === 'supplement' ? r.returnReason : null) },
      ],
      rows,
    );
    return { buffer, filename: `${name}-评审结果确认${kind === 'delegated' ? '（委托）' : ''}.xlsx` };
  }

  // ------------------------------------------------------------------ the organiser's page

  /** The organiser's 评审结果确认: the counts of the whole meeting, and its candidates a page at a time. */
  async function organiserView(actor: RequestActor, meetingId: number, query: PageQuery = { page: 1, pageSize: 50 }) {
    const meeting = await meetingInScope(db, actor, meetingId, 'read');
    const counts = await repo.countsOfMeeting(meetingId, {});
    const { total, candidates } = await candidatePage(actor, meetingId, {}, query);
    const files = await repo.filesOfMeeting(meetingId);
    const report = files.find((f) => f.kind === 'report');
    const [closeStep] = await repo.openSteps(meetingId, undefined, { formKeys: ['confirmation-close'] });
    const closure = await repo.closure(meetingId);
    return {
      meetingId,
      meetingName: String(meeting.name),
      started: counts.confirming + counts.supplement + counts.passed + counts.failed > 0,
      counts,
      total,
      candidates,
      report: report ? { id: report.file_id, name: report.name, uploadedAt: dateOf(report.uploaded_at) } : null,
      closeTaskId: closeStep?.id ?? null,
      closedAt: dateOf(closure?.closed_at ?? null),
    };
  }

  /** 补充材料 done: the candidate goes back to the confirming unit. */
  async function supplement(actor: RequestActor, meetingId: number, dossierId: number, note: string) {
    await meetingInScope(db, actor, meetingId, 'manage');
    if (!note.trim()) throw new ValidationError('请说明补充的材料', [{ field: 'note', message: '请填写补充说明' }]);
    await completeStep(actor, meetingId, dossierId, ['confirmation-supplement'], 'complete', note.trim(), '该申报人不在补充材料环节');
  }

  /** 批量设置职称文件文号 for confirmed candidates: one document, one approval date. */
  async function setDocumentNo(actor: RequestActor, meetingId: number, input: { dossierIds: number[]; documentNo: string; approvalDate: string }) {
    await meetingInScope(db, actor, meetingId, 'manage');
    if (!input.dossierIds.length) throw new ValidationError('请选择确认通过的人员', [{ field: 'dossierIds', message: '请至少选择一人' }]);
    checkDocumentNo(input.documentNo, input.approvalDate);
    const rows = await repo.ofMeeting(meetingId);
    const notPassed = input.dossierIds.filter((id) => rows.find((r) => Number(r.dossier_id) === id)?.state !== 'passed');
    if (notPassed.length) {
      const names = notPassed.map((id) => rows.find((r) => Number(r.dossier_id) === id)?.applicant_name ?? `申报 ${id}`);
      throw new ConflictError(`只能为确认通过的人员设置职称文件文号：${names.join('、')}未确认通过`, { dossierIds: notPassed });
    }
    const handed = input.dossierIds.filter((id) => rows.find((r) => Number(r.dossier_id) === id)?.handed_at != null);
    if (handed.length) throw new ConflictError('已提交发证信息的人员不能再修改职称文件文号', { dossierIds: handed });
    await db.transaction((trx) => repo.setDocumentNo(meetingId, [...new Set(input.dossierIds)], input.documentNo.trim(), input.approvalDate, trx));
  }

  /** 提交发证信息: the confirmed candidates with a 文号, handed to certificate issuance (issue 19). */
  async function handOver(actor: RequestActor, meetingId: number) {
    await meetingInScope(db, actor, meetingId, 'manage');
    const passed = (await repo.ofMeeting(meetingId)).filter((r) => r.state === 'passed' && r.handed_at == null);
    if (!passed.length) throw new ConflictError('没有待提交发证信息的确认通过人员');
    const missing = passed.filter((r) => !r.document_no || !r.approval_date);
    if (missing.length) throw new ConflictError(`请先设置职称文件文号：${missing.map((r) => r.applicant_name).join('、')}`, { dossierIds: missing.map((r) => Number(r.dossier_id)) });
    const count = await db.transaction((trx) =>
      repo.handOver(
        meetingId,
        passed.map((r) => ({ dossierId: Number(r.dossier_id), documentNo: r.document_no!, approvalDate: r.approval_date! })),
        actor.userId,
        now(),
        trx,
      ),
    );
    return { handedOver: count };
  }

  async function uploadReport(actor: RequestActor, meetingId: number, fileId: string) {
    const meeting = await meetingInScope(db, actor, meetingId, 'manage');
    if (!(await repo.ownFile(fileId, actor.userId))) throw new ValidationError('评审工作报告不存在，请重新上传', [{ field: 'fileId', message: '文件不存在' }]);
    await repo.putFile(meetingId, Number(meeting.organizer_unit_id), 'report', fileId, actor.userId, now());
  }

  /** 办结: the case's last step; refused while a passed candidate's certificate is pending. */
  async function close(actor: RequestActor, meetingId: number) {
    await meetingInScope(db, actor, meetingId, 'manage');
    const [step] = (await repo.openSteps(meetingId)).filter((s) => s.form_key === 'confirmation-close');
    if (!step) {
      if (await repo.closure(meetingId)) throw new ConflictError('本次评审结果确认已办结');
      throw new ConflictError('还有人员未完成结果确认，不能办结');
    }
    await engine.completeTask(step.id, actor, { action: 'complete', opinion: null, check: checked(actor) });
  }

  return { unitList, unitCandidates, candidateDetail, review, decide, passAll, uploadQualification, exportUnitList, organiserView, supplement, setDocumentNo, handOver, uploadReport, close };
}

export type ResultConfirmationService = ReturnType<typeof createResultConfirmationService>;
