import type { Knex } from 'knex';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from './passwords.ts';
import { createUnitsRepository } from '../modules/units/units.repository.ts';
import { userNumbersWrite } from '../modules/staff/users.pii.ts';
import { demoDossierData, demoDriver, receiveDemoDossier, type DemoApplicant } from './demo-flows.ts';

export const DEMO_PASSWORD = 'Zcps@2026';

export interface DemoAccount {
  username: string;
  displayName: string;
  unit: string;
  roles: string[];
  idNumber?: string;
  note: string;
  /** an applicant of the second-half demo, created with its dossier by `loadResultsDemoData` */
  resultsDemo?: true;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '系统管理员', unit: 'province', roles: ['admin', 'unit_admin'], note: '系统管理员（流程管理、流程异常、省厅单位管理）' },
  { username: 'sc_hr', displayName: '省人社厅经办人', unit: 'province', roles: ['hr_clerk'], note: '省人社厅经办人：评委会备案审核、专家库审核、评审活动时间调整审核（备案单位）' },
  { username: 'cd_hr', displayName: '成都市人社局经办人', unit: 'city', roles: ['hr_clerk', 'unit_admin'], note: '市人社局审核、下级单位管理、主管部门配置、账号解禁、评委会备案和评审活动发布审核（授权管理单位）' },
  { username: 'cd_pw', displayName: '成都市评委会经办人', unit: 'city', roles: ['committee_clerk'], note: '评委会备案申报、专家库管理、评审活动发布、评委会接收（参评资格审核）' },
  { username: 'jj_hr', displayName: '锦江区人社局经办人', unit: 'county', roles: ['hr_clerk', 'unit_admin'], note: '县（区）人社局经办人' },
  { username: 'cd_jxj', displayName: '成都市经信局经办人', unit: 'department', roles: ['department_clerk', 'unit_admin'], note: '主管部门审核、下级单位管理' },
  { username: 'kj_hr', displayName: '示范科技经办人', unit: 'employer', roles: ['unit_clerk', 'unit_admin'], note: '申报单位审核、工作人员和多岗审核配置' },
  {
    username: 'zhangwei',
    displayName: '张伟',
    unit: 'employer',
    roles: ['applicant'],
    idNumber: '51010419900307231X',
    note: '申报人（也可用身份证号 51010419900307231X 登录）',
  },
  {
    username: 'lina',
    displayName: '李娜',
    unit: 'employer',
    roles: ['applicant'],
    idNumber: '510107198806154823',
    note: '申报人（也可用身份证号 510107198806154823 登录）',
  },
  { username: 'wanghaoran', displayName: '王浩然', unit: 'employer', roles: ['applicant'], idNumber: demoIdNumber('510107', '19900214', 401), resultsDemo: true, note: '申报人：评审通过，公示中（首页评审结果公示）' },
  { username: 'liumengjie', displayName: '刘梦洁', unit: 'employer', roles: ['applicant'], idNumber: demoIdNumber('510107', '19910822', 402), resultsDemo: true, note: '申报人：评审通过，公示中，被投诉（调查核实中）' },
  { username: 'yangbowen', displayName: '杨博文', unit: 'employer', roles: ['applicant'], idNumber: demoIdNumber('510107', '19890516', 403), resultsDemo: true, note: '申报人：评审结果确认通过（有职称文件文号），我的申报显示“通过”' },
  { username: 'zhaoxinyi', displayName: '赵欣怡', unit: 'employer', roles: ['applicant'], idNumber: demoIdNumber('510107', '19900328', 404), resultsDemo: true, note: '申报人：评审结果确认不通过' },
  { username: 'zhoujunjie', displayName: '周俊杰', unit: 'employer', roles: ['applicant'], idNumber: demoIdNumber('510107', '19881109', 405), resultsDemo: true, note: '申报人：公示结束，等待评审结果确认' },
];

/** True when the database holds no units and no accounts, i.e. nobody has used it yet. */
export async function isEmptyDatabase(db: Knex): Promise<boolean> {
  const [units, users] = await Promise.all([db('units').count<{ n: number }[]>({ n: '*' }), db('users').count<{ n: number }[]>({ n: '*' })]);
  return Number(units[0]?.n) === 0 && Number(users[0]?.n) === 0;
}

/**
 * Demo data for a first look: province bureau → city bureau → (county bureau | competent
 * department → employer), one account per role and level, two applicants, one committee and its
 * open activity. Never loaded into a
 * database that already holds data.
 */
