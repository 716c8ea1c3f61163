import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/index.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { MAX_OFFSET, containing, countUpTo, filterId, iso, keysetPage, nextCursorOf, type Cursor, type KeysetField, type Page } from '../../src/list-query.ts';
import type { Regions } from '../regions/regions.service.ts';

/** 评价方式 a forwarding unit may set (评审人员统计). */
export const EVALUATION_METHODS: Record<string, string> = {
  normal: '正常申报',
  breakthrough: '破格申报',
  transfer: '转评',
  re_review: '复审',
};

export const DOSSIER_STATUS: Record<string, string> = {
  draft: '待提交',
  submitted: '审核中',
  returned: '已退回待修改',
  rejected: '不通过',
  received: '评委会已接收',
  not_delivered: '逾期未报送',
  passed: '评审通过',
  // the results the committee's flows send to the dossier's case (docs/dossiers.md)
  exam_failed: '笔试不通过',
  review_passed: '评审通过',
  review_failed: '评审未通过',
  publicity_ended: '公示结束',
  withdrawn: '评审结果已撤销',
  confirmed: '评审结果已确认',
  confirm_failed: '确认不通过',
  certified: '证书已发放',
  abandoned: '放弃',
};

/**
 * What the organiser's counts mean. 申报: submitted at least once (drafts are not declarations);
 * 接收: received by the committee (参评资格审核 passed) or further; 通过: the dossier's result is
 * 通过 (confirmed, `dossiers.result = 'passed'`) — and, while the confirmation has not decided yet
 * (no result), a dossier past the review (评审通过, 公示中 or 公示结束) counts as 通过 too, as it did
 * before results existed; a withdrawal or a refused confirmation takes it out again.
 */
export const PASSED_STATUSES = ['passed', 'review_passed', 'publicity_ended', 'confirmed', 'certified'];
export const RECEIVED_STATUSES = ['received', 'exam_failed', 'review_failed', 'withdrawn', 'confirm_failed', ...PASSED_STATUSES];

