import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { unitClerkFields, unitInfoFields, ALL_UNIT_TYPES, REGISTRABLE_UNIT_TYPES } from '../../../forms/unit-info.ts';
import { idNumberSchema, phoneSchema } from '../../../forms/validators.ts';
import { staffUsernameSchema } from '../staff/users.pii.ts';
import { field, options } from '../../../forms/index.ts';
import { UNIT_STATUS } from '../../../forms/labels.ts';
import { ConflictError, NotFoundError } from '../../src/errors.ts';
import { unitInScope } from '../../src/scope.ts';
import { filterId, filterIds, listQuerySchema, pageOf, sendPage, sortOf } from '../../src/list-query.ts';
import { creatableUnitTypes, UNIT_TYPES, type UnitType } from '../../src/permissions.ts';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx, workbookOf } from '../../src/xlsx.ts';
import type { Regions } from '../regions/regions.service.ts';
import type { Registration } from './registration.ts';
import type { UnitService } from './units.service.ts';
import { createUnitsRepository, type SubordinateFilter, type UnitDetailRecord } from './units.repository.ts';
import { auditPiiView, maskIdNumber, maskPhone } from '../../src/pii.ts';

const directoryEntry = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  unitType: z.string(),
  unitTypeName: z.string(),
  adminLevel: z.string().nullable(),
  regionName: z.string().nullable(),
  path: z.string(),
  status: z.string(),
});

const fileRef = z.object({ id: z.string(), name: z.string(), size: z.number(), mime: z.string() });

