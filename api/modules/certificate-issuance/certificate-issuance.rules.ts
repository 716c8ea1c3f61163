import { checkDocNumber } from '../../../forms/validators.ts';
import { ValidationError } from '../../src/errors.ts';

/** A 职称文件文号 `X〔YYYY〕N号` whose year is the approval year; the 400 names the field in Chinese. */
export function checkIssuingData(documentNo: string, approvalDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(approvalDate) || Number.isNaN(Date.parse(`${approvalDate}T00:00:00Z`))) {
    throw new ValidationError('批准时间无效', [{ field: 'approvalDate', message: '批准时间应为 YYYY-MM-DD 格式的日期' }]);
  }
  const doc = checkDocNumber(documentNo);
  if (!doc.ok) throw new ValidationError(`职称文件文号：${doc.reason}`, [{ field: 'documentNo', message: `职称文件文号：${doc.reason}` }]);
  const year = Number(approvalDate.slice(0, 4));
  if (doc.year !== year) {
    throw new ValidationError(`职称文件文号的年份（${doc.year}）须与批准时间的年份（${year}）一致`, [{ field: 'documentNo', message: `职称文件文号的年份须为批准年份 ${year}` }]);
  }
  return doc.value;
}

/** 5101**********231X */
export { maskIdNumber } from '../certificates/certificates.types.ts';
