import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Regions } from './regions.service.ts';
import { NotFoundError } from '../../src/errors.ts';
import { errorSchema } from '../../src/schemas.ts';

const regionSchema = z.object({ id: z.string(), code: z.string(), name: z.string(), label: z.string(), level: z.string(), parentCode: z.string().nullable() });

/** 职称业务归属地 for pickers; public, since registration needs it before login. */
const regionsRoutes: FastifyPluginAsyncZod<{ regions: Regions }> = async (app, { regions }) => {
  app.get('/api/regions', {
    schema: {
      tags: ['单位'],
      summary: '职称业务归属地（行政区划）',
      security: [],
      querystring: z.object({ filter: z.string().optional(), range: z.string().optional(), sort: z.string().optional() }),
      response: { 200: z.array(regionSchema) },
    },
    handler: async (request, reply) => {
      let filter: { q?: unknown; id?: unknown; parentCode?: unknown } = {};
      try {
        filter = request.query.filter ? (JSON.parse(request.query.filter) as typeof filter) : {};
      } catch {
        filter = {};
      }
      // `null` parses too: a filter that is no object filters nothing
      if (!filter || typeof filter !== 'object') filter = {};
      const ids = Array.isArray(filter.id) ? filter.id.map(String) : filter.id != null ? [String(filter.id)] : null;
      const q = typeof filter.q === 'string' ? filter.q.trim() : '';
      const rows = regions.list
        .filter((r) => (ids ? ids.includes(r.code) : true))
        .filter((r) => (typeof filter.parentCode === 'string' ? r.parentCode === filter.parentCode : true))
        .map((r) => ({ id: r.code, code: r.code, name: r.name, label: regions.label(r.code) ?? r.name, level: r.level, parentCode: r.parentCode }))
        .filter((r) => (q ? r.label.includes(q) : true));
      reply.header('Content-Range', `regions 0-${Math.max(0, rows.length - 1)}/${rows.length}`);
      return rows;
    },
  });

  app.get('/api/regions/:code', {
    schema: { tags: ['单位'], summary: '一个职称业务归属地', security: [], params: z.object({ code: z.string() }), response: { 200: regionSchema, 404: errorSchema } },
    handler: async (request) => {
      const r = regions.get(request.params.code);
      if (!r) throw new NotFoundError('职称业务归属地不存在');
      return { id: r.code, code: r.code, name: r.name, label: regions.label(r.code) ?? r.name, level: r.level, parentCode: r.parentCode };
    },
  });
};

export default regionsRoutes;
