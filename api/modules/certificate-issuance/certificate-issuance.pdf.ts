import pdfmake from 'pdfmake';
import type { TableCell } from 'pdfmake/interfaces';
// loading the dossier form sets up pdfmake's Chinese font (Noto Sans SC) and its no-outside-access policy
import '../dossiers/dossiers.pdf.ts';

export interface SummaryDocument {
  title: string;
  batchNo: string;
  documentNo: string | null;
  issuerName: string;
  persons: Array<{ name: string; idNumber: string; employer: string; series: string; specialty: string; titleName: string; approvalDate: string; documentNo: string }>;
}

const th = (text: string): TableCell => ({ text, style: 'th' });

/** 发证汇总表: the batch's persons, printed and stamped offline by the issuer (盖章汇总表). */
export function renderSummary(doc: SummaryDocument): Promise<Buffer> {
  return pdfmake
    .createPdf({
      pageSize: 'A4',
      pageOrientation: 'landscape',
      pageMargins: [32, 40, 32, 40],
      defaultStyle: { font: 'NotoSansSC', fontSize: 9.5, lineHeight: 1.25 },
      styles: { h1: { fontSize: 16, bold: true, alignment: 'center', margin: [0, 0, 0, 8] }, th: { bold: true, fillColor: '#eef2f7' } },
      content: [
        { text: doc.title, style: 'h1' },
        { text: `发证单位：${doc.issuerName}    批次号：${doc.batchNo}${doc.documentNo ? `    职称文件文号：${doc.documentNo}` : ''}    共 ${doc.persons.length} 人`, margin: [0, 0, 0, 8] },
        {
          table: {
            headerRows: 1,
            widths: [24, 64, 96, '*', 56, 64, 64, 60, 104],
            body: [
              [th('序号'), th('姓名'), th('身份证号'), th('工作单位'), th('系列'), th('专业'), th('职称名称'), th('批准时间'), th('职称文件文号')],
              ...doc.persons.map((p, i) => [String(i + 1), p.name, p.idNumber, p.employer, p.series, p.specialty, p.titleName, p.approvalDate, p.documentNo]),
            ],
          },
          margin: [0, 0, 0, 24],
        },
        { text: `${doc.issuerName}（盖章）`, alignment: 'right' },
        { text: '年    月    日', alignment: 'right', margin: [0, 8, 0, 0] },
      ],
    })
    .getBuffer();
}
