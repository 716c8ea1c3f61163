import { z } from 'zod';
import type { Knex } from 'knex';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { audit } from '../../src/audit.ts';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { inScope } from '../../src/scope.ts';
import { errorResponses } from '../../src/schemas.ts';
import type { Regions } from '../regions/regions.service.ts';

const routeRow = z.object({
  id: z.number(),
  committeeId: z.number(),
  committeeName: z.string(),
  organizerName: z.string(),
  series: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  departmentUnitId: z.number().nullable(),
  departmentName: z.string().nullable(),
  /** set by an HR bureau of a wider region, used here unless this region sets its own */
  inheritedDepartmentName: z.string().nullable(),
  inheritedFrom: z.string().nullable(),
});

/**
 * The competent department of an employer's dossiers for a committee: the mapping of the
 * nearest region (county, then city, then province) that has one, else the nearest department
 * above the employer in the unit tree, else none.
 */
export async function competentDepartment(
  db: Knex | Knex.Transaction,
  regions: Regions,
  employer: { id: number; path: string; regionCode: string | null },
  committeeId: number | null,
): Promise<{ id: number; name: string; path: string; via: 'mapping' | 'tree' } | null> {
  if (committeeId != null && employer.regionCode) {
    const chain = regions.chain(employer.regionCode).map((r) => r.code);
    const routes = await db('department_routes as r')
      .join('units as d', 'd.id', 'r.department_unit_id')
      .select('r.region_code', 'd.id', 'd.name', 'd.path', 'd.status')
      .where('r.committee_id', committeeId)
      .whereIn('r.region_code', chain);
    for (const code of chain) {
      const hit = routes.find((r: { region_code: string; status: string }) => r.region_code === code && r.status === 'active');
      if (hit && Number(hit.id) !== employer.id) return { id: Number(hit.id), name: String(hit.name), path: String(hit.path), via: 'mapping' };
    }
  }
  const ancestorIds = employer.path.split('/').filter(Boolean).map(Number).filter((id) => id !== employer.id);
  if (!ancestorIds.length) return null;
  const ancestors = await db('units').select('id', 'name', 'path', 'unit_type').whereIn('id', ancestorIds);
  const nearest = ancestorIds
    .reverse()
    .map((id) => ancestors.find((a: { id: number }) => Number(a.id) === id))
    .find((a) => a?.unit_type === 'department');
  return nearest ? { id: Number(nearest.id), name: String(nearest.name), path: String(nearest.path), via: 'tree' } : null;
}

