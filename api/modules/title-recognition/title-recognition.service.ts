import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import type { TaskRecord } from '../../../engine/types.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { checkDocNumber } from '../../../forms/validators.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { requireShownStep } from '../../src/step-witness.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { auditPiiView, maskIdNumber, openSealed, sealedWrite, type PiiCipher } from '../../src/pii.ts';
import { RECOGNITIONS_SEALED } from './title-recognition.pii.ts';
import { RECOGNITION_PROCESS, recognitionKey } from './title-recognition.flow.ts';
import { createRecognitionRepository, type RecognitionFilter, type RecognitionRow } from './title-recognition.repository.ts';
import { ACQUISITIONS, STATUS_LABELS } from './title-recognition.schemas.ts';

export interface ApplicationInput {
  series: string;
  specialty: string;
  titleName: string;
  level: string;
  acquisition: keyof typeof ACQUISITIONS;
  originalBody: string;
  obtainedDate: string;
  originalDocumentNo: string;
  certificateFileId: string;
  qualificationFileId: string;
  reason: string;
}

export interface ReviewInput {
  action: 'pass' | 'return' | 'reject';
  reason?: string | null;
  approvalDate?: string | null;
  documentNo?: string | null;
  /** the step the reviewing screen showed (the application's `taskId`) */
  taskId?: string;
}

