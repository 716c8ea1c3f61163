import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import type { TaskRecord } from '../../../engine/types.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import type { PiiCipher } from '../../src/pii.ts';
import { workbookOf } from '../../src/xlsx.ts';
import type { CertificatesService } from '../certificates/certificates.service.ts';
import { createFilesRepository } from '../files/files.repository.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { titleNameOf } from './certificate-issuance.flow.ts';
import { parseInitialWorkbook, INITIAL_COLUMNS, INITIAL_OPTIONS, type InitialPersonInput, checkInitialPerson } from './certificate-issuance.import.ts';
import { renderSummary } from './certificate-issuance.pdf.ts';
import { checkIssuingData, maskIdNumber } from './certificate-issuance.rules.ts';
import {
  BATCH_STATE_LABELS,
  ITEM_STATE_LABELS,
  KIND_LABELS,
  batchRefOf,
  createIssuanceRepository,
  type BatchListRow,
  type BatchPersonRow,
  type HandoverRow,
  type IssuanceKind,
} from './certificate-issuance.repository.ts';

/** A page of a list (1-based), narrowed by the start of a name. */
export interface ListPage {
  page: number;
  pageSize: number;
  name?: string;
}

const UNIQUE_VIOLATION = '23505';
const PROCESS_OF: Record<IssuanceKind, string> = { review: 'certificate-issuance', initial: 'certificate-issuance', delegated: 'delegated-certificate' };
const BATCH_PREFIX: Record<IssuanceKind, string> = { review: 'PS', initial: 'CD', delegated: 'WT' };

