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
  history: z.array(historyItem),
  children: z.array(z.object({ id: z.string(), processKey: z.string(), status: z.string(), startedAt: z.string() })),
});

export const instanceListItem = z.object({
  id: z.string(),
  processKey: z.string(),
  processVersion: z.number(),
  businessKey: z.string().nullable(),
  status: z.string(),
  summary: z.record(z.string(), z.unknown()).nullable(),
  openIncidents: z.number(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
