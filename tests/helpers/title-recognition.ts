import type { TestApp } from './app.ts';
import { uploadPdf } from './files.ts';

/** A complete 职称确认申请 of `user`, with its two attachments uploaded by that user. */
export async function recognitionApplication(t: TestApp, user: string, overrides: Record<string, unknown> = {}) {
  const scan = await uploadPdf(t, user, '职称证书扫描件.pdf');
  const qualification = await uploadPdf(t, user, '任职资格文件.pdf');
  return {
    series: 'engineering',
    specialty: '机械工程',
    titleName: '工程师',
    level: 'intermediate',
    acquisition: 'other_province',
    originalBody: '重庆市工程技术系列中级职称评审委员会',
    obtainedDate: '2019-12-20',
    originalDocumentNo: '渝人社职〔2019〕88号',
    certificateFileId: scan.id,
    qualificationFileId: qualification.id,
    reason: '由重庆调入本单位，申请确认原评审取得的工程师职称',
    ...overrides,
  };
}
