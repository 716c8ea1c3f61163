import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../../src/errors.ts';
import { containing, type Page } from '../../src/list-query.ts';
import { revealUserIdNumber, revealUserPhone, userNumbersWrite, whereUserIdNumberIs } from './users.pii.ts';

/** A row of `users` as stored: staff, and applicants (the `applicant` role). */
export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  display_name: string;
  unit_id: number | null;
  roles: string[];
  /** plain only until the sweep seals it (users.pii.ts): read with `id_number_enc` */
  id_number: string | null;
  id_number_enc?: string | null;
  id_number_hash?: string | null;
  phone: string | null;
  phone_enc?: string | null;
  pii_key_id?: string | null;
  status: string;
  disabled_reason: string | null;
  disabled_at: Date | null;
  enabled_at: Date | null;
  must_change_password: boolean;
  password_changed_at: Date | null;
  last_login_at: Date | null;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A staff account with the unit it belongs to, as the staff pages read it. */
type StaffRow = Pick<
  UserRow,
  'id' | 'username' | 'display_name' | 'id_number' | 'id_number_enc' | 'phone' | 'phone_enc' | 'unit_id' | 'roles' | 'status' | 'disabled_reason' | 'must_change_password' | 'last_login_at' | 'created_at' | 'version'
> & { unit_name: string | null; unit_path: string; unit_type: string; admin_level: string | null };

export interface StaffRecord {
  id: number;
  username: string;
  displayName: string;
  idNumber: string | null;
  phone: string | null;
  unitId: number;
  unitName: string;
  roles: string[];
  status: string;
  disabledReason: string | null;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  version: number;
  unit: { id: number; path: string; unitType: string; adminLevel: string | null };
}

const STAFF_COLUMNS = ['s.id', 's.username', 's.display_name', 's.id_number', 's.id_number_enc', 's.phone', 's.phone_enc', 's.unit_id', 's.roles', 's.status', 's.disabled_reason', 's.must_change_password', 's.last_login_at', 's.created_at', 's.version', 'u.name as unit_name', 'u.path as unit_path', 'u.unit_type', 'u.admin_level'];

function mapStaff(db: Knex | Knex.Transaction, r: StaffRow): StaffRecord {
  return {
    id: Number(r.id),
    username: r.username,
    displayName: r.display_name,
    idNumber: revealUserIdNumber(db, r),
    phone: revealUserPhone(db, r),
    unitId: Number(r.unit_id),
    unitName: r.unit_name ?? '',
    roles: r.roles,
    status: r.status,
    disabledReason: r.disabled_reason ?? null,
    mustChangePassword: Boolean(r.must_change_password),
    lastLoginAt: r.last_login_at ? new Date(r.last_login_at) : null,
    createdAt: new Date(r.created_at),
    version: Number(r.version ?? 1),
    unit: { id: Number(r.unit_id), path: r.unit_path, unitType: r.unit_type, adminLevel: r.admin_level ?? null },
  };
}

/** A concurrent save of the same ID number meets the unique index: a conflict, not a crash. */
async function guardUniqueIdNumber<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ConflictError('该身份证号码已有账号', [{ field: 'idNumber', message: '该身份证号码已有账号' }]);
    throw err;
  }
}

export interface StaffFilter {
  unitId: number;
  q?: string;
  status?: string;
  role?: string;
  ids?: number[];
}

