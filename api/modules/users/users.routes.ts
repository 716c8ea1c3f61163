import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { BUILT_IN_ROLES } from '../../src/permissions.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

/** Staff of a unit, for the pickers of the operator settings (accounts are managed in a later module). */
const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', app.authenticate);

  app.get('/api/users', {
    schema: {
      tags: ['人员'],
      summary: '工作人员（按单位、姓名筛选）',
      querystring: listQuerySchema,
      response: {
        200: z.array(z.object({ id: z.number(), username: z.string(), displayName: z.string(), unitId: z.number().nullable(), roles: z.array(z.string()), roleNames: z.array(z.string()) })),
        ...errors,
      },
    },
    preHandler: app.requirePermission('settings.manage'),
    handler: async (request, reply) => {
      const page = pageOf(request.query, 100);
      const f = (request.query.filter ?? {}) as { unitId?: unknown; q?: unknown; id?: unknown };
      const where = (q: ReturnType<typeof app.db>) => {
        q.where('status', 'active').whereNot((w) => w.whereRaw("roles = '{applicant}'::text[]"));
        if (f.unitId != null) q.where('unit_id', Number(f.unitId));
        if (typeof f.q === 'string' && f.q) q.where((w) => w.where('display_name', 'ilike', `%${f.q}%`).orWhere('username', 'ilike', `%${f.q}%`));
        if (Array.isArray(f.id)) q.whereIn('id', f.id.map(Number).filter(Number.isInteger));
        return q;
      };
      const [rows, counted] = await Promise.all([
        where(app.db('users')).select('id', 'username', 'display_name', 'unit_id', 'roles').orderBy('id').offset(page.offset).limit(page.limit),
        where(app.db('users')).count<{ n: number }[]>({ n: '*' }),
      ]);
      sendPage(reply, 'users', page, rows.length, Number(counted[0]?.n ?? 0));
      return rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        username: String(r.username),
        displayName: String(r.display_name),
        unitId: r.unit_id == null ? null : Number(r.unit_id),
        roles: r.roles as string[],
        roleNames: (r.roles as string[]).map((k) => BUILT_IN_ROLES[k]?.name ?? k),
      }));
    },
  });
};

export default usersRoutes;
