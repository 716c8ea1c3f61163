import type { Knex } from 'knex';
import { BUILD_BY, REVIEW_TYPES, committeeSchema, type CommitteeInput } from '../../../forms/committee.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { UNIT_NATURE_OPTIONS } from '../../../forms/unit-info.ts';
import { FILING_STATUS } from '../../../forms/labels.ts';
import { describeIssues } from '../../../forms/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { audit } from '../../src/audit.ts';
import { containing, countOf } from '../../src/list-query.ts';
import { shanghaiDate } from '../calendar/calendar.service.ts';
import type { Regions } from '../regions/regions.service.ts';

/** 备案申请 statuses */
export const FILING_REQUEST_STATUS: Record<string, string> = {
  submitted: '审核中',
  returned: '已退回',
  approved: '审核通过',
  rejected: '不予备案',
  withdrawn: '已撤回',
};

const LEVEL_RANK: Record<string, number> = { junior: 1, intermediate: 2, senior_deputy: 3, senior_full: 4 };

/** The calendar date `months` months after `day` (clamped to the month's end). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 届满前 2 个月: from this day on a filed committee may (and should) file again. */
export const refilingOpensOn = (validTo: string) => addMonths(validTo, -2);

export interface CommitteeRow {
  id: number;
  name: string;
  organizer_unit_id: number;
  issuer_unit_id: number | null;
  registrar_unit_id: number | null;
  filing_status: string;
  valid_from: string | null;
  valid_to: string | null;
  version: number;
  [key: string]: unknown;
}

const DATE_COLUMNS = ["to_char(c.valid_from, 'YYYY-MM-DD') as valid_from", "to_char(c.valid_to, 'YYYY-MM-DD') as valid_to"];

