import type { Knex } from 'knex';
import { audit } from '../../src/audit.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/errors.ts';
import { generateInitialPassword, hashPassword, passwordProblem } from '../../src/passwords.ts';
import { BUILT_IN_ROLES, builtInRolesFor, customRoleId, type UnitLike } from '../../src/permissions.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { applicantLoginName, userNumbersWrite, whereUserIdNumberIs } from './users.pii.ts';

export interface NewAccount {
  /** null: an applicant signing in with their ID number gets a system login name (`sq` + id) */
  username: string | null;
  displayName: string;
  idNumber?: string | null;
  phone?: string | null;
  unitId: number | null;
  roles: string[];
  /** set by the person themselves; otherwise an initial password is generated and must be changed */
  password?: string;
}

export interface CreatedAccount {
  id: number;
  username: string;
  displayName: string;
  /** shown once to whoever created the account; null when the person chose their own */
  initialPassword: string | null;
}

const UNIQUE_VIOLATION = '23505';

/** Refuses roles the unit cannot give: built-ins of other unit types, roles of other units. */
export async function checkRoles(db: Knex | Knex.Transaction, unit: UnitLike & { id: number }, roles: string[]): Promise<void> {
  const builtIns = new Set(builtInRolesFor(unit));
  const customIds = roles.map(customRoleId).filter((id): id is number => id != null);
  const custom = customIds.length ? await db('roles').select('id').whereIn('id', customIds).where('unit_id', unit.id) : [];
  const known = new Set(custom.map((r: { id: number }) => Number(r.id)));
  for (const key of roles) {
    const id = customRoleId(key);
    if (id != null ? !known.has(id) : !builtIns.has(key)) {
      const name = BUILT_IN_ROLES[key]?.name ?? key;
      throw new ValidationError(`角色“${name}”不能分配给本单位的工作人员`, [{ field: 'roles', message: `角色“${name}”不可用` }]);
    }
  }
}

/** Roles whose holders manage the unit itself: only their own kind (or a unit above) may give or touch them. */
const GUARDED_ROLES = ['unit_admin', 'admin'];

/**
 * Who may give which roles (and touch whom): nobody changes their own roles; a unit's super admin
 * gives any role of the unit, and a unit above gives roles to its subordinates' staff; anyone else
 * with 工作人员管理 gives only roles whose permissions they hold themselves, never 单位超级管理员 or
 * 系统管理员, and does not touch the accounts of those who hold them. 系统管理员 is given only by
 * one.
 */
export async function checkGrant(
  db: Knex | Knex.Transaction,
  actor: RequestActor,
  target: { unitId: number; userId: number | null; currentRoles: string[] },
  roles: string[] | null,
): Promise<void> {
  const fromAbove = target.unitId !== actor.unitId;
  const isUnitAdmin = actor.roleKeys.includes('unit_admin');
  const added = roles ? roles.filter((r) => !target.currentRoles.includes(r)) : [];
  const removed = roles ? target.currentRoles.filter((r) => !roles.includes(r)) : [];
  if (target.userId === actor.userId && (added.length || removed.length)) {
    throw new ForbiddenError('不能修改自己的角色，请由本单位其他超级管理员修改');
  }
  if ([...added, ...removed].includes('admin') && !actor.roleKeys.includes('admin')) {
    throw new ForbiddenError('“系统管理员”角色只能由系统管理员授予或取消');
  }
  if (fromAbove || isUnitAdmin) return;
  if (target.currentRoles.some((r) => GUARDED_ROLES.includes(r))) {
    throw new ForbiddenError('单位超级管理员的账号只能由本单位超级管理员或上级单位管理');
  }
  if (added.some((r) => GUARDED_ROLES.includes(r))) throw new ForbiddenError('只有单位超级管理员可以授予“单位超级管理员”角色');
  const held = new Set(actor.roles);
  for (const key of added) {
    const id = customRoleId(key);
    const permissions = id != null ? (((await db('roles').where({ id }).first('permissions'))?.permissions as string[] | undefined) ?? []) : (BUILT_IN_ROLES[key]?.permissions ?? []);
    const missing = permissions.filter((p) => !held.has(p));
    if (missing.length) throw new ForbiddenError('只能授予自己拥有的权限；请由单位超级管理员分配此角色', [{ field: 'roles', message: `缺少权限：${missing.join('、')}` }]);
  }
}

/**
 * Creates an account in a unit. Usernames and ID numbers are unique (409 otherwise; the ID number by
 * its keyed hash); an account created by someone else gets a generated password that must be changed
 * at first login. The numbers are sealed as they are written (users.pii.ts). An applicant without a
 * chosen username gets `sq` + the account's id: the ID number is never the login name.
 */
export async function createAccount(trx: Knex.Transaction, actor: RequestActor | null, input: NewAccount, now: Date): Promise<CreatedAccount> {
  // the id is drawn first so that a system login name can be written with the row
  const id = Number(((await trx.raw("select nextval(pg_get_serial_sequence('users', 'id')) as id")) as { rows: Array<{ id: string | number }> }).rows[0]!.id);
  const username = input.username === null ? applicantLoginName(id) : input.username.trim();
  const byName = await trx('users').where('username', username).first('id');
  if (byName) throw new ConflictError(`账号“${username}”已存在`, [{ field: 'username', message: '账号已存在' }]);
  if (input.idNumber) {
    const byId = await whereUserIdNumberIs(trx, trx('users'), input.idNumber).first('id');
    if (byId) throw new ConflictError('该身份证号码已有账号', [{ field: 'idNumber', message: '该身份证号码已有账号' }]);
  }
  let password = input.password;
  let initialPassword: string | null = null;
  if (password) {
    const problem = passwordProblem(password, { username, idNumber: input.idNumber });
    if (problem) throw new ValidationError(problem, [{ field: 'password', message: problem }]);
  } else {
    initialPassword = generateInitialPassword();
    password = initialPassword;
  }
  try {
    await trx('users')
      .insert({
        id,
        username,
        password_hash: await hashPassword(password),
        display_name: input.displayName.trim(),
        unit_id: input.unitId,
        roles: input.roles,
        ...userNumbersWrite(trx, { id_number: input.idNumber ?? null, phone: input.phone ?? null }),
        status: 'active',
        must_change_password: initialPassword !== null,
        password_changed_at: initialPassword === null ? now : null,
        created_by: actor?.userId ?? null,
        created_at: now,
        updated_at: now,
      });
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError('账号或身份证号码已存在', [{ field: 'username', message: '已存在' }]);
    throw err;
  }
  await audit(trx, actor, { action: 'user.create', targetType: 'user', targetId: id, unitId: input.unitId, data: { username, roles: input.roles } }, now);
  return { id, username, displayName: input.displayName.trim(), initialPassword };
}
