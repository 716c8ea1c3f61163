import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import type { UserRow } from '../staff/staff.repository.ts';

/** The credentials of an account, as sign-in and password changes check them. */
export interface Credentials {
  id: number;
  username: string;
  idNumber: string | null;
  passwordHash: string;
}

const mapCredentials = (r: Pick<UserRow, 'id' | 'username' | 'id_number' | 'password_hash'>): Credentials => ({
  id: Number(r.id),
  username: r.username,
  idNumber: r.id_number ?? null,
  passwordHash: r.password_hash,
});

/** Sign-in and passwords on `users`. */
export function createAuthRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    /** The account signing in by username, or by ID number (an applicant's). */
    async byLogin(login: string, trx?: Knex.Transaction): Promise<Credentials | null> {
      const row = await q(trx)<UserRow>('users').select('id', 'username', 'id_number', 'password_hash').where('username', login).orWhere('id_number', login.toUpperCase()).first();
      return row ? mapCredentials(row) : null;
    },
    async byId(id: number, trx?: Knex.Transaction): Promise<Credentials | null> {
      const row = await q(trx)<UserRow>('users').select('id', 'username', 'id_number', 'password_hash').where({ id }).first();
      return row ? mapCredentials(row) : null;
    },
    async recordLogin(id: number, at: Date, trx?: Knex.Transaction): Promise<void> {
      await q(trx)<UserRow>('users').where({ id }).update({ last_login_at: at });
    },
    /**
     * Replaces the password that was checked (`oldHash`): 409 when it changed since, so two
     * changes made with the same old password do not both succeed.
     */
    async changePassword(id: number, oldHash: string, newHash: string, now: Date, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<UserRow>('users')
        .where({ id, password_hash: oldHash })
        .update({ password_hash: newHash, must_change_password: false, password_changed_at: now, updated_at: now });
      if (count !== 1) throw new ConflictError('密码已被修改，请使用新密码重新登录');
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
