import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { formatShanghai } from '../activities/activities.rules.ts';
// loading the dossier form sets up pdfmake's Chinese font (Noto Sans SC) and its no-outside-access policy
import '../dossiers/dossiers.pdf.ts';
import { workbookOf } from '../../src/xlsx.ts';
import type { BallotsService } from './ballots.service.ts';

type IssuedSheet = Awaited<ReturnType<BallotsService['issueCredentials']>>;
type ExportData = Awaited<ReturnType<BallotsService['exportData']>>;

const th = (text: string): TableCell => ({ text, style: 'th' });

async function render(doc: TDocumentDefinitions): Promise<Buffer> {
  return pdfmake
    .createPdf({
      pageSize: 'A4',
      pageMargins: [36, 40, 36, 40],
      defaultStyle: { font: 'NotoSansSC', fontSize: 10 },
      styles: { h1: { fontSize: 16, bold: true, alignment: 'center', margin: [0, 0, 0, 6] }, h2: { fontSize: 12, bold: true, margin: [0, 8, 0, 4] }, th: { bold: true, fillColor: '#eef2f7' }, note: { color: '#555', fontSize: 9 } },
      ...doc,
    })
    .getBuffer();
}

/** 专家评审账号单: each expert's login and one-time password, to hand over at the meeting. */
export function renderCredentialSheet(sheet: IssuedSheet): Promise<Buffer> {
  return render({
    content: [
      { text: '评审专家账号单', style: 'h1' },
      { text: `${sheet.meeting.committee_name} · ${sheet.meeting.name}`, alignment: 'center', margin: [0, 0, 0, 4] },
      { text: `打印时间：${formatShanghai(sheet.printedAt)}`, style: 'note', alignment: 'center', margin: [0, 0, 0, 8] },
      {
        table: {
          headerRows: 1,
          // a login or a password broken over two lines is mistyped: their columns never wrap
          widths: [24, 56, '*', 56, 'auto', 'auto'],
          body: [
            [th('序号'), th('姓名'), th('工作单位'), th('专业组'), th('登录账号'), th('初始密码')],
            ...sheet.credentials.map((c, i) => [String(i + 1), c.name, c.employer, c.panelName ?? '', { text: c.username, noWrap: true }, { text: c.password, bold: true, fontSize: 12, noWrap: true }]),
          ],
        },
      },
      {
        text: '说明：登录账号为“zj”加专家编号和会议编号，也可用“身份证号-会议编号”登录；初始密码仅此一次打印，首次登录须修改密码。本账号只能用于本次评审会议的专家投票，会议结束后自动失效。请妥善保管，沿虚线裁开后分发。',
        style: 'note',
        margin: [0, 10, 0, 0],
      },
    ],
  });
}

const roundRows = (round: ExportData['rounds'][number]) =>
  round.results.map((r, i) => [
    String(i + 1),
    r.applicantName,
    r.employerName ?? '',
    round.method === 'vote' ? String(r.agree) : '',
    round.method === 'vote' ? String(r.disagree) : '',
    round.method === 'vote' ? String(r.abstain) : '',
    String(r.notVoted),
    r.averageScore == null ? '' : String(r.averageScore),
    r.resultLabel,
  ]);

/** 表决票结果 (PDF): per round its validity and each candidate's votes and result. */
export function renderTallyPdf(data: ExportData): Promise<Buffer> {
  const content: Content[] = [
    { text: '表决票结果', style: 'h1' },
    { text: `${data.meeting.committee_name} · ${data.meeting.name}`, alignment: 'center', margin: [0, 0, 0, 4] },
    { text: `导出时间：${formatShanghai(data.printedAt)}`, style: 'note', alignment: 'center', margin: [0, 0, 0, 8] },
  ];
  if (!data.rounds.length) content.push({ text: '（尚未开启投票）', color: '#666' });
  for (const round of data.rounds) {
    content.push({ text: `${round.label}（${round.methodLabel}，${round.statusLabel}）`, style: 'h2' });
    content.push({
      text: `确认出席 ${round.confirmed} 人，实到 ${round.attending} 人（须至少 ${round.quorum} 人），本轮${round.valid ? '有效' : '无效'}；同意票达到实到人数三分之二（含）为通过。`,
      style: 'note',
      margin: [0, 0, 0, 4],
    });
    content.push({
      table: {
        headerRows: 1,
        widths: [24, 56, '*', 30, 36, 30, 30, 40, 42],
        body: [[th('序号'), th('姓名'), th('工作单位'), th('同意'), th('不同意'), th('弃权'), th('未投'), th('平均分'), th('结果')], ...roundRows(round)],
      },
    });
  }
  return render({ pageOrientation: 'portrait', content });
}

/** 表决票结果 (Excel): one row per round and candidate. */
export function tallyWorkbook(data: ExportData): Promise<Buffer> {
  const rows = data.rounds.flatMap((round) => round.results.map((r, i) => ({ round, r, i })));
  return workbookOf(
    '表决票结果',
    [
      { header: '轮次', width: 24, value: (x) => x.round.label },
      { header: '方式', value: (x) => x.round.methodLabel },
      { header: '本轮有效', value: (x) => (x.round.valid ? '有效' : '无效') },
      { header: '实到人数', value: (x) => x.round.attending },
      { header: '序号', value: (x) => x.i + 1 },
      { header: '姓名', value: (x) => x.r.applicantName },
      { header: '工作单位', width: 30, value: (x) => x.r.employerName },
      { header: '同意', value: (x) => (x.round.method === 'vote' ? x.r.agree : null) },
      { header: '不同意', value: (x) => (x.round.method === 'vote' ? x.r.disagree : null) },
      { header: '弃权', value: (x) => (x.round.method === 'vote' ? x.r.abstain : null) },
      { header: '未投', value: (x) => x.r.notVoted },
      { header: '平均分', value: (x) => x.r.averageScore },
      { header: '结果', value: (x) => x.r.resultLabel },
    ],
    rows,
  );
}
