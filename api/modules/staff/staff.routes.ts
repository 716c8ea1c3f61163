import { z } from 'zod';
import type { Knex } from 'knex';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idNumberSchema, phoneSchema } from '../../../forms/validators.ts';
import { audit } from '../../src/audit.ts';
import { auditPiiView, maskIdNumber, maskPhone } from '../../src/pii.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import { filterId, filterIds, listQuerySchema, pageOf, sendPage, sortOf } from '../../src/list-query.ts';
import { generateInitialPassword, hashPassword } from '../../src/passwords.ts';
import { roleName, type Permission } from '../../src/permissions.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { inScope } from '../../src/scope.ts';
import { errorResponses } from '../../src/schemas.ts';
import { checkGrant, checkRoles, createAccount } from './accounts.service.ts';
import { staffUsernameSchema } from './users.pii.ts';
import { createStaffRepository, type StaffRecord, type StaffRepository } from './staff.repository.ts';
import { createUnitsRepository } from '../units/units.repository.ts';
import { createAuthRepository } from '../auth/auth.repository.ts';
import { unlockLogin } from '../auth/auth.login.ts';

const STATUS_NAMES: Record<string, string> = { active: '正常', disabled: '已停用' };
const REASON_NAMES: Record<string, string> = { inactive: '超过 3 个月未登录', by_admin: '管理员停用', unit_inactive: '单位已停用' };

const staffSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  unitId: z.number(),
  unitName: z.string(),
  roles: z.array(z.string()),
  roleNames: z.array(z.string()),
  status: z.string(),
  statusName: z.string(),
  disabledReason: z.string().nullable(),
  disabledReasonName: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  /** set while the account is locked after failed logins */
  loginLockedUntil: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});


const staffInput = z.object({
  displayName: z.string().trim().min(2, '至少 2 个字符').max(30),
  idNumber: idNumberSchema.optional(),
  phone: phoneSchema.optional(),
  roles: z.array(z.string()).min(1, '至少分配一个角色').max(20),
});

/** Who may manage the staff of a unit: its own super admin, or a unit above it managing subordinates. */
function staffScope(actor: RequestActor, unit: { id: number; path: string }, read = false): void {
  const own = inScope(actor, unit, 'own');
  const below = inScope(actor, unit, 'below');
  const has = (p: Permission) => actor.roles.includes(p);
  const ok = own
    ? has('staff.manage') || (read && (has('review_levels.manage') || has('role.manage')))
    : below && (has('unit.subordinates') || (read && has('account.unlock')));
  if (!ok) throw new ForbiddenError(own ? '没有“工作人员管理”权限' : '只能管理本单位及下级单位的工作人员');
}

