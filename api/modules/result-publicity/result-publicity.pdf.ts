import pdfmake from 'pdfmake';
import type { TableCell } from 'pdfmake/interfaces';
// loading the dossier form sets up pdfmake's Chinese font (Noto Sans SC) and its no-outside-access policy
import '../dossiers/dossiers.pdf.ts';

export interface NoticeDocument {
  title: string;
  committeeName: string;
  activityName: string;
  periodStart: string;
  periodEnd: string;
  contactPerson: string;
  contactPhone: string;
  contactAddress: string;
  publishedOn: string;
  candidates: Array<{ name: string; employer: string; series: string; specialty: string; level: string }>;
}

const th = (text: string): TableCell => ({ text, style: 'th' });
const zhDate = (day: string) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** 评审结果公示公告: the passed candidates, the period and whom to contact, in Chinese. */
export function renderNotice(doc: NoticeDocument): Promise<Buffer> {
  return pdfmake
    .createPdf({
      pageSize: 'A4',
      pageMargins: [40, 48, 40, 48],
      defaultStyle: { font: 'NotoSansSC', fontSize: 10.5, lineHeight: 1.3 },
      styles: { h1: { fontSize: 16, bold: true, alignment: 'center', margin: [0, 0, 0, 12] }, th: { bold: true, fillColor: '#eef2f7' } },
      content: [
        { text: doc.title, style: 'h1' },
        {
          text: `根据职称评审有关规定，经${doc.committeeName}评审（${doc.activityName}），下列 ${doc.candidates.length} 名同志评审通过，现予以公示。公示期为 ${zhDate(doc.periodStart)} 至 ${zhDate(doc.periodEnd)}。公示期间，对公示对象有异议的，可通过系统“我要反馈”或按下列方式向评委会反映（请提供具体事实和证据）。`,
          margin: [0, 0, 0, 10],
        },
        {
          table: {
            headerRows: 1,
            widths: [28, 60, '*', 70, 80, 50],
            body: [[th('序号'), th('姓名'), th('工作单位'), th('系列'), th('专业'), th('级别')], ...doc.candidates.map((c, i) => [String(i + 1), c.name, c.employer, c.series, c.specialty, c.level])],
          },
          margin: [0, 0, 0, 12],
        },
        { text: `联系人：${doc.contactPerson}    联系电话：${doc.contactPhone}` },
        { text: `联系地址：${doc.contactAddress}`, margin: [0, 0, 0, 16] },
        { text: doc.committeeName, alignment: 'right' },
        { text: zhDate(doc.publishedOn), alignment: 'right' },
      ],
    })
    .getBuffer();
}
