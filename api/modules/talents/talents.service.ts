import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import type { TaskRecord } from '../../../engine/types.ts';
import { EDUCATION, LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ETHNICITIES, GENDERS, ORIGINS, POLITICAL_STATUSES, TALENT_CATEGORIES, TITLE_KINDS } from '../../../forms/talent.ts';
import { checkIdNumber } from '../../../forms/validators.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { auditPiiView, maskIdNumber, openSealed, sealedWrite, type PiiCipher } from '../../src/pii.ts';
import { TALENT_PROCESS } from './talents.flow.ts';
import { TALENTS_SEALED } from './talents.pii.ts';
import { createTalentsRepository, STAT_COLUMNS, type StatColumn, type StatCounts, type StoredTalentValues, type TalentListRow, type TalentStatus, type TalentValues } from './talents.repository.ts';
import type { TalentInput } from './talents.schemas.ts';

export const STATUS_LABELS: Record<TalentStatus, string> = { draft: '待提交', reviewing: '审核中', returned: '已退回', approved: '审核通过', rejected: '不通过' };

/** The columns of 专技人才统计 with the manual's header groups (图 2.10.3). */
export const STAT_HEADERS: Array<{ key: StatColumn; label: string; group: string }> = [
  { key: 'total', label: '合计', group: '专业技术人员类别' },
  { key: 'senior_full', label: '正高级', group: '具有专业技术职称人员' },
  { key: 'senior_deputy', label: '副高级', group: '具有专业技术职称人员' },
  { key: 'intermediate', label: '中级', group: '具有专业技术职称人员' },
  { key: 'junior', label: '初级', group: '具有专业技术职称人员' },
  { key: 'certificate_only', label: '只具有职业资格证书人员', group: '专业技术人员类别' },
  { key: 'other', label: '其他人员', group: '专业技术人员类别' },
  { key: 'female', label: '女', group: '基本情况' },
  { key: 'minority', label: '少数民族', group: '基本情况' },
  { key: 'party', label: '中共党员', group: '基本情况' },
  { key: 'overseas', label: '港澳台及外籍人士', group: '基本情况' },
  { key: 'doctorate', label: '博士', group: '学历' },
  { key: 'master', label: '硕士', group: '学历' },
  { key: 'bachelor', label: '大学本科', group: '学历' },
  { key: 'associate', label: '大学专科', group: '学历' },
  { key: 'secondary_below', label: '中专及以下', group: '学历' },
];

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const label = (o: Record<string, string>, k: string | null) => (k == null ? null : (o[k] ?? k));
const options = (o: Record<string, string>) => Object.entries(o).map(([value, l]) => ({ value, label: l }));
const zero = (): StatCounts => Object.fromEntries(STAT_COLUMNS.map((c) => [c, 0])) as StatCounts;
const APPLY = 'dossier.apply';