export async function loadDemoData(db: Knex, now = new Date()): Promise<boolean> {
  const hash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (trx) => {
    // re-checked inside the transaction: two processes starting together load it once
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['zcps.demo']);
    if (!(await isEmptyDatabase(trx))) return false;
    const units = createUnitsRepository(trx);
    const base = { nature: 'agency', phone: '028-86000000' };
    const province = await units.insert(
      { ...base, parentId: null, name: '四川省人力资源和社会保障厅', unitType: 'hr_bureau', adminLevel: 'province', regionCode: '510000', creditCode: '115100000087024764' },
      trx,
    );
    const city = await units.insert(
      { ...base, parentId: province.id, name: '成都市人力资源和社会保障局', unitType: 'hr_bureau', adminLevel: 'city', regionCode: '510100', creditCode: '11510100008701234C' },
      trx,
    );
    const county = await units.insert(
      { ...base, parentId: city.id, name: '成都市锦江区人力资源和社会保障局', unitType: 'hr_bureau', adminLevel: 'county', regionCode: '510104', creditCode: '11510104008711022B' },
      trx,
    );
    const department = await units.insert(
      { ...base, parentId: city.id, name: '成都市经济和信息化局', unitType: 'department', adminLevel: 'city', regionCode: '510100', creditCode: '11510100MB1526731P' },
      trx,
    );
    const employer = await units.insert(
      {
        parentId: department.id,
        name: '成都示范科技有限公司',
        unitType: 'employer',
        adminLevel: 'city',
        regionCode: '510100',
        creditCode: '91510100MA6CN4T04W',
        nature: 'enterprise',
        phone: '028-85000000',
        address: '成都市高新区天府大道 1 号',
        legalRepName: '王建国',
        legalRepIdNumber: '510107198506121050',
        legalRepPhone: '13800000000',
      },
      trx,
    );
    const unitIds: Record<string, number> = { province: province.id, city: city.id, county: county.id, department: department.id, employer: employer.id };
    for (const account of DEMO_ACCOUNTS.filter((a) => !a.resultsDemo)) {
      await trx('users').insert({
        username: account.username,
        password_hash: hash,
        display_name: account.displayName,
        unit_id: unitIds[account.unit],
        roles: account.roles,
        ...userNumbersWrite(trx, { id_number: account.idNumber ?? null }),
        status: 'active',
        created_at: now,
        updated_at: now,
      });
    }
    // a filed committee of the city bureau (授权管理单位 the city bureau, filed with the province)
    const day = (offset: number) => new Date(now.getTime() + offset * 24 * 3600 * 1000);
    const [committee] = await trx('committees')
      .insert({
        name: '成都市工程技术系列中级职称评审委员会',
        organizer_unit_id: city.id,
        series: 'engineering',
        admin_level: 'city',
        office_agency: '成都市人力资源和社会保障局',
        office: '成都市工程技术系列中级职称评审委员会办公室',
        review_type: 'evaluation',
        levels: ['intermediate', 'junior'],
        issuer_unit_id: city.id,
        registrar_unit_id: province.id,
        contact_name: '李老师',
        contact_phone: '028-86000001',
        address: '成都市青羊区人民中路 1 号',
        build_by: 'series',
        specialties: ['机械工程', '电气工程', '建筑工程'],
        review_regions: ['510100'],
        filing_status: 'filed',
        valid_from: day(-30),
        valid_to: day(3 * 365 - 31),
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    // its expert pool
    const expert = (name: string, idNumber: string, sex: string, employer: string, post: string, specialty: string, title: string, chair = false) => ({
      committee_id: committee.id,
      name,
      id_number: idNumber,
      sex,
      birth_month: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}`,
      employer,
      post,
      phone1: '13800001234',
      honours: '无',
      series: 'engineering',
      specialty,
      current_title: title,
      is_chair: chair,
      region_code: '510100',
      status: 'in_pool',
      created_at: now,
      updated_at: now,
    });
    await trx('experts').insert([
      expert('陈志远', '510102197003151016', 'male', '四川大学', '教授', '机械工程', '正高级工程师', true),
      expert('刘晓梅', '510107197506201021', 'female', '中国五冶集团有限公司', '总工程师', '建筑工程', '正高级工程师'),
      expert('杨建华', '510104196809101016', 'male', '国网四川省电力公司', '高级工程师', '电气工程', '高级工程师'),
    ]);
    await trx('committee_filings').insert({
      committee_id: committee.id,
      status: 'approved',
      expert_count: 3,
      submitted_at: day(-40),
      decided_at: day(-30),
      valid_from: day(-30),
      valid_to: day(3 * 365 - 31),
      opinion: '同意备案（演示数据）',
    });
    // its annual activity, open for first submissions
    await trx('activities').insert({
      committee_id: committee.id,
      name: `${now.getFullYear()}年度成都市工程技术系列中级职称评审`,
      year: now.getFullYear(),
      committee_unit_id: city.id,
      status: 'published',
      kind: 'annual',
      scope: '成都市市本级工程技术系列中级职称',
      levels: ['intermediate'],
      specialties: ['机械工程', '电气工程', '建筑工程'],
      // notice 004 四: 每年累计不少于 90 学时
      min_continuing_education_hours: 90,
      starts_at: day(-1),
      first_deadline: day(60),
      revision_deadline: day(75),
      receipt_deadline: day(95),
      published_at: day(-31),
      created_at: now,
      updated_at: now,
    });
    return true;
  });
}

/** A GB 11643 number for demo people: region + birth date + sequence, with its MOD 11-2 check character. */
function demoIdNumber(region: string, birth: string, seq: number): string {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * (weights[i] as number), 0);
  return first17 + '10X98765432'[sum % 11];
}

/**
 * Demo data for trying a review meeting (评审会议管理): the demo activity with 专业组 (投票), six
 * more experts in the demo committee's pool and four applicants whose dossiers went through the
 * real dossier flow up to 评委会接收. Loaded by the server right after `loadDemoData` on a fresh
 * database (tests build their own meeting data and do not load it).
 */
export async function loadMeetingDemoData(app: FastifyInstance, now = app.engine.clock.now()): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const applicants: Array<DemoApplicant & { birthDate: string; idNumber: string }> = [
    ['陈思远', 'male', '机械工程'] as const,
    ['林雨桐', 'female', '机械工程'] as const,
    ['黄志明', 'male', '电气工程'] as const,
    ['徐佳怡', 'female', '电气工程'] as const,
  ].map(([name, gender, specialty], i) => ({ username: `demo_applicant_${i + 1}`, name, gender, specialty, birthDate: `1989-04-1${i}`, idNumber: demoIdNumber('510107', `1989041${i}`, 301 + i) }));
  const activityId = await app.db.transaction(async (trx) => {
    const committee = await trx('committees').where({ name: '成都市工程技术系列中级职称评审委员会' }).first('id');
    const activity = await trx('activities').where({ committee_id: committee.id, status: 'published' }).orderBy('id').first('id', 'year');
    const employer = await trx('units').where({ name: '成都示范科技有限公司' }).first('id');
    if (!committee || !activity || !employer) return null;
    await trx('activities').where({ id: activity.id }).update({ panels: true, panel_method: 'vote' });
    const experts: Array<[string, string, string, string, boolean]> = [
      ['王明德', '西南交通大学', '机械工程', '正高级工程师', true],
      ['赵丽华', '东方电气集团', '机械工程', '正高级工程师', false],
      ['孙国强', '成都飞机工业集团', '机械工程', '高级工程师', false],
      ['周海燕', '国网成都供电公司', '电气工程', '正高级工程师', false],
      ['吴志刚', '电子科技大学', '电气工程', '教授', false],
      ['郑晓东', '四川省建筑设计研究院', '建筑工程', '正高级工程师', false],
    ];
    await trx('experts').insert(
      experts.map(([name, unit, specialty, title, chair], i) => {
        const idNumber = demoIdNumber('510106', `19${68 + i}0${(i % 9) + 1}1${i}`, 200 + i);
        return {
          committee_id: committee.id,
          name,
          id_number: idNumber,
          sex: i % 2 ? 'female' : 'male',
          birth_month: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}`,
          employer: unit,
          post: '总工程师',
          phone1: `1380000${String(2001 + i)}`,
          honours: '无',
          series: 'engineering',
          specialty,
          current_title: title,
          is_chair: chair,
          region_code: '510100',
          status: 'in_pool',
          created_at: now,
          updated_at: now,
        };
      }),
    );
    await trx('users').insert(
      applicants.map((a) => ({ username: a.username, password_hash: hash, display_name: a.name, unit_id: employer.id, roles: ['applicant'], ...userNumbersWrite(trx, { id_number: a.idNumber }), status: 'active', created_at: now, updated_at: now })),
    );
    return Number(activity.id);
  });
  if (activityId == null) return;
  // through the flow, not as rows: each dossier has its case (申报详情, 经办流程) like any other
  const driver = demoDriver(app);
  for (const [i, a] of applicants.entries()) {
    await receiveDemoDossier(app, driver, a.username, activityId, demoDossierData(a, a.birthDate, `1390000${String(3001 + i)}`), now);
  }
}
