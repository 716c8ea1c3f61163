import type { FastifyInstance } from 'fastify';
import { demoDriver } from '../../src/demo-flows.ts';

type UnitMeeting = { meetingId: number };
type Confirmation = { candidates: Array<{ state: string; documentNo: string | null; handedAt: string | null }> };

/**
 * Demo data for 证书生成, through the real routes: the committee hands the demo meeting's confirmed
 * candidate (文号 set by `loadResultsDemoData`) to certificate issuance, so 成都市人社局 (`cd_hr`, the
 * committee's 授权管理单位) has them in 评审发证 → 待处理; and three 初定 persons wait in 初定发证 → 未发放.
 * Loaded by the server after `loadResultsDemoData` on a fresh database.
 */
export async function loadIssuanceDemoData(app: FastifyInstance): Promise<void> {
  const d = demoDriver(app);
  const meetings = await d.call<UnitMeeting[]>('cd_hr', 'GET', '/api/result-confirmations?kind=direct');
  for (const m of meetings) {
    const confirmed = await d.call<Confirmation>('cd_hr', 'GET', `/api/result-confirmations/${m.meetingId}/candidates?kind=direct&state=passed&pageSize=500`);
    if (confirmed.candidates.some((c) => c.documentNo && !c.handedAt)) {
      await d.call('cd_pw', 'POST', `/api/meetings/${m.meetingId}/confirmation/handover`);
    }
  }
  const persons = [
    { personName: '孙立新', idNumber: '51010419920315001X', series: '工程技术', specialty: '机械工程', titleName: '助理工程师', level: '初级', employer: '成都示范科技有限公司', education: '大学本科' },
    { personName: '钱雨桐', idNumber: '510105199408230028', series: '工程技术', specialty: '电气工程', titleName: '助理工程师', level: '初级', employer: '成都示范科技有限公司', education: '大学本科' },
    { personName: '李泽宇', idNumber: '510106199011110016', series: '工程技术', specialty: '建筑工程', titleName: '工程师', level: '中级', employer: '成都示范科技有限公司', education: '硕士研究生' },
  ];
  for (const p of persons) await d.call('cd_hr', 'POST', '/api/certificate-issuance/initial/persons', p);
}