/** 评委会: the organiser's committees, their data rules (notice 000) and their standing. */
export function createCommitteeService(deps: { db: Knex; regions: Regions; now: () => Date }) {
  const { db, regions } = deps;
  const today = () => shanghaiDate(deps.now());

  function base(trx: Knex | Knex.Transaction = db) {
    return trx('committees as c')
      .join('units as o', 'o.id', 'c.organizer_unit_id')
      .leftJoin('units as i', 'i.id', 'c.issuer_unit_id')
      .leftJoin('units as r', 'r.id', 'c.registrar_unit_id')
      .select('c.*', ...DATE_COLUMNS.map((c) => trx.raw(c)), 'o.name as organizer_name', 'o.path as organizer_path', 'i.name as issuer_name', 'r.name as registrar_name')
      .select(
        trx.raw(
          "(select json_build_object('id', f.id, 'status', f.status, 'instanceId', f.instance_id, 'submittedAt', f.submitted_at) from committee_filings f where f.committee_id = c.id and f.status in ('submitted', 'returned') limit 1) as open_filing",
        ),
      )
      .select(trx.raw("(select max(f.decided_at) from committee_filings f where f.committee_id = c.id and f.status = 'approved') as last_approved_at"))
      .select(trx.raw("(select count(*)::int from experts e where e.committee_id = c.id and e.status = 'in_pool') as experts_in_pool"));
  }

  /** The committee's standing on a day: expired once its term is over, whatever the sweep has written yet. */
  function standing(row: { filing_status: string; valid_to: string | null }, day = today()): string {
    if (row.filing_status === 'filed' && row.valid_to && row.valid_to < day) return 'expired';
    return row.filing_status;
  }

  function view(row: Record<string, unknown>) {
    const status = standing(row as unknown as CommitteeRow);
    const open = row.open_filing as { id: number; status: string; instanceId: string | null; submittedAt: string } | null;
    const validTo = (row.valid_to as string | null) ?? null;
    const day = today();
    return {
      id: Number(row.id),
      name: String(row.name),
      officeAgency: (row.office_agency as string | null) ?? null,
      office: (row.office as string | null) ?? null,
      organizerUnitId: Number(row.organizer_unit_id),
      organizerName: String(row.organizer_name),
      reviewType: (row.review_type as string | null) ?? null,
      reviewTypeName: row.review_type ? (REVIEW_TYPES[row.review_type as keyof typeof REVIEW_TYPES] ?? String(row.review_type)) : null,
      adminLevel: (row.admin_level as string | null) ?? null,
      levels: (row.levels as string[]) ?? [],
      levelNames: ((row.levels as string[]) ?? []).map((l) => LEVELS[l as keyof typeof LEVELS] ?? l),
      issuerUnitId: row.issuer_unit_id == null ? null : Number(row.issuer_unit_id),
      issuerName: (row.issuer_name as string | null) ?? null,
      registrarUnitId: row.registrar_unit_id == null ? null : Number(row.registrar_unit_id),
      registrarName: (row.registrar_name as string | null) ?? null,
      contactName: (row.contact_name as string | null) ?? null,
      contactPhone: (row.contact_phone as string | null) ?? null,
      address: (row.address as string | null) ?? null,
      internal: Boolean(row.internal),
      allowedNatures: (row.allowed_natures as string[]) ?? [],
      allowedNatureNames: ((row.allowed_natures as string[]) ?? []).map((n) => UNIT_NATURE_OPTIONS[n as keyof typeof UNIT_NATURE_OPTIONS] ?? n),
      buildBy: String(row.build_by),
      buildByName: BUILD_BY[row.build_by as keyof typeof BUILD_BY] ?? String(row.build_by),
      series: (row.series as string | null) ?? null,
      seriesName: row.series ? (SERIES[row.series as keyof typeof SERIES] ?? String(row.series)) : null,
      specialties: (row.specialties as string[]) ?? [],
      reviewRegions: (row.review_regions as string[]) ?? [],
      reviewRegionNames: ((row.review_regions as string[]) ?? []).map((c) => regions.label(c) ?? c),
      funded: Boolean(row.funded),
      termYears: Number(row.term_years),
      filingStatus: status,
      filingStatusName: FILING_STATUS[status as keyof typeof FILING_STATUS] ?? status,
      openFiling: open ? { id: Number(open.id), status: open.status, statusName: FILING_REQUEST_STATUS[open.status] ?? open.status, instanceId: open.instanceId } : null,
      validFrom: (row.valid_from as string | null) ?? null,
      validTo,
      /** 届满前 2 个月起可以（也应当）重新备案 */
      refilingDue: status === 'expired' || (status === 'filed' && validTo != null && refilingOpensOn(validTo) <= day),
      lastApprovedAt: row.last_approved_at ? new Date(row.last_approved_at as string).toISOString() : null,
      expertsInPool: Number(row.experts_in_pool ?? 0),
      version: Number(row.version),
    };
  }

  async function getRow(id: number, trx: Knex | Knex.Transaction = db) {
    const row = await base(trx).where('c.id', id).first();
    if (!row) throw new NotFoundError('评委会不存在');
    return row as Record<string, unknown>;
  }

  /** The organiser's clerks manage; the issuer and the registrar may look. */
  function mayView(actor: RequestActor, row: Record<string, unknown>) {
    const unitId = actor.unitId;
    return unitId != null && [row.organizer_unit_id, row.issuer_unit_id, row.registrar_unit_id].some((u) => u != null && Number(u) === unitId);
  }

  /** The committee if the caller may see it; any other answers exactly as one that does not exist. */
  async function visibleRow(actor: RequestActor, id: number, trx: Knex | Knex.Transaction = db) {
    const row = await getRow(id, trx);
    if (!mayView(actor, row)) throw new NotFoundError('评委会不存在');
    return row;
  }

  /** Who may be a 备案单位: an HR bureau, or a province-level department (省直部门); null for anyone else. */
  function registrarKind(u: Record<string, unknown>): 'hr_bureau' | 'province_department' | null {
    if (u.unit_type === 'hr_bureau') return 'hr_bureau';
    if (u.unit_type === 'department' && u.admin_level === 'province') return 'province_department';
    return null;
  }

  function assertOrganiser(actor: RequestActor, row: Record<string, unknown>) {
    if (actor.unitId == null || Number(row.organizer_unit_id) !== actor.unitId) throw new ForbiddenError('只能管理本单位组建的评委会');
  }

  /**
   * The rules the form alone cannot check: the issuer and the registrar sit above (or are) the
   * organiser and may handle the levels chosen, and the review region follows notice 000 — a
   * city-level committee only inside its city, a county-level one only inside its county, a
   * self-review unit only itself.
   */
  async function check(input: CommitteeInput, organiser: Record<string, unknown>, trx: Knex | Knex.Transaction = db) {
    const problems: Array<{ field: string; message: string }> = [];
    const level = organiser.admin_level as string | null;
    const home = organiser.region_code as string | null;
    const organiserPath = String(organiser.path);
    if (organiser.unit_type === 'self_review_unit') {
      if (!input.internal) problems.push({ field: 'internal', message: '自主评审单位组建的评委会只能评审本单位人员，请选择“是”' });
      if (input.reviewRegions.length) problems.push({ field: 'reviewRegions', message: '自主评审单位组建的评委会只能评审本单位，不能选择评审区域' });
    } else {
      if (!input.reviewRegions.length && !input.internal) problems.push({ field: 'reviewRegions', message: '请选择评审区域' });
      for (const code of input.reviewRegions) {
        const region = regions.get(code);
        if (!region) {
          problems.push({ field: 'reviewRegions', message: `评审区域 ${code} 不存在` });
        } else if (home && level === 'city' && !regions.within(code, home)) {
          problems.push({ field: 'reviewRegions', message: `市（州）级单位组建的评委会只能选择本市（州）内的区域：${regions.label(code)} 不在 ${regions.label(home)}` });
        } else if (home && level === 'county' && code !== home) {
          problems.push({ field: 'reviewRegions', message: `县（市、区）级单位组建的评委会只能选择本县（市、区）：${regions.label(code)} 不是 ${regions.label(home)}` });
        } else if (home && !regions.within(code, home.slice(0, 2) + '0000')) {
          problems.push({ field: 'reviewRegions', message: `评审区域 ${regions.label(code)} 不在本省` });
        }
      }
    }
    if (new Set(input.reviewRegions).size !== input.reviewRegions.length) problems.push({ field: 'reviewRegions', message: '评审区域有重复' });
    const units = await trx('units').whereIn('id', [input.issuerUnitId, input.registrarUnitId]).select('id', 'name', 'unit_type', 'admin_level', 'path', 'status');
    const byId = new Map(units.map((u: Record<string, unknown>) => [Number(u.id), u]));
    const above = (u: Record<string, unknown>) => organiserPath.startsWith(String(u.path));
    const issuer = byId.get(input.issuerUnitId);
    if (!issuer || issuer.status !== 'active') problems.push({ field: 'issuerUnitId', message: '授权管理单位不存在或已停用' });
    else if (!['hr_bureau', 'department'].includes(String(issuer.unit_type))) problems.push({ field: 'issuerUnitId', message: '授权管理单位应为人社部门或主管部门' });
    else if (!above(issuer)) problems.push({ field: 'issuerUnitId', message: `${String(issuer.name)} 不是本单位或本单位的上级单位，不能作为授权管理单位` });
    const registrar = byId.get(input.registrarUnitId);
    const top = Math.max(...input.levels.map((l) => LEVEL_RANK[l] ?? 0));
    if (!registrar || registrar.status !== 'active') problems.push({ field: 'registrarUnitId', message: '备案批复单位不存在或已停用' });
    // manual §【备案单位】: 省人社厅 for senior committees; 市（州）人社局 and 省直部门 for intermediate and
    // junior ones within their scope; 县（区）人社部门 for junior ones
    else if (!registrarKind(registrar)) problems.push({ field: 'registrarUnitId', message: '备案批复单位应为人社部门或省直部门' });
    else if (!above(registrar)) problems.push({ field: 'registrarUnitId', message: `${String(registrar.name)} 不是本单位或本单位的上级人社部门（省直部门），不能作为备案批复单位` });
    else if (top >= LEVEL_RANK.senior_deputy! && registrarKind(registrar) === 'province_department') problems.push({ field: 'registrarUnitId', message: '高级职称评委会应向省人社厅备案，省直部门只备案其范围内的中、初级职称评委会' });
    else if (top >= LEVEL_RANK.senior_deputy! && registrar.admin_level !== 'province') problems.push({ field: 'registrarUnitId', message: '高级职称评委会应向省人社厅备案' });
    else if (top === LEVEL_RANK.intermediate && registrar.admin_level === 'county') problems.push({ field: 'registrarUnitId', message: '中级职称评委会应向市（州）人社局或省人社厅备案' });
    if (top >= LEVEL_RANK.senior_deputy! && level !== 'province') problems.push({ field: 'levels', message: '高级职称评委会由省级单位组建' });
    if (top === LEVEL_RANK.intermediate && level === 'county') problems.push({ field: 'levels', message: '县（市、区）级单位只能组建初级职称评委会' });
    if (problems.length) throw new ValidationError(`评委会信息有误：${problems.map((p) => p.message).join('；')}`, problems);
  }

  function parse(body: unknown): CommitteeInput {
    const parsed = committeeSchema.safeParse(body);
    if (!parsed.success) {
      const problems = describeIssues(committeeSchema, parsed.error.issues);
      throw new ValidationError(`评委会信息有误：${problems.map((p) => p.message).join('；')}`, problems);
    }
    return parsed.data;
  }

  const columnsOf = (v: CommitteeInput) => ({
    name: v.name,
    office_agency: v.officeAgency,
    office: v.office,
    review_type: v.reviewType,
    levels: v.levels,
    issuer_unit_id: v.issuerUnitId,
    registrar_unit_id: v.registrarUnitId,
    contact_name: v.contactName,
    contact_phone: v.contactPhone,
    address: v.address,
    internal: v.internal,
    allowed_natures: v.allowedNatures,
    build_by: v.buildBy,
    series: v.series,
    specialties: v.specialties,
    review_regions: v.reviewRegions,
    funded: v.funded,
    term_years: v.termYears,
  });

  return {
    view,
    standing,
    getRow,
    visibleRow,
    assertOrganiser,
    today,

    async list(actor: RequestActor, filter: { q?: string; status?: string }, page: { offset: number; limit: number }) {
      if (actor.unitId == null) return { rows: [], total: 0 };
      const query = base().where('c.organizer_unit_id', actor.unitId);
      if (filter.q) query.whereILike('c.name', containing(filter.q));
      if (filter.status === 'expired') query.where('c.filing_status', 'filed').whereRaw('c.valid_to < ?::date', [today()]);
      else if (filter.status === 'filed') query.where('c.filing_status', 'filed').whereRaw('c.valid_to >= ?::date', [today()]);
      else if (filter.status) query.where('c.filing_status', filter.status);
      const total = await countOf(query);
      const rows = await query.orderBy('c.id', 'desc').offset(page.offset).limit(page.limit);
      return { rows: rows.map(view), total };
    },

    async detail(actor: RequestActor, id: number) {
      const row = await visibleRow(actor, id);
      const filings = await db('committee_filings as f')
        .leftJoin('users as u', 'u.id', 'f.submitted_by')
        .where('f.committee_id', id)
        .select('f.*', 'u.display_name as submitted_by_name', db.raw("to_char(f.valid_from, 'YYYY-MM-DD') as valid_from"), db.raw("to_char(f.valid_to, 'YYYY-MM-DD') as valid_to"))
        .orderBy('f.id', 'desc');
      return {
        ...view(row),
        filings: filings.map((f: Record<string, unknown>) => ({
          id: Number(f.id),
          status: String(f.status),
          statusName: FILING_REQUEST_STATUS[String(f.status)] ?? String(f.status),
          instanceId: (f.instance_id as string | null) ?? null,
          submittedAt: new Date(f.submitted_at as string).toISOString(),
          submittedByName: (f.submitted_by_name as string | null) ?? null,
          decidedAt: f.decided_at ? new Date(f.decided_at as string).toISOString() : null,
          validFrom: (f.valid_from as string | null) ?? null,
          validTo: (f.valid_to as string | null) ?? null,
          expertCount: Number(f.expert_count),
          requestFiles: (f.request_files as Array<{ id: string; name: string; size: number; mime: string }>) ?? [],
          opinion: (f.opinion as string | null) ?? null,
        })),
      };
    },

    async create(actor: RequestActor, body: unknown) {
      const input = parse(body);
      if (actor.unitId == null) throw new ForbiddenError('没有所属单位，不能组建评委会');
      return db.transaction(async (trx) => {
        const organiser = await trx('units').where({ id: actor.unitId }).first();
        await check(input, organiser, trx);
        const now = deps.now();
        const [row] = await trx('committees')
          .insert({ ...columnsOf(input), organizer_unit_id: actor.unitId, admin_level: organiser.admin_level, filing_status: 'unfiled', created_by: actor.userId, created_at: now, updated_at: now })
          .returning('id');
        const id = Number(row.id);
        await audit(trx, actor, { action: 'committee.create', targetType: 'committee', targetId: id, unitId: actor.unitId as number, data: { name: input.name } }, now);
        return view(await getRow(id, trx));
      });
    },

    /** Edits while no filing is under review (a returned filing is edited, then resubmitted). */
    async update(actor: RequestActor, id: number, body: unknown, version: number) {
      const input = parse(body);
      return db.transaction(async (trx) => {
        const row = await visibleRow(actor, id, trx);
        assertOrganiser(actor, row);
        const open = row.open_filing as { status: string } | null;
        if (open?.status === 'submitted') throw new ConflictError('备案申请正在审核中，不能修改评委会信息；退回后可修改');
        const organiser = await trx('units').where({ id: row.organizer_unit_id }).first();
        await check(input, organiser, trx);
        const now = deps.now();
        const count = await trx('committees').where({ id, version }).update({ ...columnsOf(input), version: version + 1, updated_at: now });
        if (count !== 1) throw new ConflictError('评委会信息已被他人修改，请刷新后重试');
        await audit(trx, actor, { action: 'committee.update', targetType: 'committee', targetId: id, unitId: actor.unitId as number, data: { name: input.name } }, now);
        return view(await getRow(id, trx));
      });
    },

    /** Filed, unexpired committees of a unit: the ones that may start activities. */
    async usable(unitId: number, trx: Knex | Knex.Transaction = db) {
      const rows = await base(trx).where('c.organizer_unit_id', unitId).where('c.filing_status', 'filed').whereRaw('c.valid_to >= ?::date', [today()]).orderBy('c.name');
      return rows.map(view);
    },
  };
}

export type CommitteeService = ReturnType<typeof createCommitteeService>;
