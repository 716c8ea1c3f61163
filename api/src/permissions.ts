/**
 * The permission catalogue the API declares (one per menu or action), which unit types may hold
 * each, and the built-in roles that bundle them. A unit's super admin composes the unit's own
 * roles from the permissions its unit type allows. Task candidates in diagrams name permissions,
 * so a unit's own roles can grant them without touching a diagram.
 */

import { ALL_UNIT_TYPES } from '../../forms/unit-info.ts';

export type UnitType = 'hr_bureau' | 'department' | 'employer' | 'self_review_unit' | 'central_unit';
export type AdminLevel = 'province' | 'city' | 'county';

export const UNIT_TYPES: Record<UnitType, string> = ALL_UNIT_TYPES;

export const ADMIN_LEVELS: Record<AdminLevel, string> = { province: '省级', city: '市（州）级', county: '县（市、区）级' };

interface PermissionSpec {
  name: string;
  group: string;
  /** unit types whose staff may hold it; all when absent */
  unitTypes?: UnitType[];
  /** jurisdiction levels whose units may hold it; all when absent */
  adminLevels?: AdminLevel[];
  /** held through the applicant account only, never through a staff role */
  applicantOnly?: boolean;
}

/** units that may organise a committee (评委会组建单位) */
const COMMITTEE_UNITS: UnitType[] = ['hr_bureau', 'department', 'self_review_unit', 'central_unit'];

const SYSTEM: Pick<PermissionSpec, 'unitTypes' | 'adminLevels'> = { unitTypes: ['hr_bureau'], adminLevels: ['province'] };

export const PERMISSIONS = {
  'dossier.apply': { name: '申报职称', group: '申报', applicantOnly: true },
  'dossier.review.own': { name: '本单位人员审核（审核本单位人员的申报材料）', group: '申报材料审核' },
  'dossier.review.subordinate': { name: '下级单位人员审核（审核下级单位报送的申报材料）', group: '申报材料审核', unitTypes: ['hr_bureau', 'department', 'self_review_unit', 'central_unit'] },
  'dossier.receive': { name: '评委会接收申报材料（参评资格审核）', group: '申报材料审核', unitTypes: ['hr_bureau', 'department', 'self_review_unit'] },
  'dossier.query': { name: '申报材料综合查询（本单位组建的评委会的申报、接收、通过人数）', group: '申报材料审核', unitTypes: ['hr_bureau', 'department', 'self_review_unit', 'central_unit'] },
  'unit.profile': { name: '本级单位信息维护', group: '单位管理' },
  'unit.subordinates': { name: '下级单位管理（新增、编辑、停用下级单位）', group: '单位管理' },
  'unit.registration.review': { name: '下级单位注册审核', group: '单位管理' },
  'review_levels.manage': { name: '多岗审核配置', group: '单位管理' },
  'staff.manage': { name: '工作人员管理', group: '单位管理' },
  'role.manage': { name: '角色管理', group: '单位管理' },
  'applicant.manage': { name: '申报人账号管理', group: '单位管理' },
  'account.unlock': { name: '解禁辖区内人社部门账号', group: '单位管理', unitTypes: ['hr_bureau'], adminLevels: ['province', 'city'] },
  'routing.manage': { name: '主管部门配置', group: '评委会管理', unitTypes: ['hr_bureau'] },
  'committee.manage': { name: '评委会管理（新增、编辑评委会，备案申报）', group: '评委会管理', unitTypes: COMMITTEE_UNITS },
  'committee.filing.review': { name: '评委会备案审核（授权管理单位、备案单位）', group: '评委会管理', unitTypes: ['hr_bureau', 'department'] },
  'expert.manage': { name: '专家库管理（新增、导入、提交专家，审核下级推荐）', group: '评委会管理', unitTypes: COMMITTEE_UNITS },
  'expert.recommend': { name: '推荐评审专家', group: '评委会管理' },
  'expert.review': { name: '专家库审核（备案单位）', group: '评委会管理', unitTypes: ['hr_bureau'] },
  'activity.manage': { name: '评审活动发布', group: '评审活动管理', unitTypes: COMMITTEE_UNITS },
  'activity.review': { name: '评审活动发布审核', group: '评审活动管理', unitTypes: ['hr_bureau', 'department'] },
  // a 省直部门 may be a committee's 备案单位 (committees.service.ts) and then reviews its deadline changes
  'activity.deadline.review': { name: '评审活动时间调整审核（备案单位）', group: '评审活动管理', unitTypes: ['hr_bureau', 'department'] },
  'meeting.manage': { name: '评审会议管理（参评人员、专家抽选、分组分配、投票与计票，评审结果公示）', group: '评审会议管理', unitTypes: COMMITTEE_UNITS },
  'result.confirm': { name: '评审结果确认（授权管理单位确认评审结果，委托单位确认委托评审结果）', group: '评审结果确认', unitTypes: ['hr_bureau', 'department', 'self_review_unit', 'central_unit'] },
  'certificate.issue': { name: '证书生成（评审发证、初定发证、委托发证，撤销证书，证书签名密钥）', group: '电子证书管理', unitTypes: ['hr_bureau', 'department', 'self_review_unit', 'central_unit'] },
  'history.upload': { name: '历史职称数据上传', group: '电子证书管理', unitTypes: ['hr_bureau', 'department', 'self_review_unit', 'central_unit'] },
  'history.review': { name: '历史职称数据审核与历史证书生成', group: '电子证书管理', unitTypes: ['hr_bureau', 'department', 'self_review_unit', 'central_unit'] },
  'history.bodies': { name: '历史评审机构管理', group: '电子证书管理', unitTypes: ['hr_bureau'] },
  'talent.review': { name: '专技人才审核', group: '专技人才' },
  'talent.stats': { name: '专技人才统计（本单位及下级单位）', group: '专技人才' },
  'message.send': { name: '消息推送（向下级单位或本单位申报人发送消息）', group: '消息' },
  'announcement.manage': { name: '通知公告管理（添加、编辑、发布、撤回、删除本单位的公告）', group: '消息', unitTypes: COMMITTEE_UNITS },
  'recognition.review': { name: '职称确认审核', group: '职称确认' },
  'process.manage': { name: '流程管理（查看、编辑、部署流程图）', group: '系统管理', ...SYSTEM },
  'process.monitor': { name: '流程监控（查看全部流程实例）', group: '系统管理', ...SYSTEM },
  'incident.manage': { name: '流程异常处理', group: '系统管理', ...SYSTEM },
  'settings.manage': { name: '运行配置（办理期限）', group: '系统管理', ...SYSTEM },
  // a city's or county's HR bureau reads the events of its own subtree; the province's, all of them
  'audit.view': { name: '操作审计（查询、导出本单位及下级单位的管理操作记录）', group: '系统管理', unitTypes: ['hr_bureau'] },
} as const satisfies Record<string, PermissionSpec>;

