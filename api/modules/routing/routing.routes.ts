import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { audit } from '../../src/audit.ts';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { inScope } from '../../src/scope.ts';
import { errorResponses } from '../../src/schemas.ts';
import type { Regions } from '../regions/regions.service.ts';
import { createUnitsRepository } from '../units/units.repository.ts';
import { createRoutingRepository } from './routing.repository.ts';

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


/** 主管部门配置 (HR bureaus) and the committee list the settings pick from. */
const routingRoutes: FastifyPluginAsyncZod<{ regions: Regions }> = async (app, { regions }) => {
  app.addHook('onRequest', app.authenticate);
  const now = () => app.engine.clock.now();
  const routing = createRoutingRepository(app.db);
  const units = createUnitsRepository(app.db);

  async function regionOf(actor: RequestActor): Promise<string> {
    const unit = await units.detail(actor.unitId ?? 0);
    if (!unit?.regionCode) throw new ValidationError('本单位没有设置职称业务归属地，请先在本级单位管理中完善', [{ field: 'regionCode', message: '未设置' }]);
    return unit.regionCode;
  }

  app.get('/api/department-routes', {
    schema: { tags: ['主管部门配置'], summary: '本地区各评委会的主管部门', response: { 200: z.array(routeRow), ...errorResponses } },
    preValidation: app.requirePermission('routing.manage'),
    handler: async (request, reply) => {
      const region = await regionOf(request.actor);
      const chain = regions.chain(region).map((r) => r.code);
      const [committees, routes] = await Promise.all([routing.activeCommittees(), routing.routesIn(chain)]);
      const rows = committees.map((c) => {
        const mine = routes.find((r) => r.committeeId === c.id && r.regionCode === region);
        const inherited = chain
          .slice(1)
          .map((code) => routes.find((r) => r.committeeId === c.id && r.regionCode === code))
          .find(Boolean);
        return {
          id: c.id,
          committeeId: c.id,
          committeeName: c.name,
          organizerName: c.organizerName,
          series: c.series,
          regionCode: region,
          regionName: regions.label(region) ?? region,
          departmentUnitId: mine ? mine.department.id : null,
          departmentName: mine ? mine.department.name : null,
          inheritedDepartmentName: inherited ? inherited.department.name : null,
          inheritedFrom: inherited ? regions.label(inherited.regionCode) : null,
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
      const committeeId = request.params.committeeId;
      if (!(await routing.isActiveCommittee(committeeId))) throw new NotFoundError('评委会不存在');
      const department = await units.get(request.body.departmentUnitId);
      // scope first: a unit outside the caller's tree gets the answer an unknown id gets, whatever its type or state
      if (!department || !inScope(request.actor, department, 'below')) {
        throw new ValidationError('只能选择本单位管理的主管部门', [{ field: 'departmentUnitId', message: '不在本单位管理范围内' }]);
      }
      if (department.unitType !== 'department' || department.status !== 'active') {
        throw new ValidationError('请选择正常状态的主管部门', [{ field: 'departmentUnitId', message: '不是主管部门' }]);
      }
      await app.db.transaction(async (trx) => {
        await routing.set({ regionCode: region, committeeId, departmentUnitId: department.id, configuredByUnitId: request.actor.unitId, updatedBy: request.actor.userId }, now(), trx);
        await audit(trx, request.actor, { action: 'route.set', targetType: 'department_route', targetId: `${region}:${committeeId}`, unitId: request.actor.unitId, data: { departmentUnitId: department.id } }, now());
      });
      return { committeeId, departmentUnitId: department.id, regionCode: region };
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
        if (!(await routing.clear(region, request.params.committeeId, trx))) throw new NotFoundError('本地区没有设置该评委会的主管部门');
        await audit(trx, request.actor, { action: 'route.clear', targetType: 'department_route', targetId: `${region}:${request.params.committeeId}`, unitId: request.actor.unitId }, now());
      });
      return { committeeId: request.params.committeeId };
    },
  });
};

export default routingRoutes;
