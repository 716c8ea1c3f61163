import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import type { PiiCipher } from '../../src/pii.ts';
import { RULE_COLUMNS, rulesOf, type DeclarationRules } from './dossiers.declaration.ts';
import { withCommitteeScope } from './dossiers.eligibility.ts';

/** The unit a task acts for: its candidate unit, or for a 多岗审核 post (candidate users) the unit whose posts run (`s`: the task's instance). */
const UNIT_OF_TASK = "coalesce(t.candidate_unit_id, case when s.parent_instance_id is not null then (s.variables->>'unitId')::bigint end)";

const json = <T>(v: unknown, fallback: T): T => (v == null ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** A row of `dossiers` as stored (the columns the applicant's side uses). */
export interface DossierRow {
  id: number;
  activity_id: number;
  applicant_id: number;
  year: number;
  status: string;
  instance_id: string | null;
  data: Record<string, unknown> | string;
  submitted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  revision_deadline: Date | null;
  revision_deadline_unit_id: number | null;
  cancel_reason: string | null;
}

/** A dossier with its activity's rules and deadlines, its committee and its applicant, as read. */
type DossierDetailRow = {
  id: number;
  activity_id: number;
  applicant_id: number;
  year: number;
  status: string;
  instance_id: string | null;
  data: Record<string, unknown> | string | null;
  submitted_at: Date | null;
  pledge_accepted_at: Date | null;
  updated_at: Date | null;
  name: string;
  levels: string[] | null;
  specialties: string[] | null;
  achievements: unknown;
  breakthrough: boolean | null;
  breakthrough_conditions: unknown;
  materials: unknown;
  min_continuing_education_hours: number | null;
  committee_levels: string[] | null;
  committee_specialties: string[] | null;
  first_deadline: Date | null;
  /** the activity's */
  revision_deadline: Date | null;
  /** the one the returning unit set for this dossier */
  own_revision_deadline: Date | null;
  returned_data: Record<string, unknown> | string | null;
  returned_at: Date | null;
  /** the declaration's 联系电话: sealed (plain only until the sealer reaches a value a writer left) */
  phone: string | null;
  phone_enc: string | null;
  returned_phone: string | null;
  returned_phone_enc: string | null;
  applicant_name: string;
  id_number: string | null;
  employer_name: string | null;
  committee_name: string;
} & ResultColumns;

/** 评审结果 as stored on the dossier. */
type ResultColumns = {
  result: string | null;
  result_stage: string | null;
  result_reason: string | null;
  result_at: Date | null;
  document_no: string | null;
  /** the certificate issued for the dossier (电子证书), read with it */
  certificate_no?: string | null;
};

/** The dossier's result: what it ended with, at which round, why and when, and the 职称文件文号 once set. */
export interface DossierResultRecord {
  result: string;
  stage: string | null;
  reason: string | null;
  at: Date;
  documentNo: string | null;
  certificateNo: string | null;
}

/** The number of the certificate issued for the dossier (`certificates`, the certificates core's table). */
const certificateNoOf = (db: Knex | Knex.Transaction) =>
  db.raw("(select c.certificate_no from certificates c where c.source_type = 'dossier' and c.source_id = d.id) as certificate_no");

const resultRecordOf = (r: ResultColumns): DossierResultRecord | null =>
  r.result ? { result: r.result, stage: r.result_stage ?? null, reason: r.result_reason ?? null, at: new Date(r.result_at ?? 0), documentNo: r.document_no ?? null, certificateNo: r.certificate_no ?? null } : null;

/** The deadlines an applicant's submissions are held to. */
export interface SubmissionDeadlines {
  firstDeadline: Date | null;
  /** the activity's revision deadline */
  revisionDeadline: Date | null;
  /** the revision deadline the returning unit set for this dossier, which wins over the activity's */
  ownRevisionDeadline: Date | null;
}

export interface Dossier extends SubmissionDeadlines {
  id: number;
  status: string;
  applicantId: number;
  instanceId: string | null;
  activityId: number;
  year: number;
  data: Record<string, unknown>;
  submittedAt: Date | null;
  /** 诚信承诺 accepted at the last submission */
  pledgeAcceptedAt: Date | null;
  updatedAt: Date | null;
  activityName: string;
  committeeName: string;
  applicantName: string;
  applicantIdNumber: string | null;
  employerName: string | null;
  rules: DeclarationRules;
  /** the declaration as it was when last returned to the applicant (修改痕迹), and when */
  returnedData: Record<string, unknown> | null;
  returnedAt: Date | null;
  /**
   * The declaration's 联系电话 opened from its seal (`data.phone` holds only the masked form), and
   * the one of the 修改痕迹 snapshot; null when read without the cipher or when there is none.
   */
  phone: string | null;
  returnedPhone: string | null;
  result: DossierResultRecord | null;
}

/** An open task of a dossier's case with the unit it acts for. */
interface HolderRow {
  id: string;
  name: string;
  element_id: string;
  candidate_unit_id: number | null;
  assignee_id: number | null;
  unit_name: string | null;
  due_at: Date | string | null;
}

export interface Holder {
  taskId: string;
  name: string;
  elementId: string;
  unitId: number | null;
  unitName: string | null;
  assigneeId: number | null;
  dueAt: Date | null;
}

const mapHolder = (t: HolderRow): Holder => ({
  taskId: String(t.id),
  name: t.name,
  elementId: t.element_id,
  unitId: t.candidate_unit_id == null ? null : Number(t.candidate_unit_id),
  unitName: t.unit_name ?? null,
  assigneeId: t.assignee_id == null ? null : Number(t.assignee_id),
  dueAt: t.due_at == null ? null : new Date(t.due_at),
});

/** A completed step of a dossier's case, from its history. */
interface CompletionRow {
  element_id: string | null;
  element_name: string | null;
  actor_name: string | null;
  action: string | null;
  opinion: string | null;
  data: Record<string, unknown> | string | null;
  created_at: Date;
  candidate_unit_id: number | null;
  unit_name: string | null;
  form_key: string | null;
  process_key: string | null;
  call_path: string[] | null;
}

export interface Completion {
  step: string;
  /** the completed task's element, its form and, for a sub-flow's task, the step of the case's flow that called it */
  elementId: string | null;
  formKey: string | null;
  processKey: string | null;
  callerElementId: string | null;
  unitId: number | null;
  unitName: string | null;
  actorName: string | null;
  action: string;
  opinion: string | null;
  at: Date;
  data: Record<string, unknown> | null;
}

/** One of an applicant's dossiers as 我的申报 lists it, with its case's chain, open tasks and last opinion (one row). */
type MyDossierRow = {
  id: number;
  activity_id: number;
  activity_name: string;
  year: number;
  status: string;
  instance_id: string | null;
  submitted_at: Date | null;
  updated_at: Date | null;
  cancel_reason: string | null;
  first_deadline: Date | null;
  revision_deadline: Date | null;
  own_revision_deadline: Date | null;
  chain: Record<string, unknown> | string | null;
  holders: HolderRow[] | string;
  last_step: string | null;
  last_action: string | null;
  last_opinion: string | null;
  last_at: Date | null;
} & ResultColumns;

export interface MyDossier extends SubmissionDeadlines {
  id: number;
  activityId: number;
  activityName: string;
  year: number;
  status: string;
  instanceId: string | null;
  submittedAt: Date | null;
  updatedAt: Date | null;
  cancelReason: string | null;
  /** the units of the case's review chain, by level (`employer`, `department`, …) */
  chain: Record<string, unknown>;
  holders: Holder[];
  lastOpinion: { step: string | null; action: string | null; opinion: string | null; at: Date } | null;
  result: DossierResultRecord | null;
}

/** A published activity with its committee's scope (`withCommitteeScope`) and the committee unit's name. */
export type PublishedActivityRow = {
  id: number;
  name: string;
  year: number;
  committee_id: number | null;
  committee_unit_id: number;
  unit_name: string;
  committee_name: string;
  levels: string[] | null;
  specialties: string[] | null;
  starts_at: Date | null;
  first_deadline: Date | null;
  revision_deadline: Date | null;
  organizer_unit_id: number;
  internal: boolean;
  allowed_natures: string[] | null;
  review_regions: string[] | null;
  committee_series: string | null;
};

const chainOf = (v: unknown): Record<string, unknown> => {
  const chain = json<unknown>(v, null);
  return chain && typeof chain === 'object' ? (chain as Record<string, unknown>) : {};
};

/**
 * Dossiers as the applicant's pages read and change them; the case's tasks and history are only
 * read here. With the cipher, `get` opens the declaration's sealed phone numbers.
 */
export function createDossiersRepository(knex: Knex, cipher?: PiiCipher) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    async get(id: number, trx?: Knex.Transaction): Promise<Dossier | null> {
      const r = (await withCommitteeScope(
        q(trx)('dossiers as d')
          .join('activities as a', 'a.id', 'd.activity_id')
          .join('users as u', 'u.id', 'd.applicant_id')
          .leftJoin('units as e', 'e.id', 'u.unit_id')
          .select('d.*', ...RULE_COLUMNS)
          .select('a.first_deadline', 'a.revision_deadline', 'd.revision_deadline as own_revision_deadline', 'u.display_name as applicant_name', 'u.id_number', 'e.name as employer_name')
          .select(certificateNoOf(q(trx))),
      )
        .where('d.id', id)
        .first()) as DossierDetailRow | undefined;
      if (!r) return null;
      return {
        id: Number(r.id),
        status: r.status,
        applicantId: Number(r.applicant_id),
        instanceId: r.instance_id ?? null,
        activityId: Number(r.activity_id),
        year: Number(r.year),
        data: json<Record<string, unknown> | null>(r.data, null) ?? {},
        submittedAt: r.submitted_at ?? null,
        pledgeAcceptedAt: r.pledge_accepted_at ?? null,
        updatedAt: r.updated_at ?? null,
        activityName: r.name,
        committeeName: r.committee_name,
        applicantName: r.applicant_name,
        applicantIdNumber: r.id_number ?? null,
        employerName: r.employer_name ?? null,
        firstDeadline: r.first_deadline ?? null,
        revisionDeadline: r.revision_deadline ?? null,
        ownRevisionDeadline: r.own_revision_deadline ?? null,
        rules: rulesOf(r),
        returnedData: json<Record<string, unknown> | null>(r.returned_data, null),
        returnedAt: r.returned_at ?? null,
        phone: cipher ? cipher.reveal(r.phone_enc, r.phone) : null,
        returnedPhone: cipher ? cipher.reveal(r.returned_phone_enc, r.returned_phone) : null,
        result: resultRecordOf(r),
      };
    },

    /**
     * An applicant's dossiers, newest first, each with its case's chain, open tasks and last
     * opinion: one statement however many dossiers there are.
     */
    async mine(applicantId: number, trx?: Knex.Transaction): Promise<MyDossier[]> {
      const db = q(trx);
      const rows = (await db('dossiers as d')
        .join('activities as a', 'a.id', 'd.activity_id')
        .leftJoin('process_instances as i', 'i.id', 'd.instance_id')
        .joinRaw(
          `left join lateral (
             select json_agg(json_build_object('id', t.id, 'name', t.name, 'element_id', t.element_id, 'candidate_unit_id', ${UNIT_OF_TASK},
                                               'assignee_id', t.assignee_id, 'unit_name', u.name, 'due_at', t.due_at) order by t.created_at) as holders
               from tasks t
               left join process_instances s on s.id = t.instance_id
               left join units u on u.id = ${UNIT_OF_TASK}
              where t.root_instance_id = d.instance_id and t.status = 'open') h on true`,
        )
        .joinRaw(
          `left join lateral (
             select e.element_name, e.action, e.opinion, e.created_at
               from history_events e
              where e.root_instance_id = d.instance_id and e.type = 'task.complete' and e.opinion is not null
              order by e.id desc limit 1) o on true`,
        )
        .where('d.applicant_id', applicantId)
        .orderBy('d.id', 'desc')
        .select(
          'd.id', 'd.activity_id', 'a.name as activity_name', 'd.year', 'd.status', 'd.instance_id', 'd.submitted_at', 'd.updated_at', 'd.cancel_reason',
          'a.first_deadline', 'a.revision_deadline', 'd.revision_deadline as own_revision_deadline',
          db.raw("i.variables->'chain' as chain"), 'h.holders',
          'o.element_name as last_step', 'o.action as last_action', 'o.opinion as last_opinion', 'o.created_at as last_at',
          'd.result', 'd.result_stage', 'd.result_reason', 'd.result_at', 'd.document_no',
          certificateNoOf(db),
        )) as MyDossierRow[];
      return rows.map((r) => ({
        id: Number(r.id),
        activityId: Number(r.activity_id),
        activityName: r.activity_name,
        year: Number(r.year),
        status: r.status,
        instanceId: r.instance_id ?? null,
        submittedAt: r.submitted_at ?? null,
        updatedAt: r.updated_at ?? null,
        cancelReason: r.cancel_reason ?? null,
        firstDeadline: r.first_deadline ?? null,
        revisionDeadline: r.revision_deadline ?? null,
        ownRevisionDeadline: r.own_revision_deadline ?? null,
        chain: chainOf(r.chain),
        holders: json<HolderRow[] | null>(r.holders, null)?.map(mapHolder) ?? [],
        lastOpinion: r.last_at ? { step: r.last_step ?? null, action: r.last_action ?? null, opinion: r.last_opinion ?? null, at: new Date(r.last_at) } : null,
        result: resultRecordOf(r),
      }));
    },

    /** The open tasks of a dossier's case, oldest first, with the unit each acts for. */
    async holders(rootInstanceId: string, trx?: Knex.Transaction): Promise<Holder[]> {
      const db = q(trx);
      const rows = (await db('tasks as t')
        .leftJoin('process_instances as s', 's.id', 't.instance_id')
        .leftJoin('units as u', (j) => j.on('u.id', '=', db.raw(UNIT_OF_TASK)))
        .select('t.id', 't.name', 't.element_id', db.raw(`${UNIT_OF_TASK} as candidate_unit_id`), 't.assignee_id', 'u.name as unit_name', 't.due_at')
        .where({ 't.root_instance_id': rootInstanceId, 't.status': 'open' })
        .orderBy('t.created_at')) as HolderRow[];
      return rows.map(mapHolder);
    },

    /** The completed steps of a dossier's case in order, with the unit that acted. */
    async completions(rootInstanceId: string, trx?: Knex.Transaction): Promise<Completion[]> {
      const db = q(trx);
      const rows = (await db('history_events as h')
        .leftJoin('tasks as t', 't.id', 'h.task_id')
        .leftJoin('process_instances as s', 's.id', 't.instance_id')
        .leftJoin('units as u', (j) => j.on('u.id', '=', db.raw(UNIT_OF_TASK)))
        .select('h.*', db.raw(`${UNIT_OF_TASK} as candidate_unit_id`), 'u.name as unit_name', 't.form_key', 't.process_key', 's.call_path')
        .where({ 'h.root_instance_id': rootInstanceId, 'h.type': 'task.complete' })
        .orderBy('h.id')) as CompletionRow[];
      return rows.map((h) => ({
        step: String(h.element_name ?? h.element_id ?? ''),
        elementId: h.element_id ?? null,
        formKey: h.form_key ?? null,
        processKey: h.process_key ?? null,
        // call_path names the calling steps from the case's flow down: `dossier-review:department_review_posts`
        callerElementId: h.call_path?.length ? (String(h.call_path[0]).split(':')[1] ?? null) : null,
        unitId: h.candidate_unit_id == null ? null : Number(h.candidate_unit_id),
        unitName: h.unit_name ?? null,
        actorName: h.actor_name ?? null,
        action: h.action ?? '',
        opinion: h.opinion ?? null,
        at: new Date(h.created_at),
        data: json<Record<string, unknown> | null>(h.data, null),
      }));
    },

    /** Whether a user completed a task of the case. */
    async actedOn(rootInstanceId: string, userId: number, trx?: Knex.Transaction): Promise<boolean> {
      return Boolean(await q(trx)('tasks').where({ root_instance_id: rootInstanceId, completed_by: userId }).first('id'));
    },

    async openTaskIds(rootInstanceId: string, trx?: Knex.Transaction): Promise<string[]> {
      const ids = await q(trx)('tasks').where({ root_instance_id: rootInstanceId, status: 'open' }).pluck('id');
      return ids.map(String);
    },

    /** The unit of the clerk who returned the case to the applicant last. */
    async returningUnit(rootInstanceId: string, trx?: Knex.Transaction): Promise<number | null> {
      const last = (await q(trx)('tasks as t')
        .join('users as u', 'u.id', 't.completed_by')
        .where('t.root_instance_id', rootInstanceId)
        .where('t.status', 'completed')
        .where('t.action', 'return')
        .orderBy('t.completed_at', 'desc')
        .first('u.unit_id')) as { unit_id: number | null } | undefined;
      return last?.unit_id == null ? null : Number(last.unit_id);
    },

    /** Published activities, newest first, with what decides who may apply. */
    async publishedActivities(trx?: Knex.Transaction): Promise<PublishedActivityRow[]> {
      return (await withCommitteeScope(
        q(trx)('activities as a').join('units as u', 'u.id', 'a.committee_unit_id').select('a.*', 'u.name as unit_name').where('a.status', 'published'),
      ).orderBy('a.id', 'desc')) as PublishedActivityRow[];
    },

    /** An applicant's dossier in each activity they applied to (activity id → dossier id). */
    async dossierIdsByActivity(applicantId: number, trx?: Knex.Transaction): Promise<Map<number, number>> {
      const rows = await q(trx)<DossierRow>('dossiers').where({ applicant_id: applicantId }).select('id', 'activity_id');
      return new Map(rows.map((r) => [Number(r.activity_id), Number(r.id)]));
    },

    /** Sets the applicant's revision deadline while the dossier is still returned (409 once it is not). */
    async setRevisionDeadline(id: number, at: Date, unitId: number, now: Date, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<DossierRow>('dossiers').where({ id, status: 'returned' }).update({ revision_deadline: at, revision_deadline_unit_id: unitId, updated_at: now });
      if (count !== 1) throw new ConflictError('申报材料已不在退回修改中，不能设置修改提交截止时间');
    },

    /**
     * Writes the dossier's result with its status (the dossier's case does, once per result: the
     * step that records it runs once). A dossier marked not delivered keeps that status.
     */
    /**
     * 转报: a unit of the chain passed the dossier on (评审人员统计 lists what a unit forwarded). One
     * row per unit and dossier, the last forwarding's time; a later return does not take it back.
     */
    async recordForward(dossierId: number, unitId: number, at: Date, trx?: Knex.Transaction): Promise<void> {
      await q(trx).raw(
        `insert into dossier_forwards (unit_id, dossier_id, submitted_at, forwarded_at)
         select ?, d.id, d.submitted_at, ? from dossiers d where d.id = ? and d.submitted_at is not null
         on conflict (unit_id, dossier_id) do update set forwarded_at = excluded.forwarded_at`,
        [unitId, at, dossierId],
      );
    },
    async recordResult(id: number, r: { status: string; result: string; stage: string; reason: string | null; at: Date }, trx?: Knex.Transaction): Promise<void> {
      const db = q(trx);
      const count = await db('dossiers')
        .where({ id })
        .update({ status: db.raw("case when status = 'not_delivered' then status else ? end", [r.status]), result: r.result, result_stage: r.stage, result_reason: r.reason, result_at: r.at, updated_at: r.at, holder_unit_id: null, held_since: null });
      if (count !== 1) throw new Error(`申报记录 ${id} 不存在`);
    },

    /** The revision deadline a returned dossier is held to now: the returning unit's, else the activity's (null: none). */
    async currentRevisionDeadline(id: number, trx?: Knex.Transaction): Promise<{ status: string; deadline: Date | null; activityName: string } | null> {
      const row = (await q(trx)('dossiers as d')
        .join('activities as a', 'a.id', 'd.activity_id')
        .where('d.id', id)
        .first('d.status', 'a.name', q(trx).raw('coalesce(d.revision_deadline, a.revision_deadline) as deadline'))) as { status: string; name: string; deadline: Date | null } | undefined;
      return row ? { status: row.status, deadline: row.deadline ? new Date(row.deadline) : null, activityName: row.name } : null;
    },

    /** The active HR bureaus of some regions (the 属地 bureau of a freelance applicant is the nearest). */
    async hrBureausIn(regionCodes: string[], trx?: Knex.Transaction): Promise<Array<{ id: number; name: string; regionCode: string; path: string }>> {
      const rows = await q(trx)('units').select('id', 'name', 'region_code', 'path').where({ unit_type: 'hr_bureau', status: 'active' }).whereIn('region_code', regionCodes).orderBy('id');
      return rows.map((r: { id: string | number; name: string; region_code: string; path: string }) => ({ id: Number(r.id), name: r.name, regionCode: r.region_code, path: r.path }));
    },

    /** A unit-less applicant's 属地 (region), or null for one with an employer. */
    async freelanceRegion(userId: number, trx?: Knex.Transaction): Promise<string | null> {
      const row = await q(trx)('users').select('region_code', 'unit_id').where({ id: userId }).first();
      return row && row.unit_id == null && row.region_code ? String(row.region_code) : null;
    },

    /** `sealed`: the seal columns of the draft's phone (dossiers.pii.ts `sealDeclaration`); `data` carries it masked. */
    /** Saves the declaration's draft while the applicant holds the dossier (409 once they do not). */
    async saveDraft(id: number, data: string, sealed: Record<string, string | null>, now: Date, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<DossierRow>('dossiers').where({ id }).whereIn('status', ['draft', 'returned']).update({ data, ...sealed, updated_at: now });
      if (count !== 1) throw new ConflictError('申报材料已提交或状态已变化，现在不能修改，请刷新后重试');
    },
  };
}

export type DossiersRepository = ReturnType<typeof createDossiersRepository>;
