import type { Knex } from 'knex';

/** A GB 11643 number: region + birth date + sequence, with its MOD 11-2 check character. */
export function idNumber(birth: string, seq: number, region = '510104'): string {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return first17 + '10X98765432'[sum % 11];
}

/** The same number with a wrong check character. */
export const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

/** An expert put straight into a committee's pool (for flows that only need the list to exist). */
export async function insertExpert(db: Knex, committeeId: number, idNumberValue = '51010419800101001X', at = new Date()) {
  await db('experts').insert({
    committee_id: committeeId,
    name: '赵专家',
    id_number: idNumberValue,
    sex: 'male',
    birth_month: `${idNumberValue.slice(6, 10)}-${idNumberValue.slice(10, 12)}`,
    employer: '成都大学',
    post: '教授',
    phone1: '13800000001',
    honours: '无',
    specialty: '经济管理',
    current_title: '正高级经济师',
    status: 'in_pool',
    created_at: at,
    updated_at: at,
  });
}

/** A valid 评审活动信息 (a 专项 one, starting 2026-04-01: 30 days after the test clock's start). */
export function activityBody(committeeId: number, overrides: Record<string, unknown> = {}) {
  return {
    committeeId,
    name: '2027年度成都市工程技术系列中级职称专项评审',
    scope: '成都市市本级工程技术人员',
    year: 2027,
    kind: 'special',
    reviewMethod: 'expert',
    writtenExam: 'none',
    defense: 'partial',
    startsAt: '2026-04-01T09:00:00+08:00',
    firstDeadline: '2026-05-01T17:00:00+08:00',
    revisionDeadline: '2026-05-11T17:00:00+08:00',
    receiptDeadline: '2026-05-25T17:00:00+08:00',
    healthPage: false,
    schoolPage: false,
    vocationalPage: false,
    public: true,
    breakthrough: true,
    panels: true,
    panelMethod: 'vote',
    levels: ['intermediate'],
    specialties: ['机械工程', '电气工程'],
    breakthroughConditions: [{ name: '获省部级科技进步奖二等奖以上', description: '本人排名前三' }],
    materials: [{ name: '学历证书', required: true, maxFiles: 2 }],
    ...overrides,
  };
}
