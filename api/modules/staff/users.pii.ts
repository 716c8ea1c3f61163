import type { Knex } from 'knex';
import { usernameSchema } from '../../../forms/validators.ts';
import { piiOf, piiOfOrNull } from '../../src/pii-of.ts';
import { hashColumn, normalise, sealedWrite, type SealedColumns } from '../../src/pii.ts';

/**
 * Accounts (applicants and staff): ID and phone numbers sealed at rest, the ID number's keyed hash
 * for login, duplicates and lookups (migration 20261207010000 makes it unique). The sweep empties the
 * plain columns; a reader selects `id_number_enc` / `phone_enc` beside the plain column and reveals
 * (the plain value only for a row the sweep has not reached).
 */
export const USERS_SEALED: SealedColumns = {
  table: 'users',
  fields: [
    { column: 'id_number', kind: 'idNumber', hash: true },
    { column: 'phone', kind: 'phone' },
  ],
};

/** `u.id_number`, `u.id_number_enc` (and the phone's with `phone`): what a reader of a joined account selects. */
export function userIdNumberColumns(alias: string, as = 'id_number'): string[] {
  return [`${alias}.id_number as ${as}`, `${alias}.id_number_enc as ${as}_enc`];
}

/** An account's number from a row read with `userIdNumberColumns` (or `id_number` / `id_number_enc`). */
export function revealUserIdNumber(db: Knex | Knex.Transaction, row: object, as = 'id_number'): string | null {
  const r = row as Record<string, string | null | undefined>;
  return piiOf(db).reveal(r[`${as}_enc`], r[as]);
}

/** An account's phone from a row read with `phone` and `phone_enc` (or `<as>` / `<as>_enc`). */
export function revealUserPhone(db: Knex | Knex.Transaction, row: object, as = 'phone'): string | null {
  const r = row as Record<string, string | null | undefined>;
  return piiOf(db).reveal(r[`${as}_enc`], r[as]);
}

/** One account's ID number (null: none, or no such account). */
export async function userIdNumber(db: Knex | Knex.Transaction, userId: number): Promise<string | null> {
  const row = (await db('users').where({ id: userId }).first('id_number', 'id_number_enc')) as object | undefined;
  return row ? revealUserIdNumber(db, row) : null;
}

/**
 * `where u.id_number = value`, by the keyed hash (or by the plain column for a row the sweep has
 * not reached): x and X alike.
 */
export function whereUserIdNumberIs(db: Knex | Knex.Transaction, qb: Knex.QueryBuilder, value: string, alias?: string): Knex.QueryBuilder {
  const p = alias ? `${alias}.` : '';
  const plain = [...new Set([value.trim(), normalise('idNumber', value), value.trim().toLowerCase()])];
  return qb.where((w) => w.where(`${p}${hashColumn('id_number')}`, piiOf(db).hash('idNumber', value)).orWhereIn(`${p}id_number`, plain));
}

/** The accounts of these ID numbers, by the numbers as given (upper-cased), e.g. history-data checks. */
export async function usersByIdNumbers(db: Knex | Knex.Transaction, idNumbers: readonly string[]): Promise<Array<{ id: number; idNumber: string; displayName: string }>> {
  const wanted = [...new Set(idNumbers.map((v) => normalise('idNumber', v)).filter(Boolean))];
  if (wanted.length === 0) return [];
  const cipher = piiOf(db);
  const byHash = new Map(wanted.map((v) => [cipher.hash('idNumber', v), v]));
  const rows = (await db('users')
    .where((w) => w.whereIn('id_number_hash', [...byHash.keys()]).orWhereIn('id_number', [...wanted, ...wanted.map((v) => v.toLowerCase())]))
    .select('id', 'display_name', 'id_number', 'id_number_hash')) as Array<{ id: number; display_name: string; id_number: string | null; id_number_hash: string | null }>;
  return rows.map((r) => ({ id: Number(r.id), displayName: r.display_name, idNumber: (r.id_number_hash ? byHash.get(r.id_number_hash) : undefined) ?? normalise('idNumber', r.id_number ?? '') }));
}

/**
 * The columns an account writer stores for the numbers it was given: sealed when the app's cipher is
 * loaded (plain columns left empty), plain otherwise (a demo loader before any app: the sweep seals).
 */
export function userNumbersWrite(db: Knex | Knex.Transaction, values: { id_number?: string | null; phone?: string | null }): Record<string, string | null> {
  const cipher = piiOfOrNull(db);
  if (!cipher) return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string | null>;
  return sealedWrite(cipher, USERS_SEALED, values);
}

/** The system login name of an applicant who signs in with their ID number: `sq` and the id, 8 digits or more. */
export function applicantLoginName(id: number): string {
  return `sq${String(id).padStart(8, '0')}`;
}

/** Login names the system gives applicants: refused as a chosen username. */
export const APPLICANT_LOGIN_NAME = /^sq\d{8,}$/;

/** Login names the system gives experts' meeting credentials (`zj00000012-7`, api/modules/ballots). */
export const CREDENTIAL_LOGIN_NAME = /^zj\d{8,}-\d+$/;

/** A login name a unit chooses for its staff (or its registering admin): not one of the applicants' system names. */
export const staffUsernameSchema = usernameSchema
  .refine((v) => !APPLICANT_LOGIN_NAME.test(v), '“sq”加 8 位数字的账号为申报人保留，请另选登录账号')
  .refine((v) => !CREDENTIAL_LOGIN_NAME.test(v), '“zj”加数字和会议编号的账号为评审专家的会议账号保留，请另选登录账号');

/** A row read with `u.id_number` and `u.id_number_enc`: the number opened into `id_number`, the seal removed. */
export function openUserIdNumber<T extends object>(db: Knex | Knex.Transaction, row: T): T {
  const { id_number_enc: _sealed, ...rest } = row as T & { id_number_enc?: string | null };
  return { ...rest, id_number: revealUserIdNumber(db, row) } as T;
}
