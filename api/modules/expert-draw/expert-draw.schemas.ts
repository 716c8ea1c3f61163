import { z } from 'zod';
import { DRAW_LEVELS, MULTIPLIERS } from './expert-draw.draw.ts';

const levelKeys = Object.keys(DRAW_LEVELS) as [keyof typeof DRAW_LEVELS, ...Array<keyof typeof DRAW_LEVELS>];

export const meetingParams = z.object({ meetingId: z.coerce.number().int().positive('会议编号不正确') });
export const groupParams = meetingParams.extend({ groupId: z.coerce.number().int().positive('抽选小组编号不正确') });
export const drawParams = meetingParams.extend({ drawId: z.coerce.number().int().positive('抽选记录编号不正确') });

export const levelSchema = z.enum(levelKeys, { error: '请选择职称层级' }).meta({ title: '职称层级' });

export const groupBody = z.object({
  specialty: z.string({ error: '请填写从事专业' }).trim().min(1, '请填写从事专业').max(30, '从事专业不超过 30 个字').meta({ title: '从事专业' }),
  level: levelSchema,
  count: z.number({ error: '请填写抽取人数' }).int('抽取人数应为整数').min(1, '抽取人数至少为 1').max(200, '抽取人数不超过 200').meta({ title: '抽取人数' }),
});

export const matchQuery = z.object({ specialty: z.string().trim().min(1, '请填写从事专业').max(30), level: levelSchema });

export const drawBody = z.object({
  multiplier: z
    .number({ error: '请选择抽选倍数' })
    .refine((v) => (MULTIPLIERS as readonly number[]).includes(v), '抽选倍数只能为 1.5、2 或 3')
    .meta({ title: '抽选倍数' }),
});

export const attendanceBody = z.object({
  expertIds: z.array(z.number().int().positive(), { error: '请选择专家' }).min(1, '请至少选择一名专家').max(500).meta({ title: '专家' }),
  action: z.enum(['confirm', 'cancel'], { error: '办理结果应为确认出席或取消出席' }).meta({ title: '办理结果' }),
  reason: z.string().trim().max(200, '取消原因不超过 200 个字').optional().meta({ title: '取消原因' }),
});

export const executiveChairBody = z.object({ expertId: z.number({ error: '请选择执行主任' }).int().positive().meta({ title: '执行主任' }) });

export const groupView = z.object({
  id: z.number(),
  groupNo: z.number(),
  specialty: z.string(),
  level: levelSchema,
  levelLabel: z.string(),
  count: z.number().meta({ title: '抽取人数' }),
  matching: z.number().meta({ title: '符合条件的在库活跃专家' }),
  chairs: z.number().meta({ title: '其中主任委员（可作主任委员备选）' }),
  outside: z.number().meta({ title: '其中外地专家' }),
  barred: z.number().meta({ title: '其中连续三年参会、本年度不再选中' }),
});

const drawnExpert = z.object({
  expertId: z.number(),
  groupNo: z.number(),
  role: z.enum(['principal', 'alternate']),
  altOrder: z.number().nullable(),
  name: z.string(),
  employer: z.string(),
  currentTitle: z.string(),
  isChair: z.boolean(),
  outside: z.boolean(),
});

export const drawView = z.object({
  id: z.number(),
  status: z.enum(['drawn', 'refused', 'accepted', 'superseded']),
  algorithm: z.string(),
  seed: z.string().meta({ title: '随机种子（十六进制）' }),
  multiplier: z.number(),
  year: z.number(),
  locality: z.string().meta({ title: '本地的范围' }),
  groups: z.array(z.object({ groupNo: z.number(), specialty: z.string(), level: levelSchema, count: z.number(), label: z.string(), listed: z.number() })),
  refusal: z.object({ rule: z.string(), message: z.string() }).passthrough().nullable(),
  drawnBy: z.string(),
  drawnAt: z.string(),
  acceptedAt: z.string().nullable(),
  principals: z.number(),
  alternates: z.number(),
  pool: z.object({ size: z.number(), chairs: z.number(), lastYearChairs: z.number(), barredThreeYears: z.number(), outside: z.number() }).nullable(),
  list: z.array(drawnExpert),
});

export const drawPage = z.object({
  meeting: z.object({ id: z.number(), name: z.string(), kind: z.enum(['breakthrough', 'normal']), status: z.string() }),
  groups: z.array(groupView),
  draws: z.array(drawView),
  acceptedDrawId: z.number().nullable(),
  canManage: z.boolean().meta({ title: '可办理（组建单位的评审会议管理人员）；监督评委会只读' }),
  multipliers: z.array(z.number()),
  levels: z.array(z.object({ value: z.string(), label: z.string() })),
});

export const replayView = z.object({ same: z.boolean(), message: z.string(), refusal: z.string().nullable(), list: z.array(drawnExpert) });

export const attendanceView = z.object({
  meeting: z.object({ id: z.number(), name: z.string(), kind: z.enum(['breakthrough', 'normal']), status: z.string() }),
  drawId: z.number().nullable(),
  canManage: z.boolean().meta({ title: '可办理（组建单位的评审会议管理人员）；监督评委会只读' }),
  experts: z.array(
    z.object({
      expertId: z.number(),
      name: z.string(),
      employer: z.string(),
      phone: z.string(),
      specialty: z.string(),
      currentTitle: z.string(),
      isChair: z.boolean(),
      lastYearChair: z.boolean(),
      outside: z.boolean(),
      regionName: z.string().nullable(),
      groupNo: z.number().nullable(),
      role: z.enum(['principal', 'alternate']),
      altOrder: z.number().nullable(),
      attendance: z.enum(['pending', 'confirmed', 'cancelled']),
      cancelReason: z.string().nullable(),
      isExecutiveChair: z.boolean(),
      promotedFor: z.string().nullable().meta({ title: '递补（被取消的正选专家）' }),
      recusals: z.array(z.object({ dossierId: z.number(), applicantName: z.string(), employer: z.string() })).meta({ title: '回避的参评人员' }),
    }),
  ),
  problems: z.array(z.string()).meta({ title: '尚未满足的出席要求' }),
  events: z.array(z.object({ id: z.number(), expertName: z.string(), action: z.string(), reason: z.string().nullable(), actorName: z.string(), at: z.string() })),
});

export const attendanceAnswer = z.object({
  changed: z.number(),
  promoted: z.array(z.object({ expertId: z.number(), name: z.string(), replacing: z.string(), groupNo: z.number() })),
  unfilled: z.array(z.string()),
});

export const snapshotQuery = z.object({
  offset: z.coerce.number().int().min(0, '起始位置不正确').default(0),
  limit: z.coerce.number().int().min(1).max(200, '每页不超过 200 条').default(25),
});

export const snapshotView = z.object({
  total: z.number(),
  rows: z.array(
    z.object({
      expertId: z.number(),
      name: z.string(),
      groupNo: z.number().nullable().meta({ title: '归入的抽选小组' }),
      specialty: z.string(),
      levelLabel: z.string(),
      isChair: z.boolean(),
      lastYearChair: z.boolean(),
      threeYears: z.boolean().meta({ title: '连续三年参会（非主任委员不再选中）' }),
      outside: z.boolean(),
      regionCode: z.string().nullable(),
      employer: z.string(),
      drawn: z.string().nullable().meta({ title: '抽选结果：正选、候补n，未抽中为空' }),
    }),
  ),
});
