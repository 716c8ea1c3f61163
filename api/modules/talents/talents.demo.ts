import type { FastifyInstance } from 'fastify';
import { checkIdNumber } from '../../../forms/validators.ts';
import { demoDriver } from '../../src/demo-flows.ts';
import { revealUserIdNumber } from '../staff/users.pii.ts';

type Step = [user: string, action: 'pass' | 'return' | 'reject', opinion?: string];

/** Demo registrations in each state, through the real flow: 审核通过 (counted in 专技人才统计), 审核中 at the department, 已退回, 不通过, 待提交. */
const PEOPLE: Array<{ username: string; values: Record<string, unknown>; submit: boolean; steps: Step[] }> = [
  { username: 'wanghaoran', values: { category: 'engineering', titleKind: 'title', level: 'intermediate', series: 'engineering', titleName: '工程师', education: 'master', politicalStatus: 'party_member' }, submit: true, steps: [['kj_hr', 'pass'], ['cd_jxj', 'pass'], ['cd_hr', 'pass', '同意']] },
  { username: 'demo_applicant_1', values: { category: 'engineering', titleKind: 'title', level: 'senior_deputy', series: 'engineering', titleName: '高级工程师', education: 'doctorate' }, submit: true, steps: [['kj_hr', 'pass'], ['cd_jxj', 'pass'], ['cd_hr', 'pass']] },
  { username: 'demo_applicant_2', values: { category: 'health', titleKind: 'certificate', certificateName: '执业药师', education: 'bachelor', ethnicity: '彝族' }, submit: true, steps: [['kj_hr', 'pass'], ['cd_jxj', 'pass'], ['cd_hr', 'pass']] },
  { username: 'demo_applicant_3', values: { category: 'university_teacher', titleKind: 'title', level: 'senior_full', series: 'university_teacher', titleName: '教授', education: 'doctorate', politicalStatus: 'party_member' }, submit: true, steps: [['kj_hr', 'pass'], ['cd_jxj', 'pass'], ['cd_hr', 'pass']] },
  { username: 'liumengjie', values: { category: 'accounting', titleKind: 'title', level: 'intermediate', series: 'accounting', titleName: '会计师', education: 'bachelor' }, submit: true, steps: [['kj_hr', 'pass']] },
  { username: 'yangbowen', values: { category: 'engineering', titleKind: 'title', level: 'junior', series: 'engineering', titleName: '助理工程师', education: 'associate' }, submit: true, steps: [['kj_hr', 'return', '职称名称与证书不一致，请按证书填写']] },
  { username: 'zhaoxinyi', values: { category: 'economics', titleKind: 'none', education: 'bachelor' }, submit: true, steps: [['kj_hr', 'reject', '非专业技术岗位人员']] },
  { username: 'zhoujunjie', values: { category: 'engineering', titleKind: 'title', level: 'intermediate', series: 'engineering', education: 'bachelor' }, submit: false, steps: [] },
];

export async function loadTalentDemoData(app: FastifyInstance): Promise<void> {
  const d = demoDriver(app);
  for (const p of PEOPLE) {
    const user = await app.db('users').where({ username: p.username }).first('display_name', 'id_number', 'id_number_enc');
    const idNumber = user ? revealUserIdNumber(app.db, user as object) : null;
    const id = idNumber ? checkIdNumber(idNumber) : null;
    if (!user || !id?.ok) continue;
    await d.call(p.username, 'PUT', '/api/talents/mine', {
      personName: user.display_name,
      gender: id.sex,
      birthDate: id.birthDate,
      idNumber: id.value,
      ethnicity: '汉族',
      politicalStatus: 'masses',
      origin: 'mainland',
      ...p.values,
    });
    if (!p.submit) continue;
    const { registration } = await d.call<{ registration: { id: number } }>(p.username, 'POST', '/api/talents/mine/submit');
    for (const [reviewer, action, opinion] of p.steps) await d.call(reviewer, 'POST', `/api/talents/${registration.id}/review`, { action, opinion });
  }
}