export type Permission = keyof typeof PERMISSIONS;

export function isPermission(key: string): key is Permission {
  return Object.hasOwn(PERMISSIONS, key);
}

export interface BuiltInRole {
  name: string;
  description: string;
  permissions: Permission[];
  /** unit types that can give this role to their staff */
  unitTypes: UnitType[];
  adminLevels?: AdminLevel[];
}

const ALL_TYPES: UnitType[] = ['hr_bureau', 'department', 'employer', 'self_review_unit', 'central_unit'];

export const BUILT_IN_ROLES: Record<string, BuiltInRole> = {
  unit_admin: {
    name: '单位超级管理员',
    description: '单位的第一个经办人：维护本单位信息，管理下级单位、工作人员、角色和多岗审核',
    // 操作审计 only where the unit may hold it: HR bureaus' super admins (their own subtree)
    permissions: ['unit.profile', 'unit.subordinates', 'unit.registration.review', 'review_levels.manage', 'staff.manage', 'role.manage', 'applicant.manage', 'account.unlock', 'routing.manage', 'audit.view'],
    unitTypes: ALL_TYPES,
  },
  admin: {
    name: '系统管理员',
    description: '流程管理、流程监控、流程异常和运行配置（省人社厅）',
    permissions: ['process.manage', 'process.monitor', 'incident.manage', 'settings.manage', 'audit.view'],
    unitTypes: ['hr_bureau'],
    adminLevels: ['province'],
  },
  unit_clerk: { name: '申报单位经办人', description: '审核本单位人员的申报材料，管理申报人账号，推荐评审专家', permissions: ['dossier.review.own', 'applicant.manage', 'expert.recommend', 'talent.review', 'talent.stats', 'message.send', 'recognition.review'], unitTypes: ['employer', 'self_review_unit', 'central_unit'] },
  department_clerk: {
    name: '主管部门经办人',
    description: '审核所属单位报送的和本部门人员的申报材料，推荐评审专家，审核授权范围内的评委会备案和评审活动发布，确认委托评审的结果',
    permissions: ['dossier.review.subordinate', 'dossier.review.own', 'expert.recommend', 'committee.filing.review', 'activity.review', 'activity.deadline.review', 'result.confirm', 'certificate.issue', 'history.upload', 'history.review', 'talent.review', 'talent.stats', 'message.send', 'announcement.manage', 'recognition.review'], unitTypes: ['department'] },
  hr_clerk: {
    name: '人社部门经办人',
    description: '审核申报材料，主管部门配置，解禁辖区人社账号，评委会备案、专家库、评审活动发布与时间调整的审核，评审结果确认',
    permissions: [
      'dossier.review.subordinate',
      'dossier.review.own',
      'routing.manage',
      'account.unlock',
      'expert.recommend',
      'committee.filing.review',
      'expert.review',
      'activity.review',
      'activity.deadline.review',
      'dossier.query',
      'result.confirm',
      'certificate.issue',
      'history.upload',
      'history.review',
      'history.bodies',
      'talent.review',
      'talent.stats',
      'message.send',
      'announcement.manage',
      'recognition.review',
    ],
    unitTypes: ['hr_bureau'],
  },
  committee_clerk: {
    name: '评委会经办人',
    description: '评委会管理与备案申报、专家库管理、评审活动发布，评委会接收申报材料（参评资格审核），评审会议管理',
    permissions: ['dossier.receive', 'dossier.query', 'committee.manage', 'expert.manage', 'activity.manage', 'meeting.manage', 'history.upload', 'message.send', 'announcement.manage'], unitTypes: ['hr_bureau', 'department', 'self_review_unit'] },
  applicant: { name: '申报人', description: '个人申报职称', permissions: ['dossier.apply'], unitTypes: [] },
};

