import type { FastifyInstance } from 'fastify';
import { demoDriver } from '../../src/demo-flows.ts';

/**
 * Demo data for 职称确认, through the real routes: 李娜 (`lina`) applies and waits at 成都示范科技
 * (`kj_hr`, 职称确认审核 → 待本单位审核); 张伟 (`zhangwei`) has been passed by his unit and by
 * 经信局 and waits at 成都市人社局 (`cd_hr`), whose pass confirms and issues the certificate.
 * Loaded by the server on a fresh database.
 */
export async function loadRecognitionDemoData(app: FastifyInstance): Promise<void> {
  const d = demoDriver(app);
  const apply = async (user: string, body: Record<string, unknown>) => {
    const scan = await d.uploadPdf(user, '职称证书扫描件.pdf');
    const qualification = await d.uploadPdf(user, '任职资格文件.pdf');
    return d.call<{ id: number }>(user, 'POST', '/api/my/title-recognitions', { ...body, certificateFileId: scan.id, qualificationFileId: qualification.id });
  };
  await apply('lina', {
    series: 'engineering',
    specialty: '电子信息',
    titleName: '工程师',
    level: 'intermediate',
    acquisition: 'other_province',
    originalBody: '重庆市工程技术系列中级职称评审委员会',
    obtainedDate: '2018-12-15',
    originalDocumentNo: '渝人社职〔2018〕120号',
    reason: '由重庆市调入本单位工作，申请确认在重庆取得的工程师职称',
  });
  const { id } = await apply('zhangwei', {
    series: 'engineering',
    specialty: '机械工程',
    titleName: '高级工程师',
    level: 'senior_deputy',
    acquisition: 'central_unit',
    originalBody: '中国机械工业联合会高级职称评审委员会',
    obtainedDate: '2021-11-30',
    originalDocumentNo: '机联人〔2021〕45号',
    reason: '原在中央部属单位评审取得，现调入本省企业，申请确认',
  });
  // each decision names the step its reviewing screen shows
  const shown = async (user: string) => (await d.call<{ taskId: string }>(user, 'GET', `/api/title-recognitions/${id}`)).taskId;
  await d.call('kj_hr', 'POST', `/api/title-recognitions/${id}/review`, { action: 'pass', reason: '材料齐全，情况属实', taskId: await shown('kj_hr') });
  await d.call('cd_jxj', 'POST', `/api/title-recognitions/${id}/review`, { action: 'pass', reason: '同意', taskId: await shown('cd_jxj') });
}
