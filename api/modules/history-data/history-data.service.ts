import { maskIdNumber, type PiiCipher } from '../../src/pii.ts';
import { requireShownStep, STALE_STEP } from '../../src/step-witness.ts';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import type { TaskRecord } from '../../../engine/types.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { checkDocNumber } from '../../../forms/validators.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { workbookOf, type SheetColumn } from '../../src/xlsx.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { ACQUISITION_TYPES, FIELD_LABELS, normaliseValues, RECORD_COLUMNS, type AcquisitionType, type RecordValues } from './history-data.checks.ts';
import { generationRef, HISTORY_PROCESS, type CertificatesCore } from './history-data.flow.ts';
import { checkChunk, readRecordChunks, templateWorkbook } from './history-data.import.ts';
import { createHistoryDataRepository, valuesOf, type HistoryRecordRow, type HistoryUploadRow, type UploadStatus } from './history-data.repository.ts';

export const STATUS_LABELS: Record<UploadStatus, string> = { draft: '待提交', reviewing: '审核中', returned: '已退回', approved: '待发证', issuing: '发证中', issued: '已发证' };
const STEP_OF: Record<string, 'review' | 'resubmit' | 'issue'> = { 'history-review': 'review', 'history-resubmit': 'resubmit', 'history-issue': 'issue' };

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const idList = (path: Array<number | string>) => path.map(Number);

