import pdfmake from 'pdfmake';
import type { TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
// loading the dossier form sets up pdfmake's Chinese font (Noto Sans SC) and its no-outside-access policy
import '../dossiers/dossiers.pdf.ts';

/** What a 职称证书 prints: the row of `certificates` as shown (ID number masked) and the QR text. */
export interface CertificateDocument {
  certificateNo: string;
  personName: string;
  maskedIdNumber: string;
  gender: string | null;
  series: string;
  specialty: string;
  titleName: string;
  level: string;
  kindLabel: string;
  committeeName: string | null;
  employerName: string | null;
  approvalDate: string;
  documentNo: string;
  issuerName: string;
  issuedOn: string;
  /** the public verification address with the signed payload */
  qrText: string;
  /** fixed creation date, so the same row renders the same bytes */
  issuedAt: Date;
}

const zhDate = (day: string) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

const label = (text: string): TableCell => ({ text, color: '#555', noWrap: true });
const value = (text: string | null, colSpan?: number): TableCell => ({ text: text || '—', bold: true, ...(colSpan ? { colSpan } : {}) });

/** 职称证书 (landscape A4): the title's facts on the left, the QR code of the public check on the right. */
export function renderCertificate(doc: CertificateDocument): Promise<Buffer> {
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [56, 48, 56, 40],
    info: { title: `职称证书 ${doc.certificateNo}`, subject: `${doc.personName} ${doc.titleName}`, creator: 'zcps 职称评审信息系统', producer: 'zcps', creationDate: doc.issuedAt, modDate: doc.issuedAt },
    defaultStyle: { font: 'NotoSansSC', fontSize: 12, lineHeight: 1.2 },
    background: (_page, size) => ({
      canvas: [
        { type: 'rect', x: 20, y: 20, w: size.width - 40, h: size.height - 40, lineWidth: 3, lineColor: '#9c1c1c' },
        { type: 'rect', x: 28, y: 28, w: size.width - 56, h: size.height - 56, lineWidth: 0.8, lineColor: '#9c1c1c' },
      ],
    }),
    content: [
      { text: '专业技术职务任职资格证书', fontSize: 26, bold: true, alignment: 'center', color: '#9c1c1c', margin: [0, 6, 0, 2] },
      { text: '职 称 证 书', fontSize: 14, alignment: 'center', color: '#9c1c1c', characterSpacing: 4, margin: [0, 0, 0, 18] },
      {
        columns: [
          {
            width: '*',
            table: {
              widths: [60, '*', 60, '*'],
              body: [
                [label('姓名'), value(doc.personName), label('身份证号'), value(doc.maskedIdNumber)],
                [label('系列'), value(doc.series), label('专业'), value(doc.specialty)],
                [label('职称名称'), value(doc.titleName), label('级别'), value(doc.level)],
                [label('取得方式'), value(doc.kindLabel), label('批准时间'), value(zhDate(doc.approvalDate))],
                [label('评审机构'), value(doc.committeeName, 3), '', ''],
                [label('工作单位'), value(doc.employerName, 3), '', ''],
                [label('文号'), value(doc.documentNo), label('证书编号'), value(doc.certificateNo)],
                [label('发证单位'), value(doc.issuerName, 3), '', ''],
              ],
            },
            layout: { hLineWidth: () => 0, vLineWidth: () => 0, paddingTop: () => 5, paddingBottom: () => 5 },
          },
          {
            width: 210,
            stack: [
              { qr: doc.qrText, fit: 210, eccLevel: 'M', alignment: 'center' },
              { text: '扫码核验证书真伪', fontSize: 9, alignment: 'center', color: '#555', margin: [0, 4, 0, 0] },
            ],
          },
        ],
        columnGap: 18,
      },
      { text: `经审核，${doc.personName}同志具备${doc.specialty}专业${doc.titleName}（${doc.level}）任职资格，特发此证。`, margin: [0, 14, 0, 0] },
      { text: doc.issuerName, alignment: 'right', margin: [0, 16, 12, 0], fontSize: 13 },
      { text: zhDate(doc.issuedOn), alignment: 'right', margin: [0, 4, 12, 0] },
    ],
  };
  return pdfmake.createPdf(definition).getBuffer();
}
