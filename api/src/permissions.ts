/**
 * The permission catalogue the API declares (one per menu or action) and the built-in roles
 * that bundle them. Task candidates in diagrams name permissions, so a unit's own roles can
 * grant them later without touching a diagram.
 */
export const PERMISSIONS = {
  'dossier.apply': '申报职称',
  'dossier.review': '审核申报材料',
  'dossier.receive': '评委会接收申报材料（参评资格审核）',
  'process.manage': '流程管理（查看、部署流程图）',
  'process.monitor': '流程监控（查看全部流程实例）',
  'incident.manage': '流程异常处理',
  'settings.manage': '运行配置（办理期限、多岗审核）',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export interface BuiltInRole {
  name: string;
  permissions: Permission[];
}

export const BUILT_IN_ROLES: Record<string, BuiltInRole> = {
  admin: {
    name: '系统管理员',
    permissions: ['process.manage', 'process.monitor', 'incident.manage', 'settings.manage'],
  },
  applicant: { name: '申报人', permissions: ['dossier.apply'] },
  unit_clerk: { name: '申报单位经办人', permissions: ['dossier.review'] },
  department_clerk: { name: '主管部门经办人', permissions: ['dossier.review'] },
  hr_clerk: { name: '人社部门经办人', permissions: ['dossier.review'] },
  committee_clerk: { name: '评委会经办人', permissions: ['dossier.receive'] },
};

export function permissionsOf(roles: readonly string[]): Permission[] {
  const out = new Set<Permission>();
  for (const role of roles) for (const p of BUILT_IN_ROLES[role]?.permissions ?? []) out.add(p);
  return [...out];
}
