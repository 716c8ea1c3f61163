import { z } from 'zod';
import type { Knex } from 'knex';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idNumberSchema, phoneSchema, usernameSchema } from '../../../forms/validators.ts';
import { audit } from '../../src/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import { containing, filterId, filterIds, listQuerySchema, pageOf, sendPage, sortOf } from '../../src/list-query.ts';
import { generateInitialPassword, hashPassword } from '../../src/passwords.ts';
import { roleName, type Permission } from '../../src/permissions.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { inScope } from '../../src/scope.ts';
import { errorResponses } from '../../src/schemas.ts';
import { checkGrant, checkRoles, createAccount } from './accounts.service.ts';

/** A concurrent save of the same ID number meets the unique index: a conflict, not a crash. */
async function guardUniqueIdNumber<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ConflictError('该身份证号码已有账号', [{ field: 'idNumber', message: '该身份证号码已有账号' }]);
    throw err;
  }
}

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

async function rowsToStaff(db: Knex, rows: Array<Record<string, unknown>>) {
  const customIds = [...new Set(rows.flatMap((r) => (r.roles as string[]).filter((k) => k.startsWith('role:')).map((k) => Number(k.slice(5)))))];
  const custom = customIds.length ? await db('roles').select('id', 'name').whereIn('id', customIds) : [];
  const names = new Map<number, string>(custom.map((r: { id: number; name: string }) => [Number(r.id), r.name]));
  return rows.map((r) => ({
    id: Number(r.id),
    username: String(r.username),
    displayName: String(r.display_name),
    idNumber: (r.id_number as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    unitId: Number(r.unit_id),
    unitName: String(r.unit_name ?? ''),
    roles: r.roles as string[],
    roleNames: (r.roles as string[]).map((k) => roleName(k, names)),
    status: String(r.status),
    statusName: STATUS_NAMES[String(r.status)] ?? String(r.status),
    disabledReason: (r.disabled_reason as string | null) ?? null,
    disabledReasonName: r.disabled_reason ? (REASON_NAMES[String(r.disabled_reason)] ?? String(r.disabled_reason)) : null,
    mustChangePassword: Boolean(r.must_change_password),
    lastLoginAt: r.last_login_at ? new Date(r.last_login_at as string).toISOString() : null,
    createdAt: new Date(r.created_at as string).toISOString(),
    version: Number(r.version ?? 1),
  }));
}

const STAFF_COLUMNS = ['s.id', 's.username', 's.display_name', 's.id_number', 's.phone', 's.unit_id', 's.roles', 's.status', 's.disabled_reason', 's.must_change_password', 's.last_login_at', 's.created_at', 's.version', 'u.name as unit_name', 'u.path as unit_path', 'u.unit_type', 'u.admin_level'];

/**
 * 工作人员管理: a unit's super admin creates staff, gives them roles, disables them and resets
 * passwords; units above manage their subordinates' clerks; a city HR bureau re-enables HR
 * accounts disabled for inactivity (解禁).
 */
const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const now = () => app.engine.clock.now();

  async function staffRow(id: number, trx?: Knex.Transaction) {
    const row = await (trx ?? app.db)('users as s').join('units as u', 'u.id', 's.unit_id').select(STAFF_COLUMNS).where('s.id', id).first();
    if (!row || (row.roles as string[]).includes('applicant')) throw new NotFoundError('工作人员不存在');
    return row as Record<string, unknown>;
  }
  const unitOf = (row: Record<string, unknown>) => ({ id: Number(row.unit_id), path: String(row.unit_path), unitType: String(row.unit_type), adminLevel: (row.admin_level as string | null) ?? null });

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

  /** Serializes changes to one unit's accounts (two admins demoting each other at once). */
  async function lockUnit(trx: Knex.Transaction, unitId: number) {
    await trx('units').where({ id: unitId }).forUpdate().first('id');
  }

  /** A unit must keep one active super admin. */
  async function assertKeepsAdmin(trx: Knex.Transaction, unitId: number, userId: number) {
    const others = await trx('users').where({ unit_id: unitId, status: 'active' }).whereNot({ id: userId }).whereRaw("'unit_admin' = any(roles)").first('id');
    if (!others) throw new ConflictError('这是本单位唯一的超级管理员，请先为其他工作人员分配“单位超级管理员”角色', [{ field: 'roles', message: '单位至少保留一名超级管理员' }]);
  }

  app.get('/api/staff', {
    schema: { tags: ['工作人员'], summary: '工作人员列表（默认本单位）', querystring: listQuerySchema, response: { 200: z.array(staffSchema), ...errorResponses } },
    handler: async (request, reply) => {
      const page = pageOf(request.query);
      const [column, order] = sortOf(request.query, { id: 's.id', username: 's.username', displayName: 's.display_name', lastLoginAt: 's.last_login_at', createdAt: 's.created_at' }, ['s.id', 'asc']);
      const f = (request.query.filter ?? {}) as { unitId?: unknown; q?: unknown; status?: unknown; role?: unknown; id?: unknown };
      const unitId = filterId(f.unitId, 'unitId') ?? request.actor.unitId;
      const unit = await app.db('units').select('id', 'path').where({ id: unitId ?? 0 }).first();
      if (!unit) throw new NotFoundError('单位不存在');
      staffScope(request.actor, { id: Number(unit.id), path: String(unit.path) }, true);
      const where = (q: Knex.QueryBuilder) => {
        q.where('s.unit_id', unit.id).whereRaw("not ('applicant' = any(s.roles))");
        if (typeof f.q === 'string' && f.q) {
          const term = containing(f.q);
          q.where((w) => w.where('s.display_name', 'ilike', term).orWhere('s.username', 'ilike', term));
        }
        if (typeof f.status === 'string') q.where('s.status', f.status);
        if (typeof f.role === 'string') q.whereRaw('? = any(s.roles)', [f.role]);
        if (f.id != null) q.whereIn('s.id', filterIds(f.id, 'id'));
        return q;
      };
      const [rows, counted] = await Promise.all([
        where(app.db('users as s').join('units as u', 'u.id', 's.unit_id')).select(STAFF_COLUMNS).orderBy(column, order).offset(page.offset).limit(page.limit),
        where(app.db('users as s')).count<{ n: number }[]>({ n: '*' }),
      ]);
      sendPage(reply, 'staff', page, rows.length, Number(counted[0]?.n ?? 0));
      return rowsToStaff(app.db, rows);
    },
  });

  app.get('/api/staff/:id', {
    schema: { tags: ['工作人员'], summary: '工作人员', params: z.object({ id: z.coerce.number().int() }), response: { 200: staffSchema, ...errorResponses } },
    handler: async (request) => {
      const row = await visibleStaffRow(request.actor, request.params.id);
      staffScope(request.actor, unitOf(row), true);
      return (await rowsToStaff(app.db, [row]))[0]!;
    },
  });

  app.post('/api/staff', {
    schema: {
      tags: ['工作人员'],
      summary: '新增工作人员（返回一次性初始密码，首次登录须修改）',
      body: staffInput.extend({ unitId: z.number().int().optional(), username: usernameSchema }),
      response: { 201: z.object({ staff: staffSchema, initialPassword: z.string() }), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { unitId = request.actor.unitId ?? 0, ...input } = request.body;
      const id = await app.db.transaction(async (trx) => {
        const unit = await trx('units').select('id', 'path', 'unit_type', 'admin_level', 'status').where({ id: unitId }).first();
        if (!unit) throw new NotFoundError('单位不存在');
        const scoped = { id: Number(unit.id), path: String(unit.path), unitType: String(unit.unit_type), adminLevel: (unit.admin_level as string | null) ?? null };
        staffScope(request.actor, scoped);
        if (unit.status === 'inactive') throw new ConflictError('单位已停用，不能新增工作人员');
        await checkRoles(trx, scoped, input.roles);
        await checkGrant(trx, request.actor, { unitId: scoped.id, userId: null, currentRoles: [] }, input.roles);
        const account = await createAccount(trx, request.actor, { ...input, unitId: scoped.id }, now());
        return { id: account.id, password: account.initialPassword ?? '' };
      });
      const row = await staffRow(id.id);
      reply.code(201);
      return { staff: (await rowsToStaff(app.db, [row]))[0]!, initialPassword: id.password };
    },
  });

  app.put('/api/staff/:id', {
    schema: {
      tags: ['工作人员'],
      summary: '修改工作人员信息和角色',
      params: z.object({ id: z.coerce.number().int() }),
      body: staffInput.extend({ version: z.number().int() }),
      response: { 200: staffSchema, ...errorResponses },
    },
    handler: async (request) => {
      const { version, ...input } = request.body;
      await app.db.transaction(async (trx) => {
        const row = await visibleStaffRow(request.actor, request.params.id, trx);
        const unit = unitOf(row);
        staffScope(request.actor, unit);
        await lockUnit(trx, unit.id);
        await checkRoles(trx, unit, input.roles);
        await checkGrant(trx, request.actor, { unitId: unit.id, userId: Number(row.id), currentRoles: row.roles as string[] }, input.roles);
        const wasAdmin = (row.roles as string[]).includes('unit_admin');
        if (wasAdmin && !input.roles.includes('unit_admin')) await assertKeepsAdmin(trx, unit.id, Number(row.id));
        if (input.idNumber && input.idNumber !== row.id_number) {
          const taken = await trx('users').where('id_number', input.idNumber).whereNot('id', Number(row.id)).first('id');
          if (taken) throw new ConflictError(`身份证号码 ${input.idNumber} 已有账号`, [{ field: 'idNumber', message: '该身份证号码已有账号' }]);
        }
        const count = await guardUniqueIdNumber(() => trx('users')
          .where({ id: row.id, version })
          .update({ display_name: input.displayName, id_number: input.idNumber ?? null, phone: input.phone ?? null, roles: input.roles, updated_at: now(), version: trx.raw('version + 1') }));
        if (count !== 1) throw new ConflictError('该工作人员信息已被他人修改，请刷新后重试');
        await audit(trx, request.actor, { action: 'user.update', targetType: 'user', targetId: Number(row.id), unitId: unit.id, data: { roles: input.roles, before: row.roles } }, now());
      });
      app.principals.invalidate(request.params.id);
      return (await rowsToStaff(app.db, [await staffRow(request.params.id)]))[0]!;
    },
  });

  app.post('/api/staff/:id/disable', {
    schema: { tags: ['工作人员'], summary: '停用账号', params: z.object({ id: z.coerce.number().int() }), response: { 200: staffSchema, ...errorResponses } },
    handler: async (request) => {
      await app.db.transaction(async (trx) => {
        const row = await visibleStaffRow(request.actor, request.params.id, trx);
        const unit = unitOf(row);
        staffScope(request.actor, unit);
        if (Number(row.id) === request.actor.userId) throw new ConflictError('不能停用自己的账号');
        if (row.status !== 'active') throw new ConflictError('该账号已停用');
        await lockUnit(trx, unit.id);
        await checkGrant(trx, request.actor, { unitId: unit.id, userId: Number(row.id), currentRoles: row.roles as string[] }, null);
        if ((row.roles as string[]).includes('unit_admin')) await assertKeepsAdmin(trx, unit.id, Number(row.id));
        await trx('users').where({ id: row.id }).update({ status: 'disabled', disabled_reason: 'by_admin', disabled_at: now(), updated_at: now(), version: trx.raw('version + 1') });
        await audit(trx, request.actor, { action: 'user.disable', targetType: 'user', targetId: Number(row.id), unitId: unit.id }, now());
      });
      app.principals.invalidate(request.params.id);
      return (await rowsToStaff(app.db, [await staffRow(request.params.id)]))[0]!;
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
        if (row.disabled_reason === 'unit_inactive') throw new ConflictError('账号所属单位已停用，请先启用单位');
        if (row.disabled_reason === 'inactive') {
          // 增加、解禁内网账号的权限已下放各市（州）人社部门
          if (!request.actor.roles.includes('account.unlock') || !inScope(request.actor, unit, 'below')) {
            throw new ForbiddenError('超过 3 个月未登录被停用的账号，由所在市（州）人社局解禁');
          }
        } else {
          staffScope(request.actor, unit);
          await checkGrant(trx, request.actor, { unitId: unit.id, userId: Number(row.id), currentRoles: row.roles as string[] }, null);
        }
        await trx('users').where({ id: row.id }).update({ status: 'active', disabled_reason: null, disabled_at: null, enabled_at: now(), updated_at: now(), version: trx.raw('version + 1') });
        await audit(trx, request.actor, { action: 'user.enable', targetType: 'user', targetId: Number(row.id), unitId: unit.id, data: { reason: row.disabled_reason } }, now());
      });
      app.principals.invalidate(request.params.id);
      return (await rowsToStaff(app.db, [await staffRow(request.params.id)]))[0]!;
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
        if (Number(row.id) === request.actor.userId) throw new ValidationError('请在“修改密码”中修改自己的密码');
        await checkGrant(trx, request.actor, { unitId: Number(row.unit_id), userId: Number(row.id), currentRoles: row.roles as string[] }, null);
        await trx('users').where({ id: row.id }).update({ password_hash: await hashPassword(password), must_change_password: true, password_changed_at: now(), updated_at: now() });
        await audit(trx, request.actor, { action: 'user.reset_password', targetType: 'user', targetId: Number(row.id), unitId: Number(row.unit_id) }, now());
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
      const where = (q: Knex.QueryBuilder) =>
        q.where('s.status', 'disabled').where('s.disabled_reason', 'inactive').where('u.path', 'like', `${request.actor.unitPath}%`).whereNot('u.id', request.actor.unitId ?? 0);
      const [rows, counted] = await Promise.all([
        where(app.db('users as s').join('units as u', 'u.id', 's.unit_id')).select(STAFF_COLUMNS).orderBy('s.disabled_at', 'desc').offset(page.offset).limit(page.limit),
        where(app.db('users as s').join('units as u', 'u.id', 's.unit_id')).count<{ n: number }[]>({ n: '*' }),
      ]);
      sendPage(reply, 'locked-accounts', page, rows.length, Number(counted[0]?.n ?? 0));
      return rowsToStaff(app.db, rows);
    },
  });
};

export default staffRoutes;
