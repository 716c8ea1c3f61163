import type { Knex } from 'knex';
import { ConflictError } from '../../src/errors.ts';
import type { UserRow } from '../staff/staff.repository.ts';
import { piiOf } from '../../src/pii-of.ts';
import type { PiiCipher } from '../../src/pii.ts';

/** The credentials of an account, as sign-in and password changes check them. */
export interface Credentials {
  id: number;
  username: string;
  idNumber: string | null;
  unitId: number | null;
  passwordHash: string;
  previousPasswordHash: string | null;
}

/** Where an account (or a name nobody has) stands with its failed logins. */
export interface LoginFailureState {
  failures: number;
  /** set while locked */
  lockedUntil: Date | null;
}

interface LoginFailureRow {
  account_key: string;
  user_id: number | null;
  failures: number;
  last_failed_at: Date;
  locked_until: Date | null;
}

interface LoginCaptchaRow {
  id: string;
  answer: string;
  expires_at: Date;
}

/** What locks an account: failures in a row, the lock's length, and how long a failure counts. */
export interface LockPolicy {
  maxFailures: number;
  lockMs: number;
}

type CredentialsRow = Pick<UserRow, 'id' | 'username' | 'id_number' | 'unit_id' | 'password_hash'> & { id_number_enc: string | null; previous_password_hash: string | null };
const CREDENTIAL_COLUMNS = ['id', 'username', 'id_number', 'id_number_enc', 'unit_id', 'password_hash', 'previous_password_hash'] as const;

const mapCredentials = (cipher: PiiCipher, r: CredentialsRow): Credentials => ({
  id: Number(r.id),
  username: r.username,
  idNumber: cipher.reveal(r.id_number_enc, r.id_number),
  unitId: r.unit_id == null ? null : Number(r.unit_id),
  passwordHash: r.password_hash,
  previousPasswordHash: r.previous_password_hash ?? null,
});

/** A failure older than a lock's length no longer counts; an expired lock starts the count again. */
function stateAt(row: LoginFailureRow | undefined, now: Date, policy: LockPolicy): LoginFailureState {
  if (!row) return { failures: 0, lockedUntil: null };
  const lockedUntil = row.locked_until ? new Date(row.locked_until) : null;
  if (lockedUntil && lockedUntil > now) return { failures: row.failures, lockedUntil };
  if (lockedUntil || new Date(row.last_failed_at).getTime() < now.getTime() - policy.lockMs) return { failures: 0, lockedUntil: null };
  return { failures: row.failures, lockedUntil: null };
}

