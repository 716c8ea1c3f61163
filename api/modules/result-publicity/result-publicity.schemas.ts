import { z } from 'zod';
import { phoneSchema } from '../../../forms/validators.ts';

export const idParams = z.object({ id: z.coerce.number().int().positive({ error: '编号不正确' }) });

export const noticeCandidateSchema = z.object({
  dossierId: z.number(),
  name: z.string(),
  employer: z.string(),
  series: z.string(),
  specialty: z.string(),
  level: z.string(),
  withdrawn: z.boolean(),
});

export const noticeSchema = z.object({
  id: z.number(),
  meetingId: z.number(),
  title: z.string(),
  committeeName: z.string(),
  activityName: z.string(),
  meetingName: z.string(),
  status: z.enum(['drafting', 'published', 'holding', 'ended']),
  statusLabel: z.string(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  contactPerson: z.string().nullable(),
  contactPhone: z.string().nullable(),
  contactAddress: z.string().nullable(),
  publishedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  passedCount: z.number(),
});

export const noticeDetailSchema = noticeSchema.extend({ candidates: z.array(noticeCandidateSchema) });

export const complaintSchema = z.object({
  id: z.number(),
  noticeId: z.number(),
  meetingId: z.number(),
  meetingName: z.string(),
  committeeName: z.string(),
  dossierId: z.number(),
  candidateName: z.string(),
  kind: z.enum(['online', 'offline']),
  kindLabel: z.string(),
  reason: z.string(),
  evidence: z.array(z.object({ id: z.string(), name: z.string(), size: z.number(), mime: z.string() })),
  status: z.enum(['investigating', 'upheld', 'dismissed']),
  statusLabel: z.string(),
  conclusion: z.string().nullable(),
  concludedAt: z.string().nullable(),
  createdAt: z.string(),
  complainantName: z.string().nullable(),
  complainantPhone: z.string().nullable(),
  complainantIdentity: z.string().nullable(),
  instanceId: z.string().nullable(),
});

export const meetingPublicitySchema = z.object({
  access: z.enum(['manage', 'read']),
  notice: noticeDetailSchema.nullable(),
  candidates: z.array(noticeCandidateSchema),
  complaints: z.array(complaintSchema.extend({ taskId: z.string().nullable() })),
  publishTaskId: z.string().nullable(),
});

const reason = z.string({ error: '请填写投诉事由' }).trim().min(5, { error: '投诉事由不少于5个字' }).max(2000, { error: '投诉事由不超过2000字' }).meta({ title: '投诉事由' });
const evidence = z.array(z.uuid({ error: '附件编号格式不正确' })).max(20, { error: '证明材料最多20个' }).default([]).meta({ title: '证明材料' });

export const onlineComplaintBody = z.object({
  dossierId: z.number({ error: '请选择被投诉人' }).int().positive().meta({ title: '被投诉人' }),
  reason,
  evidence,
});

export const offlineComplaintBody = onlineComplaintBody.extend({
  complainantName: z.string({ error: '请填写投诉人姓名' }).trim().min(1, { error: '请填写投诉人姓名' }).max(50).meta({ title: '投诉人姓名' }),
  complainantPhone: phoneSchema.meta({ title: '手机号码' }),
  complainantIdentity: z.string({ error: '请填写投诉人身份证号或单位' }).trim().min(2, { error: '请填写投诉人身份证号或单位' }).max(100).meta({ title: '投诉人身份证号或单位' }),
});