export interface QueryFilter {
  committeeId?: number;
  activityId?: number;
  year?: number;
  series?: string;
  level?: string;
  specialty?: string;
  regionCode?: string;
  status?: string;
  evaluationMethod?: string;
  q?: string;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** A list filter as the console sends it. */
export function parseQueryFilter(raw: Record<string, unknown> | undefined): QueryFilter {
  const f = raw ?? {};
  return {
    committeeId: filterId(f.committeeId, 'committeeId'),
    activityId: filterId(f.activityId, 'activityId'),
    year: filterId(f.year, 'year'),
    series: text(f.series),
    level: text(f.level),
    specialty: text(f.specialty),
    regionCode: text(f.regionCode),
    status: text(f.status),
    evaluationMethod: text(f.evaluationMethod),
    q: text(f.q),
  };
}

/**
 * The sortable fields of 综合查询: those an index walks in order (`dossiers_committee_submitted_idx`,
 * the primary key), so a page costs its 25 rows whatever the number of dossiers; every sort ends
 * with the dossier's id, so pages never overlap. Name, status, level and specialty are filters there.
 */
export const QUERY_SORT: Record<string, KeysetField> = {
  submittedAt: { column: 'd.submitted_at', type: 'timestamptz' },
  id: { column: 'd.id', type: 'bigint' },
};

/**
 * 评审人员统计 lists what one unit forwarded (thousands, not the province): every column sorts. The
 * default order (newest submission first) walks `dossier_forwards_unit_submitted_idx`, which
 * carries the submission time; the others read the unit's rows and sort them.
 */
export const FORWARDED_SORT: Record<string, KeysetField> = {
  submittedAt: { column: 'f.submitted_at', type: 'timestamptz' },
  applicantName: { column: 'p.display_name', type: 'text' },
  status: { column: 'd.status', type: 'text' },
  level: { column: 'd.level', type: 'text', nullable: true },
  specialty: { column: 'd.specialty', type: 'text', nullable: true },
  id: { column: 'f.dossier_id', type: 'bigint' },
};

export const QUERY_DEFAULT_SORT: [string, 'asc' | 'desc'] = ['submittedAt', 'desc'];

/** A page of a dossier list: by offset (page numbers) or after a cursor (下一页 past the offset cap). */
export interface DossierPage extends Page {
  cursor?: Cursor;
}

export type DossierSort = { field: string; key: KeysetField; order: 'asc' | 'desc' };

function mapDossier(regions: Regions, r: Record<string, unknown>) {
  const series = (r.series as string | null) ?? null;
  const level = (r.level as string | null) ?? null;
  const method = String(r.evaluation_method);
  return {
    id: Number(r.id),
    applicantName: String(r.applicant_name),
    employerName: (r.employer_name as string | null) ?? null,
    regionCode: (r.region_code as string | null) ?? null,
    regionName: regions.label(r.region_code as string | null),
    committeeId: r.committee_id == null ? null : Number(r.committee_id),
    committeeName: (r.committee_name as string | null) ?? null,
    activityId: Number(r.activity_id),
    activityName: String(r.activity_name),
    year: Number(r.year),
    series,
    seriesName: series ? ((SERIES as Record<string, string>)[series] ?? series) : null,
    level,
    levelName: level ? ((LEVELS as Record<string, string>)[level] ?? level) : null,
    specialty: (r.specialty as string | null) ?? null,
    evaluationMethod: method,
    evaluationMethodName: EVALUATION_METHODS[method] ?? method,
    status: String(r.status),
    statusName: DOSSIER_STATUS[String(r.status)] ?? String(r.status),
    instanceId: (r.instance_id as string | null) ?? null,
    submittedAt: iso(r.submitted_at as Date | null),
  };
}

export type DossierRow = ReturnType<typeof mapDossier>;

const counts = (r: Record<string, unknown>) => ({
  declared: Number(r.declared ?? 0),
  reviewing: Number(r.reviewing ?? 0),
  returned: Number(r.returned ?? 0),
  rejected: Number(r.rejected ?? 0),
  received: Number(r.received ?? 0),
  passed: Number(r.passed ?? 0),
});

/** 申报材料综合查询 and 评审人员统计 (manual §1.2.3.3, §1.2.3.4). */
export function createDossierQueryService(deps: { db: Knex; engine: WorkflowEngine; regions: Regions; now: () => Date }) {
  const { db, regions } = deps;

  const base = () =>
    db('dossiers as d')
      .join('users as p', 'p.id', 'd.applicant_id')
      .join('activities as a', 'a.id', 'd.activity_id')
      .leftJoin('committees as c', 'c.id', 'd.committee_id')
      .leftJoin('units as e', 'e.id', 'd.employer_unit_id');
  const columns = ['d.*', 'p.display_name as applicant_name', 'a.name as activity_name', 'c.name as committee_name', 'e.name as employer_name'];

  function applyFilter(q: Knex.QueryBuilder, f: QueryFilter) {
    if (f.committeeId != null) q.where('d.committee_id', f.committeeId);
    if (f.activityId != null) q.where('d.activity_id', f.activityId);
    if (f.year != null) q.where('d.year', f.year);
    if (f.series) q.where('d.series', f.series);
    if (f.level) q.where('d.level', f.level);
    if (f.specialty) q.where('d.specialty', 'ilike', containing(f.specialty));
    if (f.status) q.where('d.status', f.status);
    if (f.evaluationMethod) q.where('d.evaluation_method', f.evaluationMethod);
    if (f.q) q.where('p.display_name', 'ilike', containing(f.q));
    if (f.regionCode) {
      const region = regions.get(f.regionCode);
      if (!region) throw new ValidationError('筛选条件“地区”不存在', [{ field: 'filter.regionCode', message: '地区不存在' }]);
      // codes are GB/T 2260: a province shares its first two digits, a city its first four
      if (region.level === 'province') q.where('d.region_code', 'like', `${f.regionCode.slice(0, 2)}%`);
      else if (region.level === 'city') q.where('d.region_code', 'like', `${f.regionCode.slice(0, 4)}%`);
      else q.where('d.region_code', f.regionCode);
    }
    return q;
  }

  /** The committees the caller's unit organises; a committee filter outside them is refused. */
  async function scope(actor: RequestActor, f: QueryFilter): Promise<number[]> {
    if (actor.unitId == null) throw new ForbiddenError('只能查询本单位组建的评委会的申报材料');
    const ids = (await db('committees').where('organizer_unit_id', actor.unitId).pluck('id')).map(Number);
    if (f.committeeId != null && !ids.includes(f.committeeId)) throw new ForbiddenError('只能查询本单位组建的评委会的申报材料');
    return ids;
  }

  /**
   * Declared dossiers of the committees. Counts read the dossier alone (the covering index
   * answers them) and join the applicant only to search by name; lists join everything they show.
   */
  function declared(committeeIds: number[], f: QueryFilter, joined: boolean) {
    const q = joined ? base() : f.q ? db('dossiers as d').join('users as p', 'p.id', 'd.applicant_id') : db('dossiers as d');
    return applyFilter(q.whereIn('d.committee_id', committeeIds).whereNotNull('d.submitted_at'), f);
  }

  /**
   * One page, newest first by default (nulls — a dossier without a level yet — last either way),
   * ordered by the key and then the id; after the cursor when there is one, else at the offset.
   * The page's ids come from the dossiers alone (`q` joins only what its filter and sort need);
   * only those rows are then joined to what the list shows.
   */
  async function pageOfRows(q: Knex.QueryBuilder, page: DossierPage, sort: DossierSort, idColumn = 'd.id') {
    const paged = keysetPage(db, q.select(`${idColumn} as id`), idColumn, sort, page.cursor, page.limit);
    if (!page.cursor) paged.offset(page.offset);
    const keys = (await paged) as Array<{ id: string | number; keyset_value: string | null }>;
    const byId = new Map(
      keys.length ? ((await base().select(columns).whereIn('d.id', keys.map((k) => k.id))) as Array<Record<string, unknown>>).map((r) => [Number(r.id), r]) : [],
    );
    const rows = keys.map((k) => mapDossier(regions, byId.get(Number(k.id)) as Record<string, unknown>)) as DossierRow[];
    return { rows, nextCursor: nextCursorOf(keys, page.limit, sort) };
  }

  /** The joins a filter or a sort needs beside the dossier itself. */
  const withApplicant = (q: Knex.QueryBuilder, f: QueryFilter, sort?: DossierSort) =>
    f.q || sort?.key.column.startsWith('p.') ? q.join('users as p', 'p.id', 'd.applicant_id') : q;

  /** Totals are exact up to MAX_OFFSET rows and `*` beyond (the summary above the list has the exact counts). */
  async function list(actor: RequestActor, f: QueryFilter, page: DossierPage, sort: DossierSort) {
    const ids = await scope(actor, f);
    const [result, total] = await Promise.all([pageOfRows(declared(ids, f, false), page, sort), countUpTo(db, declared(ids, f, false), MAX_OFFSET)]);
    return { rows: result.rows, nextCursor: result.nextCursor, total };
  }

  /** The whole export, in the list's order (at most `limit` rows; the caller refuses more). */
  async function exportRows(actor: RequestActor, f: QueryFilter, limit: number, sort: DossierSort) {
    const ids = await scope(actor, f);
    const [raw, total] = await Promise.all([
      keysetPage(db, declared(ids, f, true).select(columns), 'd.id', sort, undefined, limit) as unknown as Promise<Array<Record<string, unknown>>>,
      countUpTo(db, declared(ids, f, false), limit),
    ]);
    return { rows: raw.map((r) => mapDossier(regions, r)) as DossierRow[], total };
  }

  return {
    list,
    exportRows,

    /** Counts per committee the caller's unit organises (every one, also those without dossiers), and their sum. */
    async summary(actor: RequestActor, f: QueryFilter) {
      const ids = await scope(actor, f);
      const committees = await db('committees')
        .select('id', 'name')
        .whereIn('id', f.committeeId != null ? [f.committeeId] : ids)
        .orderBy('id');
      // committee, activity, year and status: the summary kept by the trigger (`dossier_count_deltas`)
      // answers; a filter on what it does not key by counts the dossiers (the covering index)
      const kept = !(f.series || f.level || f.specialty || f.regionCode || f.evaluationMethod || f.q);
      const n = kept ? 'sum(d.n)' : 'count(*)';
      const source = kept ? applyFilter(db('dossier_count_deltas as d').whereIn('d.committee_id', ids), f) : declared(ids, f, false);
      const rows = await source
        .select('d.committee_id')
        .select(
          db.raw(`${n} as declared`),
          db.raw(`${n} filter (where d.status = 'submitted') as reviewing`),
          db.raw(`${n} filter (where d.status = 'returned') as returned`),
          db.raw(`${n} filter (where d.status = 'rejected') as rejected`),
          db.raw(`${n} filter (where d.status = any(?::text[])) as received`, [RECEIVED_STATUSES]),
          db.raw(`${n} filter (where d.result = 'passed' or (d.result is null and d.status = any(?::text[]))) as passed`, [PASSED_STATUSES]),
        )
        .groupBy('d.committee_id');
      const byCommittee = new Map((rows as Array<Record<string, unknown>>).map((r) => [Number(r.committee_id), counts(r)]));
      const items = committees.map((c: Record<string, unknown>) => ({ id: Number(c.id), committeeName: String(c.name), ...counts({}), ...byCommittee.get(Number(c.id)) }));
      const totals = counts({});
      for (const item of items) for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += item[k];
      return { totals, committees: items };
    },

    /** The organiser's committees with their activities, for the query's pickers. */
    async options(actor: RequestActor) {
      if (actor.unitId == null) return [];
      const committees = await db('committees').select('id', 'name').where('organizer_unit_id', actor.unitId).orderBy('id');
      const activities = committees.length
        ? await db('activities').select('id', 'name', 'year', 'committee_id').whereIn('committee_id', committees.map((c: { id: number }) => c.id)).orderBy('id', 'desc')
        : [];
      return committees.map((c: Record<string, unknown>) => ({
        id: Number(c.id),
        name: String(c.name),
        activities: activities
          .filter((a: Record<string, unknown>) => Number(a.committee_id) === Number(c.id))
          .map((a: Record<string, unknown>) => ({ id: Number(a.id), name: String(a.name), year: Number(a.year) })),
      }));
    },

    // ---------------------------------------------------------------- 评审人员统计

    /**
     * Cases the caller's unit passed on (`dossier_forwards`, written by the forwarding step). The
     * page walks the unit's rows in the index's order (the dossier joined only when a filter or
     * the sort needs it); the total is exact up to MAX_OFFSET rows and `*` beyond.
     */
    async listForwarded(actor: RequestActor, f: QueryFilter, page: DossierPage, sort: DossierSort) {
      if (actor.unitId == null) return { rows: [] as DossierRow[], nextCursor: null, total: 0 as number | null };
      const q = forwardedRows(actor.unitId, f, sort);
      const [result, total] = await Promise.all([pageOfRows(q.clone(), page, sort, 'f.dossier_id'), countUpTo(db, forwardedRows(actor.unitId, f), MAX_OFFSET)]);
      return { rows: result.rows, nextCursor: result.nextCursor, total };
    },

    /** 修改评价方式: a forwarding unit changes 评价方式 and/or 申报层级; recorded, never overwritten. */
    async change(actor: RequestActor, dossierId: number, input: { evaluationMethod?: string; level?: string; reason?: string | null }) {
      if (actor.unitId == null) throw new ForbiddenError('只能修改本单位报送的申报人');
      const unitId = actor.unitId;
      return db.transaction(async (trx) => {
        const dossier = await trx('dossiers').where({ id: dossierId }).forUpdate().first();
        if (!dossier) throw new NotFoundError('申报记录不存在');
        if (!(await forwardedBy(unitId, dossierId, trx))) {
          if (!(await withinReach(actor, dossierId, trx))) throw new NotFoundError('申报记录不存在');
          throw new ForbiddenError('只能修改本单位审核通过并报送的申报人');
        }
        if (dossier.status === 'rejected') throw new ValidationError('申报已被评为不通过，不能修改评价方式', [{ field: 'status', message: '不通过' }]);
        const before = { evaluationMethod: String(dossier.evaluation_method), level: (dossier.level as string | null) ?? null };
        const after = { evaluationMethod: input.evaluationMethod ?? before.evaluationMethod, level: input.level ?? before.level };
        if (after.level) {
          const activity = await trx('activities').where({ id: dossier.activity_id }).first('levels');
          const open = (activity?.levels as string[] | null) ?? [];
          if (open.length && !open.includes(after.level)) {
            throw new ValidationError(`本次评审活动未开设${(LEVELS as Record<string, string>)[after.level] ?? after.level}评审`, [{ field: 'level', message: '评审活动未开设该层级' }]);
          }
        }
        if (after.evaluationMethod === before.evaluationMethod && after.level === before.level) {
          throw new ValidationError('评价方式和层级都没有变化', [{ field: 'evaluationMethod', message: '没有变化' }]);
        }
        const now = deps.now();
        // the data carries them too, so the columns the trigger derives from it agree
        await trx('dossiers')
          .where({ id: dossierId })
          .update({
            data: trx.raw("data || jsonb_strip_nulls(jsonb_build_object('evaluationMethod', ?::text, 'level', ?::text))", [after.evaluationMethod, after.level]),
            evaluation_method: after.evaluationMethod,
            updated_at: now,
          });
        const reason = input.reason?.trim() || null;
        const [change] = await trx('dossier_changes')
          .insert({
            dossier_id: dossierId,
            instance_id: dossier.instance_id ?? null,
            unit_id: unitId,
            actor_id: actor.userId,
            actor_name: actor.displayName,
            before: JSON.stringify(before),
            after: JSON.stringify(after),
            reason,
            created_at: now,
          })
          .returning('id');
        if (dossier.instance_id) {
          // also on the case's 经办流程
          await deps.engine.recordHistory(trx, dossier.instance_id, {
            type: 'dossier.change',
            elementName: '修改评价方式',
            actor,
            opinion: reason,
            data: { changeId: Number(change.id), unitId, before, after },
            at: now,
          });
        }
        const row = await base().select(columns).where('d.id', dossierId).transacting(trx).first();
        return mapDossier(regions, row);
      });
    },

    /** The recorded changes of a dossier, for its forwarding units and the committee's organiser. */
    async changes(actor: RequestActor, dossierId: number) {
      if (actor.unitId == null) throw new ForbiddenError('无权查看该申报的修改记录');
      const dossier = await db('dossiers as d').leftJoin('committees as c', 'c.id', 'd.committee_id').where('d.id', dossierId).first('d.id', 'c.organizer_unit_id');
      if (!dossier) throw new NotFoundError('申报记录不存在');
      const organiser = Number(dossier.organizer_unit_id) === actor.unitId;
      if (!organiser && !(await forwardedBy(actor.unitId, dossierId))) {
        if (!(await withinReach(actor, dossierId))) throw new NotFoundError('申报记录不存在');
        throw new ForbiddenError('无权查看该申报的修改记录');
      }
      const rows = await db('dossier_changes as x').leftJoin('units as u', 'u.id', 'x.unit_id').select('x.*', 'u.name as unit_name').where('x.dossier_id', dossierId).orderBy('x.id');
      return rows.map((r: Record<string, unknown>) => {
        const before = r.before as { evaluationMethod: string; level: string | null };
        const after = r.after as { evaluationMethod: string; level: string | null };
        const describe = (v: { evaluationMethod: string; level: string | null }) => ({
          ...v,
          evaluationMethodName: EVALUATION_METHODS[v.evaluationMethod] ?? v.evaluationMethod,
          levelName: v.level ? ((LEVELS as Record<string, string>)[v.level] ?? v.level) : null,
        });
        return {
          id: Number(r.id),
          unitName: (r.unit_name as string | null) ?? null,
          actorName: String(r.actor_name),
          before: describe(before),
          after: describe(after),
          reason: (r.reason as string | null) ?? null,
          createdAt: iso(r.created_at as Date) as string,
        };
      });
    },
  };

  /**
   * Whether the applicant's unit is the caller's or below it: to anyone else a dossier they did
   * not forward does not exist (404, as for an id nobody has) rather than being refused (403).
   */
  async function withinReach(actor: RequestActor, dossierId: number, trx?: Knex.Transaction): Promise<boolean> {
    if (!actor.unitPath) return false;
    const row = await (trx ?? db)('dossiers as d').join('users as u', 'u.id', 'd.applicant_id').join('units as n', 'n.id', 'u.unit_id').where('d.id', dossierId).first('n.path');
    return row != null && String(row.path).startsWith(actor.unitPath);
  }

  /** The rows of 评审人员统计 of a unit, joined to the dossier (and its applicant) only when the filter or the sort reads them. */
  function forwardedRows(unitId: number, f: QueryFilter, sort?: DossierSort) {
    const q = db('dossier_forwards as f').where('f.unit_id', unitId);
    const filtered = Object.values(f).some((v) => v !== undefined);
    if (!filtered && !sort?.key.column.match(/^[dp]\./)) return q;
    q.join('dossiers as d', 'd.id', 'f.dossier_id');
    return applyFilter(withApplicant(q, f, sort), f);
  }

  /** Whether the unit forwarded the dossier (a row of `dossier_forwards`). */
  async function forwardedBy(unitId: number, dossierId: number, trx?: Knex.Transaction): Promise<boolean> {
    return (await (trx ?? db)('dossier_forwards').where({ unit_id: unitId, dossier_id: dossierId }).first('dossier_id')) != null;
  }
}

export type DossierQueryService = ReturnType<typeof createDossierQueryService>;
