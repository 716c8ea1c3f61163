import { z } from 'zod';

export const meetingParams = z.object({ meetingId: z.coerce.number().int().positive('评审会议编号不正确') });

export const voteBody = z.object({
  dossierId: z.number({ error: '参评人员编号不正确' }).int().positive('参评人员编号不正确'),
  choice: z.enum(['agree', 'disagree', 'abstain'], { error: '表决应为同意、不同意或弃权' }).nullable().optional(),
  score: z.number({ error: '分数应为数字' }).min(0, '分数不能为负').nullable().optional(),
});
export const votesBody = z.object({ votes: z.array(voteBody).max(2000, '一次最多提交 2000 条表决') });
export const submitBody = z.object({ votes: z.array(voteBody).max(2000, '一次最多提交 2000 条表决').optional() });

export const credentialsBody = z.object({
  expertIds: z.array(z.number().int().positive('专家编号不正确')).max(500).optional(),
});

export const expertActionBody = z.object({
  expertId: z.number({ error: '请选择专家' }).int().positive('请选择专家'),
  opinion: z.string({ error: '请填写原因' }).trim().min(1, '请填写原因').max(500, '原因最多 500 字'),
});
export const passBody = z.object({ opinion: z.string().trim().max(500, '意见最多 500 字').nullable().optional() });

const meetingView = z.object({ id: z.number(), name: z.string(), kind: z.string(), status: z.string(), activityName: z.string(), committeeName: z.string() });

export const expertMeetingView = z.object({
  meeting: meetingView,
  expert: z.object({ expertId: z.number(), name: z.string(), panelName: z.string().nullable() }),
  round: z.object({ id: z.number(), kind: z.string(), label: z.string(), method: z.enum(['vote', 'score']), methodLabel: z.string() }).nullable(),
  ballot: z.object({ status: z.string(), statusLabel: z.string(), submittedAt: z.string().nullable(), editable: z.boolean() }).nullable(),
  candidates: z.array(
    z.object({
      dossierId: z.number(),
      orderNo: z.number(),
      applicantName: z.string(),
      employerName: z.string().nullable(),
      panelName: z.string().nullable(),
      choice: z.enum(['agree', 'disagree', 'abstain']).nullable(),
      score: z.number().nullable(),
      panelScore: z.number().nullable(),
    }),
  ),
  scoring: z.object({ items: z.array(z.object({ name: z.string(), maxPoints: z.number(), description: z.string().nullable() })), maxTotal: z.number() }),
  materials: z.array(z.object({ id: z.string(), name: z.string(), size: z.number(), mime: z.string() })),
});

export const expertMeetingList = z.array(z.object({ id: z.number(), name: z.string(), kind: z.string(), status: z.string() }));

const roundView = z.object({
  id: z.number(),
  kind: z.string(),
  label: z.string(),
  panelName: z.string().nullable(),
  method: z.enum(['vote', 'score']),
  methodLabel: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  confirmed: z.number(),
  attending: z.number(),
  quorum: z.number(),
  valid: z.boolean(),
  experts: z.array(
    z.object({
      expertId: z.number(),
      name: z.string(),
      status: z.string(),
      statusLabel: z.string(),
      agree: z.number(),
      disagree: z.number(),
      abstain: z.number(),
      notVoted: z.number(),
      passRate: z.number().nullable(),
      abstainRate: z.number().nullable(),
      submittedAt: z.string().nullable(),
    }),
  ),
  /** how many candidates the round votes on: their results are paged (GET …/tally/rounds/:roundId/results) */
  resultCount: z.number(),
});

const resultView = z.object({
      dossierId: z.number(),
      orderNo: z.number(),
      applicantName: z.string(),
      employerName: z.string().nullable(),
      agree: z.number(),
      disagree: z.number(),
      abstain: z.number(),
      notVoted: z.number(),
      averageScore: z.number().nullable(),
      panelScore: z.number().nullable(),
      passed: z.boolean().nullable(),
      resultLabel: z.string(),
});

/** 参评人员结果: one page of a round's candidates in the meeting's order. */
export const resultsQuery = z.object({
  page: z.coerce.number({ error: 'page 须为页码' }).int('page 须为整数').min(1, 'page 从 1 开始').max(10_000, 'page 超出范围').default(1),
  pageSize: z.coerce.number({ error: 'pageSize 须为数字' }).int('pageSize 须为整数').min(1, 'pageSize 至少为 1').max(500, '每页不超过 500 人').default(50),
  name: z.string().trim().max(50, '姓名不超过 50 个字').optional(),
});
export const resultsPage = z.object({ total: z.number(), results: z.array(resultView) });
export const roundParams = z.object({
  meetingId: z.coerce.number({ error: '会议编号须为数字' }).int().positive('会议编号无效'),
  roundId: z.coerce.number({ error: '轮次编号须为数字' }).int().positive('轮次编号无效'),
});

export const tallyView = z.object({
  meeting: meetingView,
  readOnly: z.boolean(),
  rounds: z.array(roundView),
  waitingFor: z.array(z.string()),
  tallyOpen: z.boolean(),
  canPass: z.boolean(),
});

export const ballotSaved = z.object({ status: z.string(), statusLabel: z.string(), saved: z.number(), submittedAt: z.string().nullable() });