/** Sign-in and passwords on `users`, failed logins and locks, captcha challenges. */
export function createAuthRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    /**
     * The account signing in by username, or by ID number (an applicant's, x or X): by the number's
     * keyed hash, by the plain column only for a row the sweep has not emptied yet. An expert's
     * meeting credential also answers to `<ID number>-<meeting>` (the name it had before): by the
     * keyed hash of that text, or its old name while the sweep has not hashed it yet.
     */
    async byLogin(login: string, trx?: Knex.Transaction): Promise<Credentials | null> {
      const cipher = piiOf(q(trx));
      const plain = [...new Set([login.trim(), login.trim().toUpperCase(), login.trim().toLowerCase()])];
      const row = await q(trx)<CredentialsRow>('users')
        .select(...CREDENTIAL_COLUMNS)
        .where('username', login)
        .orWhere('id_number_hash', cipher.hash('idNumber', login))
        .orWhere((p) => p.whereNull('id_number_hash').whereIn('id_number', plain))
        .orWhere('login_alias_hash', cipher.hash('idNumber', login))
        .orWhereIn('login_alias', plain)
        // a username match first (a staff name never looks like an ID number, but be exact)
        .orderByRaw('(username = ?) desc', [login])
        .first();
      return row ? mapCredentials(cipher, row) : null;
    },
    async byId(id: number, trx?: Knex.Transaction): Promise<Credentials | null> {
      const row = await q(trx)<CredentialsRow>('users').select(...CREDENTIAL_COLUMNS).where({ id }).first();
      return row ? mapCredentials(piiOf(q(trx)), row) : null;
    },
    async recordLogin(id: number, at: Date, trx?: Knex.Transaction): Promise<void> {
      await q(trx)<UserRow>('users').where({ id }).update({ last_login_at: at });
    },
    /**
     * Replaces the password that was checked (`oldHash`): 409 when it changed since, so two
     * changes made with the same old password do not both succeed.
     */
    async changePassword(id: number, oldHash: string, newHash: string, now: Date, trx?: Knex.Transaction): Promise<void> {
      const count = await q(trx)<UserRow & { previous_password_hash: string | null }>('users')
        .where({ id, password_hash: oldHash })
        .update({ password_hash: newHash, previous_password_hash: oldHash, must_change_password: false, password_changed_at: now, updated_at: now });
      if (count !== 1) throw new ConflictError('密码已被修改，请使用新密码重新登录');
    },

    /**
     * One login attempt, decided under the account's failure row locked `FOR UPDATE`: attempts at
     * one account run one after the other, so parallel guesses cannot get past the limit (each sees
     * the failures of the ones before), and a right password is never counted as a failure.
     * `check` (the captcha, then the password) runs inside, on the same transaction; a right
     * password forgets the failures, a wrong one adds one and locks at the limit. Attempts waiting
     * for the lock longer than `waitMs` give up (`busy`), so a flood at one account cannot hold
     * the pool's connections for long.
     */
    async attempt<T>(
      accountKey: string,
      userId: number | null,
      now: Date,
      policy: LockPolicy & { waitMs: number },
      check: (state: LoginFailureState, trx: Knex.Transaction) => Promise<{ ok: true; value: T } | { ok: false; refusal: Error } | { ok: false; refusal?: undefined }>,
    ): Promise<{ outcome: 'locked'; lockedUntil: Date } | { outcome: 'refused'; refusal: Error } | { outcome: 'wrong'; state: LoginFailureState } | { outcome: 'ok'; value: T }> {
      return knex.transaction(async (trx) => {
        await trx.raw(`set local lock_timeout = ${Math.max(1, Math.round(policy.waitMs))}`);
        await trx<LoginFailureRow>('login_failures').insert({ account_key: accountKey, user_id: userId, failures: 0, last_failed_at: now }).onConflict('account_key').ignore();
        const row = await trx<LoginFailureRow>('login_failures').where({ account_key: accountKey }).forUpdate().first();
        const state = stateAt(row, now, policy);
        if (state.lockedUntil) return { outcome: 'locked' as const, lockedUntil: state.lockedUntil };
        const checked = await check(state, trx);
        if (checked.ok) {
          await trx<LoginFailureRow>('login_failures').where({ account_key: accountKey }).delete();
          return { outcome: 'ok' as const, value: checked.value };
        }
        // a refused captcha is not a password tried: nothing is counted, the challenge stays used
        if (checked.refusal) return { outcome: 'refused' as const, refusal: checked.refusal };
        const failures = state.failures + 1;
        const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null;
        await trx<LoginFailureRow>('login_failures').where({ account_key: accountKey }).update({ failures, last_failed_at: now, locked_until: lockedUntil });
        return { outcome: 'wrong' as const, state: { failures, lockedUntil } };
      });
    },

    /** Lifts an account's lock and forgets its failures; the lock's end when it was locked. */
    async unlock(userId: number, now: Date, trx?: Knex.Transaction): Promise<Date | null> {
      const rows = await q(trx)<LoginFailureRow>('login_failures').where({ user_id: userId }).delete().returning(['locked_until']);
      const until = rows.map((r) => (r.locked_until ? new Date(r.locked_until) : null)).find((d) => d && d > now);
      return until ?? null;
    },

    /** The accounts among `userIds` locked at `now`, with the lock's end. */
    async locksOf(userIds: number[], now: Date, trx?: Knex.Transaction): Promise<Map<number, Date>> {
      if (!userIds.length) return new Map();
      const rows = await q(trx)<LoginFailureRow>('login_failures').select('user_id', 'locked_until').whereIn('user_id', userIds).where('locked_until', '>', now);
      return new Map(rows.map((r) => [Number(r.user_id), new Date(r.locked_until as Date)]));
    },

    /** Stores a captcha's answer until it expires; forgets the expired ones on the way. */
    async saveCaptcha(id: string, answer: string, expiresAt: Date, now: Date): Promise<void> {
      await q()<LoginCaptchaRow>('login_captchas').where('expires_at', '<=', now).delete();
      await q()<LoginCaptchaRow>('login_captchas').insert({ id, answer, expires_at: expiresAt });
    },

    /** A captcha's answer, once: taking it deletes it, so a challenge answers one attempt only. */
    async takeCaptcha(id: string, now: Date, trx?: Knex.Transaction): Promise<string | null> {
      const [row] = await q(trx)<LoginCaptchaRow>('login_captchas').where({ id }).delete().returning(['answer', 'expires_at']);
      return row && new Date(row.expires_at) > now ? row.answer : null;
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
