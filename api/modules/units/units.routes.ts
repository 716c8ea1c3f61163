import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../src/errors.ts';
import { listQuerySchema, pageOf, sendPage, sortOf } from '../../src/list-query.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const UNIT_TYPES: Record<string, string> = {
  hr_bureau: '人社部门',
  department: '主管部门',
  employer: '申报单位',
  self_review_unit: '自主评审单位',
  central_unit: '中央在川单位',
};

const unitSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  unitType: z.string(),
  unitTypeName: z.string(),
  adminLevel: z.string().nullable(),
  path: z.string(),
  status: z.string(),
});

const toJson = (r: Record<string, unknown>) => ({
  id: Number(r.id),
  parentId: r.parent_id == null ? null : Number(r.parent_id),
  name: String(r.name),
  unitType: String(r.unit_type),
  unitTypeName: UNIT_TYPES[String(r.unit_type)] ?? String(r.unit_type),
  adminLevel: (r.admin_level as string | null) ?? null,
  path: String(r.path),
  status: String(r.status),
});

/** Units for pickers (单位选择): searchable by name, type and id. */
const unitsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', app.authenticate);

  app.get('/api/units', {
    schema: { tags: ['单位'], summary: '单位列表（名称、类型、编号筛选）', querystring: listQuerySchema, response: { 200: z.array(unitSchema), ...errors } },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const [column, order] = sortOf(request.query, { name: 'name', id: 'id', path: 'path' }, ['path', 'asc']);
      const f = (request.query.filter ?? {}) as { q?: unknown; id?: unknown; unitType?: unknown; parentId?: unknown };
      const where = (q: ReturnType<typeof app.db>) => {
        q.where('status', 'active');
        if (typeof f.q === 'string' && f.q) q.where('name', 'ilike', `%${f.q}%`);
        if (Array.isArray(f.id)) q.whereIn('id', f.id.map(Number).filter(Number.isInteger));
        else if (f.id != null) q.where('id', Number(f.id));
        if (typeof f.unitType === 'string') q.where('unit_type', f.unitType);
        if (f.parentId != null) q.where('parent_id', Number(f.parentId));
        return q;
      };
      const [rows, counted] = await Promise.all([
        where(app.db('units')).orderBy(column, order).offset(page.offset).limit(page.limit),
        where(app.db('units')).count<{ n: number }[]>({ n: '*' }),
      ]);
      sendPage(reply, 'units', page, rows.length, Number(counted[0]?.n ?? 0));
      return rows.map(toJson);
    },
  });

  app.get('/api/units/:id', {
    schema: { tags: ['单位'], summary: '单位', params: z.object({ id: z.coerce.number().int() }), response: { 200: unitSchema, ...errors } },
    handler: async (request) => {
      const row = await app.db('units').where({ id: request.params.id }).first();
      if (!row) throw new NotFoundError('单位不存在');
      return toJson(row);
    },
  });
};

export default unitsRoutes;
