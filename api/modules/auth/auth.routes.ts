import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../src/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/passwords.ts';
import { disabledMessage, type Principal } from '../../src/principals.ts';
import { errorSchema } from '../../src/schemas.ts';
import { audit } from '../../src/audit.ts';
import { createAuthRepository } from './auth.repository.ts';

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

/** 登录: username (or an applicant's ID number) and password → bearer token; password change. */
const authRoutes: FastifyPluginAsyncZod<{ loginRateLimit: number }> = async (app, opts) => {
  const accounts = createAuthRepository(app.db);
  app.post('/api/auth/login', {
    config: {
      rateLimit: {
        max: opts.loginRateLimit,
        timeWindow: '1 minute',
        keyGenerator: (request: { ip: string; body?: unknown }) =>
          `${request.ip}|${String((request.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
      },
    },
    schema: {
      tags: ['登录'],
      summary: '登录（工作人员用账号，申报人可用身份证号）',
      security: [],
      body: z.object({
        username: z.string().trim().min(1).max(64),
        password: z.string().min(1).max(128),
      }),
      response: {
        200: z.object({ token: z.string(), user: userSchema }),
        400: errorSchema,
        401: errorSchema,
        403: errorSchema,
        429: errorSchema,
      },
    },
    handler: async (request) => {
      const { username, password } = request.body;
      const row = await accounts.byLogin(username);
      const ok = await verifyPassword(row?.passwordHash ?? null, password);
      if (!row || !ok) throw new UnauthorizedError('用户名或密码错误');
      app.principals.invalidate(row.id);
      const principal = await app.principals.get(row.id);
      if (!principal) throw new UnauthorizedError('用户名或密码错误');
      if (principal.status !== 'active') throw new ForbiddenError(disabledMessage(principal.disabledReason));
      if (principal.unitStatus === 'inactive') throw new ForbiddenError(disabledMessage('unit_inactive'));
      await accounts.recordLogin(principal.userId, app.engine.clock.now());
      const token = app.signToken(principal);
      return { token, user: toUser(principal) };
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
      response: { 200: z.object({ token: z.string(), user: userSchema }), 400: errorSchema, 401: errorSchema, 409: errorSchema },
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
      if (problem) throw new ValidationError(problem, [{ field: 'newPassword', message: problem }]);
      if (oldPassword === newPassword) throw new ValidationError('新密码不能与原密码相同', [{ field: 'newPassword', message: '不能与原密码相同' }]);
      const now = app.engine.clock.now();
      await app.db.transaction(async (trx) => {
        await accounts.changePassword(row.id, row.passwordHash, await hashPassword(newPassword), now, trx);
        await audit(trx, request.actor, { action: 'user.password', targetType: 'user', targetId: row.id, unitId: request.actor.unitId }, now);
      });
      app.principals.invalidate(row.id);
      const principal = await app.principals.get(row.id);
      if (!principal) throw new UnauthorizedError('账号不存在，请重新登录');
      return { token: app.signToken(principal), user: toUser(principal) };
    },
  });
};

export default authRoutes;