/** Lists show ID and phone numbers masked; the one record opened for editing shows them in full (audited). */
async function toStaff(staff: StaffRepository, records: StaffRecord[], locks: Map<number, Date> = new Map(), masked = false) {
  const customIds = [...new Set(records.flatMap((r) => r.roles.filter((k) => k.startsWith('role:')).map((k) => Number(k.slice(5)))))];
  const names = await staff.roleNames(customIds);
  return records.map(({ unit: _unit, ...r }) => ({
    ...r,
    ...(masked ? { idNumber: maskIdNumber(r.idNumber), phone: maskPhone(r.phone), username: r.idNumber && r.username === r.idNumber ? maskIdNumber(r.username)! : r.username } : {}),
    roleNames: r.roles.map((k) => roleName(k, names)),
    statusName: STATUS_NAMES[r.status] ?? r.status,
    disabledReasonName: r.disabledReason ? (REASON_NAMES[r.disabledReason] ?? r.disabledReason) : null,
    lastLoginAt: r.lastLoginAt ? r.lastLoginAt.toISOString() : null,
    loginLockedUntil: locks.get(r.id)?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/**
 * 工作人员管理: a unit's super admin creates staff, gives them roles, disables them and resets
 * passwords; units above manage their subordinates' clerks; a city HR bureau re-enables HR
 * accounts disabled for inactivity (解禁).
 */
const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const now = () => app.engine.clock.now();

  const staff = createStaffRepository(app.db);
  const units = createUnitsRepository(app.db);
  const logins = createAuthRepository(app.db);
  const withLocks = async (rows: StaffRecord[], masked = false) => toStaff(staff, rows, await logins.locksOf(rows.map((r) => r.id), now()), masked);

  async function staffRow(id: number, trx?: Knex.Transaction) {
    const row = await staff.get(id, trx);
    if (!row) throw new NotFoundError('工作人员不存在');
    return row;
  }
  const unitOf = (row: StaffRecord) => row.unit;

  /**
   * A staff account of the caller's unit or a unit below it. Any other answers exactly as one
   * that does not exist, before anything about its state is said (an outsider must not learn
   * whether another unit's account is disabled).
   */
  async function visibleStaffRow(actor: RequestActor, id: number, trx?: Knex.Transaction) {
    const row = await staffRow(id, trx);
    if (!inScope(actor, unitOf(row), 'ownOrBelow')) throw new NotFoundError('工作人员不存在');
    return row;
  }

  /** A unit must keep one active super admin. */
  async function assertKeepsAdmin(trx: Knex.Transaction, unitId: number, userId: number) {
    if (!(await staff.hasOtherAdmin(unitId, userId, trx))) throw new ConflictError('这是本单位唯一的超级管理员，请先为其他工作人员分配“单位超级管理员”角色', [{ field: 'roles', message: '单位至少保留一名超级管理员' }]);
  }

  app.get('/api/staff', {
    schema: { tags: ['工作人员'], summary: '工作人员列表（默认本单位）', querystring: listQuerySchema, response: { 200: z.array(staffSchema), ...errorResponses } },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const [column, order] = sortOf(request.query, { id: 's.id', username: 's.username', displayName: 's.display_name', lastLoginAt: 's.last_login_at', createdAt: 's.created_at' }, ['s.id', 'asc']);
      const f = (request.query.filter ?? {}) as { unitId?: unknown; q?: unknown; status?: unknown; role?: unknown; id?: unknown };
      const unitId = filterId(f.unitId, 'unitId') ?? request.actor.unitId;
      const unit = await units.get(unitId ?? 0);
      if (!unit) throw new NotFoundError('单位不存在');
      staffScope(request.actor, unit, true);
      const filter = {
        unitId: unit.id,
        q: typeof f.q === 'string' && f.q ? f.q : undefined,
        status: typeof f.status === 'string' ? f.status : undefined,
        role: typeof f.role === 'string' ? f.role : undefined,
        ids: f.id != null ? filterIds(f.id, 'id') : undefined,
      };
      const { rows, total } = await staff.list(filter, [column, order], page);
      sendPage(reply, 'staff', page, rows.length, total);
      return withLocks(rows, true);
    },
  });

  app.get('/api/staff/:id', {
    schema: { tags: ['工作人员'], summary: '工作人员', params: z.object({ id: z.coerce.number().int() }), response: { 200: staffSchema, ...errorResponses } },
    handler: async (request) => {
      const row = await visibleStaffRow(request.actor, request.params.id);
      staffScope(request.actor, unitOf(row), true);
      // opened to be edited: the form needs the full numbers, and the view is recorded
      if (row.idNumber || row.phone) await auditPiiView(app.db, request.actor, { subject: 'user', id: row.id, fields: ['idNumber', 'phone'].filter((k) => row[k as 'idNumber' | 'phone']), unitId: row.unitId, personName: row.displayName }, now());
      return (await withLocks([row]))[0]!;
    },
  });

  app.post('/api/staff', {
    schema: {
      tags: ['工作人员'],
      summary: '新增工作人员（返回一次性初始密码，首次登录须修改）',
      body: staffInput.extend({ unitId: z.number().int().optional(), username: staffUsernameSchema }),
      response: { 201: z.object({ staff: staffSchema, initialPassword: z.string() }), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { unitId = request.actor.unitId ?? 0, ...input } = request.body;
      const id = await app.db.transaction(async (trx) => {
        const unit = await units.get(unitId, trx);
        if (!unit) throw new NotFoundError('单位不存在');
        const scoped = { id: unit.id, path: unit.path, unitType: unit.unitType, adminLevel: unit.adminLevel };
        staffScope(request.actor, scoped);
        if (unit.status === 'inactive') throw new ConflictError('单位已停用，不能新增工作人员');
        await checkRoles(trx, scoped, input.roles);
        await checkGrant(trx, request.actor, { unitId: scoped.id, userId: null, currentRoles: [] }, input.roles);
        const account = await createAccount(trx, request.actor, { ...input, unitId: scoped.id }, now());
        return { id: account.id, password: account.initialPassword ?? '' };
      });
      const row = await staffRow(id.id);
      reply.code(201);
      return { staff: (await toStaff(staff, [row]))[0]!, initialPassword: id.password };
    },
  });

  app.put('/api/staff/:id', {
    schema: {
      tags: ['工作人员'],
      summary: '修改工作人员信息和角色',
      params: z.object({ id: z.coerce.number().int() }),
      body: staffInput.extend({ version: z.number().int().min(-2_147_483_648).max(2_147_483_647) }),
      response: { 200: staffSchema, ...errorResponses },
    },
    handler: async (request) => {
      const { version, ...input } = request.body;
      await app.db.transaction(async (trx) => {
        const row = await visibleStaffRow(request.actor, request.params.id, trx);
        const unit = unitOf(row);
        staffScope(request.actor, unit);
        await staff.lockUnit(unit.id, trx);
        await checkRoles(trx, unit, input.roles);
        await checkGrant(trx, request.actor, { unitId: unit.id, userId: row.id, currentRoles: row.roles }, input.roles);
        const wasAdmin = row.roles.includes('unit_admin');
        if (wasAdmin && !input.roles.includes('unit_admin')) await assertKeepsAdmin(trx, unit.id, row.id);
        if (input.idNumber && input.idNumber !== row.idNumber && (await staff.idNumberTaken(input.idNumber, row.id, trx))) {
          throw new ConflictError(`身份证号码 ${input.idNumber} 已有账号`, [{ field: 'idNumber', message: '该身份证号码已有账号' }]);
        }
        await staff.update(row.id, version, { displayName: input.displayName, idNumber: input.idNumber ?? null, phone: input.phone ?? null, roles: input.roles }, now(), trx);
        await audit(trx, request.actor, { action: 'user.update', targetType: 'user', targetId: row.id, unitId: unit.id, data: { before: { displayName: row.displayName, roles: row.roles }, after: { displayName: input.displayName, roles: input.roles } } }, now());
      });
      app.principals.invalidate(request.params.id);
      return (await toStaff(staff, [await staffRow(request.params.id)]))[0]!;
    },
  });

  app.post('/api/staff/:id/disable', {
    schema: { tags: ['工作人员'], summary: '停用账号', params: z.object({ id: z.coerce.number().int() }), response: { 200: staffSchema, ...errorResponses } },
    handler: async (request) => {
      await app.db.transaction(async (trx) => {
        const row = await visibleStaffRow(request.actor, request.params.id, trx);
        const unit = unitOf(row);
        staffScope(request.actor, unit);
        if (row.id === request.actor.userId) throw new ConflictError('不能停用自己的账号');
        if (row.status !== 'active') throw new ConflictError('该账号已停用');
        await staff.lockUnit(unit.id, trx);
        await checkGrant(trx, request.actor, { unitId: unit.id, userId: row.id, currentRoles: row.roles }, null);
        if (row.roles.includes('unit_admin')) await assertKeepsAdmin(trx, unit.id, row.id);
        await staff.disable(row.id, now(), trx);
        await audit(trx, request.actor, { action: 'user.disable', targetType: 'user', targetId: row.id, unitId: unit.id }, now());
      });
      app.principals.invalidate(request.params.id);
      return (await toStaff(staff, [await staffRow(request.params.id)]))[0]!;
    },
  });

  app.post('/api/staff/:id/enable', {
    schema: {
      tags: ['工作人员'],
      summary: '启用（解禁）账号：超过 3 个月未登录被停用的人社账号由上级人社部门解禁',
      params: z.object({ id: z.coerce.number().int() }),
      response: { 200: staffSchema, ...errorResponses },
    },
    handler: async (request) => {
      await app.db.transaction(async (trx) => {
        const row = await visibleStaffRow(request.actor, request.params.id, trx);
        const unit = unitOf(row);
        // whoever may read the account may be told its state; who may enable it depends on that state
        staffScope(request.actor, unit, true);
        if (row.status === 'active') throw new ConflictError('该账号未停用');
        if (row.disabledReason === 'unit_inactive') throw new ConflictError('账号所属单位已停用，请先启用单位');
        if (row.disabledReason === 'inactive') {
          // 增加、解禁内网账号的权限已下放各市（州）人社部门
          if (!request.actor.roles.includes('account.unlock') || !inScope(request.actor, unit, 'below')) {
            throw new ForbiddenError('超过 3 个月未登录被停用的账号，由所在市（州）人社局解禁');
          }
        } else {
          staffScope(request.actor, unit);
          await checkGrant(trx, request.actor, { unitId: unit.id, userId: row.id, currentRoles: row.roles }, null);
        }
        await staff.enable(row.id, row.disabledReason, now(), trx);
        await audit(trx, request.actor, { action: 'user.enable', targetType: 'user', targetId: row.id, unitId: unit.id, data: { reason: row.disabledReason } }, now());
      });
      app.principals.invalidate(request.params.id);
      return (await toStaff(staff, [await staffRow(request.params.id)]))[0]!;
    },
  });

  app.post('/api/staff/:id/unlock', {
    schema: {
      tags: ['工作人员'],
      summary: '解除登录锁定（连续 5 次密码错误被锁定 15 分钟的账号），记入操作日志',
      params: z.object({ id: z.coerce.number().int() }),
      response: { 200: staffSchema, ...errorResponses },
    },
    handler: async (request) => {
      // who may reset an account's password may lift its lock
      const row = await visibleStaffRow(request.actor, request.params.id);
      staffScope(request.actor, unitOf(row));
      await checkGrant(app.db, request.actor, { unitId: row.unitId, userId: row.id, currentRoles: row.roles }, null);
      await unlockLogin(app.db, request.actor, { id: row.id, unitId: row.unitId }, now());
      return (await withLocks([await staffRow(row.id)]))[0]!;
    },
  });

  app.post('/api/staff/:id/reset-password', {
    schema: {
      tags: ['工作人员'],
      summary: '重置密码（返回一次性初始密码，登录后须修改）',
      params: z.object({ id: z.coerce.number().int() }),
      response: { 200: z.object({ initialPassword: z.string() }), ...errorResponses },
    },
    handler: async (request) => {
      const password = generateInitialPassword();
      await app.db.transaction(async (trx) => {
        const row = await visibleStaffRow(request.actor, request.params.id, trx);
        staffScope(request.actor, unitOf(row));
        if (row.id === request.actor.userId) throw new ValidationError('请在“修改密码”中修改自己的密码', [{ field: 'params.id', message: '不能重置自己的密码' }]);
        await checkGrant(trx, request.actor, { unitId: row.unitId, userId: row.id, currentRoles: row.roles }, null);
        await staff.resetPassword(row.id, await hashPassword(password), now(), trx);
        await audit(trx, request.actor, { action: 'user.reset_password', targetType: 'user', targetId: row.id, unitId: row.unitId }, now());
      });
      app.principals.invalidate(request.params.id);
      return { initialPassword: password };
    },
  });

  app.get('/api/locked-accounts', {
    schema: {
      tags: ['工作人员'],
      summary: '辖区内因超过 3 个月未登录被停用的人社账号（待解禁）',
      querystring: listQuerySchema,
      response: { 200: z.array(staffSchema), ...errorResponses },
    },
    preValidation: app.requirePermission('account.unlock'),
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      // an account of no unit has no 辖区
      const { rows, total } = request.actor.unitPath == null ? { rows: [], total: 0 } : await staff.lockedBelow(request.actor.unitPath, request.actor.unitId ?? 0, page);
      sendPage(reply, 'locked-accounts', page, rows.length, total);
      return withLocks(rows);
    },
  });
};

export default staffRoutes;