const label = (table: Record<string, string>, code: string | null) => (code ? (table[code] ?? code) : null);
const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** 证书生成 for the issuing units: 评审发证 (授权管理单位), 委托发证 (委托单位), 初定发证 (人社部门). */
export function createIssuanceService(deps: { db: Knex; engine: WorkflowEngine; certificates: Pick<CertificatesService, 'progress'>; checks: Record<string, CompletionCheck>; pii: PiiCipher }) {
  const { db, engine, certificates, checks } = deps;
  const repo = createIssuanceRepository(db, deps.pii);
  const files = createFilesRepository(db);
  const now = () => engine.clock.now();

  const checked = (actor: RequestActor) => (task: TaskRecord, validated: { action: string; data: Record<string, unknown> }) => {
    const check = task.formKey ? checks[task.formKey] : undefined;
    return check ? check({ task, actor, ...validated }) : Promise.resolve();
  };

  // ------------------------------------------------------------------ scope

  /** 证书生成 held in a unit: the unit whose batches the caller works. */
  function issuerScope(actor: RequestActor): number {
    if (!actor.roles.includes('certificate.issue') || actor.unitId == null) throw new ForbiddenError('没有“证书生成”权限');
    return actor.unitId;
  }

  /** 初定发证 is the HR bureau's. */
  async function initialScope(actor: RequestActor): Promise<number> {
    const unitId = issuerScope(actor);
    const unit = await repo.unit(unitId);
    if (unit?.unit_type !== 'hr_bureau') throw new ForbiddenError('初定发证由人社部门办理');
    return unitId;
  }

  /** A batch of the caller's unit; another unit's batch answers as a missing one. */
  async function batchInScope(actor: RequestActor, batchId: number): Promise<BatchListRow> {
    const unitId = issuerScope(actor);
    const batch = Number.isSafeInteger(batchId) && batchId > 0 ? await repo.batch(batchId) : undefined;
    if (!batch || Number(batch.issuer_unit_id) !== unitId) throw new NotFoundError('发证批次不存在');
    return batch;
  }

  // ------------------------------------------------------------------ views

  const handoverView = (h: HandoverRow) => ({
    meetingId: Number(h.meeting_id),
    dossierId: Number(h.dossier_id),
    personName: h.applicant_name,
    idNumber: h.id_number ? maskIdNumber(h.id_number) : null,
    employer: h.employer,
    series: label(SERIES, h.series),
    specialty: h.specialty,
    level: label(LEVELS, h.level),
    titleName: titleNameOf(h.series, h.level),
    documentNo: h.document_no,
    approvalDate: h.approval_date,
    handedAt: iso(h.handed_at),
  });

  const batchView = (b: BatchListRow) => ({
    id: Number(b.id),
    kind: b.kind,
    kindLabel: KIND_LABELS[b.kind],
    batchNo: b.batch_no,
    documentNo: b.document_no,
    committeeName: b.committee_name,
    state: b.state,
    stateLabel: BATCH_STATE_LABELS[b.state],
    pendingCount: Number(b.pending_count),
    issuedCount: Number(b.issued_count),
    cancelledCount: Number(b.cancelled_count),
    stampedFile: b.stamped_file_id ? { id: b.stamped_file_id, name: b.stamped_file_name ?? '' } : null,
    taskId: b.task_id,
    generationRef: b.generation_ref,
    createdAt: iso(b.created_at),
    issuedAt: iso(b.issued_at),
  });

  const personView = (p: BatchPersonRow) => ({
    id: Number(p.id),
    sourceType: p.source_type,
    sourceId: Number(p.source_id),
    dossierId: p.dossier_id == null ? null : Number(p.dossier_id),
    personName: p.person_name,
    idNumber: p.id_number ? maskIdNumber(p.id_number) : '',
    gender: p.gender,
    employer: p.employer_name,
    series: p.source_type === 'initial' ? p.series : label(SERIES, p.series),
    specialty: p.specialty,
    level: p.source_type === 'initial' ? p.level : label(LEVELS, p.level),
    titleName: p.source_type === 'initial' ? p.title_name : titleNameOf(p.series, p.level),
    committeeName: p.committee_name,
    documentNo: p.document_no,
    approvalDate: p.approval_date,
    state: p.state,
    stateLabel: ITEM_STATE_LABELS[p.state],
    cancelReason: p.cancel_reason,
    certificateId: p.certificate_id == null ? null : Number(p.certificate_id),
    certificateNo: p.certificate_no,
  });

  // ------------------------------------------------------------------ batches

  /**
   * A batch and its flow, in the start's one transaction: the person rows' unique index (one live
   * batch per person) makes a second click, or a concurrent one, a 409 instead of a second batch.
   */
  async function createBatch(
    actor: RequestActor,
    input: {
      kind: IssuanceKind;
      unitId: number;
      documentNo: string | null;
      committeeId: number | null;
      items: Array<{ sourceType: 'dossier' | 'initial'; sourceId: number; dossierId: number | null; meetingId: number | null; documentNo: string | null; approvalDate: string | null }>;
      initialIds?: number[];
    },
  ): Promise<{ id: number; batchNo: string }> {
    let created: { id: number; batchNo: string } | null = null;
    try {
      await engine.startInstance({
        processKey: PROCESS_OF[input.kind],
        actor,
        checkStarter: false,
        prepare: async (trx) => {
          const at = now();
          const id = await repo.nextBatchId(trx);
          const batchNo = `${BATCH_PREFIX[input.kind]}${at.getUTCFullYear()}${String(id).padStart(5, '0')}`;
          await repo.insertBatch({ id, kind: input.kind, issuer_unit_id: input.unitId, batch_no: batchNo, document_no: input.documentNo, committee_id: input.committeeId, created_by: actor.userId, created_at: at }, trx);
          await repo.insertItems(
            input.items.map((i) => ({ batch_id: id, source_type: i.sourceType, source_id: i.sourceId, dossier_id: i.dossierId, meeting_id: i.meetingId, document_no: i.documentNo, approval_date: i.approvalDate, created_at: at })),
            trx,
          );
          if (input.initialIds?.length) await repo.markInitialBatched(input.unitId, input.initialIds, trx);
          created = { id, batchNo };
          return {
            businessKey: batchRefOf(id),
            variables: { batchId: id, kind: input.kind, kindLabel: KIND_LABELS[input.kind], batchNo, documentNo: input.documentNo, issuerUnitId: input.unitId },
            afterStart: (t, instanceId) => repo.setInstance(id, instanceId, t),
          };
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError('所选人员已在其他发证批次中，请刷新后重试');
      throw err;
    }
    return created!;
  }

  /** 待处理 (评审发证, by meeting) / 未处理 (委托发证, by committee): hand-overs not yet in a batch. */
  async function pending(actor: RequestActor, kind: 'review' | 'delegated') {
    const unitId = issuerScope(actor);
    const rows = await repo.pendingHandovers(unitId, kind);
    const groups = new Map<string, { key: string; meetingId: number | null; meetingName: string | null; committeeId: number; committeeName: string; persons: ReturnType<typeof handoverView>[] }>();
    for (const r of rows) {
      const key = kind === 'review' ? `meeting:${r.meeting_id}` : `committee:${r.committee_id}`;
      if (!groups.has(key)) {
        groups.set(key, {
          key,
          meetingId: kind === 'review' ? Number(r.meeting_id) : null,
          meetingName: kind === 'review' ? r.meeting_name : null,
          committeeId: Number(r.committee_id),
          committeeName: r.committee_name,
          persons: [],
        });
      }
      groups.get(key)!.persons.push(handoverView(r));
    }
    return [...groups.values()];
  }

  async function handoversFor(unitId: number, kind: 'review' | 'delegated', dossierIds: number[]) {
    const ids = [...new Set(dossierIds)];
    if (!ids.length) throw new ValidationError('请选择人员', [{ field: 'dossierIds', message: '请至少选择一人' }]);
    const rows = await repo.handoversOf(unitId, kind, ids);
    const ours = await repo.handedToUnit(unitId, kind, ids);
    if (ours.length !== ids.length) throw new NotFoundError('所选人员不是本单位的待发证人员');
    if (rows.length !== ids.length) throw new ConflictError(kind === 'review' ? '所选人员已审核通过或不在待处理中，请刷新后重试' : '所选人员已录入发证信息或不在未处理中，请刷新后重试');
    return rows;
  }

  /** 审核通过: the selected hand-overs go to 待发放, one batch per 文号. */
  async function approve(actor: RequestActor, dossierIds: number[]) {
    const unitId = issuerScope(actor);
    const rows = await handoversFor(unitId, 'review', dossierIds);
    const byDocument = new Map<string, HandoverRow[]>();
    for (const r of rows) byDocument.set(r.document_no, [...(byDocument.get(r.document_no) ?? []), r]);
    const batches = [];
    for (const [documentNo, group] of byDocument) {
      const batch = await createBatch(actor, {
        kind: 'review',
        unitId,
        documentNo,
        committeeId: Number(group[0]!.committee_id),
        items: group.map((r) => ({ sourceType: 'dossier', sourceId: Number(r.dossier_id), dossierId: Number(r.dossier_id), meetingId: Number(r.meeting_id), documentNo: r.document_no, approvalDate: r.approval_date })),
      });
      batches.push({ ...batch, documentNo, count: group.length });
    }
    return { batches };
  }

  /** 录入发证信息 (委托发证): the delegating unit's own 文号 and approval date for the selected persons. */
  async function enterDelegated(actor: RequestActor, input: { dossierIds: number[]; documentNo: string; approvalDate: string }) {
    const unitId = issuerScope(actor);
    const documentNo = checkIssuingData(input.documentNo, input.approvalDate);
    const rows = await handoversFor(unitId, 'delegated', input.dossierIds);
    const committees = new Set(rows.map((r) => Number(r.committee_id)));
    const batch = await createBatch(actor, {
      kind: 'delegated',
      unitId,
      documentNo,
      committeeId: committees.size === 1 ? [...committees][0]! : null,
      items: rows.map((r) => ({ sourceType: 'dossier', sourceId: Number(r.dossier_id), dossierId: Number(r.dossier_id), meetingId: Number(r.meeting_id), documentNo, approvalDate: input.approvalDate })),
    });
    return { batches: [{ ...batch, documentNo, count: rows.length }] };
  }

  /** 待发放 (pending and generating) or 已发放 batches of a kind. */
  async function listBatches(actor: RequestActor, kind: IssuanceKind, tab: 'pending' | 'issued') {
    const unitId = kind === 'initial' ? await initialScope(actor) : issuerScope(actor);
    const rows = await repo.batches(unitId, kind, tab === 'pending' ? ['pending', 'generating'] : ['issued']);
    return rows.map(batchView);
  }

  /** 发证批次: the batch, one page of its persons (a batch of 1,000 is read a page at a time) and the generation's progress. */
  async function batchDetail(actor: RequestActor, batchId: number, page: ListPage = { page: 1, pageSize: 50 }) {
    const batch = await batchInScope(actor, batchId);
    const persons = await repo.persons(batchId, null, undefined, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize });
    const progress = batch.generation_ref ? await certificates.progress(batch.generation_ref) : null;
    return {
      batch: batchView(batch),
      personTotal: await repo.personCount(batchId),
      missingIssuingData: await repo.missingIssuingData(batchId),
      persons: persons.map(personView),
      progress: progress ? { total: progress.total, issued: progress.issued, state: progress.state, lastError: progress.lastError } : null,
    };
  }

  /**
   * 取消发证: doubtful persons leave the batch. A reviewed or delegated one goes back to the
   * committee with the reason (its 提交发证信息 may hand them again); a 初定 one back to 未发放.
   * A batch left without anyone is withdrawn (撤销批次, the diagram's other way out).
   */
  async function cancel(actor: RequestActor, batchId: number, input: { itemIds: number[]; reason: string }) {
    const batch = await batchInScope(actor, batchId);
    const reason = input.reason?.trim() ?? '';
    if (!reason) throw new ValidationError('请填写取消发证的原因', [{ field: 'reason', message: '请填写取消发证的原因' }]);
    if (!input.itemIds.length) throw new ValidationError('请选择要取消发证的人员', [{ field: 'itemIds', message: '请至少选择一人' }]);
    const left = await db.transaction(async (trx) => {
      const locked = await repo.lockBatch(batchId, trx);
      if (locked?.state !== 'pending') throw new ConflictError('该批次已发证，不能再取消发证');
      const cancelled = await repo.cancelItems(batchId, [...new Set(input.itemIds)], reason, actor.userId, now(), trx);
      if (cancelled.length !== new Set(input.itemIds).size) throw new ConflictError('所选人员已取消发证或不在本批次中，请刷新后重试');
      await repo.returnHandovers(
        cancelled.filter((c) => c.source_type === 'dossier').map((c) => ({ meetingId: Number(c.meeting_id), dossierId: Number(c.dossier_id) })),
        reason,
        now(),
        trx,
      );
      await repo.initialBackToUnissued(cancelled.filter((c) => c.source_type === 'initial').map((c) => Number(c.source_id)), reason, trx);
      return (await repo.persons(batchId, ['pending'], trx)).length;
    });
    if (left === 0 && batch.task_id) {
      await engine.completeTask(batch.task_id, actor, { action: 'discard', opinion: `批次人员已全部取消发证：${reason}`, check: checked(actor) });
    }
    return { cancelled: input.itemIds.length, remaining: left };
  }

  /** 生成证书: approval date and 文号 for the selected persons (or all who wait). */
  async function setIssuingData(actor: RequestActor, batchId: number, input: { itemIds?: number[] | null; documentNo: string; approvalDate: string }) {
    await batchInScope(actor, batchId);
    const documentNo = checkIssuingData(input.documentNo, input.approvalDate);
    await db.transaction(async (trx) => {
      const locked = await repo.lockBatch(batchId, trx);
      if (locked?.state !== 'pending') throw new ConflictError('该批次已发证，不能再修改批准时间和文号');
      const waiting = (await repo.persons(batchId, ['pending'], trx)).map((p) => Number(p.id));
      const ids = input.itemIds?.length ? [...new Set(input.itemIds)] : waiting;
      const n = await repo.setIssuingData(batchId, ids, documentNo, input.approvalDate, trx);
      if (n !== ids.length) throw new ConflictError('所选人员已取消发证或不在本批次中，请刷新后重试');
      if (waiting.every((id) => ids.includes(id))) await repo.setBatchDocumentNo(batchId, documentNo, trx);
    });
  }

  const summaryRows = async (batchId: number) => (await repo.persons(batchId, ['pending', 'issued'])).map(personView);

  /** 导出汇总表 (Excel): the persons to be issued, for stamping offline. */
  async function summaryXlsx(actor: RequestActor, batchId: number) {
    const batch = await batchInScope(actor, batchId);
    const rows = await summaryRows(batchId);
    const buffer = await workbookOf(
      '发证汇总表',
      [
        { header: '序号', width: 8, value: (r: (typeof rows)[number]) => rows.indexOf(r) + 1 },
        { header: '姓名', width: 12, value: (r) => r.personName },
        { header: '身份证号', width: 22, value: (r) => r.idNumber },
        { header: '工作单位', width: 30, value: (r) => r.employer },
        { header: '系列', width: 14, value: (r) => r.series },
        { header: '专业', width: 16, value: (r) => r.specialty },
        { header: '层级', width: 10, value: (r) => r.level },
        { header: '职称名称', width: 16, value: (r) => r.titleName },
        { header: '评审机构', width: 30, value: (r) => r.committeeName },
        { header: '批准时间', width: 14, value: (r) => r.approvalDate },
        { header: '职称文件文号', width: 24, value: (r) => r.documentNo },
      ],
      rows,
    );
    return { buffer, filename: `${KIND_LABELS[batch.kind]}汇总表-${batch.batch_no}.xlsx` };
  }

  /** 导出汇总表 (PDF, Chinese): the same table, to print and stamp. */
  async function summaryPdf(actor: RequestActor, batchId: number) {
    const batch = await batchInScope(actor, batchId);
    const unit = await repo.unit(Number(batch.issuer_unit_id));
    const rows = await summaryRows(batchId);
    const buffer = await renderSummary({
      title: `${KIND_LABELS[batch.kind]}汇总表`,
      batchNo: batch.batch_no,
      documentNo: batch.document_no,
      issuerName: unit?.name ?? '',
      persons: rows.map((r) => ({ name: r.personName, idNumber: r.idNumber, employer: r.employer ?? '', series: r.series ?? '', specialty: r.specialty ?? '', titleName: r.titleName ?? '', approvalDate: r.approvalDate ?? '', documentNo: r.documentNo ?? '' })),
    });
    return { buffer, filename: `${KIND_LABELS[batch.kind]}汇总表-${batch.batch_no}.pdf` };
  }

  /** 上传盖章汇总表: a PDF the caller uploaded to /api/files. */
  async function uploadStamped(actor: RequestActor, batchId: number, fileId: string) {
    await batchInScope(actor, batchId);
    const file = await repo.ownFile(fileId, actor.userId);
    if (!file) throw new ValidationError('盖章汇总表不存在，请重新上传', [{ field: 'fileId', message: '文件不存在' }]);
    if (file.mime !== 'application/pdf' && !file.name.toLowerCase().endsWith('.pdf')) throw new ValidationError('盖章汇总表须为 PDF 文件', [{ field: 'fileId', message: '请上传 PDF 文件' }]);
    await db.transaction((trx) => repo.setStampedFile(batchId, fileId, trx));
  }

  /** 发证: completes the batch's 生成证书 step; the diagram starts the generation. */
  async function issue(actor: RequestActor, batchId: number) {
    const batch = await batchInScope(actor, batchId);
    if (batch.state !== 'pending' || !batch.task_id) throw new ConflictError(batch.state === 'discarded' ? '该批次已撤销' : '该批次已发证，不能重复发证');
    await engine.completeTask(batch.task_id, actor, { action: 'issue', opinion: null, check: checked(actor) });
    return { generationRef: batchRefOf(batchId) };
  }

  /** 已发放: the batch's certificates (their documents are the certificate pages'). */
  /** 已发放: the batch's certificates, a page at a time (by the start of the name), with how many match. */
  async function issuedCertificates(actor: RequestActor, batchId: number, page: ListPage = { page: 1, pageSize: 50 }) {
    await batchInScope(actor, batchId);
    const name = page.name || undefined;
    const total = await repo.certificateCount(batchId, name);
    const rows = await repo.certificates(batchId, undefined, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize, name });
    const items = rows.map((c) => ({
      id: Number(c.id),
      certificateNo: c.certificate_no,
      personName: c.person_name,
      idNumber: maskIdNumber(c.id_number),
      series: c.series,
      specialty: c.specialty,
      titleName: c.title_name,
      level: c.level,
      documentNo: c.document_no,
      approvalDate: c.approval_date,
      status: c.status,
      issuedAt: iso(c.issued_at),
      dossierId: c.dossier_id == null ? null : Number(c.dossier_id),
    }));
    return { total, items };
  }

  // ------------------------------------------------------------------ 初定

  const initialView = (p: Awaited<ReturnType<typeof repo.initialPersons>>[number]) => ({
    id: Number(p.id),
    personName: p.person_name,
    idNumber: maskIdNumber(p.id_number),
    gender: p.gender,
    series: p.series,
    specialty: p.specialty,
    titleName: p.title_name,
    level: p.level,
    employer: p.employer_name,
    education: p.education,
    state: p.state,
    cancelReason: p.cancel_reason,
  });

  /** 初定发证“未发放”: a page of the unit's persons (by the start of the name), with how many match. */
  async function initialPersons(actor: RequestActor, page: ListPage = { page: 1, pageSize: 50 }) {
    const unitId = await initialScope(actor);
    const name = page.name || undefined;
    const total = await repo.initialCount(unitId, ['unissued'], name);
    const rows = await repo.initialPersons(unitId, ['unissued'], undefined, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize, name });
    return { total, items: rows.map(initialView) };
  }

  const toRow = (unitId: number, userId: number, p: InitialPersonInput) => ({
    unit_id: unitId,
    person_name: p.personName,
    id_number: p.idNumber,
    gender: p.gender,
    series: p.series,
    specialty: p.specialty,
    title_name: p.titleName,
    level: p.level,
    employer_name: p.employer ?? null,
    education: p.education ?? null,
    created_by: userId,
    created_at: now(),
  });

  async function addInitialPerson(actor: RequestActor, input: Record<string, unknown>) {
    const unitId = await initialScope(actor);
    const person = checkInitialPerson(input, '');
    const [id] = await repo.insertInitialPersons([toRow(unitId, actor.userId, person)]);
    if (id == null) throw new ConflictError(`${person.personName}（${maskIdNumber(person.idNumber)}）的${person.series}${person.level}初定已录入`);
    return { id };
  }

  /** A 初定 person of the caller's unit still 未发放; another unit's answers as missing, a batched one 409. */
  async function unissuedPerson(unitId: number, id: number) {
    const [row] = await repo.initialPersonsOf(unitId, [id]);
    if (!row) throw new NotFoundError('初定人员不存在');
    if (row.state !== 'unissued') throw new ConflictError(`${row.person_name}已加入批次，不能修改或删除；可在“发放中”取消发证后再修改`);
    return row;
  }

  /** 修改初定人员: the same checks as 录入; an empty 身份证号 keeps the one on record (the list shows it masked). */
  async function editInitialPerson(actor: RequestActor, id: number, input: Record<string, unknown>) {
    const unitId = await initialScope(actor);
    const row = await unissuedPerson(unitId, id);
    const idNumber = typeof input.idNumber === 'string' && input.idNumber.trim() ? input.idNumber : row.id_number;
    const person = checkInitialPerson({ ...input, idNumber }, '');
    const { unit_id: _unit, created_by: _by, created_at: _at, ...fields } = toRow(unitId, actor.userId, person);
    let n: number;
    try {
      n = await repo.updateInitialPerson(unitId, id, fields);
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError(`${person.personName}（${maskIdNumber(person.idNumber)}）的${person.series}${person.level}初定已录入`);
      throw err;
    }
    if (n !== 1) throw new ConflictError(`${row.person_name}已加入批次，不能修改`);
    return { id };
  }

  /** 删除 (batch): only persons still 未发放, all or none. */
  async function deleteInitialPersons(actor: RequestActor, ids: number[]) {
    const unitId = await initialScope(actor);
    const unique = [...new Set(ids)];
    return db.transaction(async (trx) => {
      const rows = await repo.initialPersonsOf(unitId, unique, trx);
      if (rows.length !== unique.length) throw new NotFoundError('所选初定人员不存在');
      const batched = rows.filter((r) => r.state !== 'unissued');
      if (batched.length) throw new ConflictError(`${batched.map((r) => r.person_name).join('、')}已加入批次，不能删除`);
      const n = await repo.deleteInitialPersons(unitId, unique, trx);
      if (n !== unique.length) throw new ConflictError('所选人员已加入批次或已删除，请刷新后重试');
      return { deleted: n };
    });
  }

  /** 导入 (xlsx): every row checked first; one bad row refuses the file, naming the row and field. */
  async function importInitial(actor: RequestActor, fileId: string) {
    const unitId = await initialScope(actor);
    const file = await files.withContent(fileId);
    if (!file || file.uploadedBy !== actor.userId) throw new ValidationError('导入文件不存在，请重新上传', [{ field: 'fileId', message: '文件不存在' }]);
    const persons = await parseInitialWorkbook(file.content);
    const ids = await repo.insertInitialPersons(persons.map((p) => toRow(unitId, actor.userId, p)));
    return { imported: ids.length, skipped: persons.length - ids.length };
  }

  async function initialOptions(actor: RequestActor) {
    await initialScope(actor);
    return INITIAL_OPTIONS;
  }

  async function initialTemplate(actor: RequestActor) {
    await initialScope(actor);
    const example = [{ personName: '张三', idNumber: '510104199003071234', gender: '男', series: '工程技术', specialty: '机械工程', titleName: '助理工程师', level: '初级', employer: '成都示范科技有限公司', education: '大学本科' }];
    const buffer = await workbookOf('初定人员', INITIAL_COLUMNS.map((c) => ({ header: c.header, width: c.width, value: (r: (typeof example)[number]) => r[c.field] })), example);
    return { buffer, filename: '初定人员导入模板.xlsx' };
  }

  /** 添加批次: the selected 未发放 persons go into one new batch (发放中). */
  async function addInitialBatch(actor: RequestActor, personIds: number[]) {
    const unitId = await initialScope(actor);
    const ids = [...new Set(personIds)];
    if (!ids.length) throw new ValidationError('请选择初定人员', [{ field: 'personIds', message: '请至少选择一人' }]);
    const persons = await repo.initialPersonsOf(unitId, ids);
    if (persons.length !== ids.length || persons.some((p) => p.state !== 'unissued')) throw new ConflictError('所选人员已加入其他批次，请刷新后重试');
    const batch = await createBatch(actor, {
      kind: 'initial',
      unitId,
      documentNo: null,
      committeeId: null,
      items: persons.map((p) => ({ sourceType: 'initial', sourceId: Number(p.id), dossierId: null, meetingId: null, documentNo: null, approvalDate: null })),
      initialIds: ids,
    });
    return { ...batch, count: ids.length };
  }

  return {
    pending,
    approve,
    enterDelegated,
    listBatches,
    batchDetail,
    cancel,
    setIssuingData,
    summaryXlsx,
    summaryPdf,
    uploadStamped,
    issue,
    issuedCertificates,
    initialPersons,
    addInitialPerson,
    editInitialPerson,
    deleteInitialPersons,
    importInitial,
    initialOptions,
    initialTemplate,
    addInitialBatch,
  };
}

export type IssuanceService = ReturnType<typeof createIssuanceService>;
