import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import svgCaptcha from 'svg-captcha';
import { audit } from '../../src/audit.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../src/errors.ts';
import { formatShanghai } from '../activities/activities.rules.ts';
import { createAuthRepository, type AuthRepository, type LockPolicy, type LoginFailureState } from './auth.repository.ts';

/** 5 failed passwords in a row lock an account for 15 minutes; a captcha from the 2nd failure on. */
export const LOCK_POLICY: LockPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };
/** How long an attempt waits for the attempts at the same account before it (each ≈ one argon2 check). */
export const LOGIN_LOCK_WAIT_MS = 5_000;
export const CAPTCHA_AFTER_FAILURES = 2;
const CAPTCHA_TTL_MS = 5 * 60_000;
// look-alikes left out: a captcha is to stop scripts, not people
const CAPTCHA_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXY3456789';

/** What a refused login tells the page: tries left, the lock's end, whether a captcha is needed. */
export interface LoginRefusal {
  attemptsLeft: number;
  lockedUntil: string | null;
  captchaRequired: boolean;
}

/** The failure counter's key: the account when there is one, else the name typed (lower case). */
export function accountKey(userId: number | null, login: string): string {
  return userId != null ? `u:${userId}` : `n:${login.trim().toLowerCase()}`;
}

export const captchaNeeded = (state: LoginFailureState) => state.failures >= CAPTCHA_AFTER_FAILURES;

export function lockedError(lockedUntil: Date): ForbiddenError {
  const details: LoginRefusal = { attemptsLeft: 0, lockedUntil: lockedUntil.toISOString(), captchaRequired: false };
  return new ForbiddenError(`账号因连续 ${LOCK_POLICY.maxFailures} 次密码错误已被锁定，请于 ${formatShanghai(lockedUntil)} 后再试，或联系管理员解锁`, details);
}

/** The answer to a wrong password: how many tries are left, or that this one locked the account. */
export function wrongPasswordError(state: LoginFailureState): UnauthorizedError {
  const attemptsLeft = Math.max(0, LOCK_POLICY.maxFailures - state.failures);
  const details: LoginRefusal = { attemptsLeft, lockedUntil: state.lockedUntil?.toISOString() ?? null, captchaRequired: captchaNeeded(state) };
  if (state.lockedUntil) {
    return new UnauthorizedError(`用户名或密码错误。已连续 ${LOCK_POLICY.maxFailures} 次错误，账号锁定 ${LOCK_POLICY.lockMs / 60_000} 分钟，至 ${formatShanghai(state.lockedUntil)} 解锁`, details);
  }
  return new UnauthorizedError(`用户名或密码错误，还可尝试 ${attemptsLeft} 次`, details);
}

/**
 * The captcha an attempt carries, when one is needed: the refusal, or null when it is right. Each
 * challenge answers once (taking it deletes it, in `trx`, which commits even when it is refused).
 */
export async function captchaRefusal(accounts: AuthRepository, input: { captchaId?: string; captcha?: string }, now: Date, trx: Knex.Transaction): Promise<ValidationError | null> {
  if (!input.captchaId || !input.captcha?.trim()) {
    return new ValidationError('请输入验证码', [{ field: 'captcha', message: '密码已错误多次，请输入图中的验证码' }]);
  }
  const answer = await accounts.takeCaptcha(input.captchaId, now, trx);
  if (!answer || answer !== input.captcha.trim().toUpperCase()) {
    return new ValidationError('验证码错误或已过期，请重新输入', [{ field: 'captcha', message: '验证码错误或已过期' }]);
  }
  return null;
}

/** An account whose attempts queue longer than LOGIN_LOCK_WAIT: 429, the client may try again. */
export class LoginBusyError extends Error {
  readonly statusCode = 429;
  constructor() {
    super('该账号登录请求过多，请稍后再试');
  }
}

/** A new challenge: an SVG image drawn here (no outside service), its answer kept server side. */
export async function newCaptcha(accounts: AuthRepository, now: Date): Promise<{ id: string; image: string; expiresAt: string }> {
  const { text, data } = svgCaptcha.create({ size: 4, charPreset: CAPTCHA_CHARS, noise: 3, color: true, background: '#f3f6fa', width: 120, height: 44, fontSize: 46 });
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + CAPTCHA_TTL_MS);
  await accounts.saveCaptcha(id, text.toUpperCase(), expiresAt, now);
  return { id, image: `data:image/svg+xml;base64,${Buffer.from(data).toString('base64')}`, expiresAt: expiresAt.toISOString() };
}

/**
 * 解除登录锁定, for whoever may reset the account's password; always recorded in the audit,
 * with the lock's end when it was locked. True when the account was locked.
 */
export async function unlockLogin(db: Knex, actor: RequestActor, target: { id: number; unitId: number | null }, at: Date): Promise<boolean> {
  return db.transaction(async (trx) => {
    const until = await createAuthRepository(db).unlock(target.id, at, trx);
    await audit(trx, actor, { action: 'user.unlock', targetType: 'user', targetId: target.id, unitId: target.unitId, data: { lockedUntil: until?.toISOString() ?? null } }, at);
    return until !== null;
  });
}
