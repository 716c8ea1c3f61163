import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import { MAX_OFFSET, countUpTo, startingWith } from '../../src/list-query.ts';
import { whereSealedIs, type PiiCipher } from '../../src/pii.ts';
import { TALENTS_SEALED } from './talents.pii.ts';

/** A registration's state: 待提交, 审核中, 已退回, 审核通过, 不通过. */
export type TalentStatus = 'draft' | 'reviewing' | 'returned' | 'approved' | 'rejected';

/** What the person fills in (the columns they own). */
export interface TalentValues {
  person_name: string;
  gender: 'male' | 'female';
  birth_date: string;
  id_number: string;
  ethnicity: string;
  political_status: string;
  origin: string;
  education: string;
  category: string;
  title_kind: 'title' | 'certificate' | 'none';
  level: string | null;
  series: string | null;
  title_name: string | null;
  certificate_name: string | null;
}

/** What is stored of the values: the ID number as its seal and keyed hash (`sealedWrite`), the plain column empty. */
export type StoredTalentValues = Omit<TalentValues, 'id_number'> & { id_number: null; id_number_enc: string | null; id_number_hash: string | null; pii_key_id: string | null };

/**
 * A row of `talents` as read: `id_number` is the plain column (empty once sealed) until the
 * service opens the row (`openSealed` with TALENTS_SEALED), which fills it from `id_number_enc`.
 */
export interface TalentRow extends Omit<TalentValues, 'id_number'> {
  id_number: string | null;
  id_number_enc?: string | null;
  id: number;
  user_id: number;
  unit_id: number;
  status: TalentStatus;
  audit_path: Array<number | string>;
  current_unit_id: number | null;
  return_reason: string | null;
  return_count: number;
  reject_reason: string | null;
  instance_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  decided_at: Date | null;
}

export type TalentListRow = TalentRow & { unit_name: string; current_unit_name: string | null };

/** The counters of 专技人才统计, one per column (the table `talent_unit_stats`). */
export const STAT_COLUMNS = [
  'total',
  'senior_full',
  'senior_deputy',
  'intermediate',
  'junior',
  'certificate_only',
  'other',
  'female',
  'minority',
  'party',
  'overseas',
  'doctorate',
  'master',
  'bachelor',
  'associate',
  'secondary_below',
] as const;
export type StatColumn = (typeof STAT_COLUMNS)[number];
export type StatCounts = Record<StatColumn, number>;

/**
 * Each column's condition on a `talents` row, as SQL: one definition for the summary kept at
 * approval, the live aggregate the tests and the benchmark compare it with, and the rebuild.
 */
export const STAT_CONDITIONS: Record<StatColumn, string> = {
  total: 'true',
  senior_full: "title_kind = 'title' and level = 'senior_full'",
  senior_deputy: "title_kind = 'title' and level = 'senior_deputy'",
  intermediate: "title_kind = 'title' and level = 'intermediate'",
  junior: "title_kind = 'title' and level = 'junior'",
  certificate_only: "title_kind = 'certificate'",
  other: "title_kind = 'none'",
  female: "gender = 'female'",
  minority: "ethnicity <> '汉族'",
  party: "political_status in ('party_member', 'probationary_member')",
  overseas: "origin in ('hk_mo_tw', 'foreign')",
  doctorate: "education = 'doctorate'",
  master: "education = 'master'",
  bachelor: "education = 'bachelor'",
  associate: "education = 'associate'",
  secondary_below: "education in ('secondary', 'high_school')",
};

const countsOf = (row: Record<string, unknown>): StatCounts => Object.fromEntries(STAT_COLUMNS.map((c) => [c, Number(row[c] ?? 0)])) as StatCounts;

/** Whether one registration counts in each column (the same rules as STAT_CONDITIONS). */
export function countsOfTalent(t: Omit<TalentValues, 'id_number'>): StatCounts {
  const titled = t.title_kind === 'title';
  return {
    total: 1,
    senior_full: Number(titled && t.level === 'senior_full'),
    senior_deputy: Number(titled && t.level === 'senior_deputy'),
    intermediate: Number(titled && t.level === 'intermediate'),
    junior: Number(titled && t.level === 'junior'),
    certificate_only: Number(t.title_kind === 'certificate'),
    other: Number(t.title_kind === 'none'),
    female: Number(t.gender === 'female'),
    minority: Number(t.ethnicity !== '汉族'),
    party: Number(t.political_status === 'party_member' || t.political_status === 'probationary_member'),
    overseas: Number(t.origin === 'hk_mo_tw' || t.origin === 'foreign'),
    doctorate: Number(t.education === 'doctorate'),
    master: Number(t.education === 'master'),
    bachelor: Number(t.education === 'bachelor'),
    associate: Number(t.education === 'associate'),
    secondary_below: Number(t.education === 'secondary' || t.education === 'high_school'),
  };
}