/** Staff accounts of units (users without the applicant role) and the state changes made to them. */
export function createStaffRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const withUnit = (db: Knex | Knex.Transaction) => db<UserRow>('users as s').join('units as u', 'u.id', 's.unit_id');
  return {
    /** A staff account (an applicant's answers as none). */
    async get(id: number, trx?: Knex.Transaction): Promise<StaffRecord | null> {
      const row = await withUnit(q(trx)).select(STAFF_COLUMNS).where('s.id', id).first<StaffRow | undefined>();
      return row && !row.roles.includes('applicant') ? mapStaff(q(trx), row) : null;
    },

    async list(filter: StaffFilter, sort: [string, 'asc' | 'desc'], page: Page, trx?: Knex.Transaction): Promise<{ rows: StaffRecord[]; total: number }> {
      const where = (query: Knex.QueryBuilder) => {
        query.where('s.unit_id', filter.unitId).whereRaw("not ('applicant' = any(s.roles))");
        if (filter.q) {
          const term = containing(filter.q);
          query.where((w) => w.where('s.display_name', 'ilike', term).orWhere('s.username', 'ilike', term));
        }
        if (filter.status !== undefined) query.where('s.status', filter.status);
        if (filter.role !== undefined) query.whereRaw('? = any(s.roles)', [filter.role]);
        if (filter.ids) query.whereIn('s.id', filter.ids);
        return query;
      };
      const [rows, counted] = await Promise.all([
        where(withUnit(q(trx))).select(STAFF_COLUMNS).orderBy(sort[0], sort[1]).offset(page.offset).limit(page.limit) as Promise<StaffRow[]>,
        where(q(trx)('users as s')).count<{ n: number }[]>({ n: '*' }),
      ]);
      return { rows: rows.map((r) => mapStaff(q(trx), r)), total: Number(counted[0]?.n ?? 0) };
    },

    /** HR accounts below a unit disabled for not signing in (待解禁), most recent first. */
    async lockedBelow(unitPath: string, exceptUnitId: number, page: Page, trx?: Knex.Transaction): Promise<{ rows: StaffRecord[]; total: number }> {
      const where = (query: Knex.QueryBuilder) =>
        query.where('s.status', 'disabled').where('s.disabled_reason', 'inactive').where('u.path', 'like', `${unitPath}%`).whereNot('u.id', exceptUnitId);
      const [rows, counted] = await Promise.all([
        where(withUnit(q(trx))).select(STAFF_COLUMNS).orderBy('s.disabled_at', 'desc').offset(page.offset).limit(page.limit) as Promise<StaffRow[]>,
        where(withUnit(q(trx))).count<{ n: number }[]>({ n: '*' }),
      ]);
      return { rows: rows.map((r) => mapStaff(q(trx), r)), total: Number(counted[0]?.n ?? 0) };
    },

    /** Accounts by id, staff and applicants alike, with what decides whether they may take a post. */
    async accounts(ids: number[], trx?: Knex.Transaction): Promise<Array<{ id: number; displayName: string; unitId: number | null; status: string; roles: string[] }>> {
      if (!ids.length) return [];
      const rows = await q(trx)<UserRow>('users').select('id', 'display_name', 'unit_id', 'status', 'roles').whereIn('id', ids);
      return rows.map((r) => ({ id: Number(r.id), displayName: r.display_name, unitId: r.unit_id == null ? null : Number(r.unit_id), status: r.status, roles: r.roles ?? [] }));
    },

    /** The names of custom roles (`role:<id>`), by id. */
    async roleNames(ids: number[], trx?: Knex.Transaction): Promise<Map<number, string>> {
      if (!ids.length) return new Map();
      const rows = await q(trx)<{ id: number; name: string }>('roles').select('id', 'name').whereIn('id', ids);
      return new Map(rows.map((r) => [Number(r.id), r.name]));
    },

    /** Serializes changes to one unit's accounts (two admins demoting each other at once). */
    async lockUnit(unitId: number, trx: Knex.Transaction): Promise<void> {
      await trx('units').where({ id: unitId }).forUpdate().first('id');
    },

    /** Whether the unit has another active super admin than `userId`. */
    async hasOtherAdmin(unitId: number, userId: number, trx?: Knex.Transaction): Promise<boolean> {
      return Boolean(await q(trx)<UserRow>('users').where({ unit_id: unitId, status: 'active' }).whereNot({ id: userId }).whereRaw("'unit_admin' = any(roles)").first('id'));
    },

    async idNumberTaken(idNumber: string, exceptId: number, trx?: Knex.Transaction): Promise<boolean> {
      return Boolean(await whereUserIdNumberIs(q(trx), q(trx)('users'), idNumber).whereNot('id', exceptId).first('id'));
    },

    /** Guarded update of a staff member's details and roles: 409 when someone changed them since `version`. */
    async update(id: number, version: number, change: { displayName: string; idNumber: string | null; phone: string | null; roles: string[] }, now: Date, trx?: Knex.Transaction): Promise<void> {
      const db = q(trx);
      const count = await guardUniqueIdNumber(() =>
        db<UserRow>('users')
          .where({ id, version })
          .update({ display_name: change.displayName, ...userNumbersWrite(db, { id_number: change.idNumber, phone: change.phone }), roles: change.roles, updated_at: now, version: db.raw('version + 1') }),
      );
      if (count !== 1) throw new ConflictError('该工作人员信息已被他人修改，请刷新后重试');
    },

    /** Disables an active account (409 once it is disabled, by whoever was first). */
    async disable(id: number, now: Date, trx?: Knex.Transaction): Promise<void> {
      const db = q(trx);
      const count = await db<UserRow>('users').where({ id, status: 'active' }).update({ status: 'disabled', disabled_reason: 'by_admin', disabled_at: now, updated_at: now, version: db.raw('version + 1') });
      if (count !== 1) throw new ConflictError('该账号已停用');
    },

    /** Enables a disabled account for the reason it was read with (409 once that changed). */
    async enable(id: number, disabledReason: string | null, now: Date, trx?: Knex.Transaction): Promise<void> {
      const db = q(trx);
      const count = await db<UserRow>('users')
        .where({ id, status: 'disabled', disabled_reason: disabledReason })
        .update({ status: 'active', disabled_reason: null, disabled_at: null, enabled_at: now, updated_at: now, version: db.raw('version + 1') });
      if (count !== 1) throw new ConflictError('该账号的状态已变化，请刷新后重试');
    },

    /** Sets a new password the person must change at their next sign-in. */
    async resetPassword(id: number, passwordHash: string, now: Date, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<UserRow>('users').where({ id }).update({ password_hash: passwordHash, must_change_password: true, password_changed_at: now, updated_at: now });
      if (count !== 1) throw new NotFoundError('账号不存在');
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