export interface UnitLike {
  unitType: string;
  adminLevel: string | null;
}

/** Whether staff of this unit may hold the permission at all. */
export function unitMayHold(unit: UnitLike, permission: Permission): boolean {
  const spec: PermissionSpec = PERMISSIONS[permission];
  if (spec.applicantOnly) return false;
  if (spec.unitTypes && !spec.unitTypes.includes(unit.unitType as UnitType)) return false;
  if (spec.adminLevels && !spec.adminLevels.includes(unit.adminLevel as AdminLevel)) return false;
  return true;
}

/** The permissions a unit may put into its own roles. */
export function assignablePermissions(unit: UnitLike): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => unitMayHold(unit, p));
}

/** Built-in roles a unit can give its staff. */
export function builtInRolesFor(unit: UnitLike): string[] {
  return Object.entries(BUILT_IN_ROLES)
    .filter(([, r]) => r.unitTypes.includes(unit.unitType as UnitType) && (!r.adminLevels || r.adminLevels.includes(unit.adminLevel as AdminLevel)))
    .map(([key]) => key);
}

/** A custom role's key in `users.roles`. */
export const customRoleKey = (id: number) => `role:${id}`;
export const customRoleId = (key: string): number | null => (/^role:\d+$/.test(key) ? Number(key.slice(5)) : null);

/**
 * What a person may do: the permissions of their roles (built-in and the unit's own), limited to
 * what their unit type allows. A unit that is still registering may only complete its own
 * information (用户权限申请); staff of a deactivated unit may do nothing.
 */
export function effectivePermissions(
  roleKeys: readonly string[],
  customRoles: ReadonlyMap<number, readonly string[]>,
  unit: (UnitLike & { status: string }) | null,
): Permission[] {
  const out = new Set<Permission>();
  for (const key of roleKeys) {
    const builtIn = BUILT_IN_ROLES[key];
    const id = customRoleId(key);
    const perms = builtIn ? builtIn.permissions : id != null ? (customRoles.get(id) ?? []) : [];
    for (const p of perms) if (isPermission(p)) out.add(p);
  }
  if (roleKeys.includes('applicant')) return [...out].filter((p) => p === 'dossier.apply');
  if (!unit || unit.status === 'inactive') return [];
  let list = [...out].filter((p) => unitMayHold(unit, p));
  if (unit.status === 'registering') list = list.filter((p) => p === 'unit.profile');
  return list;
}

export function roleName(key: string, customNames: ReadonlyMap<number, string> = new Map()): string {
  const id = customRoleId(key);
  return BUILT_IN_ROLES[key]?.name ?? (id != null ? (customNames.get(id) ?? '（已删除的角色）') : key);
}

/** Unit types a parent may create below itself (新增下级单位: 只能选择上级单位权限内的单位类型). */
export function creatableUnitTypes(parent: UnitLike): UnitType[] {
  switch (parent.unitType) {
    case 'hr_bureau':
      return parent.adminLevel === 'county'
        ? ['department', 'employer', 'self_review_unit']
        : ['hr_bureau', 'department', 'employer', 'self_review_unit', 'central_unit'];
    case 'department':
      return ['employer', 'self_review_unit', 'central_unit'];
    default:
      return ['employer'];
  }
}
