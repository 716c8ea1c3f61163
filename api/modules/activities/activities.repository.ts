import type { Knex } from 'knex';
import type { z } from 'zod';
import type { ActivityInput } from '../../../forms/activity.ts';
import type { fileRef } from './activities.schemas.ts';
import { containing, type Page } from '../../src/list-query.ts';

type Db = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

export type FileRef = z.infer<typeof fileRef>;

/** An activity as the API speaks of it (camelCase, dates as Date). */
export interface ActivityRecord {
  id: number;
  committeeId: number;
  committeeName: string;
  organiserUnitId: number;
  organiserUnitName: string;
  issuerUnitId: number | null;
  registrarUnitId: number | null;
  status: string;
  name: string;
  scope: string | null;
  year: number;
  kind: 'annual' | 'special';
  reviewMethod: string;
  writtenExam: string;
  defense: string;
  breakthrough: boolean;
  panels: boolean;
  panelMethod: string | null;
  startsAt: Date | null;
  firstDeadline: Date | null;
  revisionDeadline: Date | null;
  receiptDeadline: Date | null;
  unitReviewDeadline: Date | null;
  departmentReviewDeadline: Date | null;
  departmentRevisionDeadline: Date | null;
  healthPage: boolean;
  schoolPage: boolean;
  vocationalPage: boolean;
  policyFiles: FileRef[];
  planFiles: FileRef[];
  documentNumber: string | null;
  public: boolean;
  levels: string[];
  specialties: string[];
  minContinuingEducationHours: number;
  achievements: ActivityInput['achievements'];
  breakthroughConditions: ActivityInput['breakthroughConditions'];
  materials: ActivityInput['materials'];
  instanceId: string | null;
  submittedAt: Date | null;
  publishedAt: Date | null;
  firstClosedAt: Date | null;
  revisionClosedAt: Date | null;
  reviewOpinion: string | null;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface CommitteeRecord {
  id: number;
  name: string;
  organizerUnitId: number;
  issuerUnitId: number | null;
  registrarUnitId: number | null;
  levels: string[];
  specialties: string[];
  filingStatus: string;
  validTo: string | null;
  series: string | null;
  achievementDefaults: ActivityInput['achievements'];
  version: number;
}

const json = <T>(value: unknown, fallback: T): T => {
  if (value == null) return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
};
const date = (value: unknown): Date | null => (value == null ? null : new Date(value as string));

function toRecord(r: Row): ActivityRecord {
  return {
    id: Number(r.id),
    committeeId: Number(r.committee_id),
    committeeName: String(r.committee_name ?? ''),
    organiserUnitId: Number(r.committee_unit_id),
    organiserUnitName: String(r.organiser_unit_name ?? ''),
    issuerUnitId: r.issuer_unit_id == null ? null : Number(r.issuer_unit_id),
    registrarUnitId: r.registrar_unit_id == null ? null : Number(r.registrar_unit_id),
    status: String(r.status),
    name: String(r.name),
    scope: (r.scope as string | null) ?? null,
    year: Number(r.year),
    kind: r.kind as 'annual' | 'special',
    reviewMethod: String(r.review_method),
    writtenExam: String(r.written_exam),
    defense: String(r.defense),
    breakthrough: Boolean(r.breakthrough),
    panels: Boolean(r.panels),
    panelMethod: (r.panel_method as string | null) ?? null,
    startsAt: date(r.starts_at),
    firstDeadline: date(r.first_deadline),
    revisionDeadline: date(r.revision_deadline),
    receiptDeadline: date(r.receipt_deadline),
    unitReviewDeadline: date(r.unit_review_deadline),
    departmentReviewDeadline: date(r.department_review_deadline),
    departmentRevisionDeadline: date(r.department_revision_deadline),
    healthPage: Boolean(r.health_page),
    schoolPage: Boolean(r.school_page),
    vocationalPage: Boolean(r.vocational_page),
    policyFiles: json<FileRef[]>(r.policy_files, []),
    planFiles: json<FileRef[]>(r.plan_files, []),
    documentNumber: (r.document_number as string | null) ?? null,
    public: Boolean(r.public),
    levels: (r.levels as string[] | null) ?? [],
    specialties: (r.specialties as string[] | null) ?? [],
    minContinuingEducationHours: Number(r.min_continuing_education_hours ?? 0),
    achievements: json(r.achievements, []),
    breakthroughConditions: json(r.breakthrough_conditions, []),
    materials: json(r.materials, []),
    instanceId: (r.instance_id as string | null) ?? null,
    submittedAt: date(r.submitted_at),
    publishedAt: date(r.published_at),
    firstClosedAt: date(r.first_closed_at),
    revisionClosedAt: date(r.revision_closed_at),
    reviewOpinion: (r.review_opinion as string | null) ?? null,
    createdBy: r.created_by == null ? null : Number(r.created_by),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    version: Number(r.version),
  };
}

/** The columns of the form's fields (the committee and the workflow columns are set elsewhere). */
export function columnsOf(input: ActivityInput): Row {
  return {
    name: input.name,
    scope: input.scope,
    year: input.year,
    kind: input.kind,
    review_method: input.reviewMethod,
    written_exam: input.writtenExam,
    defense: input.defense,
    breakthrough: input.breakthrough,
    panels: input.panels,
    panel_method: input.panels ? (input.panelMethod ?? null) : null,
    starts_at: new Date(input.startsAt),
    first_deadline: new Date(input.firstDeadline),
    revision_deadline: new Date(input.revisionDeadline),
    receipt_deadline: new Date(input.receiptDeadline),
    unit_review_deadline: input.unitReviewDeadline ? new Date(input.unitReviewDeadline) : null,
    department_review_deadline: input.departmentReviewDeadline ? new Date(input.departmentReviewDeadline) : null,
    department_revision_deadline: input.departmentRevisionDeadline ? new Date(input.departmentRevisionDeadline) : null,
    health_page: input.healthPage,
    school_page: input.schoolPage,
    vocational_page: input.vocationalPage,
    policy_files: JSON.stringify(input.policyFiles ?? []),
    plan_files: JSON.stringify(input.planFiles ?? []),
    document_number: input.documentNumber ?? null,
    public: input.public,
    levels: input.levels,
    specialties: input.specialties,
    min_continuing_education_hours: input.minContinuingEducationHours,
    // shown to applicants by 序号
    achievements: JSON.stringify([...input.achievements].sort((a, b) => a.order - b.order)),
    breakthrough_conditions: JSON.stringify(input.breakthroughConditions),
    materials: JSON.stringify(input.materials),
  };
}

/** The form's data of a stored activity: what is submitted for review, and what the edit form starts from. */
export function inputOf(a: ActivityRecord): Partial<ActivityInput> {
  return {
    name: a.name,
    ...(a.scope ? { scope: a.scope } : {}),
    year: a.year,
    kind: a.kind,
    reviewMethod: a.reviewMethod as ActivityInput['reviewMethod'],
    writtenExam: a.writtenExam as ActivityInput['writtenExam'],
    defense: a.defense as ActivityInput['defense'],
    ...(a.startsAt ? { startsAt: a.startsAt.toISOString() } : {}),
    ...(a.firstDeadline ? { firstDeadline: a.firstDeadline.toISOString() } : {}),
    ...(a.revisionDeadline ? { revisionDeadline: a.revisionDeadline.toISOString() } : {}),
    ...(a.receiptDeadline ? { receiptDeadline: a.receiptDeadline.toISOString() } : {}),
    ...(a.unitReviewDeadline ? { unitReviewDeadline: a.unitReviewDeadline.toISOString() } : {}),
    ...(a.departmentReviewDeadline ? { departmentReviewDeadline: a.departmentReviewDeadline.toISOString() } : {}),
    ...(a.departmentRevisionDeadline ? { departmentRevisionDeadline: a.departmentRevisionDeadline.toISOString() } : {}),
    healthPage: a.healthPage,
    schoolPage: a.schoolPage,
    vocationalPage: a.vocationalPage,
    policyFiles: a.policyFiles,
    ...(a.documentNumber ? { documentNumber: a.documentNumber } : {}),
    public: a.public,
    breakthrough: a.breakthrough,
    panels: a.panels,
    ...(a.panelMethod ? { panelMethod: a.panelMethod as ActivityInput['panelMethod'] } : {}),
    planFiles: a.planFiles,
    levels: a.levels as ActivityInput['levels'],
    specialties: a.specialties,
    minContinuingEducationHours: a.minContinuingEducationHours,
    achievements: a.achievements,
    breakthroughConditions: a.breakthroughConditions,
    materials: a.materials,
  };
}

function committeeOf(r: Row): CommitteeRecord {
  return {
    id: Number(r.id),
    name: String(r.name),
    organizerUnitId: Number(r.organizer_unit_id),
    issuerUnitId: r.issuer_unit_id == null ? null : Number(r.issuer_unit_id),
    registrarUnitId: r.registrar_unit_id == null ? null : Number(r.registrar_unit_id),
    levels: (r.levels as string[] | null) ?? [],
    specialties: (r.specialties as string[] | null) ?? [],
    filingStatus: String(r.filing_status),
    validTo: r.valid_to == null ? null : String(r.valid_to),
    series: (r.series as string | null) ?? null,
    achievementDefaults: json(r.achievement_defaults, []),
    version: Number(r.version),
  };
}

/** Activities, their committees and their deadline changes; every method takes an optional transaction. */
export function createActivitiesRepository(db: Knex) {
  const base = (trx?: Db) =>
    (trx ?? db)('activities as a')
      .join('committees as c', 'c.id', 'a.committee_id')
      .join('units as o', 'o.id', 'a.committee_unit_id')
      .select('a.*', 'c.name as committee_name', 'c.issuer_unit_id', 'c.registrar_unit_id', 'o.name as organiser_unit_name');

  return {
    base,
    toRecord,

    async get(id: number, trx?: Db, options: { forUpdate?: boolean } = {}): Promise<ActivityRecord | null> {
      if (options.forUpdate && trx) await trx('activities').where({ id }).forUpdate().first('id');
      const row = await base(trx).where('a.id', id).first();
      return row ? toRecord(row) : null;
    },

    async committee(id: number, trx?: Db): Promise<CommitteeRecord | null> {
      // valid_to as text: a date has no time zone to be shifted by
      const q = trx ?? db;
      const row = await q('committees')
        .select('id', 'name', 'organizer_unit_id', 'issuer_unit_id', 'registrar_unit_id', 'levels', 'specialties', 'filing_status', 'series', 'achievement_defaults', 'version')
        .select(q.raw("to_char(valid_to, 'YYYY-MM-DD') as valid_to"))
        .where({ id })
        .first();
      return row ? committeeOf(row) : null;
    },

    async insert(values: Row, trx?: Db): Promise<number> {
      const [row] = await (trx ?? db)('activities').insert(values).returning('id');
      return Number(row.id);
    },

    /** A guarded write: 0 rows when the version or status moved on. */
    async update(id: number, guard: { version?: number; status?: string | string[] }, values: Row, now: Date, trx?: Db): Promise<number> {
      const q = (trx ?? db)('activities').where({ id });
      if (guard.version != null) q.andWhere({ version: guard.version });
      if (guard.status != null) q.whereIn('status', Array.isArray(guard.status) ? guard.status : [guard.status]);
      return q.update({ ...values, version: (trx ?? db).raw('version + 1'), updated_at: now });
    },

    /** A page of published activities (public ones only, when asked) and how many match in all. */
    async published(
      filter: { publicOnly: boolean; q?: string; year?: number; level?: string; committeeId?: number },
      sort: [string, 'asc' | 'desc'],
      page: Page,
      trx?: Db,
    ): Promise<{ rows: ActivityRecord[]; total: number }> {
      const q = base(trx).where('a.status', 'published');
      if (filter.publicOnly) q.where('a.public', true);
      if (filter.q) {
        const term = containing(filter.q);
        q.where((w) => w.whereILike('a.name', term).orWhereILike('c.name', term));
      }
      if (filter.year !== undefined) q.where('a.year', filter.year);
      if (filter.level) q.whereRaw('? = any(a.levels)', [filter.level]);
      if (filter.committeeId !== undefined) q.where('a.committee_id', filter.committeeId);
      const [counted] = await q.clone().clearSelect().count<{ n: number }[]>({ n: '*' });
      const rows = (await q.orderBy(sort[0], sort[1]).orderBy('a.id', 'desc').offset(page.offset).limit(page.limit)) as Row[];
      return { rows: rows.map(toRecord), total: Number(counted?.n ?? 0) };
    },

    /** A page of the activities of a unit's committees, and how many match in all. */
    async managed(
      unitId: number,
      filter: { q?: string; status?: string; year?: number; committeeId?: number },
      sort: [string, 'asc' | 'desc'],
      page: Page,
      trx?: Db,
    ): Promise<{ rows: ActivityRecord[]; total: number }> {
      const q = base(trx).where('a.committee_unit_id', unitId);
      if (filter.q) q.whereILike('a.name', containing(filter.q));
      if (filter.status) q.where('a.status', filter.status);
      if (filter.year !== undefined) q.where('a.year', filter.year);
      if (filter.committeeId !== undefined) q.where('a.committee_id', filter.committeeId);
      const [counted] = await q.clone().clearSelect().count<{ n: number }[]>({ n: '*' });
      const rows = (await q.orderBy(sort[0], sort[1]).offset(page.offset).limit(page.limit)) as Row[];
      return { rows: rows.map(toRecord), total: Number(counted?.n ?? 0) };
    },

    /** The extension of the activity's deadlines waiting for the registrar, if any. */
    async pendingDeadlineChange(activityId: number, trx?: Db): Promise<number | null> {
      const row = (await (trx ?? db)('activity_deadline_changes').where({ activity_id: activityId, status: 'requested' }).first('id')) as { id: number } | undefined;
      return row ? Number(row.id) : null;
    },

    /** The annual activity a committee already has for a year (a rejected one does not count). */
    async annualOf(committeeId: number, year: number, exceptId: number | null, trx?: Db): Promise<{ id: number; name: string } | null> {
      const q = (trx ?? db)('activities').select('id', 'name').where({ committee_id: committeeId, year, kind: 'annual' }).whereNot('status', 'rejected');
      if (exceptId != null) q.whereNot('id', exceptId);
      const row = await q.first();
      return row ? { id: Number(row.id), name: String(row.name) } : null;
    },
  };
}

export type ActivitiesRepository = ReturnType<typeof createActivitiesRepository>;
