import { isPermission, PERMISSIONS, roleName, type Permission } from '../../src/permissions.ts';

/** Chinese names of what the audit log records, for the screen and the export. */

export const TARGET_TYPES: Record<string, string> = {
  unit: '单位',
  user: '账号',
  role: '角色',
  department_route: '主管部门配置',
  committee: '评委会',
  expert: '专家',
  activity: '评审活动',
  review_meeting: '评审会议',
  certificate: '证书',
  certificate_key: '证书签名密钥',
  review_levels: '多岗审核配置',
  task_due_date: '办理期限',
  process_definition: '流程定义',
  incident: '流程异常',
  instance: '流程实例',
  person: '个人信息',
};

export const ACTIONS: Record<string, string> = {
  'unit.create': '新增单位',
  'unit.update': '编辑单位信息',
  'unit.deactivate': '停用单位',
  'unit.activate': '启用单位',
  'unit.register': '单位注册',
  'unit.registration_approved': '单位注册审核通过',
  'unit.registration_rejected': '单位注册审核不通过',
  'unit.parent_changed': '变更上级单位',
  'unit.parent_change_requested': '申请变更上级单位',
  'unit.parent_change_rejected': '变更上级单位被退回',
  'user.create': '新增账号',
  'user.update': '编辑账号（角色）',
  'user.disable': '停用账号',
  'user.enable': '启用账号',
  'user.disable_inactive': '长期未登录停用',
  'user.lock': '账号锁定（密码连续错误）',
  'user.unlock': '解禁账号',
  'user.password': '修改密码',
  'user.reset_password': '重置密码',
  'role.create': '新增角色',
  'role.update': '编辑角色权限',
  'role.delete': '删除角色',
  'route.set': '设置主管部门',
  'route.clear': '清除主管部门',
  'committee.create': '新增评委会',
  'committee.update': '编辑评委会',
  'committee.expired': '评委会备案到期',
  'committee.filed': '评委会备案通过',
  'committee.filing_rejected': '评委会备案退回',
  'committee.achievement_defaults': '业绩成果默认配置',
  'activity.create': '新增评审活动',
  'activity.delete': '删除评审活动',
  'activity.submit': '提交评审活动',
  'activity.publish': '发布评审活动',
  'activity.deadline_change': '评审活动时间调整',
  'meeting.create': '新增评审会议',
  'certificate.revoke': '撤销证书',
  'certificate_key.rotate': '更换证书签名密钥',
  'review_levels.update': '保存多岗审核配置',
  'task_due_date.set': '设置办理期限',
  'task_due_date.reset': '恢复默认办理期限',
  'process.deploy': '部署流程',
  'process.draft_save': '保存流程草稿',
  'incident.retry': '重试流程异常',
  'instance.move': '流程异常移至其他步骤',
  'instance.migrate': '迁移运行中实例',
  'pii.view': '查看完整个人信息',
};

export const actionName = (action: string): string => ACTIONS[action] ?? (/^activity\.\w+_closed$/.test(action) ? '评审活动时限截止' : action);

const FIELDS: Record<string, string> = {
  name: '名称',
  displayName: '姓名',
  roles: '角色',
  permissions: '权限',
  posts: '审核岗位',
  dueDate: '办理期限',
  version: '版本',
  status: '状态',
  attempts: '尝试次数',
  elementId: '环节',
  unitType: '单位类型',
  creditCode: '统一社会信用代码',
  reason: '原因',
  username: '用户名',
  departmentUnitId: '主管部门',
  baseVersion: '基于版本',
  size: '大小',
};

export const fieldName = (key: string): string => FIELDS[key] ?? key;

/** A recorded value as a person reads it: permission and role names, lists joined, the rest as JSON. */
export function valueText(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (field === 'permissions') return value.map((p) => (isPermission(String(p)) ? PERMISSIONS[p as Permission].name : String(p))).join('、') || '（无）';
    if (field === 'roles') return value.map((r) => roleName(String(r))).join('、') || '（无）';
    if (field === 'posts') return value.map((p) => `${(p as { name?: string }).name ?? ''}（${((p as { userIds?: unknown[] }).userIds ?? []).length} 人）`).join(' → ') || '不分岗';
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join('、');
  }
  return JSON.stringify(value);
}
