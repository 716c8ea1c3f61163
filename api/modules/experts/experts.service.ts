import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ageOn, idFacts, POST_LEVELS, SEXES, type ExpertInput } from '../../../forms/expert.ts';
import { EXPERT_STATUS } from '../../../forms/labels.ts';
import { checkIdNumber } from '../../../forms/validators.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import { requireShownStep } from '../../src/step-witness.ts';
import { containing, type Page } from '../../src/list-query.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { maskIdNumber, openSealed, sealedWrite, whereSealedIs, type PiiCipher } from '../../src/pii.ts';
import { EXPERTS_SEALED, openImportJson, sealImportJson } from './experts.pii.ts';
import { openedContent, type BlobContentRow } from '../files/files.repository.ts';
import {
  buildErrorWorkbook,
  checkExpertRows,
  createRowChecker,
  markPoolDuplicates,
  parseExpertWorkbook,
  type BadRow,
  type GoodRow,
  type RegionOption,
} from './experts.import.ts';
import type { expertView, importSummary, poolView, roles } from './experts.schemas.ts';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import type { TaskRecord } from '../../../engine/types.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { POOL_FORM, POOL_MATTER, POOL_REVIEW_PROCESS, submissionKey } from './expert-pool-review.flow.ts';
import { createPoolReviewRepository } from './expert-pool-review.repository.ts';

export type ExpertStatus = keyof typeof EXPERT_STATUS;

export const RETURNED_STAGE: Record<string, string> = { organizer: '组建单位退回推荐', registrar: '备案单位退回' };

export const EXPERT_ACTIONS: Record<string, string> = {
  create: '新增',
  import: '批量导入',
  recommend: '推荐',
  update: '修改',
  flags: '修改活跃、主任委员标记',
  remove: '删除',
  submit: '提交备案单位审核',
  'recommendation.pass': '推荐审核通过',
  'recommendation.return': '推荐退回',
  pass: '审核通过（入库）',
  return: '审核退回',
};

export interface CommitteeRef {
  id: number;
  name: string;
  series: string | null;
  levels: string[];
  organizerUnitId: number;
  organizerPath: string;
  organizerName: string;
  registrarUnitId: number | null;
  registrarName: string | null;
}

export type Roles = z.infer<typeof roles>;

/** What the caller may do with a committee's pool: its organiser manages, its registrar reviews, units below the organiser recommend. */
export function rolesOn(actor: RequestActor, c: CommitteeRef): Roles {
  const has = (p: string) => actor.roles.includes(p);
  const own = actor.unitId != null && actor.unitId === c.organizerUnitId;
  return {
    manage: has('expert.manage') && own,
    review: has('expert.review') && actor.unitId != null && actor.unitId === c.registrarUnitId,
    recommend: has('expert.recommend') && !own && actor.unitPath != null && actor.unitPath.startsWith(c.organizerPath),
  };
}

const REFUSALS: Record<keyof Roles, string> = {
  manage: '只有评委会的组建单位可以管理其专家库（需要“专家库管理”权限）',
  review: '只有评委会的备案单位可以审核其专家库（需要“专家库审核”权限）',
  recommend: '只能向本单位的上级单位组建的评委会推荐专家（需要“推荐评审专家”权限）',
};

/** A pool the caller has no part in answers exactly as a committee that does not exist. */
function requireRole(actor: RequestActor, c: CommitteeRef, role: keyof Roles): Roles {
  const roles = rolesOn(actor, c);
  if (!roles.manage && !roles.review && !roles.recommend) throw new NotFoundError('评委会不存在');
  if (!roles[role]) throw new ForbiddenError(REFUSALS[role]);
  return roles;
}

type Row = Record<string, unknown>;

const str = (v: unknown) => (v == null ? null : String(v));
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Table columns of an expert's data; sex and birth month always from the ID number. */
function columnsOf(data: ExpertInput): Row {
  const id = checkIdNumber(data.idNumber);
  if (!id.ok) throw new ValidationError(`证件号码：${id.reason}`, [{ field: 'idNumber', message: id.reason }]);
  return {
    name: data.name,
    id_number: id.value,
    sex: id.sex,
    birth_month: id.birthDate.slice(0, 7),
    retired: data.retired,
    employer: data.employer,
    department: data.department || null,
    post: data.post,
    post_level: data.postLevel ?? null,
    phone1: data.phone1,
    phone2: data.phone2 || null,
    honours: data.honours,
    series: data.series ?? null,
    specialty: data.specialty,
    current_title: data.currentTitle,
    is_chair: data.isChair,
    is_vice_chair: data.isViceChair,
    active: data.active,
    region_code: data.regionCode ?? null,
  };
}

const EXPERT_COLUMNS = [
  'e.*',
  'c.name as committee_name',
  'ru.name as recommended_by_unit_name',
  'bu.name as returned_by_unit_name',
];

export type ExpertView = z.infer<typeof expertView>;

export type ImportSummary = z.infer<typeof importSummary>;

export type SkippedRow = ImportSummary['skipped'][number];

interface Transition {
  action: string;
  /** the rows it applies to, besides committee and ids */
  from: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
  fromName: string;
  set: Row;
  opinion?: string | null;
}

const CHUNK = 1000;

/** a search term that may be an ID number (15 or 18 characters, the last may be X) */
const ID_NUMBER_LIKE = /^(\d{17}[\dXx]|\d{15})$/;

