import { ACHIEVEMENT_TITLES } from './activity.ts';
import { ALL_UNIT_TYPES, REGISTRABLE_UNIT_TYPES, UNIT_NATURE_OPTIONS } from './unit-info.ts';

/** 办理动作: what an action of a task is called where its form does not name it (`actionLabels`). */
export const ACTION_LABELS = {
  submit: '提交',
  pass: '审核通过',
  return: '退回',
  reject: '不通过',
  receive: '接收',
  complete: '完成',
} as const;

/** 单位状态 */
export const UNIT_STATUS = { registering: '注册待审核', active: '正常', inactive: '已停用' } as const;

/** 评审活动 publication status */
export const ACTIVITY_STATUS = {
  draft: '草稿',
  reviewing: '发布审核中',
  returned: '已退回待修改',
  published: '已发布',
  rejected: '审核不通过',
} as const;

/** 备案状态 of a committee as it stands (an open filing is shown beside it). */
export const FILING_STATUS = { unfiled: '未备案', filed: '已备案', expired: '已过期' } as const;

/** 专家 status in a committee's pool (专家库管理's lists). */
export const EXPERT_STATUS = {
  draft: '新增待提交',
  recommended: '下级推荐待审核',
  pending: '待备案单位审核',
  in_pool: '在库',
  returned: '已退回',
  removed: '已删除',
} as const;

/**
 * The label maps the console shows beside what the API answers (filters, tabs, history), published
 * at GET /api/labels so that each is written once, here or in its form's file.
 */
export const PUBLISHED_LABELS = {
  actions: ACTION_LABELS,
  achievementTitles: ACHIEVEMENT_TITLES,
  unitTypes: ALL_UNIT_TYPES,
  registrableUnitTypes: REGISTRABLE_UNIT_TYPES,
  unitNatures: UNIT_NATURE_OPTIONS,
  unitStatuses: UNIT_STATUS,
  activityStatuses: ACTIVITY_STATUS,
  filingStatuses: FILING_STATUS,
  expertStatuses: EXPERT_STATUS,
} as const;
