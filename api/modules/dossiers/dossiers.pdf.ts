import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { ACHIEVEMENT_TEMPLATES, ACHIEVEMENT_TITLES } from '../../../forms/activity.ts';
import { EDUCATION, LEVELS, SERIES } from '../../../forms/catalog.ts';
import { GENDERS, PLEDGE_TEXT } from '../../../forms/dossier-submit.ts';
import { TEMPLATE_FIELDS, type DeclarationRules } from './dossiers.declaration.ts';

// Noto Sans SC ships as plain TTF in an npm package; pdfkit subsets it, so a form stays small
const FONT_DIR = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/package.json'));
const REGULAR = path.join(FONT_DIR, '400Regular/NotoSansSC_400Regular.ttf');
const BOLD = path.join(FONT_DIR, '700Bold/NotoSansSC_700Bold.ttf');
pdfmake.setFonts({ NotoSansSC: { normal: REGULAR, bold: BOLD, italics: REGULAR, bolditalics: BOLD } });
// a form never loads anything from outside: no URLs, no files but the font
(pdfmake as unknown as { setUrlAccessPolicy(cb: (url: string) => boolean): void }).setUrlAccessPolicy(() => false);
(pdfmake as unknown as { setLocalAccessPolicy(cb: (p: string) => boolean): void }).setLocalAccessPolicy((p) => p === REGULAR || p === BOLD);

export interface ReviewFormInput {
  dossierId: number;
  statusLabel: string;
  activityName: string;
  committeeName: string;
  applicant: { name: string; idNumber: string | null; unitName: string | null };
  data: Record<string, unknown>;
  rules: DeclarationRules;
  opinions: Array<{ step: string; unitName: string | null; actorName: string | null; action: string; opinion: string | null; at: string }>;
  /** 诚信承诺 accepted at (formatted), or null: not accepted (a draft, or a submission from before the pledge) */
  pledgeAcceptedAt: string | null;
  printedAt: string;
}

const label = <T extends Record<string, string>>(map: T, key: unknown): string => (typeof key === 'string' ? (map[key as keyof T] ?? key) : '');
const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v));
const files = (v: unknown): string => (Array.isArray(v) && v.length ? `附件 ${v.length} 个：${v.map((f) => (f as { name?: string }).name ?? '').join('、')}` : '');
const th = (text: string): TableCell => ({ text, style: 'th' });

function grid(rows: Array<[string, string, string?, string?]>): Content {
  return {
    table: {
      widths: [80, '*', 80, '*'],
      body: rows.map(([a, b, c, d]) => (c === undefined ? [th(a), { text: b, colSpan: 3 }, '', ''] : [th(a), b, th(c), d ?? ''])),
    },
    margin: [0, 0, 0, 8],
  };
}

function listTable(headers: string[], rows: string[][], widths?: Array<number | string>): Content {
  if (!rows.length) return { text: '（无）', margin: [0, 0, 0, 8], color: '#666' };
  return { table: { headerRows: 1, widths: widths ?? headers.map(() => '*'), body: [headers.map(th), ...rows] }, margin: [0, 0, 0, 8] };
}