/** 历史职称数据: 历史评审机构管理, 数据上传, 提交审核, 数据审核, 人员名单校验, 历史证书生成. */
export function createHistoryDataService(deps: { db: Knex; engine: WorkflowEngine; checks: Record<string, CompletionCheck>; certificates: () => CertificatesCore; pii: PiiCipher; now?: () => Date }) {
  const { db, engine, checks, certificates } = deps;
  const now = deps.now ?? (() => new Date());
  const repo = createHistoryDataRepository(db, deps.pii);

  const checked = (actor: RequestActor) => (task: TaskRecord, validated: { action: string; data: Record<string, unknown> }) => {
    const check = task.formKey ? checks[task.formKey] : undefined;
    return check ? check({ task, actor, ...validated }) : Promise.resolve();
  };

  // ---------- scope (before any state) ----------

  function holding(actor: RequestActor, permission: string, name: string): number {
    if (!actor.roles.includes(permission) || actor.unitId == null) throw new ForbiddenError(`没有“${name}”权限`);
    return actor.unitId;
  }

  async function ownBody(actor: RequestActor, id: number) {
    const unitId = holding(actor, 'history.bodies', '历史评审机构管理');
    const body = Number.isSafeInteger(id) && id > 0 ? await repo.body(id) : undefined;
    if (!body || Number(body.owner_unit_id) !== unitId) throw new ForbiddenError('无权管理该历史评审机构');
    return body;
  }

  /** The uploading unit's staff holding 历史职称数据上传. */
  async function ownUpload(actor: RequestActor, id: number): Promise<HistoryUploadRow> {
    const unitId = holding(actor, 'history.upload', '历史职称数据上传');
    const upload = Number.isSafeInteger(id) && id > 0 ? await repo.upload(id) : undefined;
    if (!upload || Number(upload.unit_id) !== unitId) throw new ForbiddenError('无权访问该历史数据批次');
    return upload;
  }

  /** Who may read a batch: its uploading unit, and the reviewing units on its path (the issuer included) once submitted. */
  async function readableUpload(actor: RequestActor, id: number): Promise<HistoryUploadRow> {
    const upload = Number.isSafeInteger(id) && id > 0 ? await repo.upload(id) : undefined;
    const unitId = actor.unitId;
    const allowed =
      upload != null &&
      unitId != null &&
      ((actor.roles.includes('history.upload') && Number(upload.unit_id) === unitId) ||
        (actor.roles.includes('history.review') && upload.status !== 'draft' && (idList(upload.audit_path).includes(unitId) || Number(upload.issuer_unit_id) === unitId)));
    if (!upload || !allowed) throw new ForbiddenError('无权访问该历史数据批次');
    return upload;
  }

  /** The issuer's staff holding 历史职称数据审核 (历史证书生成). */
  async function issuerUpload(actor: RequestActor, id: number): Promise<HistoryUploadRow> {
    const unitId = holding(actor, 'history.review', '历史证书生成');
    const upload = Number.isSafeInteger(id) && id > 0 ? await repo.upload(id) : undefined;
    if (!upload || upload.status === 'draft' || Number(upload.issuer_unit_id) !== unitId) throw new ForbiddenError('无权访问该历史数据批次');
    return upload;
  }

  // ---------- 历史评审机构管理 ----------

  const bodyView = (b: Awaited<ReturnType<typeof repo.bodiesOf>>[number]) => ({
    id: Number(b.id),
    name: b.name,
    series: b.series,
    seriesLabels: b.series.map((s) => (SERIES as Record<string, string>)[s] ?? s),
    levels: b.levels,
    levelLabels: b.levels.map((l) => (LEVELS as Record<string, string>)[l] ?? l),
    units: b.unit_ids.map((id, i) => ({ id: Number(id), name: b.unit_names[i] ?? '' })),
    status: b.status,
    version: Number(b.version),
    updatedAt: iso(b.updated_at)!,
  });

  async function listBodies(actor: RequestActor) {
    const unitId = holding(actor, 'history.bodies', '历史评审机构管理');
    return (await repo.bodiesOf(unitId)).map(bodyView);
  }

  async function checkBodyInput(unitId: number, input: { name: string; unitIds: number[] }, exceptId: number | null, trx: Knex.Transaction) {
    if (await repo.nameTaken(unitId, input.name, exceptId, trx)) throw new ConflictError(`历史评审机构“${input.name}”已存在`, { field: 'name' });
    const own = await repo.unit(unitId, trx);
    const units = await repo.unitsByIds([...new Set(input.unitIds)], trx);
    const outside = units.filter((u) => !own || !u.path.startsWith(own.path) || u.status !== 'active');
    if (units.length !== new Set(input.unitIds).size || outside.length) {
      throw new ValidationError('采集单位须为本单位或辖区内的在用单位', [{ field: 'unitIds', message: '采集单位须为本单位或辖区内的在用单位' }]);
    }
  }

  async function createBody(actor: RequestActor, input: { name: string; series: string[]; levels: string[]; unitIds: number[] }) {
    const unitId = holding(actor, 'history.bodies', '历史评审机构管理');
    const id = await db.transaction(async (trx) => {
      await checkBodyInput(unitId, input, null, trx);
      const at = now();
      return repo.insertBody({ name: input.name, series: [...new Set(input.series)], levels: [...new Set(input.levels)], owner_unit_id: unitId, status: 'active', created_at: at, updated_at: at }, [...new Set(input.unitIds)], trx);
    });
    return (await listBodies(actor)).find((b) => b.id === id)!;
  }

  async function updateBody(actor: RequestActor, id: number, input: { name: string; series: string[]; levels: string[]; unitIds: number[]; version: number }) {
    const body = await ownBody(actor, id);
    await db.transaction(async (trx) => {
      await checkBodyInput(Number(body.owner_unit_id), input, id, trx);
      await repo.updateBody(id, input.version, { name: input.name, series: [...new Set(input.series)], levels: [...new Set(input.levels)], updated_at: now() }, [...new Set(input.unitIds)], trx);
    });
    return (await listBodies(actor)).find((b) => b.id === id)!;
  }

  async function setBodyStatus(actor: RequestActor, id: number, status: 'active' | 'disabled', version: number) {
    await ownBody(actor, id);
    await db.transaction((trx) => repo.updateBody(id, version, { status, updated_at: now() }, null, trx));
    return (await listBodies(actor)).find((b) => b.id === id)!;
  }

  /** 选择采集单位: units of the bureau's subtree matching the text. */
  async function unitOptions(actor: RequestActor, text: string) {
    const unitId = holding(actor, 'history.bodies', '历史评审机构管理');
    const own = await repo.unit(unitId);
    if (!own) throw new ForbiddenError('单位不存在');
    return (await repo.unitsUnder(own.path, text.trim(), 50)).map((u) => ({ id: Number(u.id), name: u.name }));
  }

  // ---------- 数据上传 ----------

  async function createUpload(actor: RequestActor, input: { acquisitionType: AcquisitionType; documentNo: string }) {
    const unitId = holding(actor, 'history.upload', '历史职称数据上传');
    const doc = checkDocNumber(input.documentNo);
    if (!doc.ok) throw new ValidationError(doc.reason, [{ field: 'documentNo', message: '职称文件文号格式应为“X〔YYYY〕N号”' }]);
    const id = await repo.insertUpload({ unit_id: unitId, created_by: actor.userId, acquisition_type: input.acquisitionType, document_no: doc.value, created_at: now() });
    return uploadDetail(actor, id);
  }

  async function openTaskFor(actor: RequestActor, upload: HistoryUploadRow, formKeys: string[]) {
    if (!upload.instance_id) return null;
    for (const s of await repo.openSteps(upload.instance_id)) {
      if (!s.form_key || !formKeys.includes(s.form_key)) continue;
      const task = await engine.getTask(s.id);
      if (await engine.canAct(actor, task)) return task;
    }
    return null;
  }

  async function uploadView(actor: RequestActor, u: HistoryUploadRow & { unit_name?: string }) {
    const counts = { total: Number(u.total), bad: Number(u.bad), warned: Number(u.warned) };
    const path = await repo.unitsByIds(idList(u.audit_path));
    const nameOf = new Map(path.map((p) => [Number(p.id), p.name]));
    const issuer = u.issuer_unit_id ? await repo.unit(Number(u.issuer_unit_id)) : undefined;
    const steps = u.instance_id ? await repo.openSteps(u.instance_id) : [];
    const mine = await openTaskFor(actor, u, Object.keys(STEP_OF));
    const uploader = u.unit_name ?? (await repo.unit(Number(u.unit_id)))?.name ?? '';
    return {
      id: Number(u.id),
      unitId: Number(u.unit_id),
      unitName: uploader,
      acquisitionType: u.acquisition_type,
      acquisitionLabel: ACQUISITION_TYPES[u.acquisition_type],
      documentNo: u.document_no,
      status: u.status,
      statusLabel: STATUS_LABELS[u.status],
      ...counts,
      good: counts.total - counts.bad,
      issuerUnitId: u.issuer_unit_id == null ? null : Number(u.issuer_unit_id),
      issuerName: issuer?.name ?? null,
      auditPath: idList(u.audit_path).map((id) => ({ unitId: id, name: nameOf.get(id) ?? '' })),
      currentUnitId: u.current_unit_id == null ? null : Number(u.current_unit_id),
      currentUnitName: u.current_unit_id == null ? null : (nameOf.get(Number(u.current_unit_id)) ?? null),
      qualificationFileId: u.qualification_file_id,
      stampedFileId: u.stamped_file_id,
      returnReason: u.return_reason,
      returnCount: Number(u.return_count),
      instanceId: u.instance_id,
      openStep: steps[0]?.name ?? null,
      taskId: mine?.id ?? null,
      step: mine?.formKey ? (STEP_OF[mine.formKey] ?? null) : null,
      createdAt: iso(u.created_at)!,
      submittedAt: iso(u.submitted_at),
      issuedAt: iso(u.issued_at),
    };
  }

  async function listUploads(actor: RequestActor) {
    const unitId = holding(actor, 'history.upload', '历史职称数据上传');
    return Promise.all((await repo.uploadsOf(unitId)).map((u) => uploadView(actor, u)));
  }

  async function uploadDetail(actor: RequestActor, id: number) {
    return uploadView(actor, await readableUpload(actor, id));
  }

  const editable = (u: HistoryUploadRow) => {
    if (u.status !== 'draft' && u.status !== 'returned') throw new ConflictError(`该批次${STATUS_LABELS[u.status]}，不能修改数据`);
  };

  async function checkContext(u: HistoryUploadRow) {
    return { acquisitionType: u.acquisition_type, documentNo: u.document_no, bodies: await repo.reviewBodiesOf(Number(u.unit_id)), today: now() };
  }

  /**
   * 批量导入: the workbook is read as a stream; each chunk is checked and written in the upload's
   * transaction, so a broken file leaves nothing behind and a large one never sits in memory whole.
   */
  async function importWorkbook(actor: RequestActor, id: number, input: Readable) {
    const upload = await ownUpload(actor, id);
    editable(upload);
    const ctx = await checkContext(upload);
    await db.transaction(async (trx) => {
      const locked = await repo.uploadForUpdate(id, trx);
      if (!locked) throw new NotFoundError('批次不存在');
      editable(locked);
      const offset = await repo.maxRowNo(id, trx);
      await readRecordChunks(input, async (rows) => {
        const checkedRows = await checkChunk(
          rows.map((r) => ({ ...r, rowNo: r.rowNo + offset })),
          ctx,
          (ids) => repo.knownPersons(ids, id, trx),
        );
        await repo.insertRecords(id, checkedRows, trx);
      });
    });
    return uploadDetail(actor, id);
  }

  const recordView = (r: HistoryRecordRow) => ({
    id: Number(r.id),
    rowNo: Number(r.row_no),
    values: valuesOf(r),
    errors: r.errors,
    warnings: r.warnings,
    bad: r.bad,
    issueState: r.issue_state,
    issueReason: r.issue_reason,
    certificateId: r.certificate_id == null ? null : Number(r.certificate_id),
  });

  async function listRecords(actor: RequestActor, id: number, filter: { bad?: boolean }, page: { offset: number; limit: number }) {
    const upload = await readableUpload(actor, id);
    const [rows, counts] = await Promise.all([repo.records(id, filter, page), repo.counts(id)]);
    // the uploading unit corrects its rows as typed; the reviewing units read the ID number masked
    const view = Number(upload.unit_id) === actor.unitId ? recordView : (r: HistoryRecordRow) => maskedView(recordView(r));
    return { total: filter.bad == null ? counts.total : filter.bad ? counts.bad : counts.total - counts.bad, records: rows.map(view) };
  }

  const maskedView = <V extends { values: RecordValues }>(v: V): V => ({ ...v, values: { ...v.values, idNumber: maskId(v.values.idNumber) } });

  /** 修改: the row is saved as typed and checked again; its errors (if any) come back with it. */
  async function updateRecord(actor: RequestActor, id: number, recordId: number, input: Partial<RecordValues>) {
    const upload = await ownUpload(actor, id);
    editable(upload);
    const row = await repo.record(id, recordId);
    if (!row) throw new NotFoundError('该条数据不存在或已删除');
    const values = normaliseValues({ ...valuesOf(row), ...input });
    const [checkedRow] = await checkChunk([{ rowNo: Number(row.row_no), values }], await checkContext(upload), (ids) => repo.knownPersons(ids, id));
    await repo.updateRecord(recordId, values, checkedRow!.errors, checkedRow!.warnings);
    return recordView((await repo.record(id, recordId))!);
  }

  async function deleteRecords(actor: RequestActor, id: number, input: { ids?: number[]; allBad?: boolean }) {
    const upload = await ownUpload(actor, id);
    editable(upload);
    if (!input.ids?.length && !input.allBad) throw new ValidationError('请选择要删除的数据', [{ field: 'ids', message: '请选择要删除的数据' }]);
    const deleted = await repo.deleteRecords(id, input.allBad ? { bad: true } : { ids: input.ids }, now());
    return { deleted };
  }

  // the 错误数据 sheet goes back to its uploader to be corrected (the cells as typed); the batch export is masked
  const recordColumns = (withErrors: boolean): SheetColumn<HistoryRecordRow>[] => [
    { header: '行号', value: (r) => r.row_no },
    ...RECORD_COLUMNS.map((c) => ({ header: c.header, width: 16, value: (r: HistoryRecordRow) => (c.key === 'idNumber' && !withErrors ? maskId(r.id_number) : valuesOf(r)[c.key]) })),
    ...(withErrors
      ? [{ header: '错误原因', width: 60, value: (r: HistoryRecordRow) => r.errors.map((e) => `${FIELD_LABELS[e.field] ?? e.field}：${e.message}`).join('；') }]
      : [{ header: '高风险提醒', width: 50, value: (r: HistoryRecordRow) => r.warnings.map((e) => e.message).join('；') }]),
  ];

  async function exportBad(actor: RequestActor, id: number) {
    const upload = await ownUpload(actor, id);
    const rows = await repo.records(id, { bad: true }, null);
    return { filename: `错误数据-${upload.document_no}.xlsx`, buffer: await workbookOf('错误数据', recordColumns(true), rows) };
  }

  async function exportRecords(actor: RequestActor, id: number) {
    const upload = await readableUpload(actor, id);
    const rows = await repo.records(id, {}, null);
    return { filename: `历史职称数据-${upload.document_no}.xlsx`, buffer: await workbookOf('历史职称数据', recordColumns(false), rows) };
  }

  const template = () => templateWorkbook();

  // ---------- 提交审核 ----------

  /** 发证单位 choices: the uploading unit itself and every unit above it. */
  async function issuerOptions(actor: RequestActor, id: number) {
    const upload = await ownUpload(actor, id);
    const own = await repo.unit(Number(upload.unit_id));
    const ids = (own?.path ?? '').split('/').filter(Boolean).map(Number).reverse();
    const units = await repo.unitsByIds(ids);
    return ids.map((uid) => units.find((u) => Number(u.id) === uid)).filter((u) => u != null && u.status === 'active').map((u) => ({ id: Number(u!.id), name: u!.name }));
  }

  /** 审核路径: each unit from the uploader's parent up to the issuer; the issuer's own uploads are reviewed inside it. */
  async function auditPathOf(uploaderUnitId: number, issuerUnitId: number): Promise<Array<{ unitId: number; name: string }>> {
    const own = await repo.unit(uploaderUnitId);
    const ancestry = (own?.path ?? '').split('/').filter(Boolean).map(Number).reverse();
    const at = ancestry.indexOf(issuerUnitId);
    if (at < 0) throw new ValidationError('发证单位须为本单位或本单位的上级单位', [{ field: 'issuerUnitId', message: '发证单位须为本单位或上级单位' }]);
    const ids = at === 0 ? [uploaderUnitId] : ancestry.slice(1, at + 1);
    const units = await repo.unitsByIds(ids);
    return ids.map((uid) => ({ unitId: uid, name: units.find((u) => Number(u.id) === uid)?.name ?? '' }));
  }

  async function auditPath(actor: RequestActor, id: number, issuerUnitId: number) {
    const upload = await ownUpload(actor, id);
    return auditPathOf(Number(upload.unit_id), issuerUnitId);
  }

  async function submit(actor: RequestActor, id: number, input: { issuerUnitId: number; fileId: string }) {
    const upload = await ownUpload(actor, id);
    if (upload.status !== 'draft') throw new ConflictError(`该批次${STATUS_LABELS[upload.status]}，不能再次提交`);
    const path = await auditPathOf(Number(upload.unit_id), input.issuerUnitId);
    if (!(await repo.ownFile(input.fileId, actor.userId))) throw new ValidationError('请上传任职资格文件', [{ field: 'fileId', message: '任职资格文件不存在，请重新上传' }]);
    const counts = await repo.counts(id);
    if (counts.total === 0) throw new ConflictError('本批次没有数据，不能提交审核');
    if (counts.bad > 0) throw new ConflictError(`本批次还有 ${counts.bad} 条错误数据，请修改或删除后再提交审核`);
    const unit = await repo.unit(Number(upload.unit_id));
    await engine.startInstance({
      processKey: HISTORY_PROCESS,
      actor,
      checkStarter: false,
      prepare: async (trx) => {
        await repo.setUpload(id, ['draft'], { status: 'reviewing', issuer_unit_id: input.issuerUnitId, qualification_file_id: input.fileId, audit_path: path.map((p) => p.unitId), submitted_at: now() }, trx);
        return {
          businessKey: generationRef(id),
          variables: {
            uploadId: id,
            uploaderUnitId: Number(upload.unit_id),
            unitName: unit?.name ?? '',
            documentNo: upload.document_no,
            acquisitionType: upload.acquisition_type,
            auditPath: path.map((p) => p.unitId),
            issuerUnitId: input.issuerUnitId,
            levelIndex: -1,
          },
        };
      },
    }).then((instanceId) => repo.setUpload(id, ['reviewing', 'approved'], { instance_id: instanceId }));
    return uploadDetail(actor, id);
  }

  async function completeStep(actor: RequestActor, upload: HistoryUploadRow, formKey: string, action: string, opinion: string | null, missing: string, shown?: { taskIds: string[] | undefined; field: string }) {
    const task = await openTaskFor(actor, upload, [formKey]);
    if (!task) throw new ConflictError(missing);
    if (shown) requireShownStep(shown.taskIds, task.id, shown.field);
    await engine.completeTask(task.id, actor, { action, opinion, check: checked(actor) });
  }

  async function resubmit(actor: RequestActor, id: number) {
    const upload = await ownUpload(actor, id);
    if (upload.status !== 'returned') throw new ConflictError('该批次未被退回，不需要重新提交');
    await completeStep(actor, upload, 'history-resubmit', 'complete', null, '该批次当前不在待重新提交环节');
    return uploadDetail(actor, id);
  }

  // ---------- 数据审核 ----------

  /** 待审核: batches at this unit's level (and the ones it passed or returned before, for reading). */
  async function reviewInbox(actor: RequestActor) {
    const unitId = holding(actor, 'history.review', '历史职称数据审核');
    const rows = await repo.uploadsAt(unitId, ['reviewing'], 'current');
    return Promise.all(rows.map((u) => uploadView(actor, u)));
  }

  async function reviewScope(actor: RequestActor, id: number) {
    const unitId = holding(actor, 'history.review', '历史职称数据审核');
    const upload = await readableUpload(actor, id);
    if (!idList(upload.audit_path).includes(unitId)) throw new ForbiddenError('无权审核该历史数据批次');
    return upload;
  }

  async function review(actor: RequestActor, id: number, input: { action: 'pass' | 'return'; reason?: string | null; taskId?: string }) {
    const upload = await reviewScope(actor, id);
    if (input.action === 'return' && !input.reason?.trim()) throw new ValidationError('请填写退回原因', [{ field: 'reason', message: '请填写退回原因' }]);
    const shown = { taskIds: input.taskId ? [input.taskId] : undefined, field: 'taskId' };
    await completeStep(actor, upload, 'history-review', input.action, input.action === 'return' ? input.reason!.trim() : (input.reason?.trim() || null), '该批次当前不在本单位（本岗位）审核环节', shown);
    return uploadDetail(actor, id);
  }

  /**
   * 批量审核 (the chosen batches) and 一键审核 (every batch the actor may pass now): 审核通过.
   * `taskIds` are the steps the list showed: a chosen batch at another step now refuses the whole
   * batch (409) before anything passes; 一键审核 passes only the batches at a shown step (409 when
   * none is left).
   */
  async function passMany(actor: RequestActor, ids: number[] | null, taskIds?: string[]) {
    const unitId = holding(actor, 'history.review', '历史职称数据审核');
    const waiting = await repo.uploadsAt(unitId, ['reviewing'], 'current');
    if (ids) {
      const known = new Set(waiting.map((u) => Number(u.id)));
      const foreign = ids.filter((x) => !known.has(x));
      if (foreign.length) throw new ForbiddenError('所选批次不在本单位待审核列表中');
    }
    const steps: TaskRecord[] = [];
    for (const u of waiting) {
      if (ids && !ids.includes(Number(u.id))) continue;
      const task = await openTaskFor(actor, u, ['history-review']);
      if (!task) continue;
      if (ids) requireShownStep(taskIds, task.id, 'taskIds');
      else if (taskIds && !taskIds.includes(task.id)) continue;
      steps.push(task);
    }
    if (!ids && taskIds && !steps.length) throw new ConflictError(STALE_STEP);
    let passed = 0;
    for (const task of steps) {
      await engine.completeTask(task.id, actor, { action: 'pass', opinion: null, check: checked(actor) });
      passed++;
    }
    return { passed, remaining: (ids ?? waiting.map((u) => Number(u.id))).length - passed };
  }

  /** 人员名单校验: names pasted from the 任职资格文件 against the batch's persons. */
  async function nameCheck(actor: RequestActor, id: number, text: string) {
    await readableUpload(actor, id);
    const names = [...new Set(text.split(/[\s,，、;；]+/u).map((n) => n.trim()).filter(Boolean))];
    if (!names.length) throw new ValidationError('请粘贴任职资格文件中的人员名单（姓名之间用空格分开）', [{ field: 'names', message: '请填写人员名单' }]);
    const listed = new Set(names);
    const rows = await repo.records(id, {}, null);
    const inBatch = new Set(rows.map((r) => r.person_name));
    return {
      persons: rows.map((r) => ({ id: Number(r.id), rowNo: Number(r.row_no), personName: r.person_name, idNumber: maskId(r.id_number), present: listed.has(r.person_name) })),
      present: rows.filter((r) => listed.has(r.person_name)).length,
      absent: rows.filter((r) => !listed.has(r.person_name)).length,
      notInBatch: names.filter((n) => !inBatch.has(n)),
    };
  }

  // ---------- 历史证书生成 ----------

  /** Approved batches of this issuer, grouped by uploading unit, 文号 and review body. */
  async function issueList(actor: RequestActor) {
    const unitId = holding(actor, 'history.review', '历史证书生成');
    const rows = await repo.uploadsAt(unitId, ['approved', 'issuing', 'issued'], 'issuer');
    const groups = await repo.reviewBodyGroups(rows.map((r) => Number(r.id)));
    const out = [];
    for (const u of rows) {
      const view = await uploadView(actor, u);
      for (const g of groups.filter((x) => Number(x.upload_id) === Number(u.id))) {
        out.push({ ...view, reviewBody: g.review_body, persons: Number(g.persons), pending: Number(g.pending), cancelled: Number(g.cancelled), issued: Number(g.issued) });
      }
    }
    return out;
  }

  async function issuable(actor: RequestActor, id: number) {
    const upload = await issuerUpload(actor, id);
    if (upload.status !== 'approved') throw new ConflictError(`该批次${STATUS_LABELS[upload.status]}，不能办理发证`);
    return upload;
  }

  async function cancelRecords(actor: RequestActor, id: number, input: { recordIds: number[]; reason: string | null; cancel: boolean }) {
    await issuable(actor, id);
    if (input.cancel && !input.reason?.trim()) throw new ValidationError('请填写取消发证的原因', [{ field: 'reason', message: '请填写原因' }]);
    const changed = await repo.setIssueState(id, input.recordIds, input.cancel ? 'cancelled' : null, input.cancel ? input.reason!.trim() : null);
    return { changed };
  }

  /** 退回 of doubtful persons: split off into a new 待提交 batch of the uploader, with the reason. */
  async function returnRecords(actor: RequestActor, id: number, input: { recordIds: number[]; reason: string }) {
    const upload = await issuable(actor, id);
    const total = (await repo.counts(id)).total;
    if (new Set(input.recordIds).size >= total) throw new ConflictError('不能退回全部人员，请使用“退回采集单位”整批退回');
    return db.transaction(async (trx) => {
      const locked = await repo.uploadForUpdate(id, trx);
      if (locked?.status !== 'approved') throw new ConflictError('该批次的状态已变化，请刷新后重试');
      return repo.splitOff(upload, [...new Set(input.recordIds)], input.reason, now(), trx);
    });
  }

  async function returnBatch(actor: RequestActor, id: number, reason: string) {
    const upload = await issuable(actor, id);
    await completeStep(actor, upload, 'history-issue', 'return', reason, '该批次当前不在发证环节');
    return uploadDetail(actor, id);
  }

  async function summaryExport(actor: RequestActor, id: number) {
    const upload = await issuerUpload(actor, id);
    const rows = (await repo.records(id, { bad: false }, null)).filter((r) => r.issue_state !== 'cancelled');
    const columns: SheetColumn<HistoryRecordRow>[] = [
      { header: '序号', value: (r) => rows.indexOf(r) + 1 },
      { header: '姓名', value: (r) => r.person_name },
      { header: '证件号码', width: 22, value: (r) => maskId(r.id_number) },
      { header: '工作单位', width: 24, value: (r) => r.employer_name },
      { header: '职称系列', value: (r) => r.series },
      { header: '专业', value: (r) => r.specialty },
      { header: '职称名称', value: (r) => r.title_name },
      { header: '层级', value: (r) => r.level },
      { header: '评审机构', width: 30, value: (r) => r.review_body },
      { header: '批准时间', value: (r) => r.approval_date },
      { header: '职称文件文号', width: 24, value: (r) => r.document_no },
    ];
    return { filename: `历史证书发证汇总表-${upload.document_no}.xlsx`, buffer: await workbookOf('发证汇总表', columns, rows) };
  }

  async function putStampedFile(actor: RequestActor, id: number, fileId: string) {
    await issuable(actor, id);
    if (!(await repo.ownFile(fileId, actor.userId))) throw new ValidationError('盖章汇总表不存在，请重新上传', [{ field: 'fileId', message: '文件不存在' }]);
    await repo.setUpload(id, ['approved'], { stamped_file_id: fileId });
    return uploadDetail(actor, id);
  }

  /** 发证: once; a second click finds the step done (409) and issues nothing. */
  async function issue(actor: RequestActor, id: number) {
    const upload = await issuable(actor, id);
    const task = await openTaskFor(actor, upload, ['history-issue']);
    if (!task) throw new ConflictError('该批次当前不在发证环节');
    await repo.setUpload(id, ['approved'], { issued_by: actor.userId });
    await engine.completeTask(task.id, actor, { action: 'pass', opinion: null, check: checked(actor) });
    return uploadDetail(actor, id);
  }

  async function progress(actor: RequestActor, id: number) {
    const upload = await issuerUpload(actor, id);
    const p = upload.status === 'approved' ? null : await certificates().progress(generationRef(id));
    return { status: upload.status, statusLabel: STATUS_LABELS[upload.status], total: p?.total ?? 0, issued: p?.issued ?? 0, state: p?.state ?? null };
  }

  return {
    listBodies,
    createBody,
    updateBody,
    setBodyStatus,
    unitOptions,
    createUpload,
    listUploads,
    uploadDetail,
    importWorkbook,
    listRecords,
    updateRecord,
    deleteRecords,
    exportBad,
    exportRecords,
    template,
    issuerOptions,
    auditPath,
    submit,
    resubmit,
    reviewInbox,
    review,
    passMany,
    nameCheck,
    issueList,
    cancelRecords,
    returnBatch,
    returnRecords,
    summaryExport,
    putStampedFile,
    issue,
    progress,
    readableUpload,
  };
}

/** 5101**********231X: the ID number as shown. */
export const maskId = (id: string): string => maskIdNumber(id) ?? id;

export type HistoryDataService = ReturnType<typeof createHistoryDataService>;
