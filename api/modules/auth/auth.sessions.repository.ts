import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

interface SessionRow {
  id: string;
  user_id: number | string;
  password_version: number | string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

interface RefreshTokenRow {
  token_hash: string;
  session_id: string;
  created_at: Date;
  expires_at: Date;
  rotated_at: Date | null;
}

/** Why a session no longer answers. */
export type SessionEnd = 'logout' | 'idle' | 'reuse' | 'expired' | 'password' | 'unknown';

/** How long sessions last: idle time and the longest life, in milliseconds. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Where a session stands at `now`: alive, or how it ended. */
function endOf(row: SessionRow | undefined, now: Date, policy: SessionPolicy): SessionEnd | null {
  if (!row) return 'unknown';
  if (row.revoked_at) return (row.revoked_reason as SessionEnd | null) ?? 'logout';
  if (new Date(row.expires_at) <= now) return 'expired';
  if (new Date(row.last_seen_at).getTime() + policy.idleMs <= now.getTime()) return 'idle';
  return null;
}

// a busy session is written to at most this often: the idle end moves by minutes, not milliseconds
const TOUCH_EVERY_MS = 15_000;

/** Login sessions and their refresh tokens (`auth_sessions`, `auth_refresh_tokens`). */
export function createSessionsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;

  async function revoke(id: string, reason: SessionEnd, now: Date, trx?: Knex.Transaction): Promise<boolean> {
    const count = await q(trx)<SessionRow>('auth_sessions').where({ id }).whereNull('revoked_at').update({ revoked_at: now, revoked_reason: reason });
    return count > 0;
  }

  async function issueRefresh(sessionId: string, expiresAt: Date, now: Date, trx: Knex.Transaction): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await trx<RefreshTokenRow>('auth_refresh_tokens').insert({ token_hash: hashRefreshToken(token), session_id: sessionId, created_at: now, expires_at: expiresAt });
    return token;
  }

  return {
    /** A new session for a user who just proved their password, with its first refresh token. */
    async open(userId: number, passwordVersion: number, now: Date, policy: SessionPolicy): Promise<{ sessionId: string; refreshToken: string }> {
      return knex.transaction(async (trx) => {
        const sessionId = randomUUID();
        const expiresAt = new Date(now.getTime() + policy.maxMs);
        await trx<SessionRow>('auth_sessions').insert({ id: sessionId, user_id: userId, password_version: passwordVersion, created_at: now, last_seen_at: now, expires_at: expiresAt });
        return { sessionId, refreshToken: await issueRefresh(sessionId, expiresAt, now, trx) };
      });
    },

    /**
     * Checks that an access token's session still answers and counts the request as use. Null
     * when alive, else how it ended (an idle or expired session is marked so on the way).
     */
    async use(id: string, userId: number, now: Date, policy: SessionPolicy): Promise<SessionEnd | null> {
      const row = await q()<SessionRow>('auth_sessions').where({ id }).first();
      if (row && Number(row.user_id) !== userId) return 'unknown';
      const end = endOf(row, now, policy);
      if (end) {
        if (row && !row.revoked_at) await revoke(id, end, now);
        return end;
      }
      if (now.getTime() - new Date(row!.last_seen_at).getTime() >= TOUCH_EVERY_MS) {
        await q()<SessionRow>('auth_sessions').where({ id }).whereNull('revoked_at').update({ last_seen_at: now });
      }
      return null;
    },

    /**
     * Exchanges a refresh token for the next one (each answers once). A token shown again after
     * its exchange means a copy exists: the whole session ends. The session and user of a
     * successful exchange, else how the session ended.
     */
    async rotate(token: string, now: Date, policy: SessionPolicy): Promise<{ ok: true; sessionId: string; userId: number; passwordVersion: number; refreshToken: string } | { ok: false; end: SessionEnd }> {
      return knex.transaction(async (trx) => {
        const presented = await trx<RefreshTokenRow>('auth_refresh_tokens').where({ token_hash: hashRefreshToken(token) }).first();
        if (!presented) return { ok: false, end: 'unknown' };
        const session = await trx<SessionRow>('auth_sessions').where({ id: presented.session_id }).forUpdate().first();
        const end = endOf(session, now, policy);
        if (end) {
          await revoke(presented.session_id, end, now, trx);
          return { ok: false, end };
        }
        // the guarded update decides between two uses of one token: the loser is a reuse
        const claimed = await trx<RefreshTokenRow>('auth_refresh_tokens').where({ token_hash: presented.token_hash }).whereNull('rotated_at').update({ rotated_at: now });
        if (claimed === 0 || new Date(presented.expires_at) <= now) {
          const reason: SessionEnd = claimed === 0 ? 'reuse' : 'expired';
          await revoke(presented.session_id, reason, now, trx);
          return { ok: false, end: reason };
        }
        await trx<SessionRow>('auth_sessions').where({ id: presented.session_id }).update({ last_seen_at: now });
        const refreshToken = await issueRefresh(presented.session_id, new Date(session!.expires_at), now, trx);
        return { ok: true, sessionId: presented.session_id, userId: Number(session!.user_id), passwordVersion: Number(session!.password_version), refreshToken };
      });
    },

    /** Ends a session (logout); true when it was still open. */
    revoke,

    async byId(id: string): Promise<{ id: string; userId: number; lastSeenAt: Date; revokedAt: Date | null; revokedReason: string | null } | null> {
      const row = await q()<SessionRow>('auth_sessions').where({ id }).first();
      return row ? { id: row.id, userId: Number(row.user_id), lastSeenAt: new Date(row.last_seen_at), revokedAt: row.revoked_at ? new Date(row.revoked_at) : null, revokedReason: row.revoked_reason } : null;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
