import { z } from 'zod';
import { historyItem } from '../tasks/tasks.schemas.ts';

export const startBody = z.object({
  processKey: z.string().trim().min(1).max(100),
  businessKey: z.string().trim().max(200).nullish(),
  variables: z.record(z.string(), z.unknown()).optional(),
});

export const instanceParams = z.object({ id: z.uuid({ error: '流程实例编号格式不正确' }) });

export const cancelBody = z.object({
  reason: z.string().trim().min(1, { error: '必填' }).max(500, { error: '最多 500 个字符' }).meta({ title: '取消原因' }),
  /** the instance's `revision` the administrator decided on; a step since then makes it a 409 */
  revision: z.number().int().min(1).optional(),
});

const openTask = z.object({
  id: z.string(),
  instanceId: z.string(),
  elementId: z.string(),
  name: z.string(),
  formKey: z.string().nullable(),
  candidateRoles: z.array(z.string()),
  candidateUnitId: z.number().nullable(),
  candidateUserIds: z.array(z.number()),
  assigneeId: z.number().nullable(),
  createdAt: z.string(),
  dueAt: z.string().nullable(),
});

export const instanceView = z.object({
  id: z.string(),
  processKey: z.string(),
  processName: z.string(),
  processVersion: z.number(),
  definitionId: z.number(),
  businessKey: z.string().nullable(),
  parentInstanceId: z.string().nullable(),
  rootInstanceId: z.string(),
  status: z.string(),
  revision: z.number(),
  variables: z.record(z.string(), z.unknown()),
  summary: z.record(z.string(), z.unknown()).nullable(),
  trail: z.array(z.string()),
  openIncidents: z.number(),
  startedBy: z.number().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  tasks: z.array(openTask),
  /** message catches of the case waiting for another flow's message (name, key, since when) */
  waitingMessages: z.array(
    z.object({ instanceId: z.string(), elementId: z.string(), elementName: z.string().nullable(), name: z.string(), correlationKey: z.string().nullable(), since: z.string() }),
  ),
  history: z.array(historyItem),
  children: z.array(z.object({ id: z.string(), processKey: z.string(), status: z.string(), startedAt: z.string() })),
});

export const instanceListItem = z.object({
  id: z.string(),
  processKey: z.string(),
  processName: z.string().meta({ title: '流程' }),
  processVersion: z.number(),
  businessKey: z.string().nullable(),
  status: z.string(),
  summary: z.record(z.string(), z.unknown()).nullable(),
  /** the applicant (a declaration's), else whoever started the case */
  applicantName: z.string().nullable().meta({ title: '申报人' }),
  /** masked: the list is for finding, the case for reading */
  idNumber: z.string().nullable().meta({ title: '身份证号' }),
  unitName: z.string().nullable().meta({ title: '单位' }),
  activityName: z.string().nullable().meta({ title: '评审活动' }),
  seriesLabel: z.string().nullable().meta({ title: '系列' }),
  levelLabel: z.string().nullable().meta({ title: '层级' }),
  openIncidents: z.number(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