/** 专技人才: the registrations, their review state and the per-unit summary of the approved ones. */
export function createTalentsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const listed = (db: Knex | Knex.Transaction) =>
    db<TalentRow>('talents as t')
      .join('units as u', 'u.id', 't.unit_id')
      .leftJoin('units as c', 'c.id', 't.current_unit_id')
      .select('t.*', db.raw("to_char(t.birth_date, 'YYYY-MM-DD') as birth_date"), 'u.name as unit_name', 'c.name as current_unit_name');

  return {
    async byId(id: number, trx?: Knex.Transaction): Promise<TalentListRow | undefined> {
      return listed(q(trx)).where('t.id', id).first<TalentListRow | undefined>();
    },

    async byUser(userId: number, trx?: Knex.Transaction): Promise<TalentListRow | undefined> {
      return listed(q(trx)).where('t.user_id', userId).first<TalentListRow | undefined>();
    },

    async forUpdate(id: number, trx: Knex.Transaction): Promise<TalentRow | undefined> {
      return trx<TalentRow>('talents').where({ id }).forUpdate().first();
    },

    async insert(row: Partial<Omit<TalentRow, keyof StoredTalentValues>> & StoredTalentValues & { user_id: number; unit_id: number }, trx?: Knex.Transaction): Promise<number> {
      const [created] = await q(trx)('talents').insert(row).returning('id');
      return Number((created as { id: number }).id);
    },

    /** Saves what the person filled in, only while the registration is still theirs to edit and unchanged since they read it. */
    async saveValues(id: number, version: number, values: StoredTalentValues, at: Date, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<TalentRow>('talents')
        .where({ id, version })
        .whereIn('status', ['draft', 'returned'])
        .update({ ...values, version: version + 1, updated_at: at });
      if (count !== 1) throw new ConflictError('专技人才信息已被修改或已提交，请刷新后重试');
    },

    /** A step of the flow moves the registration on; the statuses name where it must stand. */
    async setState(id: number, from: TalentStatus[], patch: Partial<TalentRow>, trx: Knex.Transaction): Promise<void> {
      const count = await trx<TalentRow>('talents')
        .where({ id })
        .whereIn('status', from)
        .update({ ...patch, version: trx.raw('version + 1') as unknown as number });
      if (count !== 1) throw new Error(`专技人才信息 ${id} 不在${from.join('/')}状态`);
    },

    async unit(id: number, trx?: Knex.Transaction) {
      return q(trx)('units').where({ id }).first<{ id: number; name: string; path: string; parent_id: number | null; unit_type: string } | undefined>('id', 'name', 'path', 'parent_id', 'unit_type');
    },

    async unitsByIds(ids: number[], trx?: Knex.Transaction) {
      if (!ids.length) return [];
      return q(trx)('units').whereIn('id', ids).select<Array<{ id: number; name: string; path: string; unit_type: string }>>('id', 'name', 'path', 'unit_type');
    },

    async user(id: number, trx?: Knex.Transaction) {
      return q(trx)('users').where({ id }).first<{ id: number; display_name: string; id_number: string | null; unit_id: number | null } | undefined>('id', 'display_name', 'id_number', 'unit_id');
    },

    /** Another person's registration with this ID number (one person, one registration): by its keyed hash. */
    async idNumberTaken(pii: PiiCipher, idNumber: string, exceptUserId: number, trx?: Knex.Transaction): Promise<boolean> {
      const row = await whereSealedIs(q(trx)('talents').whereNot({ user_id: exceptUserId }), pii, TALENTS_SEALED, 'id_number', idNumber).first('id');
      return Boolean(row);
    },

    /** 专技人才审核: registrations waiting at a unit. */
    async pendingAt(unitId: number, trx?: Knex.Transaction): Promise<TalentListRow[]> {
      return listed(q(trx)).where({ 't.current_unit_id': unitId, 't.status': 'reviewing' }).orderBy('t.submitted_at').orderBy('t.id');
    },

    /** One page of the registrations waiting at a unit, and how many wait. */
    async pendingPage(unitId: number, page: { offset: number; limit: number }, trx?: Knex.Transaction): Promise<{ total: number; rows: TalentListRow[] }> {
      const [counted, rows] = await Promise.all([
        q(trx)('talents').where({ current_unit_id: unitId, status: 'reviewing' }).count({ n: '*' }) as Promise<Array<{ n: string | number }>>,
        listed(q(trx)).where({ 't.current_unit_id': unitId, 't.status': 'reviewing' }).orderBy('t.submitted_at').orderBy('t.id').offset(page.offset).limit(page.limit),
      ]);
      return { total: Number(counted[0]?.n ?? 0), rows: rows as TalentListRow[] };
    },

    /**
     * Registrations of the units of a subtree that someone submitted (any state but 待提交), last
     * changed first (`talents_updated_idx`). `q` finds a name by its start (`talents_name_idx`), or an
     * ID number exactly (by its keyed hash: the number is sealed). The total is exact up to
     * MAX_OFFSET and null (“more”) beyond: a province's subtree holds a million, and counting them
     * took longer than the page.
     */
    async submittedUnder(pii: PiiCipher, path: string, filter: { status?: TalentStatus; q?: string }, page: { offset: number; limit: number }, trx?: Knex.Transaction) {
      const base = () => {
        const query = q(trx)('talents as t').join('units as u', 'u.id', 't.unit_id').where('u.path', 'like', `${path}%`).whereNot('t.status', 'draft');
        if (filter.status) query.where('t.status', filter.status);
        if (filter.q) query.where((w) => w.where('t.person_name', 'like', startingWith(filter.q!)).orWhere((x) => whereSealedIs(x, pii, TALENTS_SEALED, 'id_number', filter.q!, 't')));
        return query;
      };
      const total = await countUpTo(q(trx), base(), MAX_OFFSET);
      const rows = await base()
        .leftJoin('units as c', 'c.id', 't.current_unit_id')
        .select<TalentListRow[]>('t.*', q(trx).raw("to_char(t.birth_date, 'YYYY-MM-DD') as birth_date"), 'u.name as unit_name', 'c.name as current_unit_name')
        .orderBy('t.updated_at', 'desc')
        .orderBy('t.id', 'desc')
        .offset(page.offset)
        .limit(page.limit);
      return { total, rows };
    },

    /** Adds one approved registration to its unit's summary, in the approval's transaction. */
    async addToSummary(unitId: number, category: string, counts: StatCounts, trx: Knex.Transaction): Promise<void> {
      const sets = STAT_COLUMNS.map((c) => `${c} = talent_unit_stats.${c} + excluded.${c}`).join(', ');
      await trx.raw(`insert into talent_unit_stats (unit_id, category, ${STAT_COLUMNS.join(', ')}) values (?, ?, ${STAT_COLUMNS.map(() => '?').join(', ')}) on conflict (unit_id, category) do update set ${sets}`, [
        unitId,
        category,
        ...STAT_COLUMNS.map((c) => counts[c]),
      ]);
    },

    /** 专技人才统计 of a subtree: the summary rows of its units, summed per category. */
    async summaryUnder(path: string, trx?: Knex.Transaction): Promise<Array<{ category: string } & StatCounts>> {
      const rows = (await q(trx)('talent_unit_stats as s')
        .join('units as u', 'u.id', 's.unit_id')
        .where('u.path', 'like', `${path}%`)
        .groupBy('s.category')
        .select('s.category', ...STAT_COLUMNS.map((c) => q(trx).raw(`sum(s.${c})::int as ${c}`)))) as Array<Record<string, unknown>>;
      return rows.map((r) => ({ category: String(r.category), ...countsOf(r) }));
    },

    /** The same table computed from the registrations themselves: the check of the summary, and the benchmark's alternative. */
    async liveUnder(path: string, trx?: Knex.Transaction): Promise<Array<{ category: string } & StatCounts>> {
      const rows = (await q(trx)('talents as t')
        .join('units as u', 'u.id', 't.unit_id')
        .where('u.path', 'like', `${path}%`)
        .where('t.status', 'approved')
        .groupBy('t.category')
        .select('t.category', ...STAT_COLUMNS.map((c) => q(trx).raw(`(count(*) filter (where ${STAT_CONDITIONS[c]}))::int as ${c}`)))) as Array<Record<string, unknown>>;
      return rows.map((r) => ({ category: String(r.category), ...countsOf(r) }));
    },

    /** Recomputes the whole summary from the approved registrations (after a bulk load). */
    async rebuildSummary(trx?: Knex.Transaction): Promise<void> {
      await q(trx).raw('delete from talent_unit_stats');
      await q(trx).raw(
        `insert into talent_unit_stats (unit_id, category, ${STAT_COLUMNS.join(', ')})
         select unit_id, category, ${STAT_COLUMNS.map((c) => `count(*) filter (where ${STAT_CONDITIONS[c]})`).join(', ')}
         from talents where status = 'approved' group by unit_id, category`,
      );
    },
  };
}

export type TalentsRepository = ReturnType<typeof createTalentsRepository>;
