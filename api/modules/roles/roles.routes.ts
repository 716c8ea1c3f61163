import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { audit } from '../../src/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import { unitInScope } from '../../src/scope.ts';
import { assignablePermissions, BUILT_IN_ROLES, builtInRolesFor, customRoleKey, PERMISSIONS, type Permission } from '../../src/permissions.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { errorResponses } from '../../src/schemas.ts';
import { createRolesRepository } from './roles.repository.ts';

const roleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  builtIn: z.boolean(),
  permissions: z.array(z.string()),
  permissionNames: z.array(z.string()),
  staffCount: z.number(),
});

const roleInput = z.object({
  name: z.string().trim().min(2, '至少 2 个字符').max(30),
  description: z.string().trim().max(200).optional(),
  permissions: z.array(z.string()).min(1, '至少选择一项权限').max(50),
});

const unitOf = (actor: RequestActor) => ({ id: actor.unitId ?? 0, unitType: actor.unitType ?? '', adminLevel: actor.adminLevel });

/** 角色管理: a unit's roles — the built-in ones of its unit type and its own, made of catalogue permissions. */
const rolesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const now = () => app.engine.clock.now();
  const roles = createRolesRepository(app.db);

  const nameOf = (p: string) => (p in PERMISSIONS ? PERMISSIONS[p as Permission].name : p);

  /**
   * The permissions a role may hold: what the unit type allows; and, for anyone but the unit's
   * super admin, only what the caller holds themselves (角色管理 is not a way to promote oneself).
   */
  function checkPermissions(actor: RequestActor, permissions: string[]): Permission[] {
    const allowed = new Set<string>(assignablePermissions(unitOf(actor)));
    const bad = permissions.filter((p) => !allowed.has(p));
    if (bad.length) {
      const names = bad.map(nameOf);
      throw new ValidationError(`本单位不能授予这些权限：${names.join('、')}`, [{ field: 'permissions', message: `不可授予：${names.join('、')}` }]);
    }
    if (!actor.roleKeys.includes('unit_admin')) {
      const missing = permissions.filter((p) => !actor.roles.includes(p));
      if (missing.length) throw new ForbiddenError(`只能组合自己拥有的权限，缺少：${missing.map(nameOf).join('、')}`, [{ field: 'permissions', message: '含有自己没有的权限' }]);
    }
    return [...new Set(permissions)] as Permission[];
  }

  const staffCounts = (unitId: number) => roles.holderCounts(unitId);

  app.get('/api/permissions', {
    schema: {
      tags: ['角色'],
      summary: '本单位可授予的权限（按菜单分组）',
      response: { 200: z.array(z.object({ id: z.string(), name: z.string(), group: z.string() })), ...errorResponses },
    },
    preValidation: app.requirePermission('role.manage'),
    handler: async (request) => assignablePermissions(unitOf(request.actor)).map((id) => ({ id, name: PERMISSIONS[id].name, group: PERMISSIONS[id].group })),
  });

  app.get('/api/roles', {
    schema: {
      tags: ['角色'],
      summary: '单位的角色（内置与自定义；默认本单位，管理下级单位的可查下级单位的）',
      querystring: z.object({ unitId: z.coerce.number().int().optional() }),
      response: { 200: z.array(roleSchema), ...errorResponses },
    },
    handler: async (request, reply) => {
      const actor = request.actor;
      const targetId = request.query.unitId ?? actor.unitId ?? 0;
      const own = targetId === actor.unitId;
      if (own ? !actor.roles.some((p) => p === 'role.manage' || p === 'staff.manage') : !actor.roles.includes('unit.subordinates')) {
        throw new ForbiddenError(own ? '没有“角色管理”或“工作人员管理”权限' : '没有“下级单位管理”权限');
      }
      const target = await unitInScope(app.db, actor, targetId, own ? 'own' : 'below');
      const unit = { id: target.id, unitType: String(target.unit_type), adminLevel: (target.admin_level as string | null) ?? null };
      const counts = await staffCounts(unit.id);
      const allowed = new Set<string>(assignablePermissions(unit));
      const builtIn = builtInRolesFor(unit).map((key) => {
        const role = BUILT_IN_ROLES[key]!;
        const permissions = role.permissions.filter((p) => allowed.has(p));
        return { id: key, name: role.name, description: role.description, builtIn: true, permissions, permissionNames: permissions.map((p) => PERMISSIONS[p].name), staffCount: counts.get(key) ?? 0 };
      });
      const custom = (await roles.ofUnit(unit.id)).map((r) => {
        const permissions = r.permissions;
        const key = customRoleKey(r.id);
        return {
          id: key,
          name: r.name,
          description: r.description,
          builtIn: false,
          permissions,
          permissionNames: permissions.map((p) => (p in PERMISSIONS ? PERMISSIONS[p as Permission].name : p)),
          staffCount: counts.get(key) ?? 0,
        };
      });
      const all = [...builtIn, ...custom];
      reply.header('Content-Range', `roles 0-${Math.max(0, all.length - 1)}/${all.length}`);
      return all;
    },
  });

  app.post('/api/roles', {
    schema: { tags: ['角色'], summary: '新增角色', body: roleInput, response: { 201: roleSchema, ...errorResponses } },
    preValidation: app.requirePermission('role.manage'),
    handler: async (request, reply) => {
      const permissions = checkPermissions(request.actor, request.body.permissions);
      const unitId = request.actor.unitId ?? 0;
      if ((await roles.nameTaken(unitId, request.body.name, null)) || Object.values(BUILT_IN_ROLES).some((r) => r.name === request.body.name)) {
        throw new ConflictError(`角色“${request.body.name}”已存在`, [{ field: 'name', message: '角色名称已存在' }]);
      }
      const row = await app.db.transaction(async (trx) => {
        const created = await roles.insert({ unitId, name: request.body.name, description: request.body.description ?? null, permissions }, now(), trx);
        await audit(trx, request.actor, { action: 'role.create', targetType: 'role', targetId: created.id, unitId, data: { name: request.body.name, permissions } }, now());
        return created;
      });
      reply.code(201);
      return {
        id: customRoleKey(row.id),
        name: row.name,
        description: row.description,
        builtIn: false,
        permissions,
        permissionNames: permissions.map((p) => PERMISSIONS[p].name),
        staffCount: 0,
      };
    },
  });

  const customId = z.string().regex(/^role:\d+$/, '内置角色不能修改或删除');

  app.put('/api/roles/:id', {
    schema: { tags: ['角色'], summary: '修改角色（内置角色不可改）', params: z.object({ id: customId }), body: roleInput, response: { 200: roleSchema, ...errorResponses } },
    preValidation: app.requirePermission('role.manage'),
    handler: async (request) => {
      const id = Number(request.params.id.slice(5));
      const permissions = checkPermissions(request.actor, request.body.permissions);
      const unitId = request.actor.unitId ?? 0;
      const role = await roles.get(id, unitId);
      if (!role) throw new NotFoundError('角色不存在');
      if (request.actor.roleKeys.includes(request.params.id) && !request.actor.roleKeys.includes('unit_admin')) {
        throw new ForbiddenError('不能修改自己所持有的角色，请由单位超级管理员修改');
      }
      if (await roles.nameTaken(unitId, request.body.name, id)) throw new ConflictError(`角色“${request.body.name}”已存在`, [{ field: 'name', message: '角色名称已存在' }]);
      await app.db.transaction(async (trx) => {
        await roles.update(id, { name: request.body.name, description: request.body.description ?? null, permissions }, now(), trx);
        await audit(trx, request.actor, { action: 'role.update', targetType: 'role', targetId: id, unitId, data: { before: { name: role.name, permissions: role.permissions }, after: { name: request.body.name, permissions } } }, now());
      });
      app.principals.invalidate();
      const counts = await staffCounts(unitId);
      return {
        id: request.params.id,
        name: request.body.name,
        description: request.body.description ?? null,
        builtIn: false,
        permissions,
        permissionNames: permissions.map((p) => PERMISSIONS[p].name),
        staffCount: counts.get(request.params.id) ?? 0,
      };
    },
  });

  app.delete('/api/roles/:id', {
    schema: { tags: ['角色'], summary: '删除角色（已分配给工作人员的不能删除）', params: z.object({ id: customId }), response: { 200: z.object({ id: z.string() }), ...errorResponses } },
    preValidation: app.requirePermission('role.manage'),
    handler: async (request) => {
      const id = Number(request.params.id.slice(5));
      const unitId = request.actor.unitId ?? 0;
      const role = await roles.get(id, unitId);
      if (!role) throw new NotFoundError('角色不存在');
      const n = await roles.holders(unitId, request.params.id);
      if (n > 0) throw new ConflictError(`角色“${role.name}”已分配给 ${n} 名工作人员，请先取消分配后再删除`);
      await app.db.transaction(async (trx) => {
        await roles.remove(id, trx);
        await audit(trx, request.actor, { action: 'role.delete', targetType: 'role', targetId: id, unitId, data: { name: role.name } }, now());
      });
      return { id: request.params.id };
    },
  });
};

export default rolesRoutes;