/** 专业技术职务任职资格评审表 of a dossier: the declaration as submitted (or the draft) and every step's opinion. */
export async function renderReviewForm(input: ReviewFormInput): Promise<Buffer> {
  const d = input.data;
  const section = (text: string): Content => ({ text, style: 'h2' });
  const achievements = (Array.isArray(d.achievements) ? d.achievements : []) as Array<Record<string, unknown>>;
  const achievementContent: Content[] = [];
  const items = input.rules.achievements.length ? input.rules.achievements : [{ order: 0, title: 'achievements', templates: [], requirement: '' }];
  for (const item of items) {
    const mine = input.rules.achievements.length ? achievements.filter((a) => a.item === item.order) : achievements;
    if (input.rules.achievements.length) achievementContent.push({ text: `${item.order}. ${label(ACHIEVEMENT_TITLES, item.title)}`, bold: true, margin: [0, 2, 0, 2] });
    achievementContent.push(
      listTable(
        ['类别', '名称', '时间', '详细信息'],
        mine.map((a) => {
          const template = (a.template as keyof typeof TEMPLATE_FIELDS | undefined) ?? 'general';
          const labels = TEMPLATE_FIELDS[template]?.labels ?? {};
          const details = (Object.keys(labels) as Array<keyof typeof labels>)
            .filter((k) => k !== 'title' && k !== 'date' && a[k] !== undefined && a[k] !== '')
            .map((k) => `${labels[k]}：${str(a[k])}`);
          if (a.description && !labels.description) details.push(`简介：${str(a.description)}`);
          if (files(a.files)) details.push(files(a.files));
          return [a.template ? label(ACHIEVEMENT_TEMPLATES, a.template) : '', str(a.title), str(a.date), details.join('\n')];
        }),
        [50, 110, 60, '*'],
      ),
    );
  }
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [40, 50, 40, 50],
    info: { title: `专业技术职务任职资格评审表 - ${input.applicant.name}` },
    defaultStyle: { font: 'NotoSansSC', fontSize: 9.5, lineHeight: 1.2 },
    styles: { h1: { fontSize: 16, bold: true, alignment: 'center' }, h2: { fontSize: 11.5, bold: true, margin: [0, 8, 0, 4] }, th: { bold: true, fillColor: '#f0f0f0' } },
    footer: (page, count) => ({ text: `第 ${page} 页 / 共 ${count} 页    打印时间 ${input.printedAt}`, alignment: 'center', fontSize: 8, color: '#666' }),
    content: [
      { text: '专业技术职务任职资格评审表', style: 'h1' },
      { text: `${input.activityName}（${input.committeeName}）`, alignment: 'center', margin: [0, 4, 0, 2] },
      { text: `申报编号 ${input.dossierId}    状态：${input.statusLabel}`, alignment: 'center', fontSize: 8.5, color: '#444', margin: [0, 0, 0, 8] },
      section('一、基本情况'),
      grid([
        ['姓名', input.applicant.name, '性别', label(GENDERS, d.gender)],
        ['身份证号', str(input.applicant.idNumber), '出生日期', str(d.birthDate)],
        ['工作单位', str(input.applicant.unitName), '联系电话', str(d.phone)],
        ['申报系列', label(SERIES, d.series), '申报级别', label(LEVELS, d.level)],
        ['申报专业', str(d.specialty), '是否破格', d.breakthrough ? '是' : '否'],
        ['现职称', str(d.currentTitle), '取得时间', str(d.currentTitleDate)],
        ['最高学历', label(EDUCATION, d.education), '毕业院校', str(d.school)],
        ['所学专业', str(d.major), '毕业时间', str(d.graduationDate)],
        ['参加工作时间', str(d.workStartDate), '继续教育学时', str(d.continuingEducationHours)],
      ]),
      section('二、资格证书'),
      listTable(['资格名称', '证书编号', '取得时间'], ((d.qualifications as Array<Record<string, unknown>> | undefined) ?? []).map((q) => [str(q.name), str(q.number), str(q.date)])),
      section('三、工作经历'),
      listTable(['起止时间', '工作单位', '职务/岗位'], ((d.workHistory as Array<Record<string, unknown>> | undefined) ?? []).map((w) => [`${str(w.from)} 至 ${str(w.to) || '今'}`, str(w.unit), str(w.post)])),
      section('四、专业技术工作总结'),
      { text: str(d.workSummary), margin: [0, 0, 0, 8] },
      section('五、业绩成果'),
      ...achievementContent,
      ...(d.breakthrough
        ? [section('六、破格申报理由'), listTable(['破格条件', '理由'], ((d.breakthroughReasons as Array<Record<string, unknown>> | undefined) ?? []).map((r) => [str(r.condition), str(r.reason)]), [150, '*'])]
        : []),
      section(d.breakthrough ? '七、申报材料' : '六、申报材料'),
      listTable(['材料名称', '附件'], ((d.materials as Array<Record<string, unknown>> | undefined) ?? []).map((m) => [str(m.name), files(m.files)]), [150, '*']),
      // the pledge and its acceptance stay on one page
      {
        unbreakable: true,
        stack: [
          section(d.breakthrough ? '八、诚信承诺' : '七、诚信承诺'),
          {
            table: {
              widths: ['*'],
              body: [
                [{ text: PLEDGE_TEXT, margin: [2, 2, 2, 2] }],
                [{ text: input.pledgeAcceptedAt ? `承诺人：${input.applicant.name}    已于 ${input.pledgeAcceptedAt} 在线确认诚信承诺` : '承诺人：（尚未确认诚信承诺）', alignment: 'right', margin: [2, 2, 2, 2] }],
              ],
            },
            margin: [0, 0, 0, 8],
          },
        ],
      },
      section(d.breakthrough ? '九、审核意见' : '八、审核意见'),
      listTable(
        ['环节', '单位', '经办人', '结果', '意见', '时间'],
        input.opinions.map((o) => [o.step, str(o.unitName), str(o.actorName), o.action, str(o.opinion), o.at]),
        [70, 80, 45, 40, '*', 70],
      ),
    ],
  };
  return pdfmake.createPdf(doc).getBuffer();
}
