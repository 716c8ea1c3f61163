import { z } from 'zod';
import { defineForm, field } from './define.ts';

/**
 * 开始申报: what an applicant gives when starting the dossier flow (the start event's form).
 * Everything else the flow knows — the applicant, the employer, the review chain — the system
 * finds out itself, so nobody can start a case with a route of their own choosing.
 */
export const dossierStartForm = defineForm({
  key: 'dossier-start',
  title: '开始申报',
  description: '选择要申报的评审活动（已发布且在申报时间内）',
  dataRequiredFor: ['start'],
  opinionRequiredFor: [],
  actionLabels: { start: '开始申报' },
  schema: z.object({
    activityId: field(z.number().int().positive(), { title: '评审活动', widget: 'select' }),
  }),
});
