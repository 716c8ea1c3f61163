import { z } from 'zod';
import { defineForm } from './define.ts';

/**
 * 证书生成 (manual §1.2.8.1): a batch waits at 待发放 / 待发证 until the issuer has set the approval
 * date and 文号 of each person, exported the summary table, uploaded it stamped, and 发证. The step
 * is worked on the issuance pages (取消发证 and the 生成证书 dialog); the generic task page works too.
 */
export const issuanceIssueForm = defineForm({
  key: 'issuance-issue',
  title: '生成证书',
  description: '核对待发证人员名单，设置批准时间和职称文件文号，导出汇总表线下盖章后上传盖章汇总表（PDF），然后发证；批次中的人员全部取消发证后撤销批次。',
  dataRequiredFor: [],
  opinionRequiredFor: [],
  actionLabels: { issue: '发证', discard: '撤销批次' },
  page: '/certificate-issuance',
  schema: z.object({}),
});

export const ISSUANCE_FORMS = [issuanceIssueForm];