/** 专家库: experts per committee, their recommendation, submission and review, and the Excel import. */
export function createExpertService(deps: { db: Knex; pii: PiiCipher; regions: RegionOption[]; now: () => Date; engine?: WorkflowEngine; checks?: Record<string, CompletionCheck> }) {
  const { db, pii, regions, now } = deps;
  /** an expert row read with `e.*`, its sealed numbers opened into `id_number`, `phone1`, `phone2` */
  const opened = (r: Row): Row => openSealed(pii, EXPERTS_SEALED, r);
  /** the table columns of an expert's numbers as stored: sealed, the ID number's hash beside them */
  const sealed = (columns: Row): Row => ({
    ...columns,
    ...sealedWrite(pii, EXPERTS_SEALED, { id_number: columns.id_number as string, phone1: columns.phone1 as string, phone2: (columns.phone2 as string | null) ?? null }),
  });
  const idHash = (idNumber: string) => pii.hash('idNumber', idNumber);
  const submissions = createPoolReviewRepository(db);
  const regionLabel = new Map(regions.map((r) => [r.code, r.label]));
  const checker = createRowChecker(regions);

  async function committee(id: number, trx: Knex | Knex.Transaction = db): Promise<CommitteeRef> {
    const row = await trx('committees as c')
      .join('units as o', 'o.id', 'c.organizer_unit_id')
      .leftJoin('units as r', 'r.id', 'c.registrar_unit_id')
      .select('c.id', 'c.name', 'c.series', 'c.levels', 'c.organizer_unit_id', 'o.path as organizer_path', 'o.name as organizer_name', 'c.registrar_unit_id', 'r.name as registrar_name')
      .where('c.id', id)
      .first();
    if (!row) throw new NotFoundError('评委会不存在');
    return {
      id: Number(row.id),
      name: String(row.name),
      series: str(row.series),
      levels: (row.levels as string[] | null) ?? [],
      organizerUnitId: Number(row.organizer_unit_id),
      organizerPath: String(row.organizer_path),
      organizerName: String(row.organizer_name),
      registrarUnitId: row.registrar_unit_id == null ? null : Number(row.registrar_unit_id),
      registrarName: str(row.registrar_name),
    };
  }

  function view(r: Row): ExpertView {
    const facts = idFacts(String(r.id_number), now());
    const sex = String(r.sex);
    return {
      id: Number(r.id),
      committeeId: Number(r.committee_id),
      committeeName: String(r.committee_name ?? ''),
      name: String(r.name),
      idNumber: String(r.id_number),
      sex,
      sexName: SEXES[sex as keyof typeof SEXES] ?? sex,
      birthMonth: String(r.birth_month),
      age: facts ? ageOn(facts.birthDate, now()) : null,
      retired: Boolean(r.retired),
      employer: String(r.employer),
      department: str(r.department),
      post: String(r.post),
      postLevel: str(r.post_level),
      postLevelName: r.post_level ? (POST_LEVELS[r.post_level as keyof typeof POST_LEVELS] ?? String(r.post_level)) : null,
      phone1: String(r.phone1),
      phone2: str(r.phone2),
      honours: String(r.honours),
      series: str(r.series),
      seriesName: r.series ? (SERIES[r.series as keyof typeof SERIES] ?? String(r.series)) : null,
      specialty: String(r.specialty),
      currentTitle: String(r.current_title),
      isChair: Boolean(r.is_chair),
      isViceChair: Boolean(r.is_vice_chair),
      active: Boolean(r.active),
      regionCode: str(r.region_code),
      regionName: r.region_code ? (regionLabel.get(String(r.region_code)) ?? String(r.region_code)) : null,
      status: String(r.status),
      statusName: EXPERT_STATUS[r.status as ExpertStatus] ?? String(r.status),
      recommendedByUnitId: r.recommended_by_unit_id == null ? null : Number(r.recommended_by_unit_id),
      recommendedByUnitName: str(r.recommended_by_unit_name),
      returnedStage: str(r.returned_stage),
      returnedStageName: r.returned_stage ? (RETURNED_STAGE[String(r.returned_stage)] ?? null) : null,
      returnedReason: str(r.returned_reason),
      returnedByUnitName: str(r.returned_by_unit_name),
      returnedAt: iso(r.returned_at),
      createdAt: iso(r.created_at)!,
      updatedAt: iso(r.updated_at)!,
      version: Number(r.version),
      reviewStepId: str(r.review_step_id),
    };
  }

  /** The open review step of a pending expert's case, for the registrar's list: the decision sends it back. */
  const reviewStepColumn = (trx: Knex | Knex.Transaction = db) =>
    trx.raw(
      `(select t.id from tasks t join expert_submissions s on s.instance_id = t.root_instance_id
         where s.id = e.submission_id and e.status = 'pending' and t.status = 'open' and t.form_key = ?
         order by t.created_at limit 1) as review_step_id`,
      [POOL_FORM],
    );

  const expertQuery = (trx: Knex | Knex.Transaction = db) =>
    trx('experts as e')
      .join('committees as c', 'c.id', 'e.committee_id')
      .leftJoin('units as ru', 'ru.id', 'e.recommended_by_unit_id')
      .leftJoin('units as bu', 'bu.id', 'e.returned_by_unit_id');

  /** The experts of a committee the caller may see: all for the organiser, the submitted ones for the registrar, a unit's own recommendations. */
  function visible(q: Knex.QueryBuilder, actor: RequestActor, roles: Roles): Knex.QueryBuilder {
    q.whereNot('e.status', 'removed');
    if (roles.manage) return q;
    return q.where((w) => {
      if (roles.review) {
        w.orWhere((r) => r.whereIn('e.status', ['pending', 'in_pool']).orWhere((x) => x.where('e.status', 'returned').where('e.returned_stage', 'registrar')));
      }
      if (roles.recommend) w.orWhere('e.recommended_by_unit_id', actor.unitId ?? 0);
      if (!roles.review && !roles.recommend) w.whereRaw('false');
    });
  }

  async function expertRow(id: number, trx: Knex | Knex.Transaction = db): Promise<Row> {
    const row = await expertQuery(trx).select(EXPERT_COLUMNS).where('e.id', id).whereNot('e.status', 'removed').first();
    if (!row) throw new NotFoundError('专家不存在');
    return opened(row as Row);
  }

  /** The expert if the caller may see it (404 otherwise: another unit's experts are not disclosed). */
  async function visibleExpert(actor: RequestActor, id: number, trx: Knex | Knex.Transaction = db) {
    const row = await expertRow(id, trx);
    const c = await committee(Number(row.committee_id), trx);
    const roles = rolesOn(actor, c);
    const seen = await visible(trx('experts as e').where('e.id', id), actor, roles).first('e.id');
    if (!seen) throw new NotFoundError('专家不存在');
    return { row, committee: c, roles };
  }

  async function events(trx: Knex.Transaction, ids: number[], actor: RequestActor, action: string, opinion: string | null = null) {
    const at = now();
    for (let i = 0; i < ids.length; i += CHUNK) {
      await trx('expert_events').insert(
        ids.slice(i, i + CHUNK).map((id) => ({ expert_id: id, action, actor_id: actor.userId, actor_name: actor.displayName, opinion, created_at: at })),
      );
    }
  }

  async function statusNameOf(trx: Knex | Knex.Transaction, committeeId: number, idNumber: string): Promise<string | null> {
    const row = await whereSealedIs(trx('experts').where({ committee_id: committeeId }), pii, EXPERTS_SEALED, 'id_number', idNumber).whereNot('status', 'removed').first('status');
    return row ? (EXPERT_STATUS[row.status as ExpertStatus] ?? String(row.status)) : null;
  }

  const alreadyIn = (idNumber: string, status: string) =>
    new ConflictError(`证件号码 ${maskIdNumber(idNumber) ?? ''} 的专家已在本评委会专家库中（${status}）`, [{ field: 'idNumber', message: `已在本评委会专家库中（${status}）` }]);

  /**
   * Inserts experts, or brings back a removed one with the same ID number (the unique key is per
   * committee and removal is soft); returns the ids by ID number of the rows written.
   */
  async function insertExperts(trx: Knex.Transaction, committeeId: number, items: Array<{ data: ExpertInput; extra: Row }>): Promise<Map<string, number>> {
    const at = now();
    const written = new Map<string, number>();
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK);
      await hashPlainRows(trx, committeeId, chunk.map((c) => c.data.idNumber));
      const idNumberOf = new Map(chunk.map((c) => [idHash(c.data.idNumber), c.data.idNumber]));
      const rows = chunk.map(({ data, extra }) => ({
        ...sealed(columnsOf(data)),
        committee_id: committeeId,
        returned_reason: null,
        returned_stage: null,
        returned_by_unit_id: null,
        returned_at: null,
        recommended_by_unit_id: null,
        created_at: at,
        updated_at: at,
        ...extra,
      }));
      // a removed expert comes back with the new data, as a new version of the same row
      const merged: Row = { version: trx.raw('experts.version + 1') };
      for (const k of Object.keys(rows[0]!)) if (k !== 'committee_id' && k !== 'id_number_hash') merged[k] = trx.raw('excluded.??', [k]);
      const out = await trx('experts')
        .insert(rows)
        .onConflict(['committee_id', 'id_number_hash'])
        .merge(merged)
        .where('experts.status', 'removed')
        .returning(['id', 'id_number_hash']);
      for (const r of out as Array<{ id: number; id_number_hash: string }>) written.set(idNumberOf.get(String(r.id_number_hash)) ?? '', Number(r.id));
    }
    return written;
  }

  /**
   * Rows of the committee holding one of these ID numbers in plain (written by demo data or an older
   * release, not yet sealed by the sweep) get their hash now, so the unique key on the hash sees them.
   */
  async function hashPlainRows(trx: Knex.Transaction, committeeId: number, idNumbers: string[]) {
    const wanted = [...new Set(idNumbers.map((v) => v.trim().toUpperCase()))];
    if (!wanted.length) return;
    const plain = (await trx('experts')
      .select('id', 'id_number')
      .where('committee_id', committeeId)
      .whereNull('id_number_hash')
      .whereNotNull('id_number')
      .whereRaw('upper(trim(id_number)) = any(?)', [wanted])) as Array<{ id: number; id_number: string }>;
    for (const r of plain) await trx('experts').where({ id: r.id }).update({ id_number_hash: idHash(r.id_number) });
  }

  /** The pool's experts of a committee among these ID numbers (not removed): their status by ID number as given. */
  async function takenOf(trx: Knex | Knex.Transaction, committeeId: number, idNumbers: string[]): Promise<Map<string, string>> {
    if (!idNumbers.length) return new Map();
    const byHash = new Map(idNumbers.map((v) => [idHash(v), v]));
    const byPlain = new Map(idNumbers.map((v) => [v.trim().toUpperCase(), v]));
    const rows = (await trx('experts')
      .select('id_number_hash', 'id_number', 'status')
      .where('committee_id', committeeId)
      .whereNot('status', 'removed')
      .where((w) => w.whereIn('id_number_hash', [...byHash.keys()]).orWhereRaw('upper(trim(id_number)) = any(?)', [[...byPlain.keys()]]))) as Array<{ id_number_hash: string | null; id_number: string | null; status: string }>;
    const taken = new Map<string, string>();
    for (const r of rows) {
      const given = (r.id_number_hash && byHash.get(r.id_number_hash)) ?? (r.id_number ? byPlain.get(r.id_number.trim().toUpperCase()) : undefined);
      if (given !== undefined) taken.set(given, r.status);
    }
    return taken;
  }

  async function createOne(actor: RequestActor, committeeId: number, data: ExpertInput, mode: 'create' | 'recommend'): Promise<ExpertView> {
    const id = await db.transaction(async (trx) => {
      const c = await committee(committeeId, trx);
      requireRole(actor, c, mode === 'create' ? 'manage' : 'recommend');
      const extra: Row =
        mode === 'create'
          ? { status: 'draft', created_by: actor.userId }
          : { status: 'recommended', recommended_by_unit_id: actor.unitId, created_by: actor.userId };
      // 主任委员 and 副主任委员 are the organiser's decision, not the recommending unit's
      const input = mode === 'recommend' ? { ...data, isChair: false, isViceChair: false } : data;
      const written = await insertExperts(trx, c.id, [{ data: input, extra }]);
      const expertId = written.get(data.idNumber);
      if (expertId === undefined) throw alreadyIn(data.idNumber, (await statusNameOf(trx, c.id, data.idNumber)) ?? '已存在');
      await events(trx, [expertId], actor, mode);
      return expertId;
    });
    return view(await expertRow(id));
  }

  /** Runs one transition over a batch, all or nothing: any expert no longer in the expected state makes it a 409. */
  async function transition(trx: Knex.Transaction, actor: RequestActor, c: CommitteeRef, ids: number[], t: Transition, scope?: (q: Knex.QueryBuilder) => Knex.QueryBuilder) {
    const unique = [...new Set(ids)];
    let q = trx('experts').where('committee_id', c.id).whereIn('id', unique);
    q = t.from(q);
    if (scope) q = scope(q);
    const updated = (await q.update({ ...t.set, updated_at: now(), version: trx.raw('version + 1') }).returning('id')) as Array<{ id: number }>;
    if (updated.length !== unique.length) {
      const done = new Set(updated.map((r) => Number(r.id)));
      // an expert the caller may not see is reported as not in the pool, its name and state untold
      const rest = await visible(trx('experts as e').select('e.id', 'e.name', 'e.status').where('e.committee_id', c.id).whereIn('e.id', unique.filter((id) => !done.has(id))), actor, rolesOn(actor, c));
      const found = new Map((rest as Row[]).map((r) => [Number(r.id), r]));
      const details = unique
        .filter((id) => !done.has(id))
        .map((id) => {
          const r = found.get(id);
          return {
            field: 'ids',
            message: !r || r.status === 'removed' ? `专家 ${id} 不在本评委会专家库中` : `${String(r.name)}：当前状态为“${EXPERT_STATUS[r.status as ExpertStatus] ?? String(r.status)}”，不是“${t.fromName}”`,
          };
        });
      throw new ConflictError(`有 ${details.length} 名专家的状态已变化或不可操作，本次操作未执行，请刷新后重试：${details.map((d) => d.message).join('；')}`, details);
    }
    await events(trx, unique, actor, t.action, t.opinion ?? null);
    return unique.length;
  }

  /** The caller's open review step of a submission, and whether its decision is the final one. */
  async function reviewStep(actor: RequestActor, submissionId: number, registrarUnitId: number): Promise<{ task: TaskRecord; deciding: boolean } | null> {
    const engine = deps.engine;
    const submission = await submissions.get(submissionId);
    if (!engine || !submission?.instance_id) return null;
    for (const s of await submissions.openSteps(submission.instance_id)) {
      if (s.form_key !== POOL_FORM) continue;
      const task = await engine.getTask(s.id);
      if (!(await engine.canAct(actor, task))) continue;
      const post = (await engine.repo.getInstance(task.instanceId))?.variables.post as { levelNo?: number } | null | undefined;
      const deciding = post?.levelNo == null || !(await submissions.laterPost(registrarUnitId, POOL_MATTER, Number(post.levelNo)));
      return { task, deciding };
    }
    return null;
  }

  const returnedBy = (stage: 'organizer' | 'registrar') => (q: Knex.QueryBuilder) => q.where('status', 'returned').where('returned_stage', stage);

  function needOpinion(action: 'pass' | 'return', opinion: string | null | undefined): string | null {
    const text = opinion?.trim() || null;
    if (action === 'return' && !text) throw new ValidationError('退回时请填写退回原因', [{ field: 'opinion', message: '退回时必填' }]);
    return text;
  }

  // ---------------------------------------------------------------- imports

  async function importRow(actor: RequestActor, importId: string, trx: Knex | Knex.Transaction = db) {
    const row = await trx('expert_imports as i').join('files as f', 'f.id', 'i.file_id').select('i.*', 'f.name as file_name').where('i.id', importId).first();
    // a check is the pool manager's working data: nobody else learns it exists
    if (!row || !rolesOn(actor, await committee(Number(row.committee_id), trx)).manage) throw new NotFoundError('导入记录不存在');
    return row as Row;
  }

  function summaryOf(r: Row): ImportSummary {
    return {
      id: String(r.id),
      committeeId: Number(r.committee_id),
      fileId: String(r.file_id),
      fileName: String(r.file_name ?? ''),
      total: Number(r.total),
      goodCount: Number(r.good_count ?? (r.good_rows as unknown[] | undefined)?.length ?? 0),
      badCount: Number(r.bad_count ?? (r.problems as unknown[] | undefined)?.length ?? 0),
      status: String(r.status),
      statusName: r.status === 'imported' ? '已导入' : '已检验，待确认导入',
      createdAt: iso(r.created_at)!,
      importedAt: iso(r.imported_at),
      importedCount: r.imported_count == null ? null : Number(r.imported_count),
      skipped: openImportJson.skipped(pii, (r.skipped as SkippedRow[] | null) ?? []),
    };
  }

  const IMPORT_SUMMARY = ['i.id', 'i.committee_id', 'i.file_id', 'i.total', 'i.status', 'i.created_at', 'i.imported_at', 'i.imported_count', 'i.skipped', 'f.name as file_name'];

  async function importSummary(id: string, trx: Knex | Knex.Transaction = db): Promise<ImportSummary> {
    const row = await trx('expert_imports as i')
      .join('files as f', 'f.id', 'i.file_id')
      .select(IMPORT_SUMMARY)
      .select(trx.raw('jsonb_array_length(i.good_rows) as good_count'), trx.raw('jsonb_array_length(i.problems) as bad_count'))
      .where('i.id', id)
      .first();
    if (!row) throw new NotFoundError('导入记录不存在');
    return summaryOf(row as Row);
  }

  /** A page of one of an import's JSON arrays, sliced in the database. */
  async function jsonPage<T>(importId: string, column: 'good_rows' | 'problems', page: Page): Promise<{ total: number; rows: T[] }> {
    const result = await db.raw(
      `select jsonb_array_length(${column}) as total,
              (select coalesce(jsonb_agg(t.x order by t.n), '[]'::jsonb)
                 from (select x, n from jsonb_array_elements(${column}) with ordinality as a(x, n) order by n offset ? limit ?) t) as page
         from expert_imports where id = ?`,
      [page.offset, page.limit, importId],
    );
    const row = (result.rows as Array<{ total: number; page: T[] }>)[0];
    return { total: Number(row?.total ?? 0), rows: row?.page ?? [] };
  }

  return {
    committee,
    rolesOn,
    view,

    /** Committees whose pool the caller works on, with counts; `purpose` narrows to one role. */
    async committees(actor: RequestActor, options: { purpose?: keyof Roles; q?: string; committeeId?: number }, page: Page): Promise<{ total: number; rows: PoolView[] }> {
      const { purpose, q } = options;
      const has = (p: string) => actor.roles.includes(p);
      const unitId = actor.unitId ?? 0;
      const want = (role: keyof Roles) => purpose === undefined || purpose === role;
      const where = (b: Knex.QueryBuilder) => {
        b.where((w) => {
          if (want('manage') && has('expert.manage')) w.orWhere('c.organizer_unit_id', unitId);
          if (want('review') && has('expert.review')) w.orWhere('c.registrar_unit_id', unitId);
          if (want('recommend') && has('expert.recommend') && actor.unitPath) {
            w.orWhere((x) => x.whereRaw("? like (o.path || '%')", [actor.unitPath]).whereNot('c.organizer_unit_id', unitId));
          }
          w.orWhereRaw('false');
        });
        if (q) b.where('c.name', 'ilike', containing(q));
        if (options.committeeId !== undefined) b.where('c.id', options.committeeId);
        return b;
      };
      // a recommending unit counts its own recommendations only
      const own = purpose === 'recommend' ? unitId : null;
      const count = (status: string, extra = '') =>
        db.raw(
          `(select count(*) from experts e where e.committee_id = c.id and e.status = ?${extra}${own != null ? ' and e.recommended_by_unit_id = ?' : ''})::int`,
          own != null ? [status, own] : [status],
        );
      const names = (flag: string) =>
        db.raw(`(select coalesce(array_agg(e.name order by e.id), '{}') from experts e where e.committee_id = c.id and e.${flag} and e.status in ('pending', 'in_pool'))`);
      const base = () => db('committees as c').join('units as o', 'o.id', 'c.organizer_unit_id').leftJoin('units as r', 'r.id', 'c.registrar_unit_id');
      const [rows, counted] = await Promise.all([
        where(base())
          .select('c.id', 'c.name', 'c.series', 'c.levels', 'c.organizer_unit_id', 'o.path as organizer_path', 'o.name as organizer_name', 'c.registrar_unit_id', 'r.name as registrar_name')
          .select({
            draft: count('draft'),
            recommended: count('recommended'),
            pending: count('pending'),
            in_pool: count('in_pool'),
            returned: count('returned'),
            active_in_pool: count('in_pool', ' and e.active'),
            chairs: names('is_chair'),
            vice_chairs: names('is_vice_chair'),
          })
          .orderBy('c.id')
          .offset(page.offset)
          .limit(page.limit),
        where(base()).count<{ n: number }[]>({ n: '*' }),
      ]);
      return {
        total: Number(counted[0]?.n ?? 0),
        rows: rows.map((r: Row) => {
          const ref: CommitteeRef = {
            id: Number(r.id),
            name: String(r.name),
            series: str(r.series),
            levels: (r.levels as string[] | null) ?? [],
            organizerUnitId: Number(r.organizer_unit_id),
            organizerPath: String(r.organizer_path),
            organizerName: String(r.organizer_name),
            registrarUnitId: r.registrar_unit_id == null ? null : Number(r.registrar_unit_id),
            registrarName: str(r.registrar_name),
          };
          return {
            ...committeeView(ref),
            roles: rolesOn(actor, ref),
            counts: {
              draft: Number(r.draft),
              recommended: Number(r.recommended),
              pending: Number(r.pending),
              inPool: Number(r.in_pool),
              returned: Number(r.returned),
              activeInPool: Number(r.active_in_pool),
            },
            chairs: r.chairs as string[],
            viceChairs: r.vice_chairs as string[],
          };
        }),
      };
    },

    async list(actor: RequestActor, committeeId: number, filter: { status?: string; returnedStage?: string; q?: string; active?: boolean }, sort: [string, 'asc' | 'desc'], page: Page) {
      const c = await committee(committeeId);
      const roles = rolesOn(actor, c);
      if (!roles.manage && !roles.review && !roles.recommend) throw new NotFoundError('评委会不存在');
      const where = (q: Knex.QueryBuilder) => {
        visible(q.where('e.committee_id', c.id), actor, roles);
        if (filter.status) q.where('e.status', filter.status);
        if (filter.returnedStage) q.where('e.returned_stage', filter.returnedStage);
        if (filter.active !== undefined) q.where('e.active', filter.active);
        if (filter.q) {
          const term = containing(filter.q);
          // an ID number is found exactly, by its keyed hash (it is sealed at rest)
          const asId = filter.q.trim();
          q.where((w) => {
            w.where('e.name', 'ilike', term).orWhere('e.employer', 'ilike', term);
            if (ID_NUMBER_LIKE.test(asId)) w.orWhere((x) => whereSealedIs(x, pii, EXPERTS_SEALED, 'id_number', asId, 'e'));
          });
        }
        return q;
      };
      const [rows, counted] = await Promise.all([
        where(expertQuery())
          .select([...EXPERT_COLUMNS, ...(roles.review ? [reviewStepColumn()] : [])])
          .orderBy(sort[0], sort[1]).orderBy('e.id', 'asc').offset(page.offset).limit(page.limit),
        where(db('experts as e')).count<{ n: number }[]>({ n: '*' }),
      ]);
      return { rows: rows.map((r: Row) => view(opened(r))), total: Number(counted[0]?.n ?? 0) };
    },

    async detail(actor: RequestActor, id: number) {
      const { row, roles } = await visibleExpert(actor, id);
      const history = await db('expert_events').where({ expert_id: id }).orderBy('id');
      return {
        ...view(row),
        roles,
        events: history.map((h: Row) => ({
          action: String(h.action),
          actionName: EXPERT_ACTIONS[String(h.action)] ?? String(h.action),
          actorName: str(h.actor_name),
          opinion: str(h.opinion),
          createdAt: iso(h.created_at)!,
        })),
      };
    },

    create: (actor: RequestActor, committeeId: number, data: ExpertInput) => createOne(actor, committeeId, data, 'create'),
    recommend: (actor: RequestActor, committeeId: number, data: ExpertInput) => createOne(actor, committeeId, data, 'recommend'),

    /** 修改: the organiser its new or registrar-returned experts, a recommending unit its own recommendations until the organiser passes them. */
    async update(actor: RequestActor, id: number, version: number, data: ExpertInput): Promise<ExpertView> {
      await db.transaction(async (trx) => {
        const { row, roles } = await visibleExpert(actor, id, trx);
        const status = String(row.status);
        const stage = str(row.returned_stage);
        const mine = row.recommended_by_unit_id != null && Number(row.recommended_by_unit_id) === actor.unitId;
        const asOrganizer = roles.manage && (status === 'draft' || (status === 'returned' && stage === 'registrar'));
        const asRecommender = roles.recommend && mine && (status === 'recommended' || (status === 'returned' && stage === 'organizer'));
        if (!asOrganizer && !asRecommender) throw new ConflictError(`专家当前状态为“${EXPERT_STATUS[status as ExpertStatus] ?? status}”，您不能修改`);
        const columns = columnsOf(asOrganizer ? data : { ...data, isChair: false, isViceChair: false });
        const changed = Object.keys(columns).filter((k) => String(columns[k] ?? '') !== String(row[k] ?? ''));
        await hashPlainRows(trx, Number(row.committee_id), [columns.id_number as string]);
        let count: number;
        try {
          count = await trx('experts')
            .where({ id, version, status })
            .update({ ...sealed(columns), updated_at: now(), version: trx.raw('version + 1') });
        } catch (err) {
          if ((err as { code?: string }).code === '23505') throw alreadyIn(columns.id_number as string, (await statusNameOf(db, Number(row.committee_id), columns.id_number as string)) ?? '已存在');
          throw err;
        }
        if (count !== 1) throw new ConflictError('专家信息已被他人修改，请刷新后重试');
        await events(trx, [id], actor, 'update', changed.length ? `修改：${changed.join('、')}` : null);
      });
      return view(await expertRow(id));
    },

    /** 活跃 / 主任委员 / 副主任委员 of an expert in the pool: the organiser keeps them current without a new review. */
    async setFlags(actor: RequestActor, id: number, input: { version: number; active?: boolean; isChair?: boolean; isViceChair?: boolean }): Promise<ExpertView> {
      await db.transaction(async (trx) => {
        const { row, roles } = await visibleExpert(actor, id, trx);
        if (!roles.manage) throw new ForbiddenError(REFUSALS.manage);
        if (row.status !== 'in_pool') throw new ConflictError('只有在库专家可以单独修改活跃和主任委员标记；其他状态请修改专家信息');
        const next = {
          active: input.active ?? Boolean(row.active),
          is_chair: input.isChair ?? Boolean(row.is_chair),
          is_vice_chair: input.isViceChair ?? Boolean(row.is_vice_chair),
        };
        if (next.is_chair && next.is_vice_chair) throw new ValidationError('主任委员和副主任委员只能选其一', [{ field: 'isViceChair', message: '主任委员和副主任委员只能选其一' }]);
        const count = await trx('experts').where({ id, version: input.version, status: 'in_pool' }).update({ ...next, updated_at: now(), version: trx.raw('version + 1') });
        if (count !== 1) throw new ConflictError('专家信息已被他人修改，请刷新后重试');
        const said = [`活跃：${next.active ? '是' : '否'}`, next.is_chair ? '主任委员' : null, next.is_vice_chair ? '副主任委员' : null].filter(Boolean).join('，');
        await events(trx, [id], actor, 'flags', said);
      });
      return view(await expertRow(id));
    },

    /** 删除: an expert not yet submitted (or sent back) leaves the lists; the row and its history stay. */
    async remove(actor: RequestActor, id: number, version: number): Promise<void> {
      await db.transaction(async (trx) => {
        const { row, roles } = await visibleExpert(actor, id, trx);
        const status = String(row.status);
        const stage = str(row.returned_stage);
        const mine = row.recommended_by_unit_id != null && Number(row.recommended_by_unit_id) === actor.unitId;
        const may =
          (roles.manage && (status === 'draft' || (status === 'returned' && stage === 'registrar'))) ||
          (roles.recommend && mine && (status === 'recommended' || (status === 'returned' && stage === 'organizer')));
        if (!may) throw new ConflictError(`专家当前状态为“${EXPERT_STATUS[status as ExpertStatus] ?? status}”，您不能删除`);
        const count = await trx('experts').where({ id, version, status }).update({ status: 'removed', updated_at: now(), version: trx.raw('version + 1') });
        if (count !== 1) throw new ConflictError('专家信息已被他人修改，请刷新后重试');
        await events(trx, [id], actor, 'remove');
      });
    },

    /**
     * 提交: new experts and those the registrar returned go to the registrar's review — one
     * `expert-pool-review` case per submission, started in the same transaction as the change.
     */
    async submit(actor: RequestActor, committeeId: number, ids: number[]) {
      const engine = deps.engine;
      if (!engine) throw new Error('专家库审核需要流程引擎');
      let count = 0;
      let submissionId = 0;
      const instanceId = await engine.startInstance({
        processKey: POOL_REVIEW_PROCESS,
        actor,
        checkStarter: false,
        prepare: async (trx) => {
          const c = await committee(committeeId, trx);
          requireRole(actor, c, 'manage');
          if (c.registrarUnitId == null) throw new ConflictError('该评委会没有备案单位，不能提交专家库审核');
          count = await transition(trx, actor, c, ids, {
            action: 'submit',
            fromName: '新增待提交或备案单位退回',
            from: (q) => q.where((w) => w.where('status', 'draft').orWhere((x) => returnedBy('registrar')(x))),
            set: { status: 'pending', returned_stage: null, returned_reason: null, returned_by_unit_id: null, returned_at: null },
          });
          submissionId = await submissions.insert({ committee_id: c.id, registrar_unit_id: c.registrarUnitId, submitted_by: actor.userId, expert_ids: [...new Set(ids)], created_at: now() }, trx);
          return {
            businessKey: submissionKey(submissionId),
            variables: { submissionId, committeeId: c.id, committeeName: c.name, registrarUnitId: c.registrarUnitId, count },
          };
        },
      });
      await submissions.setInstance(submissionId, instanceId);
      return { count };
    },

    /** 下级推荐审核: the organiser takes a recommendation into its list to submit, or returns it to the recommending unit. */
    async reviewRecommendations(actor: RequestActor, committeeId: number, ids: number[], action: 'pass' | 'return', opinion: string | null | undefined) {
      const text = needOpinion(action, opinion);
      return db.transaction(async (trx) => {
        const c = await committee(committeeId, trx);
        requireRole(actor, c, 'manage');
        const set =
          action === 'pass'
            ? { status: 'draft' }
            : { status: 'returned', returned_stage: 'organizer', returned_reason: text, returned_by_unit_id: actor.unitId, returned_at: now() };
        const n = await transition(trx, actor, c, ids, { action: `recommendation.${action}`, fromName: '下级推荐待审核', from: (q) => q.where('status', 'recommended'), set, opinion: text });
        return { count: n };
      });
    },

    /** 重新推荐: a recommending unit sends a returned recommendation (after fixing it) again. */
    async resubmitRecommendations(actor: RequestActor, committeeId: number, ids: number[]) {
      return db.transaction(async (trx) => {
        const c = await committee(committeeId, trx);
        requireRole(actor, c, 'recommend');
        const n = await transition(
          trx,
          actor,
          c,
          ids,
          {
            action: 'recommend',
            fromName: '组建单位退回推荐',
            from: returnedBy('organizer'),
            set: { status: 'recommended', returned_stage: null, returned_reason: null, returned_by_unit_id: null, returned_at: null },
          },
          (q) => q.where('recommended_by_unit_id', actor.unitId ?? 0),
        );
        return { count: n };
      });
    },

    /**
     * 专家库审核: the registrar takes submitted experts into the pool or returns them to the
     * organiser, by completing the review step of each submission they wait in (the experts move
     * in the completion's transaction, all of a submission's chosen ones or none). With 多岗审核
     * posts an earlier post's pass hands the submission on; the last post's decision moves them.
     */
    async review(actor: RequestActor, committeeId: number, ids: number[], action: 'pass' | 'return', opinion: string | null | undefined, stepIds?: string[]) {
      const c = await committee(committeeId);
      requireRole(actor, c, 'review');
      const text = needOpinion(action, opinion);
      const unique = [...new Set(ids)];
      const set =
        action === 'pass'
          ? { status: 'in_pool' }
          : { status: 'returned', returned_stage: 'registrar', returned_reason: text, returned_by_unit_id: actor.unitId, returned_at: now() };
      const move = (trx: Knex.Transaction, group: number[]) => transition(trx, actor, c, group, { action, fromName: '待备案单位审核', from: (q) => q.where('status', 'pending'), set, opinion: text });
      const pending = await submissions.pendingOf(c.id, unique);
      // anyone no longer waiting: the same all-or-nothing 409 as before, naming each one
      if (pending.length !== unique.length) await db.transaction((trx) => move(trx, unique));
      const bySubmission = new Map<number | null, number[]>();
      for (const p of pending) bySubmission.set(p.submission_id, [...(bySubmission.get(p.submission_id) ?? []), p.id]);
      // a task is found for every submission before any moves, so a refusal changes nothing
      const steps: Array<{ group: number[]; task: TaskRecord | null; deciding: boolean }> = [];
      for (const [submissionId, group] of bySubmission) {
        // submitted before 专家库审核 became a flow: moved directly, as then
        if (submissionId == null) {
          steps.push({ group, task: null, deciding: true });
          continue;
        }
        // the decision is about the step the list showed: a case past it (this clerk's own earlier
        // click at another post included) is not decided again
        if (!stepIds) throw new ValidationError('请刷新列表后重新选择：缺少列表显示的审核环节', [{ field: 'stepIds', message: '缺少审核环节' }]);
        const step = await reviewStep(actor, submissionId, c.registrarUnitId ?? 0);
        if (step) requireShownStep(stepIds, step.task.id, 'stepIds');
        if (!step) throw new ConflictError('所选专家当前不在您的审核环节（可能已由其他人员办理，或在其他审核岗位），请刷新后重试');
        steps.push({ group, ...step });
      }
      for (const { group, task, deciding: last } of steps) {
        // a return ends the review of the chosen experts at any post
        const deciding = last || action === 'return';
        if (!task) {
          await db.transaction((trx) => move(trx, group));
          continue;
        }
        await deps.engine!.completeTask(task.id, actor, {
          action,
          opinion: text,
          data: { expertIds: group },
          check: (t, validated) => deps.checks?.[POOL_FORM]?.({ task: t, actor, ...validated }) ?? Promise.resolve(),
          withTransaction: deciding ? async (trx) => void (await move(trx, group)) : undefined,
        });
      }
      return { count: unique.length };
    },

    // ---------------------------------------------------------------- import

    /** 数据检验: parses an uploaded workbook, checks every row and the pool (one query), and keeps the result until confirmed. */
    async checkImport(actor: RequestActor, committeeId: number, fileId: string): Promise<ImportSummary> {
      const c = await committee(committeeId);
      requireRole(actor, c, 'manage');
      const file = await db('files as f').join('file_blobs as b', 'b.sha256', 'f.sha256').select('f.id', 'f.name', 'b.content', 'b.pii_key_id').where('f.id', fileId).where('f.uploaded_by', actor.userId).first<({ id: string; name: string } & BlobContentRow) | undefined>();
      if (!file) throw new ValidationError('上传的文件不存在，请重新上传', [{ field: 'fileId', message: '文件不存在' }]);
      // the uploaded sheet is sealed at rest (files module)
      const parsed = await parseExpertWorkbook(openedContent(db, file));
      if (!parsed.length) throw new ValidationError('文件中没有专家数据：请在模板第 2 行起填写，每行一名专家', [{ field: 'fileId', message: '没有数据行' }]);
      let result = checkExpertRows(parsed, checker);
      const taken = await takenOf(db, c.id, result.good.map((g) => g.data.idNumber));
      result = markPoolDuplicates(result, new Map([...taken].map(([idNumber, status]) => [idNumber, EXPERT_STATUS[status as ExpertStatus] ?? status])));
      const id = randomUUID();
      // the sheet's rows are kept until confirmed, their numbers sealed
      await db('expert_imports').insert({
        id,
        committee_id: c.id,
        file_id: file.id,
        uploaded_by: actor.userId,
        total: parsed.length,
        good_rows: JSON.stringify(sealImportJson.good(pii, result.good)),
        problems: JSON.stringify(sealImportJson.bad(pii, result.bad)),
        status: 'checked',
        created_at: now(),
        pii_key_id: pii.keyId,
      });
      return importSummary(id);
    },

    async importSummary(actor: RequestActor, importId: string): Promise<ImportSummary> {
      await importRow(actor, importId);
      return importSummary(importId);
    },

    /** One page of the bad rows of a check, each with its faulty cells. */
    async importBadRows(actor: RequestActor, importId: string, page: Page) {
      await importRow(actor, importId);
      const { total, rows } = await jsonPage<BadRow>(importId, 'problems', page);
      return { total, rows: openImportJson.bad(pii, rows) };
    },

    /** One page of the good rows of a check, as they will be imported. */
    async importGoodRows(actor: RequestActor, importId: string, page: Page) {
      await importRow(actor, importId);
      const { total, rows } = await jsonPage<GoodRow>(importId, 'good_rows', page);
      return {
        total,
        rows: openImportJson.good(pii, rows).map((g) => {
          const facts = idFacts(g.data.idNumber, now());
          return {
            row: g.row,
            ...g.data,
            sexName: facts ? SEXES[facts.sex] : null,
            birthMonth: facts?.birthMonth ?? null,
            age: facts?.age ?? null,
            seriesName: g.data.series ? SERIES[g.data.series] : null,
            postLevelName: g.data.postLevel ? POST_LEVELS[g.data.postLevel] : null,
            regionName: g.data.regionCode ? (regionLabel.get(g.data.regionCode) ?? g.data.regionCode) : null,
          };
        }),
      };
    },

    /** 下载错误数据 */
    async errorWorkbook(actor: RequestActor, importId: string): Promise<Buffer> {
      const row = await importRow(actor, importId);
      const bad = openImportJson.bad(pii, row.problems as BadRow[]);
      if (!bad.length) throw new NotFoundError('本次检验没有错误数据');
      return buildErrorWorkbook(bad, regions);
    },

    /**
     * 导入正确数据: once, on the user's confirmation, in one transaction. Rows whose ID number
     * entered the pool after the check are skipped and reported.
     */
    async confirmImport(actor: RequestActor, importId: string): Promise<ImportSummary> {
      await db.transaction(async (trx) => {
        const row = await importRow(actor, importId, trx);
        if (row.status !== 'checked') throw new ConflictError('这批数据已经导入，请勿重复导入');
        const good = openImportJson.good(pii, row.good_rows as GoodRow[]);
        if (!good.length) throw new ValidationError('没有检验正确的数据可以导入：请下载错误数据，修改后重新上传', [{ field: 'id', message: '没有正确数据' }]);
        const claimed = await trx('expert_imports').where({ id: importId, status: 'checked' }).update({ status: 'imported', imported_at: now() });
        if (claimed !== 1) throw new ConflictError('这批数据已经导入，请勿重复导入');
        const committeeId = Number(row.committee_id);
        const takenBy = await takenOf(trx, committeeId, good.map((g) => g.data.idNumber));
        const fresh = good.filter((g) => !takenBy.has(g.data.idNumber));
        const written = await insertExperts(
          trx,
          committeeId,
          fresh.map((g) => ({ data: g.data, extra: { status: 'draft', created_by: actor.userId } })),
        );
        const skipped: SkippedRow[] = good
          .filter((g) => !written.has(g.data.idNumber))
          .map((g) => {
            const status = takenBy.get(g.data.idNumber);
            return {
              row: g.row,
              name: g.data.name,
              idNumber: g.data.idNumber,
              message: `检验后该证件号码已进入本评委会专家库${status ? `（${EXPERT_STATUS[status as ExpertStatus] ?? status}）` : ''}，未导入`,
            };
          });
        await events(trx, [...written.values()], actor, 'import', `批量导入（${String(row.file_name ?? '')}）`);
        await trx('expert_imports').where({ id: importId }).update({ imported_count: written.size, skipped: JSON.stringify(sealImportJson.skipped(pii, skipped)) });
      });
      return importSummary(importId);
    },
  };
}

export type PoolView = z.infer<typeof poolView>;

export function committeeView(c: CommitteeRef) {
  return {
    id: c.id,
    name: c.name,
    series: c.series,
    seriesName: c.series ? (SERIES[c.series as keyof typeof SERIES] ?? c.series) : null,
    levels: c.levels,
    levelNames: c.levels.map((l) => LEVELS[l as keyof typeof LEVELS] ?? l),
    organizerUnitId: c.organizerUnitId,
    organizerName: c.organizerName,
    registrarUnitId: c.registrarUnitId,
    registrarName: c.registrarName,
  };
}

export type ExpertService = ReturnType<typeof createExpertService>;