/** 主管部门配置 (HR bureaus) and the committee list the settings pick from. */
const routingRoutes: FastifyPluginAsyncZod<{ regions: Regions }> = async (app, { regions }) => {
  app.addHook('onRequest', app.authenticate);
  const now = () => app.engine.clock.now();

  async function regionOf(actor: RequestActor): Promise<string> {
    const unit = await app.db('units').select('region_code').where({ id: actor.unitId ?? 0 }).first();
    if (!unit?.region_code) throw new ValidationError('本单位没有设置职称业务归属地，请先在本级单位管理中完善', [{ field: 'regionCode', message: '未设置' }]);
    return String(unit.region_code);
  }

  app.get('/api/department-routes', {
    schema: { tags: ['主管部门配置'], summary: '本地区各评委会的主管部门', response: { 200: z.array(routeRow), ...errorResponses } },
    preValidation: app.requirePermission('routing.manage'),
    handler: async (request, reply) => {
      const region = await regionOf(request.actor);
      const chain = regions.chain(region).map((r) => r.code);
      const [committees, routes] = await Promise.all([
        app.db('committees as c').join('units as o', 'o.id', 'c.organizer_unit_id').select('c.id', 'c.name', 'c.series', 'o.name as organizer_name').where('c.status', 'active').orderBy('c.id'),
        app.db('department_routes as r').join('units as d', 'd.id', 'r.department_unit_id').select('r.*', 'd.name as department_name').whereIn('r.region_code', chain),
      ]);
      const rows = committees.map((c: Record<string, unknown>) => {
        const mine = routes.find((r: Record<string, unknown>) => Number(r.committee_id) === Number(c.id) && r.region_code === region);
        const inherited = chain
          .slice(1)
          .map((code) => routes.find((r: Record<string, unknown>) => Number(r.committee_id) === Number(c.id) && r.region_code === code))
          .find(Boolean);
        return {
          id: Number(c.id),
          committeeId: Number(c.id),
          committeeName: String(c.name),
          organizerName: String(c.organizer_name),
          series: (c.series as string | null) ?? null,
          regionCode: region,
          regionName: regions.label(region) ?? region,
          departmentUnitId: mine ? Number(mine.department_unit_id) : null,
          departmentName: mine ? String(mine.department_name) : null,
          inheritedDepartmentName: inherited ? String(inherited.department_name) : null,
          inheritedFrom: inherited ? regions.label(String(inherited.region_code)) : null,
        };
      });
      reply.header('Content-Range', `department-routes 0-${Math.max(0, rows.length - 1)}/${rows.length}`);
      return rows;
    },
  });

  app.put('/api/department-routes/:committeeId', {
    schema: {
      tags: ['主管部门配置'],
      summary: '设置某评委会在本地区的主管部门',
      params: z.object({ committeeId: z.coerce.number().int() }),
      body: z.object({ departmentUnitId: z.number().int().positive() }),
      response: { 200: z.object({ committeeId: z.number(), departmentUnitId: z.number(), regionCode: z.string() }), ...errorResponses },
    },
    preValidation: app.requirePermission('routing.manage'),
    handler: async (request) => {
      const region = await regionOf(request.actor);
      const committee = await app.db('committees').where({ id: request.params.committeeId, status: 'active' }).first();
      if (!committee) throw new NotFoundError('评委会不存在');
      const department = await app.db('units').where({ id: request.body.departmentUnitId }).first();
      if (!department || department.unit_type !== 'department' || department.status !== 'active') {
        throw new ValidationError('请选择正常状态的主管部门', [{ field: 'departmentUnitId', message: '不是主管部门' }]);
      }
      if (!inScope(request.actor, { id: Number(department.id), path: String(department.path) }, 'below')) {
        throw new ValidationError('只能选择本单位管理的主管部门', [{ field: 'departmentUnitId', message: '不在本单位管理范围内' }]);
      }
      await app.db.transaction(async (trx) => {
        await trx('department_routes')
          .insert({ region_code: region, committee_id: committee.id, department_unit_id: department.id, configured_by_unit_id: request.actor.unitId, updated_by: request.actor.userId, updated_at: now() })
          .onConflict(['region_code', 'committee_id'])
          .merge();
        await audit(trx, request.actor, { action: 'route.set', targetType: 'department_route', targetId: `${region}:${committee.id}`, unitId: request.actor.unitId, data: { departmentUnitId: department.id } }, now());
      });
      return { committeeId: Number(committee.id), departmentUnitId: Number(department.id), regionCode: region };
    },
  });

  app.delete('/api/department-routes/:committeeId', {
    schema: {
      tags: ['主管部门配置'],
      summary: '取消本地区的设置（回到上级地区的设置或单位隶属关系）',
      params: z.object({ committeeId: z.coerce.number().int() }),
      response: { 200: z.object({ committeeId: z.number() }), ...errorResponses },
    },
    preValidation: app.requirePermission('routing.manage'),
    handler: async (request) => {
      const region = await regionOf(request.actor);
      await app.db.transaction(async (trx) => {
        const count = await trx('department_routes').where({ region_code: region, committee_id: request.params.committeeId }).delete();
        if (!count) throw new NotFoundError('本地区没有设置该评委会的主管部门');
        await audit(trx, request.actor, { action: 'route.clear', targetType: 'department_route', targetId: `${region}:${request.params.committeeId}`, unitId: request.actor.unitId }, now());
      });
      return { committeeId: request.params.committeeId };
    },
  });
};

export default routingRoutes;
