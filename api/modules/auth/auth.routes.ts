import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../src/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/passwords.ts';
import { disabledMessage, type Principal } from '../../src/principals.ts';
import { sessionEndMessage } from '../../src/plugins/auth.ts';
import { errorSchema } from '../../src/schemas.ts';
import { audit } from '../../src/audit.ts';
import { createAuthRepository, type Credentials } from './auth.repository.ts';
import { LOCK_POLICY, LOGIN_LOCK_WAIT_MS, LoginBusyError, accountKey, captchaNeeded, captchaRefusal, lockedError, newCaptcha, wrongPasswordError } from './auth.login.ts';

// SQLSTATE of a lock not granted within lock_timeout
const LOCK_NOT_AVAILABLE = '55P03';

const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  unitType: z.string().nullable(),
  unitStatus: z.string().nullable(),
  adminLevel: z.string().nullable(),
  roles: z.array(z.object({ key: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
  isApplicant: z.boolean(),
});

const sessionSchema = z.object({
  idleSeconds: z.number().describe('会话闲置多少秒后结束'),
  warnSeconds: z.number().describe('结束前多少秒提醒'),
});
const issuedSchema = { token: z.string(), refreshToken: z.string(), session: sessionSchema };

function toUser(p: Principal) {
  return {
    id: p.userId,
    username: p.username,
    displayName: p.displayName,
    unitId: p.unitId,
    unitName: p.unitName,
    unitType: p.unitType,
    unitStatus: p.unitStatus,
    adminLevel: p.adminLevel,
    roles: p.roleKeys.map((key, i) => ({ key, name: p.roleNames[i] ?? key })),
    permissions: p.permissions,
    mustChangePassword: p.mustChangePassword,
    isApplicant: p.isApplicant,
  };
}

/**
 * 登录: username (or an applicant's ID number) and password → bearer token; password change.
 * Failed passwords are counted per account in the database (every API process sees them): from
 * the 2nd a captcha is asked for, the 5th locks the account for 15 minutes. The per-address rate
 * limit is only a flood guard, far above what a person types.
 */
const authRoutes: FastifyPluginAsyncZod<{ loginRateLimit: number }> = async (app, opts) => {
  // sessions run on real time (app.sessionClock); the business clock may be anywhere in tests
  const accounts = createAuthRepository(app.db);
  const now = () => app.engine.clock.now();
  const floodGuard = { rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } };

  app.post('/api/auth/login', {
    config: floodGuard,
    schema: {
      tags: ['登录'],
      summary: '登录（工作人员用账号，申报人可用身份证号）；密码错误 2 次后须填验证码，连续 5 次锁定 15 分钟',
      description: '拒绝时 details 为 { attemptsLeft, lockedUntil, captchaRequired }；缺少或答错验证码时为 400，details 指明字段 captcha。',
      security: [],
      body: z.object({
        username: z.string().trim().min(1).max(64),
        password: z.string().min(1).max(128),
        captchaId: z.string().max(64).optional(),
        captcha: z.string().max(16).optional(),
      }),
      response: {
        200: z.object({ ...issuedSchema, user: userSchema }),
        400: errorSchema,
        401: errorSchema,
        403: errorSchema,
        429: errorSchema,
      },
    },
    handler: async (request, reply) => {
      const { username, password } = request.body;
      const at = now();
      const row = await accounts.byLogin(username, undefined, app.pii.hash('idNumber', username));
      const key = accountKey(row?.id ?? null, username);
      // attempts at one account are decided one after the other, under its failure row's lock
      const result = await accounts
        .attempt<Credentials>(key, row?.id ?? null, at, { ...LOCK_POLICY, waitMs: LOGIN_LOCK_WAIT_MS }, async (before, trx) => {
          if (captchaNeeded(before)) {
            const refusal = await captchaRefusal(accounts, request.body, at, trx);
            if (refusal) return { ok: false, refusal };
          }
          const ok = await verifyPassword(row?.passwordHash ?? null, password);
          if (!row || !ok) return { ok: false };
          return { ok: true, value: row };
        })
        .catch((err: unknown) => {
          if ((err as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
            reply.header('retry-after', '1');
            throw new LoginBusyError();
          }
          throw err;
        });
      if (result.outcome === 'locked') throw lockedError(result.lockedUntil);
      if (result.outcome === 'refused') throw result.refusal;
      if (result.outcome === 'wrong') {
        if (row && result.state.lockedUntil) {
          await audit(app.db, null, { action: 'user.lock', targetType: 'user', targetId: row.id, unitId: row.unitId, data: { failures: result.state.failures, until: result.state.lockedUntil.toISOString() } }, at);
        }
        throw wrongPasswordError(result.state);
      }
      const principal = await app.principals.get(result.value.id);
      if (!principal) throw new UnauthorizedError('用户名或密码错误');
      if (principal.status !== 'active') throw new ForbiddenError(disabledMessage(principal.disabledReason));
      if (principal.unitStatus === 'inactive') throw new ForbiddenError(disabledMessage('unit_inactive'));
      await accounts.recordLogin(principal.userId, at);
      return { ...(await app.openSession(principal)), user: toUser(principal) };
    },
  });

  app.get('/api/auth/captcha', {
    config: floodGuard,
    schema: {
      tags: ['登录'],
      summary: '图形验证码（密码错误 2 次后登录须填写；每个验证码只能用一次，5 分钟内有效）',
      security: [],
      response: { 200: z.object({ id: z.string(), image: z.string(), expiresAt: z.string() }), 429: errorSchema },
    },
    handler: async (_request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return newCaptcha(accounts, now());
    },
  });

  app.get('/api/auth/me', {
    schema: { tags: ['登录'], summary: '当前用户', response: { 200: userSchema, 401: errorSchema } },
    config: { beforePasswordChange: true },
    onRequest: app.authenticate,
    handler: async (request) => {
      const principal = await app.principals.get(request.actor.userId);
      if (!principal) throw new UnauthorizedError('账号不存在，请重新登录');
      return toUser(principal);
    },
  });

  app.post('/api/auth/password', {
    schema: {
      tags: ['登录'],
      summary: '修改密码（初始密码必须先修改）',
      body: z.object({
        oldPassword: z.string().min(1, '请输入原密码').max(128),
        newPassword: z.string().min(1, '请输入新密码').max(128),
      }),
      response: { 200: z.object({ ...issuedSchema, user: userSchema }), 400: errorSchema, 401: errorSchema, 409: errorSchema },
    },
    config: { beforePasswordChange: true },
    onRequest: app.authenticate,
    handler: async (request) => {
      const { oldPassword, newPassword } = request.body;
      const row = await accounts.byId(request.actor.userId);
      if (!row || !(await verifyPassword(row.passwordHash, oldPassword))) {
        throw new ValidationError('原密码不正确', [{ field: 'oldPassword', message: '原密码不正确' }]);
      }
      const problem = passwordProblem(newPassword, { username: row.username, idNumber: row.idNumber });
      if (problem) throw new ValidationError(`新密码：${problem}`, [{ field: 'newPassword', message: problem }]);
      if (oldPassword === newPassword) throw new ValidationError('新密码不能与原密码相同', [{ field: 'newPassword', message: '不能与原密码相同' }]);
      if (row.previousPasswordHash && (await verifyPassword(row.previousPasswordHash, newPassword))) {
        throw new ValidationError('新密码不能与上一次使用的密码相同', [{ field: 'newPassword', message: '不能与上一次使用的密码相同' }]);
      }
      const now = app.engine.clock.now();
      await app.db.transaction(async (trx) => {
        await accounts.changePassword(row.id, row.passwordHash, await hashPassword(newPassword), now, trx);
        await audit(trx, request.actor, { action: 'user.password', targetType: 'user', targetId: row.id, unitId: request.actor.unitId }, now);
      });
      app.principals.invalidate(row.id);
      // the session that changed the password goes on under a new one; the others end by `pv`
      if (request.sessionId) await app.sessions.revoke(request.sessionId, 'password', app.sessionClock.now());
      const principal = await app.principals.get(row.id);
      if (!principal) throw new UnauthorizedError('账号不存在，请重新登录');
      return { ...(await app.openSession(principal)), user: toUser(principal) };
    },
  });

  app.post('/api/auth/refresh', {
    config: floodGuard,
    schema: {
      tags: ['登录'],
      summary: '换取新的访问令牌（刷新令牌只能用一次；已用过的刷新令牌再次出现时整个会话结束）',
      description: `访问令牌有效期短（JWT_EXPIRES_IN），控制台在其过期时用刷新令牌换取新的一对。会话闲置超过 SESSION_IDLE_MINUTES 分钟、已退出或已被重复使用时为 401，details.session 说明原因（idle、logout、reuse、expired、password、unknown）。`,
      security: [],
      body: z.object({ refreshToken: z.string().trim().min(1, '缺少刷新令牌').max(128) }),
      response: { 200: z.object(issuedSchema), 400: errorSchema, 401: errorSchema, 429: errorSchema },
    },
    handler: async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const now = app.sessionClock.now();
      const rotated = await app.sessions.rotate(request.body.refreshToken, now, app.sessionPolicy);
      if (!rotated.ok) throw new UnauthorizedError(sessionEndMessage(rotated.end), { session: rotated.end });
      const principal = await app.principals.get(rotated.userId);
      const pv = principal?.passwordChangedAt?.getTime() ?? 0;
      if (!principal || principal.status !== 'active' || principal.unitStatus === 'inactive' || pv !== rotated.passwordVersion) {
        const end = !principal || pv === rotated.passwordVersion ? 'expired' : 'password';
        await app.sessions.revoke(rotated.sessionId, end, now);
        throw new UnauthorizedError(sessionEndMessage(end === 'expired' ? 'unknown' : end), { session: end });
      }
      const token = app.jwt.sign({ sub: String(principal.userId), username: principal.username, pv, sid: rotated.sessionId });
      return { token, refreshToken: rotated.refreshToken, session: app.sessionHints };
    },
  });

  app.post('/api/auth/logout', {
    schema: {
      tags: ['登录'],
      summary: '退出登录：结束当前会话，其访问令牌和刷新令牌立即失效',
      response: { 200: z.object({ ok: z.literal(true) }), 401: errorSchema },
    },
    config: { beforePasswordChange: true },
    onRequest: app.authenticate,
    handler: async (request) => {
      if (request.sessionId) await app.sessions.revoke(request.sessionId, 'logout', app.sessionClock.now());
      return { ok: true as const };
    },
  });
};

export default authRoutes;