const unitDetail = z.object({
  id: z.number(),
  name: z.string(),
  creditCode: z.string().nullable(),
  creditCodeDerived: z.boolean(),
  unitType: z.string(),
  unitTypeName: z.string(),
  nature: z.string().nullable(),
  natureName: z.string().nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  adminLevel: z.string().nullable(),
  adminLevelName: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  legalRepName: z.string().nullable(),
  legalRepIdNumber: z.string().nullable(),
  legalRepPhone: z.string().nullable(),
  licence: z.array(fileRef),
  parentId: z.number().nullable(),
  parentName: z.string().nullable(),
  pendingParentId: z.number().nullable(),
  pendingParentName: z.string().nullable(),
  registrationInstanceId: z.string().nullable(),
  status: z.string(),
  statusName: z.string(),
  deactivatedReason: z.string().nullable(),
  childCount: z.number(),
  staffCount: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const unitType = field(z.enum(Object.keys(ALL_UNIT_TYPES) as [UnitType]), { title: '单位类型', options: options(ALL_UNIT_TYPES) });
const unitBody = z.object({ ...unitInfoFields, unitType });
const creationBody = z.object({
  unit: unitBody.extend({
    creditCode: unitInfoFields.creditCode.optional(),
    deriveCreditCode: field(z.boolean().optional(), { title: '由本单位代码派生' }),
  }),
  admin: z.object(unitClerkFields),
});
const registrationBody = z.object({
  unit: z.object({
    creditCode: unitInfoFields.creditCode,
    name: unitInfoFields.name,
    nature: unitInfoFields.nature,
    unitType: field(z.enum(Object.keys(REGISTRABLE_UNIT_TYPES) as [keyof typeof REGISTRABLE_UNIT_TYPES]), { title: '单位类型', options: options(REGISTRABLE_UNIT_TYPES) }),
    regionCode: unitInfoFields.regionCode,
    phone: unitInfoFields.phone,
    parentId: field(z.number().int().positive(), { title: '上级单位' }),
  }),
  admin: z.object({
    username: field(staffUsernameSchema, { title: '登录账号' }),
    displayName: field(z.string().trim().min(2, '至少 2 个字符').max(30), { title: '经办人姓名' }),
    idNumber: field(idNumberSchema, { title: '经办人身份证号码' }),
    phone: field(phoneSchema, { title: '经办人手机号码' }),
    password: field(z.string().min(1).max(128), { title: '密码' }),
  }),
});

/** A unit's record answered to someone who did not open it for editing: its 法人代表's numbers masked. */
function maskLegalRep<T extends { legalRepIdNumber: string | null; legalRepPhone: string | null }>(r: T): T {
  return { ...r, legalRepIdNumber: maskIdNumber(r.legalRepIdNumber), legalRepPhone: maskPhone(r.legalRepPhone) };
}

function toDirectory(regions: Regions) {
  return (r: UnitDetailRecord) => ({
    id: r.id,
    parentId: r.parentId,
    name: r.name,
    unitType: r.unitType,
    unitTypeName: UNIT_TYPES[r.unitType as UnitType] ?? r.unitType,
    adminLevel: r.adminLevel,
    regionName: regions.label(r.regionCode),
    path: r.path,
    status: r.status,
  });
}

/**
 * 单位管理: the directory for pickers, 本级单位管理 (own unit, parent change), 下级单位管理
 * (list, create with its first clerk, edit, deactivate, export) and public self-registration.
 */
const unitsRoutes: FastifyPluginAsyncZod<{ service: UnitService; registration: Registration; regions: Regions }> = async (app, { service, registration, regions }) => {
  const directory = toDirectory(regions);
  const units = createUnitsRepository(app.db);
  const idParams = z.object({ id: z.coerce.number().int() });

  // ---- public: registration and the pickers it needs

  app.get('/api/public/units', {
    schema: {
      tags: ['单位'],
      summary: '已通过审核的单位（注册时选择上级单位、申报人选择工作单位）',
      security: [],
      querystring: z.object({ q: z.string().trim().max(50).optional(), unitType: z.string().optional(), id: z.coerce.number().int().optional() }),
      response: { 200: z.array(directoryEntry.pick({ id: true, name: true, unitType: true, unitTypeName: true, regionName: true })) },
    },
    handler: async (request) => {
      const { q, unitType: type, id } = request.query;
      if (!id && (!q || q.length < 2)) return [];
      return (await units.searchActive({ q, unitType: type, id })).map((r) => {
        const d = directory(r);
        return { id: d.id, name: d.name, unitType: d.unitType, unitTypeName: d.unitTypeName, regionName: d.regionName };
      });
    },
  });

  app.post('/api/registrations', {
    schema: {
      tags: ['单位'],
      summary: '单位自行注册：创建待审核的单位和它的第一个经办人（超级管理员），登录后完善信息提交上级单位审核',
      security: [],
      body: registrationBody,
      response: { 201: z.object({ unitId: z.number(), username: z.string(), parentName: z.string() }), ...errorResponses },
    },
    handler: async (request, reply) => {
      const result = await registration.register(request.body);
      reply.code(201);
      return { unitId: result.unitId, username: result.username, parentName: result.parentName };
    },
  });

  // ---- everything else needs a login
  const authenticated: FastifyPluginAsyncZod = async (scoped) => {
    scoped.addHook('onRequest', app.authenticate);

    scoped.get('/api/units', {
      schema: { tags: ['单位'], summary: '单位目录（选择单位用：名称、类型、编号筛选）', querystring: listQuerySchema, response: { 200: z.array(directoryEntry), ...errorResponses } },
      handler: async (request, reply) => {
        const page = pageOf(request.query);
        const [column, order] = sortOf(request.query, { name: 'name', id: 'id', path: 'path' }, ['path', 'asc']);
        const f = (request.query.filter ?? {}) as { q?: unknown; id?: unknown; unitType?: unknown; parentId?: unknown; within?: unknown };
        const filter = {
          // the caller's own unit and the units below it
          within: f.within === true ? (request.actor.unitPath ?? '/none/') : undefined,
          q: typeof f.q === 'string' && f.q ? f.q : undefined,
          ids: f.id != null ? filterIds(f.id, 'id') : undefined,
          unitType: typeof f.unitType === 'string' ? f.unitType : undefined,
          parentId: filterId(f.parentId, 'parentId'),
        };
        const { rows, total } = await units.directory(filter, [column, order], page);
        sendPage(reply, 'units', page, rows.length, total);
        return rows.map(directory);
      },
    });

    scoped.get('/api/units/:id', {
      schema: { tags: ['单位'], summary: '单位目录项', params: idParams, response: { 200: directoryEntry, ...errorResponses } },
      handler: async (request) => {
        const unit = await units.detail(request.params.id);
        if (!unit) throw new NotFoundError('单位不存在');
        return directory(unit);
      },
    });

    // ---- 本级单位管理

    scoped.get('/api/my-unit', {
      schema: { tags: ['本级单位管理'], summary: '本单位基本信息', response: { 200: unitDetail, ...errorResponses } },
      preValidation: app.requirePermission('unit.profile', 'staff.manage'),
      handler: async (request) => service.view(await service.detailOrThrow(request.actor.unitId ?? 0)),
    });

    scoped.put('/api/my-unit', {
      schema: {
        tags: ['本级单位管理'],
        summary: '维护本单位基本信息（变更上级单位另行提交审核）',
        body: unitBody.extend({ version: z.number().int().min(-2_147_483_648).max(2_147_483_647) }),
        response: { 200: unitDetail, ...errorResponses },
      },
      preValidation: app.requirePermission('unit.profile'),
      handler: async (request) => {
        const { version, ...input } = request.body;
        return service.update(request.actor, request.actor.unitId ?? 0, version, input, 'own');
      },
    });

    scoped.post('/api/my-unit/parent-change', {
      schema: {
        tags: ['本级单位管理'],
        summary: '变更上级单位：提交新上级单位审核，通过前仍归原上级单位管理',
        body: z.object({ parentId: field(z.number().int().positive(), { title: '新的上级单位' }) }),
        response: { 201: z.object({ instanceId: z.string(), parentName: z.string() }), ...errorResponses },
      },
      preValidation: app.requirePermission('unit.profile'),
      handler: async (request, reply) => {
        const result = await registration.requestParentChange(request.actor, request.body.parentId);
        reply.code(201);
        return result;
      },
    });

    // ---- 下级单位管理

    const listFilter = (request: { query: z.infer<typeof listQuerySchema>; actor: { unitId: number | null; unitPath: string | null } }): SubordinateFilter => {
      const f = (request.query.filter ?? {}) as { q?: unknown; unitType?: unknown; status?: unknown; parentId?: unknown; regionCode?: unknown; directOnly?: unknown };
      const parentId = filterId(f.parentId, 'parentId');
      return {
        unitId: request.actor.unitId ?? 0,
        unitPath: request.actor.unitPath ?? '/none/',
        q: typeof f.q === 'string' && f.q ? f.q : undefined,
        unitType: typeof f.unitType === 'string' ? f.unitType : undefined,
        status: typeof f.status === 'string' ? f.status : undefined,
        parentId: parentId ?? (f.directOnly === true ? (request.actor.unitId ?? 0) : undefined),
        regionCode: typeof f.regionCode === 'string' ? f.regionCode : undefined,
      };
    };

    scoped.get('/api/subordinate-units', {
      schema: { tags: ['下级单位管理'], summary: '下级单位（本单位之下的全部单位）', querystring: listQuerySchema, response: { 200: z.array(directoryEntry.extend({ creditCode: z.string().nullable(), statusName: z.string(), parentName: z.string().nullable(), phone: z.string().nullable() })), ...errorResponses } },
      preValidation: app.requirePermission('unit.subordinates'),
      handler: async (request, reply) => {
        const page = pageOf(request.query);
        const [column, order] = sortOf(request.query, { name: 'u.name', id: 'u.id', path: 'u.path', createdAt: 'u.created_at' }, ['u.path', 'asc']);
        const { rows, total } = await units.subordinates(listFilter(request), [column, order], page);
        sendPage(reply, 'subordinate-units', page, rows.length, total);
        return rows.map((r) => ({
          ...directory(r),
          creditCode: r.creditCode,
          statusName: UNIT_STATUS[r.status as keyof typeof UNIT_STATUS] ?? r.status,
          parentName: r.parentName,
          phone: r.phone,
        }));
      },
    });

    scoped.get('/api/subordinate-units/creatable-types', {
      schema: { tags: ['下级单位管理'], summary: '本单位可新增的下级单位类型', response: { 200: z.array(z.object({ id: z.string(), name: z.string() })), ...errorResponses } },
      preValidation: app.requirePermission('unit.subordinates'),
      handler: async (request) =>
        creatableUnitTypes({ unitType: request.actor.unitType ?? '', adminLevel: request.actor.adminLevel }).map((id) => ({ id, name: UNIT_TYPES[id] })),
    });

    scoped.get('/api/subordinate-units/export', {
      schema: { tags: ['下级单位管理'], summary: '导出下级单位（Excel）', querystring: listQuerySchema },
      preValidation: app.requirePermission('unit.subordinates'),
      handler: async (request, reply) => {
        const rows = await units.allSubordinates(listFilter(request));
        const xlsx = await workbookOf(
          '下级单位',
          [
            { header: '单位名称', width: 36, value: (r) => r.name },
            { header: '统一社会信用代码', width: 24, value: (r) => r.creditCode ?? '' },
            { header: '单位类型', value: (r) => UNIT_TYPES[r.unitType as UnitType] ?? r.unitType },
            { header: '上级单位', width: 30, value: (r) => r.parentName ?? '' },
            { header: '职称业务归属地', width: 30, value: (r) => regions.label(r.regionCode) ?? '' },
            { header: '联系电话', width: 16, value: (r) => r.phone ?? '' },
            { header: '状态', value: (r) => UNIT_STATUS[r.status as keyof typeof UNIT_STATUS] ?? r.status },
          ],
          rows,
        );
        return sendXlsx(reply, '下级单位.xlsx', xlsx);
      },
    });

    scoped.get('/api/subordinate-units/:id', {
      schema: { tags: ['下级单位管理'], summary: '下级单位详细信息', params: idParams, response: { 200: unitDetail, ...errorResponses } },
      preValidation: app.requirePermission('unit.subordinates', 'unit.registration.review'),
      handler: async (request) => {
        const record = await service.detailOrThrow(request.params.id);
        // a unit waiting for this one's approval is not below it yet, but may be read by its reviewer
        const pendingHere = record.pendingParentId === request.actor.unitId;
        if (!pendingHere) await unitInScope(app.db, request.actor, request.params.id, 'below');
        // the unit's record opened by a unit above (its 法人代表's numbers in full, for editing): audited
        const fields = [record.legalRepIdNumber ? 'legalRepIdNumber' : null, record.legalRepPhone ? 'legalRepPhone' : null].filter((f): f is string => f !== null);
        if (fields.length && record.id !== request.actor.unitId) {
          await auditPiiView(app.db, request.actor, { subject: 'unit', id: record.id, fields, unitId: record.id, personName: record.legalRepName }, app.engine.clock.now());
        }
        return service.view(record);
      },
    });

    scoped.post('/api/subordinate-units', {
      schema: {
        tags: ['下级单位管理'],
        summary: '新增下级单位：基本信息、法人信息、第一个经办人（该单位超级管理员，返回一次性初始密码）',
        body: creationBody,
        response: { 201: z.object({ unit: unitDetail, admin: z.object({ id: z.number(), username: z.string(), displayName: z.string(), initialPassword: z.string().nullable() }) }), ...errorResponses },
      },
      preValidation: app.requirePermission('unit.subordinates'),
      handler: async (request, reply) => {
        const result = await service.createSubordinate(request.actor, request.body);
        reply.code(201);
        return result;
      },
    });

    scoped.put('/api/subordinate-units/:id', {
      schema: { tags: ['下级单位管理'], summary: '编辑下级单位基本信息', params: idParams, body: unitBody.extend({ version: z.number().int() }), response: { 200: unitDetail, ...errorResponses } },
      preValidation: app.requirePermission('unit.subordinates'),
      handler: async (request) => {
        const { version, ...input } = request.body;
        return service.update(request.actor, request.params.id, version, input, 'below');
      },
    });

    scoped.post('/api/subordinate-units/:id/deactivate', {
      schema: {
        tags: ['下级单位管理'],
        summary: '停用下级单位（有下级单位、在用工作人员或办理中的申报时拒绝）；单位不会被删除',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(2, '请填写停用原因').max(200) }),
        response: { 200: unitDetail, ...errorResponses },
      },
      preValidation: app.requirePermission('unit.subordinates'),
      handler: async (request) => maskLegalRep(await service.deactivate(request.actor, request.params.id, request.body.reason)),
    });

    scoped.post('/api/subordinate-units/:id/activate', {
      schema: { tags: ['下级单位管理'], summary: '重新启用下级单位', params: idParams, response: { 200: unitDetail, ...errorResponses } },
      preValidation: app.requirePermission('unit.subordinates'),
      handler: async (request) => maskLegalRep(await service.activate(request.actor, request.params.id)),
    });

    scoped.delete('/api/subordinate-units/:id', {
      schema: { tags: ['下级单位管理'], summary: '单位不能删除（答复原因）：请使用停用', params: idParams, response: { ...errorResponses } },
      preValidation: app.requirePermission('unit.subordinates'),
      handler: async (request) => {
        const unit = await unitInScope(app.db, request.actor, request.params.id, 'below');
        const row = await units.dependants(unit.id);
        const reasons = [
          row.children ? `有 ${row.children} 个下级单位` : null,
          row.staff ? `有 ${row.staff} 个工作人员账号` : null,
          row.dossiers ? `有 ${row.dossiers} 份申报材料` : null,
        ].filter((r): r is string => r !== null);
        throw new ConflictError(`单位不能删除${reasons.length ? `（${reasons.join('，')}）` : ''}，只能停用：停用后数据全部保留，可重新启用`, reasons.map((message) => ({ field: 'id', message })));
      },
    });
  };
  await app.register(authenticated);
};

export default unitsRoutes;