/** 专技人才: the person's registration, 专技人才审核 and 专技人才统计. */
export function createTalentsService(deps: { db: Knex; engine: WorkflowEngine; pii: PiiCipher; now?: () => Date }) {
  const { db, engine, pii } = deps;
  const now = deps.now ?? (() => new Date());
  const repo = createTalentsRepository(db);
  // the ID number is sealed at rest: written as its seal and hash, opened where it is shown
  const sealed = (values: TalentValues): StoredTalentValues => ({ ...values, ...(sealedWrite(pii, TALENTS_SEALED, { id_number: values.id_number }) as Pick<StoredTalentValues, 'id_number' | 'id_number_enc' | 'id_number_hash' | 'pii_key_id'>) });
  const idNumberOf = (t: TalentListRow): string | null => openSealed(pii, TALENTS_SEALED, { id_number: t.id_number, id_number_enc: t.id_number_enc }).id_number;
  /** The person sees their own number; staff see it masked and open it with 查看 (`GET /api/talents/:id/pii`, audited). */
  const shownIdNumber = (actor: RequestActor, t: TalentListRow): string => {
    const full = idNumberOf(t) ?? '';
    return Number(t.user_id) === actor.userId ? full : (maskIdNumber(full) ?? '');
  };

  // ---------- scope (before any state) ----------

  function applicant(actor: RequestActor) {
    if (!actor.roles.includes(APPLY)) throw new ForbiddenError('只有申报人可以登记专技人才信息');
  }

  function holding(actor: RequestActor, permissions: string[], name: string): number {
    if (!permissions.some((p) => actor.roles.includes(p)) || actor.unitId == null) throw new ForbiddenError(`没有“${name}”权限`);
    return actor.unitId;
  }

  async function ownUnitPath(unitId: number): Promise<{ path: string; name: string }> {
    const unit = await repo.unit(unitId);
    if (!unit) throw new ForbiddenError('单位不存在');
    return { path: unit.path, name: unit.name };
  }

  /** The person themselves, or staff of the registration's unit or a unit above it, once submitted; anyone else learns nothing (404). */
  async function readable(actor: RequestActor, id: number): Promise<TalentListRow> {
    if (!actor.roles.includes(APPLY)) holding(actor, ['talent.review', 'talent.stats'], '专技人才审核');
    const talent = Number.isSafeInteger(id) && id > 0 ? await repo.byId(id) : undefined;
    if (talent && Number(talent.user_id) === actor.userId) return talent;
    if (talent && talent.status !== 'draft' && actor.unitId != null && !actor.roles.includes(APPLY)) {
      const [own, unit] = await Promise.all([repo.unit(actor.unitId), repo.unit(Number(talent.unit_id))]);
      if (own && unit && unit.path.startsWith(own.path)) return talent;
    }
    throw new NotFoundError('专技人才信息不存在');
  }

  // ---------- views ----------

  async function openTask(talent: TalentListRow, formKey: string): Promise<TaskRecord | undefined> {
    if (!talent.instance_id) return undefined;
    return (await engine.repo.openTasksOfRoot(talent.instance_id)).find((t) => t.formKey === formKey);
  }

  /**
   * The review step waiting at `unitId`. The registration was read before its tasks: a concurrent
   * pass committed in between leaves the next unit's step open, which this caller may not know
   * of (the engine would answer 404) — that is a decision already taken, so no step is returned.
   */
  async function reviewTaskAt(talent: TalentListRow, unitId: number): Promise<TaskRecord | undefined> {
    const task = await openTask(talent, 'talent-review');
    return task?.candidateUnitId === unitId ? task : undefined;
  }

  async function view(actor: RequestActor, t: TalentListRow, names?: Map<number, string>) {
    const path = (t.audit_path ?? []).map(Number);
    const nameOf = names ?? new Map((await repo.unitsByIds(path)).map((u) => [Number(u.id), u.name]));
    return {
      id: Number(t.id),
      userId: Number(t.user_id),
      unitId: Number(t.unit_id),
      unitName: t.unit_name,
      personName: t.person_name,
      gender: t.gender,
      genderLabel: GENDERS[t.gender] ?? t.gender,
      birthDate: String(t.birth_date),
      idNumber: shownIdNumber(actor, t),
      ethnicity: t.ethnicity,
      politicalStatus: t.political_status,
      politicalStatusLabel: label(POLITICAL_STATUSES, t.political_status)!,
      origin: t.origin,
      originLabel: label(ORIGINS, t.origin)!,
      education: t.education,
      educationLabel: label(EDUCATION, t.education)!,
      category: t.category,
      categoryLabel: label(TALENT_CATEGORIES, t.category)!,
      titleKind: t.title_kind,
      titleKindLabel: label(TITLE_KINDS, t.title_kind)!,
      level: t.level,
      levelLabel: label(LEVELS, t.level),
      series: t.series,
      seriesLabel: label(SERIES, t.series),
      titleName: t.title_name,
      certificateName: t.certificate_name,
      status: t.status,
      statusLabel: STATUS_LABELS[t.status],
      auditPath: path.map((unitId) => ({ unitId, name: nameOf.get(unitId) ?? '' })),
      currentUnitId: t.current_unit_id == null ? null : Number(t.current_unit_id),
      currentUnitName: t.current_unit_name,
      returnReason: t.return_reason,
      returnCount: Number(t.return_count),
      rejectReason: t.reject_reason,
      instanceId: t.instance_id,
      version: Number(t.version),
      reviewable: t.status === 'reviewing' && actor.unitId != null && Number(t.current_unit_id) === actor.unitId && actor.roles.includes('talent.review'),
      submittedAt: iso(t.submitted_at),
      decidedAt: iso(t.decided_at),
      updatedAt: iso(t.updated_at)!,
    };
  }

  async function views(actor: RequestActor, rows: TalentListRow[]) {
    const ids = [...new Set(rows.flatMap((r) => (r.audit_path ?? []).map(Number)))];
    const names = new Map((await repo.unitsByIds(ids)).map((u) => [Number(u.id), u.name]));
    return Promise.all(rows.map((r) => view(actor, r, names)));
  }

  function optionLists() {
    return {
      genders: options(GENDERS),
      ethnicities: ETHNICITIES.map((e) => ({ value: e, label: e })),
      politicalStatuses: options(POLITICAL_STATUSES),
      origins: options(ORIGINS),
      educations: options(EDUCATION),
      categories: options(TALENT_CATEGORIES),
      titleKinds: options(TITLE_KINDS),
      levels: options(LEVELS),
      series: options(SERIES),
    };
  }

  // ---------- 我的专技人才信息 ----------

  async function mine(actor: RequestActor) {
    applicant(actor);
    const [talent, user] = await Promise.all([repo.byUser(actor.userId), repo.user(actor.userId)]);
    const unit = user?.unit_id == null ? undefined : await repo.unit(Number(user.unit_id));
    return {
      registration: talent ? await view(actor, talent) : null,
      account: { displayName: user?.display_name ?? '', idNumber: user?.id_number ?? null, unitName: unit?.name ?? null },
    };
  }

  /** The checks across fields (the single fields are the schema's): the ID number by GB 11643, and what goes with the title. */
  function valuesOf(input: TalentInput): TalentValues {
    const problems: Array<{ field: string; message: string }> = [];
    let idNumber = input.idNumber.toUpperCase();
    if (input.origin === 'foreign') {
      if (!/^[A-Z0-9]{5,30}$/.test(idNumber)) problems.push({ field: 'idNumber', message: '证件号码：外籍人士的证件号码应为 5–30 位字母或数字' });
    } else {
      const id = checkIdNumber(idNumber, now());
      if (!id.ok) problems.push({ field: 'idNumber', message: `身份证号码：${id.reason}` });
      else {
        idNumber = id.value;
        if (id.birthDate !== input.birthDate) problems.push({ field: 'birthDate', message: `出生日期与身份证号码不一致（应为 ${id.birthDate}）` });
        if (id.sex !== input.gender) problems.push({ field: 'gender', message: `性别与身份证号码不一致（应为${GENDERS[id.sex]}）` });
      }
    }
    const birth = new Date(`${input.birthDate}T00:00:00Z`);
    if (Number.isNaN(birth.getTime()) || birth.toISOString().slice(0, 10) !== input.birthDate || birth > now()) problems.push({ field: 'birthDate', message: '出生日期无效' });
    if (input.titleKind === 'title') {
      if (!input.level) problems.push({ field: 'level', message: '具有专业技术职称的请选择职称层级' });
      if (!input.series) problems.push({ field: 'series', message: '具有专业技术职称的请选择职称系列' });
    }
    if (input.titleKind === 'certificate' && !input.certificateName) problems.push({ field: 'certificateName', message: '只具有职业资格证书的请填写证书名称' });
    if (problems.length) throw new ValidationError(problems[0]!.message, problems);
    const titled = input.titleKind === 'title';
    return {
      person_name: input.personName,
      gender: input.gender,
      birth_date: input.birthDate,
      id_number: idNumber,
      ethnicity: input.ethnicity,
      political_status: input.politicalStatus,
      origin: input.origin,
      education: input.education,
      category: input.category,
      title_kind: input.titleKind,
      level: titled ? input.level : null,
      series: titled ? input.series : null,
      title_name: titled ? input.titleName : null,
      certificate_name: input.titleKind === 'certificate' ? input.certificateName : null,
    };
  }

  /**
   * 保存: the first save creates the registration and starts its case, which waits at
   * 填写专技人才信息 for the person; later saves change it while it is 待提交 or 已退回.
   */
  async function saveMine(actor: RequestActor, input: TalentInput) {
    applicant(actor);
    const values = valuesOf(input);
    if (await repo.idNumberTaken(pii, values.id_number, actor.userId)) throw new ConflictError('该证件号码已有他人登记专技人才信息', { field: 'idNumber' });
    const existing = await repo.byUser(actor.userId);
    if (existing) {
      if (existing.status !== 'draft' && existing.status !== 'returned') throw new ConflictError(`专技人才信息${STATUS_LABELS[existing.status]}，不能修改`);
      await repo.saveValues(Number(existing.id), input.version ?? Number(existing.version), sealed(values), now());
      return mine(actor);
    }
    const user = await repo.user(actor.userId);
    if (user?.unit_id == null) throw new ConflictError('您的账号还没有所在单位，请联系单位经办人');
    const unitId = Number(user.unit_id);
    await engine
      .startInstance({
        processKey: TALENT_PROCESS,
        actor,
        prepare: async (trx) => {
          const talentId = await repo.insert({ ...sealed(values), user_id: actor.userId, unit_id: unitId, status: 'draft', created_at: now(), updated_at: now() }, trx);
          return { businessKey: `talent:${talentId}`, variables: { talentId, personName: values.person_name }, afterStart: (t, instanceId) => repo.setState(talentId, ['draft'], { instance_id: instanceId }, t) };
        },
      })
      .catch((err: { code?: string; constraint?: string }) => {
        // two first saves at once: the second finds the person already registered
        if (err?.code === '23505') throw new ConflictError('专技人才信息已创建，请刷新后重试');
        throw err;
      });
    return mine(actor);
  }

  /** 提交审核: completes 填写专技人才信息; a second click finds it already submitted (409). */
  async function submitMine(actor: RequestActor) {
    applicant(actor);
    const talent = await repo.byUser(actor.userId);
    if (!talent) throw new NotFoundError('请先填写并保存专技人才信息');
    if (talent.status !== 'draft' && talent.status !== 'returned') throw new ConflictError(`专技人才信息${STATUS_LABELS[talent.status]}，不能再次提交`);
    const task = await openTask(talent, 'talent-register');
    if (!task) throw new ConflictError('专技人才信息当前不在待提交环节');
    await engine.completeTask(task.id, actor, { action: 'submit', opinion: null });
    return mine(actor);
  }

  // ---------- 专技人才审核 ----------

  async function list(actor: RequestActor, query: { view: 'pending' | 'all'; status?: TalentStatus; q?: string; offset: number; limit: number }) {
    if (query.view === 'pending') {
      const unitId = holding(actor, ['talent.review'], '专技人才审核');
      const { total, rows } = await repo.pendingPage(unitId, query);
      return { total, items: await views(actor, rows) };
    }
    const unitId = holding(actor, ['talent.review', 'talent.stats'], '专技人才审核');
    const { path } = await ownUnitPath(unitId);
    const { total, rows } = await repo.submittedUnder(pii, path, { status: query.status, q: query.q || undefined }, query);
    return { total, items: await views(actor, rows) };
  }

  async function detail(actor: RequestActor, id: number) {
    return view(actor, await readable(actor, id));
  }

  /**
   * 查看: the full number of a registration the caller may read (the same scope: 404 outside it).
   * Staff's views are recorded (`pii.view`, subject `talent`); the person's own are not.
   */
  async function revealPii(actor: RequestActor, id: number, field: 'idNumber') {
    const talent = await readable(actor, id);
    if (Number(talent.user_id) !== actor.userId) {
      await auditPiiView(db, actor, { subject: 'talent', id: Number(talent.id), fields: [field], unitId: Number(talent.unit_id), personName: talent.person_name }, engine.clock.now());
    }
    return { field, value: idNumberOf(talent) };
  }

  async function review(actor: RequestActor, id: number, input: { action: 'pass' | 'return' | 'reject'; opinion: string | null }) {
    holding(actor, ['talent.review'], '专技人才审核');
    const talent = await readable(actor, id);
    if (input.action !== 'pass' && !input.opinion) throw new ValidationError(input.action === 'return' ? '请填写退回原因' : '请填写不通过的原因', [{ field: 'opinion', message: '审核意见：退回或不通过时必填' }]);
    if (talent.status !== 'reviewing' || Number(talent.current_unit_id) !== actor.unitId) throw new ConflictError(`该专技人才信息${talent.status === 'reviewing' ? '当前不在本单位审核' : STATUS_LABELS[talent.status]}，不能审核`);
    const task = await reviewTaskAt(talent, actor.unitId);
    if (!task) throw new ConflictError('该专技人才信息已由他人处理，请刷新');
    await engine.completeTask(task.id, actor, { action: input.action, opinion: input.opinion });
    return detail(actor, id);
  }

  /** 批量审核通过: only what waits at the caller's unit; another unit's registration refuses the whole batch. */
  async function passMany(actor: RequestActor, ids: number[]) {
    const unitId = holding(actor, ['talent.review'], '专技人才审核');
    const waiting = new Map((await repo.pendingAt(unitId)).map((t) => [Number(t.id), t]));
    const unique = [...new Set(ids)];
    for (const id of unique) {
      if (!waiting.has(id)) await readable(actor, id);
    }
    let passed = 0;
    for (const id of unique) {
      const talent = waiting.get(id);
      const task = talent ? await reviewTaskAt(talent, unitId) : undefined;
      if (!task) continue;
      const done = await engine.completeTask(task.id, actor, { action: 'pass', opinion: null }).then(
        () => true,
        (err: unknown) => {
          if (err instanceof ConflictError) return false;
          throw err;
        },
      );
      if (done) passed++;
    }
    return { passed, skipped: unique.length - passed };
  }

  // ---------- 专技人才统计 ----------

  async function stats(actor: RequestActor) {
    const unitId = holding(actor, ['talent.stats'], '专技人才统计');
    const { path, name } = await ownUnitPath(unitId);
    const byCategory = new Map((await repo.summaryUnder(path)).map((r) => [r.category, r]));
    const rows = Object.entries(TALENT_CATEGORIES).map(([category, l]) => {
      const found = byCategory.get(category);
      const counts = zero();
      if (found) for (const c of STAT_COLUMNS) counts[c] = found[c];
      return { category, label: l, ...counts };
    });
    const total = zero();
    for (const r of rows) for (const c of STAT_COLUMNS) total[c] += r[c];
    return { unitName: name, rows, total, columns: STAT_HEADERS.map((h) => ({ key: h.key, label: h.label, group: h.group })) };
  }

  /** 导出Excel: the table with the manual's two header rows merged like the screen. */
  async function exportStats(actor: RequestActor) {
    const table = await stats(actor);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('专技人才统计');
    const width = STAT_HEADERS.length + 1;
    sheet.mergeCells(1, 1, 1, width);
    sheet.getCell(1, 1).value = `专技人才统计（${table.unitName}及下级单位）`;
    sheet.getCell(1, 1).font = { bold: true, size: 14 };
    sheet.getCell(1, 1).alignment = { horizontal: 'center' };
    // the manual's three header rows: 项目 | 专业技术人员类别 (合计 … 其他人员) | 基本情况 | 学历,
    // with 具有专业技术职称人员 over 正高级 … 初级; every other header spans rows 3–4
    const head = (r1: number, c1: number, r2: number, c2: number, value: string) => {
      if (r1 !== r2 || c1 !== c2) sheet.mergeCells(r1, c1, r2, c2);
      sheet.getCell(r1, c1).value = value;
    };
    head(2, 1, 4, 1, '项目');
    head(2, 2, 2, 8, '专业技术人员类别');
    head(2, 9, 2, 12, '基本情况');
    head(2, 13, 2, 17, '学历');
    head(3, 3, 3, 6, '具有专业技术职称人员');
    STAT_HEADERS.forEach((h, i) => {
      const col = i + 2;
      if (h.group === '具有专业技术职称人员') head(4, col, 4, col, h.label);
      else head(3, col, 4, col, h.label);
    });
    const body = [...table.rows.map((r) => ({ label: r.label, counts: r as StatCounts })), { label: '合计', counts: table.total }];
    body.forEach((r, i) => {
      const row = sheet.getRow(5 + i);
      row.getCell(1).value = r.label;
      STAT_HEADERS.forEach((h, j) => {
        row.getCell(j + 2).value = r.counts[h.key];
      });
    });
    for (let r = 2; r <= 4; r++) {
      sheet.getRow(r).font = { bold: true };
      sheet.getRow(r).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    }
    sheet.getColumn(1).width = 22;
    for (let c = 2; c <= width; c++) sheet.getColumn(c).width = 10;
    sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: 4 }];
    return { filename: `专技人才统计-${table.unitName}.xlsx`, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
  }

  return { optionLists, mine, saveMine, submitMine, list, detail, revealPii, review, passMany, stats, exportStats };
}

export type TalentsService = ReturnType<typeof createTalentsService>;
