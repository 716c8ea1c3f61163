import type { Knex } from 'knex';
import { containing, type Page } from '../../src/list-query.ts';
import type { UserRow } from '../staff/staff.repository.ts';
import { revealUserIdNumber, revealUserPhone, whereUserIdNumberIs } from '../staff/users.pii.ts';

type ApplicantRow = UserRow & { unit_name: string | null; unit_path: string | null };

export interface ApplicantRecord {
  id: number;
  username: string;
  displayName: string;
  idNumber: string | null;
  phone: string | null;
  unitId: number | null;
  unitName: string | null;
  /** the employer's place in the unit tree */
  unitPath: string | null;
  roles: string[];
  status: string;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

const mapApplicant = (db: Knex | Knex.Transaction, r: ApplicantRow): ApplicantRecord => ({
  id: Number(r.id),
  username: r.username,
  displayName: r.display_name,
  idNumber: revealUserIdNumber(db, r),
  phone: revealUserPhone(db, r),
  unitId: r.unit_id == null ? null : Number(r.unit_id),
  unitName: r.unit_name ?? null,
  unitPath: r.unit_path ?? null,
  roles: r.roles ?? [],
  status: r.status,
  mustChangePassword: Boolean(r.must_change_password),
  lastLoginAt: r.last_login_at ? new Date(r.last_login_at) : null,
  createdAt: new Date(r.created_at),
});

export interface ApplicantFilter {
  /** the employers at and below this path */
  unitPath: string;
  unitId?: number;
  /** part of the name, or a whole ID number (exact: it is found by its keyed hash) */
  q?: string;
}

/** Applicant accounts (users with the applicant role) with their employers. */
export function createApplicantsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const withUnit = (db: Knex | Knex.Transaction) => db('users as a').join('units as u', 'u.id', 'a.unit_id');
  const where = (query: Knex.QueryBuilder, f: ApplicantFilter, db: Knex | Knex.Transaction) => {
    query.whereRaw("'applicant' = any(a.roles)").where('u.path', 'like', `${f.unitPath}%`);
    if (f.unitId !== undefined) query.where('a.unit_id', f.unitId);
    if (f.q) {
      const term = containing(f.q);
      const idNumber = f.q.trim();
      query.where((w) => {
        w.where('a.display_name', 'ilike', term);
        if (/^[0-9]{6,17}[0-9Xx]$/.test(idNumber)) w.orWhere((x) => whereUserIdNumberIs(db, x, idNumber, 'a'));
      });
    }
    return query;
  };
  return {
    /** The 属地 of an applicant registered without an employer (非公 / 自由职业). */
    async setRegion(id: number, regionCode: string, trx?: Knex.Transaction): Promise<void> {
      await q(trx)('users').where({ id }).update({ region_code: regionCode });
    },

    /** An account with its unit (staff too: the caller checks the role). */
    async get(id: number, trx?: Knex.Transaction): Promise<ApplicantRecord | null> {
      const row = await withUnit(q(trx)).select('a.*', 'u.name as unit_name', 'u.path as unit_path').where('a.id', id).first<ApplicantRow | undefined>();
      return row ? mapApplicant(q(trx), row) : null;
    },

    async list(f: ApplicantFilter, sort: [string, 'asc' | 'desc'], page: Page, trx?: Knex.Transaction): Promise<{ rows: ApplicantRecord[]; total: number }> {
      const [rows, counted] = await Promise.all([
        where(withUnit(q(trx)), f, q(trx)).select('a.*', 'u.name as unit_name', 'u.path as unit_path').orderBy(sort[0], sort[1]).offset(page.offset).limit(page.limit) as Promise<ApplicantRow[]>,
        where(withUnit(q(trx)), f, q(trx)).count<{ n: number }[]>({ n: '*' }),
      ]);
      return { rows: rows.map((r) => mapApplicant(q(trx), r)), total: Number(counted[0]?.n ?? 0) };
    },
  };
}

export type ApplicantsRepository = ReturnType<typeof createApplicantsRepository>;
