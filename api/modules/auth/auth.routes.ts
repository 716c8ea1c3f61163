import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ForbiddenError, UnauthorizedError } from '../../src/errors.ts';
import { verifyPassword } from '../../src/passwords.ts';
import { BUILT_IN_ROLES, permissionsOf } from '../../src/permissions.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';

const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  roles: z.array(z.object({ key: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
});

async function loadUser(app: Parameters<FastifyPluginAsyncZod>[0], where: (q: ReturnType<typeof app.db>) => void) {
  const q = app.db('users as u').leftJoin('units as n', 'n.id', 'u.unit_id').select('u.*', 'n.name as unit_name').first();
  where(q);
  return (await q) as Record<string, unknown> | undefined;
}

function toUser(row: Record<string, unknown>) {
  const roles = (row.roles as string[]) ?? [];
  return {
    id: Number(row.id),
    username: String(row.username),
    displayName: String(row.display_name),
    unitId: row.unit_id == null ? null : Number(row.unit_id),
    unitName: (row.unit_name as string | null) ?? null,
    roles: roles.map((key) => ({ key, name: BUILT_IN_ROLES[key]?.name ?? key })),
    permissions: permissionsOf(roles),
    mustChangePassword: Boolean(row.must_change_password),
  };
}

/** 登录: username (or an applicant's ID number) and password → bearer token. */
const authRoutes: FastifyPluginAsyncZod<{ loginRateLimit: number }> = async (app, opts) => {
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
      summary: '登录',
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
      const row = await loadUser(app, (q) => q.where('u.username', username).orWhere('u.id_number', username.toUpperCase()));
      const ok = await verifyPassword((row?.password_hash as string | undefined) ?? null, password);
      if (!row || !ok) throw new UnauthorizedError('用户名或密码错误');
      if (row.status !== 'active') throw new ForbiddenError('账号已停用，请联系本单位管理员或上级人社部门恢复');
      await app.db('users').where({ id: row.id }).update({ last_login_at: app.engine.clock.now() });
      const user = toUser(row);
      const token = app.signToken({
        sub: String(user.id),
        username: user.username,
        name: user.displayName,
        unitId: user.unitId,
        roles: user.roles.map((r) => r.key),
        perms: user.permissions,
      });
      return { token, user };
    },
  });

  app.get('/api/auth/me', {
    schema: { tags: ['登录'], summary: '当前用户', response: { 200: userSchema, 401: errorSchema } },
    preHandler: app.authenticate,
    handler: async (request) => {
      const row = await loadUser(app, (q) => q.where('u.id', request.actor.userId));
      if (!row) throw new UnauthorizedError('账号不存在，请重新登录');
      return toUser(row);
    },
  });
};

export default authRoutes;
