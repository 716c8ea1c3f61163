import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { checkDocNumber, checkIdNumber } from '../../../forms/validators.ts';

/** 取得方式 of a historical title (the upload's type; each row repeats it). */
export const ACQUISITION_TYPES = { review: '评审', initial: '初定', recognition: '确认', delegated: '委托评审' } as const;
export type AcquisitionType = keyof typeof ACQUISITION_TYPES;

/** The columns of the template, in order: key, header, example. */
export const RECORD_COLUMNS = [
  { key: 'personName', header: '姓名', example: '张三' },
  { key: 'gender', header: '性别', example: '男' },
  { key: 'idNumber', header: '证件号码', example: '51010419800101001X' },
  { key: 'birthDate', header: '出生日期', example: '1980-01-01' },
  { key: 'employerName', header: '工作单位', example: '成都示范科技有限公司' },
  { key: 'series', header: '职称系列', example: '工程技术' },
  { key: 'specialty', header: '专业', example: '机械工程' },
  { key: 'titleName', header: '职称名称', example: '工程师' },
  { key: 'level', header: '层级', example: '中级' },
  { key: 'acquisition', header: '取得方式', example: '评审' },
  { key: 'reviewBody', header: '评审机构', example: '成都市工程技术系列中级职称评审委员会' },
  { key: 'reviewDate', header: '评审时间', example: '2018-10-20' },
  { key: 'approvalDate', header: '批准时间', example: '2018-12-01' },
  { key: 'documentNo', header: '职称文件文号', example: '成人社职〔2018〕12号' },
] as const;

export type RecordField = (typeof RECORD_COLUMNS)[number]['key'];
export type RecordValues = Record<RecordField, string>;
export const RECORD_FIELDS = RECORD_COLUMNS.map((c) => c.key) as RecordField[];
export const FIELD_LABELS = Object.fromEntries(RECORD_COLUMNS.map((c) => [c.key, c.header])) as Record<RecordField, string>;

export interface Problem {
  field: RecordField;
  message: string;
}

/** A review body the uploading unit may name: one of its filed committees, or a historical review body assigned to it. */
export interface ReviewBodyScope {
  name: string;
  kind: 'committee' | 'history';
  /** series and level keys (工程技术 → engineering) it could review */
  series: string[];
  levels: string[];
}

export interface CheckContext {
  acquisitionType: AcquisitionType;
  documentNo: string;
  /** by name */
  bodies: ReadonlyMap<string, ReviewBodyScope>;
  today: Date;
}

/** Records of the review type approved after this year are no longer history: they come from the system's own review. */
export const LAST_HISTORY_REVIEW_YEAR = 2024;

const SERIES_KEYS = new Map(Object.entries(SERIES).map(([k, v]) => [v as string, k]));
const LEVEL_KEYS = new Map(Object.entries(LEVELS).map(([k, v]) => [v as string, k]));