type Row = RecognitionRow & { unit_name: string; current_unit_name: string | null; confirm_unit_name: string };

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const ids = (path: Array<number | string>) => path.map(Number);
const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** 职称确认: the person's application and resubmission, and the units' 职称确认审核. */
export function createRecognitionService(deps: { db: Knex; engine: WorkflowEngine; checks: Record<string, CompletionCheck>; pii: PiiCipher; now?: () => Date }) {
  const { db, engine, checks, pii } = deps;
  const now = deps.now ?? (() => new Date());
  const repo = createRecognitionRepository(db);

  const checked = (actor: RequestActor) => (task: TaskRecord, validated: { action: string; data: Record<string, unknown> }) => {
    const check = task.formKey ? checks[task.formKey] : undefined;
    return check ? check({ task, actor, ...validated }) : Promise.resolve();
  };

  // ---------- scope (before any state) ----------

  /** The applicant account itself (申报人): staff have no 我的职称确认. */
  function applicant(actor: RequestActor): void {
    if (!actor.roles.includes('dossier.apply')) throw new ForbiddenError('只有申报人账号可以申请职称确认');
  }

  /** The person's own application; someone else's answers as one that does not exist. */
  async function own(actor: RequestActor, id: number): Promise<Row> {
    applicant(actor);
    const row = Number.isSafeInteger(id) && id > 0 ? await repo.get(id) : undefined;
    if (!row || Number(row.user_id) !== actor.userId) throw new NotFoundError('职称确认申请不存在');
    return row;
  }

  function reviewer(actor: RequestActor): number {
    if (!actor.roles.includes('recognition.review') || actor.unitId == null) throw new ForbiddenError('没有“职称确认审核”权限');
    return actor.unitId;
  }

  /** A unit on the application's path; any other answers 403 whether the record exists or not. */
  async function onPath(actor: RequestActor, id: number): Promise<Row> {
    const unitId = reviewer(actor);
    const row = Number.isSafeInteger(id) && id > 0 ? await repo.get(id) : undefined;
    if (!row || !ids(row.audit_path).includes(unitId)) throw new ForbiddenError('无权查看该职称确认申请（不在本单位审核范围内）');
    return row;
  }

  // ---------- views ----------

  /** The ID number, opened from its seal (the plain column is empty once the sweep has been). */
  const idNumberOf = (r: RecognitionRow): string => openSealed(pii, RECOGNITIONS_SEALED, { id_number: r.id_number, id_number_enc: r.id_number_enc }).id_number ?? '';

  async function openTaskFor(actor: RequestActor, row: RecognitionRow, formKey: string): Promise<TaskRecord | null> {
    if (!row.instance_id) return null;
    for (const s of await repo.openSteps(row.instance_id)) {
      if (s.form_key !== formKey) continue;
      const task = await engine.getTask(s.id);
      if (await engine.canAct(actor, task)) return task;
    }
    return null;
  }

  async function view(actor: RequestActor, r: Row, forStaff: boolean) {
    const path = await repo.unitsByIds(ids(r.audit_path));
    const nameOf = new Map(path.map((p) => [Number(p.id), p.name]));
    const task = r.status === 'reviewing' || r.status === 'returned' ? await openTaskFor(actor, r, forStaff ? 'recognition-review' : 'recognition-resubmit') : null;
    return {
      id: Number(r.id),
      personName: r.person_name,
      // the person sees their own number; staff see it masked and open it with 查看 (audited)
      idNumber: forStaff ? (maskIdNumber(idNumberOf(r)) ?? '') : idNumberOf(r),
      unitId: Number(r.unit_id),
      unitName: r.unit_name,
      series: r.series,
      seriesLabel: (SERIES as Record<string, string>)[r.series] ?? r.series,
      specialty: r.specialty,
      titleName: r.title_name,
      level: r.level,
      levelLabel: (LEVELS as Record<string, string>)[r.level] ?? r.level,
      acquisition: r.acquisition,
      acquisitionLabel: (ACQUISITIONS as Record<string, string>)[r.acquisition] ?? r.acquisition,
      originalBody: r.original_body,
      obtainedDate: r.obtained_date,
      originalDocumentNo: r.original_document_no,
      certificateFileId: r.certificate_file_id,
      qualificationFileId: r.qualification_file_id,
      reason: r.reason,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
      auditPath: ids(r.audit_path).map((id) => ({ unitId: id, name: nameOf.get(id) ?? '' })),
      confirmUnitId: Number(r.confirm_unit_id),
      confirmUnitName: r.confirm_unit_name,
      currentUnitId: r.current_unit_id == null ? null : Number(r.current_unit_id),
      currentUnitName: r.current_unit_name,
      returnReason: r.return_reason,
      returnCount: Number(r.return_count),
      rejectReason: r.reject_reason,
      approvalDate: r.approval_date,
      documentNo: r.document_no,
      certificateId: r.certificate_id == null ? null : Number(r.certificate_id),
      certificateNo: r.certificate_id == null ? null : await repo.certificateNo(Number(r.certificate_id)),
      taskId: task?.id ?? null,
      confirming: forStaff && task != null && Number(r.current_unit_id) === Number(r.confirm_unit_id),
      submittedAt: iso(r.submitted_at)!,
      decidedAt: iso(r.decided_at),
    };
  }

  // ---------- the person ----------

  /**
   * 审核路径: the person's unit, then each unit above it up to the nearest HR bureau, which
   * confirms (a person of an HR bureau is confirmed by that bureau alone).
   */
  async function pathOf(unitId: number, trx?: Knex.Transaction): Promise<{ path: number[]; confirmUnitId: number }> {
    const unit = await repo.unit(unitId, trx);
    const ancestry = (unit?.path ?? '').split('/').filter(Boolean).map(Number).reverse();
    const units = await repo.unitsByIds(ancestry, trx);
    const byId = new Map(units.map((u) => [Number(u.id), u]));
    const path: number[] = [];
    for (const id of ancestry) {
      const u = byId.get(id);
      if (!u || u.status === 'inactive') continue;
      path.push(id);
      if (u.unit_type === 'hr_bureau') return { path, confirmUnitId: id };
    }
    throw new ConflictError('所在单位没有上级人社部门，不能申请职称确认，请联系所在单位');
  }

  async function checkFiles(actor: RequestActor, input: ApplicationInput) {
    if (!(await repo.ownFile(input.certificateFileId, actor.userId))) throw new ValidationError('请上传职称证书扫描件', [{ field: 'certificateFileId', message: '职称证书扫描件不存在，请重新上传' }]);
    if (!(await repo.ownFile(input.qualificationFileId, actor.userId))) throw new ValidationError('请上传任职资格文件', [{ field: 'qualificationFileId', message: '任职资格文件不存在，请重新上传' }]);
    if (input.obtainedDate > ymd(now())) throw new ValidationError('取得时间不能晚于今天', [{ field: 'obtainedDate', message: '取得时间不能晚于今天' }]);
  }

  const fieldsOf = (input: ApplicationInput) => ({
    series: input.series,
    specialty: input.specialty,
    title_name: input.titleName,
    level: input.level,
    acquisition: input.acquisition,
    original_body: input.originalBody,
    obtained_date: input.obtainedDate,
    original_document_no: input.originalDocumentNo,
    certificate_file_id: input.certificateFileId,
    qualification_file_id: input.qualificationFileId,
    reason: input.reason,
  });

  /** 提交确认申请: the record and its flow, together. */
  async function apply(actor: RequestActor, input: ApplicationInput) {
    applicant(actor);
    const person = await repo.person(actor.userId);
    if (!person?.id_number) throw new ConflictError('账号没有身份证号码，请联系所在单位补充后再申请');
    if (person.unit_id == null) throw new ConflictError('账号没有所在单位，不能申请职称确认');
    await checkFiles(actor, input);
    if (await repo.recognised(pii, person.id_number, { title_name: input.titleName, level: input.level })) throw new ConflictError(`“${input.titleName}”已确认通过，不能重复申请确认`, { field: 'titleName' });
    const { path, confirmUnitId } = await pathOf(Number(person.unit_id));
    let id = 0;
    const instanceId = await engine.startInstance({
      processKey: RECOGNITION_PROCESS,
      actor,
      checkStarter: false,
      prepare: async (trx) => {
        const at = now();
        id = await repo.insert({
          user_id: actor.userId,
          unit_id: Number(person.unit_id),
          person_name: person.display_name,
          ...sealedWrite(pii, RECOGNITIONS_SEALED, { id_number: person.id_number }),
          id_number: null,
          ...fieldsOf(input),
          audit_path: path,
          confirm_unit_id: confirmUnitId,
          created_at: at,
          submitted_at: at,
        }, trx);
        return {
          businessKey: recognitionKey(id),
          variables: { recognitionId: id, applicantId: actor.userId, personName: person.display_name, titleName: input.titleName, auditPath: path, confirmUnitId, levelIndex: -1 },
        };
      },
    });
    await repo.set(id, ['reviewing', 'returned', 'confirmed', 'rejected'], { instance_id: instanceId });
    return view(actor, (await repo.get(id))!, false);
  }

  async function mine(actor: RequestActor) {
    applicant(actor);
    return Promise.all((await repo.ofUser(actor.userId)).map((r) => view(actor, r, false)));
  }

  async function myOne(actor: RequestActor, id: number) {
    return view(actor, await own(actor, id), false);
  }

  /** 修改后重新提交: the corrected application goes back to the first level. */
  async function resubmit(actor: RequestActor, id: number, input: ApplicationInput) {
    const row = await own(actor, id);
    if (row.status !== 'returned') throw new ConflictError(`该申请${STATUS_LABELS[row.status]}，不能重新提交`);
    await checkFiles(actor, input);
    const task = await openTaskFor(actor, row, 'recognition-resubmit');
    if (!task) throw new ConflictError('该申请当前不在待重新提交环节');
    await engine.completeTask(task.id, actor, {
      action: 'complete',
      check: checked(actor),
      // the step's handlers have already moved it back to 审核中
      withTransaction: async (trx) => repo.set(id, ['returned', 'reviewing'], fieldsOf(input), trx),
    });
    return myOne(actor, id);
  }

  /** Kept for good (manual: 不通过的记录无法删除): whoever may see it learns so; others learn nothing. */
  async function remove(actor: RequestActor, id: number): Promise<never> {
    if (actor.roles.includes('dossier.apply')) await own(actor, id);
    else await onPath(actor, id);
    throw new ConflictError('职称确认记录不能删除（审核中、已确认和不通过的申请均保留）');
  }

  // ---------- 职称确认审核 ----------

  async function reviewList(actor: RequestActor, filter: RecognitionFilter & { pending: boolean }) {
    const unitId = reviewer(actor);
    const rows = await repo.onPath(unitId, filter, filter.pending);
    return Promise.all(rows.map((r) => view(actor, r, true)));
  }

  async function reviewOne(actor: RequestActor, id: number) {
    return view(actor, await onPath(actor, id), true);
  }

  /**
   * 查看: the full ID number. The person's own application (theirs: not recorded); a unit on its
   * path, recorded as `pii.view` (subject `title_recognition`); any other unit learns nothing (404).
   */
  async function revealPii(actor: RequestActor, id: number, field: 'idNumber') {
    if (actor.roles.includes('dossier.apply')) return { field, value: idNumberOf(await own(actor, id)) };
    const unitId = reviewer(actor);
    const row = Number.isSafeInteger(id) && id > 0 ? await repo.get(id) : undefined;
    if (!row || !ids(row.audit_path).includes(unitId)) throw new NotFoundError('职称确认申请不存在');
    await auditPiiView(db, actor, { subject: 'title_recognition', id: Number(row.id), fields: [field], unitId: Number(row.unit_id), personName: row.person_name }, engine.clock.now());
    return { field, value: idNumberOf(row) };
  }

  /** The pass of the confirming bureau carries the certificate's approval date and 文号. */
  function confirmation(row: RecognitionRow, input: ReviewInput): { approvalDate: string; documentNo: string } | null {
    if (input.action !== 'pass' || Number(row.current_unit_id) !== Number(row.confirm_unit_id)) return null;
    if (!input.approvalDate) throw new ValidationError('请填写批准时间', [{ field: 'approvalDate', message: '确认单位审核通过须填写批准时间' }]);
    if (!input.documentNo) throw new ValidationError('请填写确认文号', [{ field: 'documentNo', message: '确认单位审核通过须填写确认文号' }]);
    const doc = checkDocNumber(input.documentNo);
    if (!doc.ok) throw new ValidationError(doc.reason, [{ field: 'documentNo', message: doc.reason }]);
    if (doc.year !== Number(input.approvalDate.slice(0, 4))) throw new ValidationError('文号的年份须与批准时间的年份一致', [{ field: 'documentNo', message: '文号的年份须与批准时间的年份一致' }]);
    if (input.approvalDate > ymd(now())) throw new ValidationError('批准时间不能晚于今天', [{ field: 'approvalDate', message: '批准时间不能晚于今天' }]);
    return { approvalDate: input.approvalDate, documentNo: doc.value };
  }

  async function decide(actor: RequestActor, row: RecognitionRow, input: ReviewInput, shown: { taskIds: string[] | undefined; field: string }) {
    const reason = input.reason?.trim() || null;
    if (input.action === 'return' && !reason) throw new ValidationError('请填写退回原因', [{ field: 'reason', message: '请填写退回原因' }]);
    const confirm = confirmation(row, input);
    const task = await openTaskFor(actor, row, 'recognition-review');
    if (!task) throw new ConflictError('该申请当前不在本单位（本岗位）审核环节');
    // a second click that arrives after the first committed finds the next post's step: not shown, not decided
    requireShownStep(shown.taskIds, task.id, shown.field);
    await engine.completeTask(task.id, actor, {
      action: input.action,
      opinion: reason,
      data: confirm ?? {},
      check: checked(actor),
    });
  }

  async function review(actor: RequestActor, id: number, input: ReviewInput) {
    const row = await onPath(actor, id);
    await decide(actor, row, input, { taskIds: input.taskId ? [input.taskId] : undefined, field: 'taskId' });
    return reviewOne(actor, id);
  }

  /**
   * 批量通过 / 批量退回: the chosen applications pending at this unit; the confirming bureau's
   * pass needs a 文号 per certificate, so it is done one by one and skipped here.
   */
  async function batch(actor: RequestActor, chosen: number[], input: { action: 'pass' | 'return'; reason?: string; taskIds?: string[] }) {
    const unitId = reviewer(actor);
    let done = 0;
    const found: RecognitionRow[] = [];
    for (const id of new Set(chosen)) {
      const row = await repo.get(id);
      if (!row || !ids(row.audit_path).includes(unitId)) throw new ForbiddenError('所选申请不在本单位审核范围内');
      found.push(row);
    }
    if (!input.taskIds) throw new ValidationError('请刷新列表后重新选择：缺少列表显示的审核环节', [{ field: 'taskIds', message: '缺少审核环节' }]);
    for (const row of found) {
      if (row.status !== 'reviewing' || Number(row.current_unit_id) !== unitId) continue;
      if (input.action === 'pass' && Number(row.confirm_unit_id) === unitId) continue;
      try {
        await decide(actor, row, { action: input.action, reason: input.reason ?? null }, { taskIds: input.taskIds, field: 'taskIds' });
        done++;
      } catch (err) {
        // another reviewer (or a double click) took it meanwhile, or it is past the step the list
        // showed: skipped, not failed
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return { done, skipped: found.length - done };
  }

  /** The certificate scan and 任职资格文件: the person, and the units on the path. */
  async function mayReadFile(actor: RequestActor, fileId: string): Promise<boolean> {
    for (const row of await repo.byFile(fileId)) {
      if (Number(row.user_id) === actor.userId) return true;
      if (actor.roles.includes('recognition.review') && actor.unitId != null && ids(row.audit_path).includes(actor.unitId)) return true;
    }
    return false;
  }

  return { apply, mine, myOne, resubmit, remove, reviewList, reviewOne, revealPii, review, batch, mayReadFile };
}

export type RecognitionService = ReturnType<typeof createRecognitionService>;
