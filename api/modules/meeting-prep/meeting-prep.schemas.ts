import { z } from 'zod';

export const scoringItem = z.object({ id: z.number(), name: z.string(), maxPoints: z.number(), description: z.string().nullable(), orderNo: z.number() });
export const scoringStandard = z.object({ activityId: z.number(), items: z.array(scoringItem), total: z.number().meta({ title: '总分' }) });
export const activityScoring = scoringStandard.extend({ activityName: z.string() });

export const scoringBody = z.object({
  items: z
    .array(
      z.object({
        name: z.string({ error: '请填写评分项名称' }).trim().min(1, '请填写评分项名称').max(50, '评分项名称最多 50 个字'),
        maxPoints: z
          .number({ error: '满分应为数字' })
          .positive('满分应大于 0')
          .max(1000, '满分不能超过 1000')
          .refine((n) => Math.round(n * 10) === n * 10, '满分最多一位小数'),
        description: z.string().trim().max(500, '评分说明最多 500 个字').nullable().default(null),
      }),
    )
    .max(50, '评分项最多 50 项'),
});

const examView = z.object({ score: z.number().nullable(), passed: z.boolean().nullable(), resultLabel: z.string() }).nullable();
const defenseView = z
  .object({ date: z.string(), arrivalTime: z.string(), address: z.string(), signInDesk: z.string(), orderNo: z.number(), room: z.string(), version: z.number() })
  .nullable();

export const candidateView = z.object({
  dossierId: z.number(),
  orderNo: z.number(),
  name: z.string(),
  idNumber: z.string().nullable(),
  employer: z.string().nullable(),
  status: z.string(),
  statusLabel: z.string(),
  resultLabel: z.string().nullable(),
  objection: z.boolean().meta({ title: '公示有异议' }),
  objectionNote: z.string().nullable(),
  exam: examView,
  defense: defenseView,
});

export const preparationView = z.object({
  meeting: z.object({ id: z.number(), name: z.string(), kind: z.string(), status: z.string(), activityId: z.number() }),
  options: z.object({
    hasExam: z.boolean(),
    hasDefense: z.boolean(),
    hasPanels: z.boolean(),
    panelMethod: z.enum(['vote', 'score']).nullable(),
    hasBreakthrough: z.boolean(),
    writtenExam: z.string(),
    defense: z.string(),
  }),
  examDone: z.boolean(),
  defenseDone: z.boolean(),
  /** the meeting's candidates and those 公示有异议; `total` matches the filter, `candidates` is one page */
  counts: z.object({ all: z.number(), objection: z.number() }),
  total: z.number(),
  candidates: z.array(candidateView),
});

/** 评审会议准备's candidates, a page at a time in the meeting's order. */
export const preparationQuery = z.object({
  page: z.coerce.number({ error: 'page 须为页码' }).int('page 须为整数').min(1, 'page 从 1 开始').max(10_000, 'page 超出范围').default(1),
  pageSize: z.coerce.number({ error: 'pageSize 须为数字' }).int('pageSize 须为整数').min(1, 'pageSize 至少为 1').max(500, '每页不超过 500 人').default(50),
  name: z.string().trim().max(50, '姓名不超过 50 个字').optional(),
  objection: z.enum(['true', 'false'], { error: 'objection 须为 true 或 false' }).optional(),
});

export const objectionBody = z.object({
  objection: z.boolean({ error: '请选择是否有异议' }),
  note: z.string().trim().max(500, '异议说明最多 500 个字').nullable().default(null),
});

const cellProblem = z.object({ column: z.string(), field: z.string(), message: z.string() });
export const importSummary = z.object({
  id: z.string(),
  kind: z.enum(['exam', 'defense']),
  status: z.enum(['checked', 'imported']),
  total: z.number(),
  goodCount: z.number(),
  badCount: z.number(),
  bad: z.array(z.object({ row: z.number(), values: z.record(z.string(), z.string()), errors: z.array(cellProblem) })),
  failedCount: z.number().nullable(),
  notifiedCount: z.number().nullable(),
});

export const dossierNotice = z.object({
  dossierId: z.number(),
  meetingId: z.number(),
  meetingName: z.string(),
  resultLabel: z.string().nullable(),
  exam: examView,
  defense: defenseView,
});