/** A date as typed: YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY.MM.DD, normalised; null when not a real date. */
export function parseDate(input: string): string | null {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(input.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Trims every cell; what is not a string (a number, a date cell) becomes its text. */
export function normaliseValues(input: Partial<Record<RecordField, unknown>>): RecordValues {
  const out = {} as RecordValues;
  for (const f of RECORD_FIELDS) {
    const v = input[f];
    out[f] = v instanceof Date ? v.toISOString().slice(0, 10) : v == null ? '' : String(v).trim();
  }
  return out;
}

const REQUIRED: RecordField[] = ['personName', 'idNumber', 'series', 'specialty', 'titleName', 'level', 'acquisition', 'reviewBody', 'approvalDate', 'documentNo'];

/**
 * The checks of one row that need nothing but the row and the uploading unit's review bodies
 * (manual §1.2.8.2.1 and notice 000). Each problem names its field and says why in Chinese.
 */
export function checkRecord(values: RecordValues, ctx: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const add = (field: RecordField, message: string) => {
    if (!problems.some((p) => p.field === field)) problems.push({ field, message });
  };
  for (const f of REQUIRED) if (!values[f]) add(f, `${FIELD_LABELS[f]}不能为空`);
  for (const f of RECORD_FIELDS) if (values[f].includes('\u0000')) add(f, `${FIELD_LABELS[f]}中含有空字符（U+0000）`);
  for (const f of RECORD_FIELDS) if (values[f].length > 200) add(f, `${FIELD_LABELS[f]}最多 200 个字符`);

  const typeLabel = ACQUISITION_TYPES[ctx.acquisitionType];
  if (values.acquisition && values.acquisition !== typeLabel) {
    add('acquisition', `本批次为“${typeLabel}”取得的证书，取得方式应填写“${typeLabel}”`);
  }

  if (values.idNumber) {
    const id = checkIdNumber(values.idNumber, ctx.today);
    if (!id.ok) add('idNumber', `身份证号码无效：${id.reason}`);
    else if (values.birthDate) {
      const birth = parseDate(values.birthDate);
      if (!birth) add('birthDate', '出生日期格式应为 YYYY-MM-DD');
      else if (birth !== id.birthDate) add('birthDate', `出生日期与身份证号码中的出生日期（${id.birthDate}）不一致`);
    }
  }
  if (values.gender && values.gender !== '男' && values.gender !== '女') add('gender', '性别应填写“男”或“女”');

  const seriesKey = values.series ? SERIES_KEYS.get(values.series) : undefined;
  if (values.series && !seriesKey) add('series', `职称系列“${values.series}”不存在`);
  const levelKey = values.level ? LEVEL_KEYS.get(values.level) : undefined;
  if (values.level && !levelKey) add('level', '层级应填写正高级、副高级、中级或初级');

  // 初定 and 确认 titles were not reviewed by anyone: their review body column says so (manual)
  if (values.reviewBody) {
    if (ctx.acquisitionType === 'initial' || ctx.acquisitionType === 'recognition') {
      if (values.reviewBody !== typeLabel) add('reviewBody', `${typeLabel}类证书的评审机构只能填写“${typeLabel}”`);
    } else {
      const body = ctx.bodies.get(values.reviewBody);
      if (!body) add('reviewBody', `评审机构“${values.reviewBody}”不是本单位已备案的评委会，也不是指定本单位采集的历史评审机构`);
      else {
        if (seriesKey && body.series.length && !body.series.includes(seriesKey)) add('series', `评审机构“${body.name}”不能评审${values.series}系列`);
        if (levelKey && body.levels.length && !body.levels.includes(levelKey)) add('level', `评审机构“${body.name}”不能评审${values.level}职称`);
      }
    }
  }

  const reviewDate = values.reviewDate ? parseDate(values.reviewDate) : null;
  if (values.reviewDate && !reviewDate) add('reviewDate', '评审时间格式应为 YYYY-MM-DD');
  const approvalDate = values.approvalDate ? parseDate(values.approvalDate) : null;
  if (values.approvalDate && !approvalDate) add('approvalDate', '批准时间格式应为 YYYY-MM-DD');
  if (reviewDate && approvalDate && reviewDate >= approvalDate) add('reviewDate', `评审时间（${reviewDate}）须早于批准时间（${approvalDate}）`);
  if (approvalDate && approvalDate > ctx.today.toISOString().slice(0, 10)) add('approvalDate', '批准时间不能晚于今天');
  if (approvalDate && ctx.acquisitionType === 'review' && Number(approvalDate.slice(0, 4)) > LAST_HISTORY_REVIEW_YEAR) {
    add('approvalDate', `评审取得的职称 ${LAST_HISTORY_REVIEW_YEAR} 年以后批准的，应通过本系统评审发证，不能作为历史数据采集`);
  }

  if (values.documentNo) {
    const doc = checkDocNumber(values.documentNo);
    if (!doc.ok) add('documentNo', `职称文件文号格式不正确：${doc.reason}`);
    else if (approvalDate && String(doc.year) !== approvalDate.slice(0, 4)) add('documentNo', `职称文件文号的年份（${doc.year}）须与批准时间的年份（${approvalDate.slice(0, 4)}）一致`);
    else if (values.documentNo !== ctx.documentNo) add('documentNo', `本批次的职称文件文号为“${ctx.documentNo}”，与本行不一致`);
  }
  return problems;
}

/** What the system already holds about an ID number, for the 高风险提醒. */
export interface KnownPerson {
  source: 'user' | 'history' | 'certificate';
  name: string;
  birthDate: string | null;
  titleName?: string | null;
  level?: string | null;
  series?: string | null;
}

/**
 * 高风险提醒: a row that conflicts with what the system holds — the same ID number under another
 * name or birth date, or a certificate of the same title already issued. Warnings, not errors:
 * history is often messy, and the reviewer decides.
 */
export function conflictWarnings(values: RecordValues, known: readonly KnownPerson[]): Problem[] {
  const out: Problem[] = [];
  const sourceLabel = { user: '系统账号', history: '其他历史数据', certificate: '已发证书' } as const;
  const birth = parseDate(values.birthDate);
  for (const k of known) {
    if (k.name && values.personName && k.name !== values.personName) {
      out.push({ field: 'personName', message: `高风险：该证件号码在${sourceLabel[k.source]}中的姓名为“${k.name}”` });
    } else if (k.birthDate && birth && k.birthDate !== birth) {
      out.push({ field: 'birthDate', message: `高风险：该证件号码在${sourceLabel[k.source]}中的出生日期为 ${k.birthDate}` });
    }
    if (k.source === 'certificate' && k.titleName === values.titleName && (!k.level || k.level === values.level)) {
      out.push({ field: 'titleName', message: `高风险：此人已有“${values.titleName}”的电子证书` });
    }
  }
  const seen = new Set<string>();
  return out.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
}
