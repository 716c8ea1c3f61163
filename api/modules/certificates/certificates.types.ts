/** What a certificate is issued for and what it carries (the contract of the issuing modules). */

export const CERTIFICATE_KINDS = { review: '评审', initial: '初定', delegated: '委托评审', confirm: '确认', history: '历史' } as const;
export type CertificateKind = keyof typeof CERTIFICATE_KINDS;

export type CertificateSource = 'dossier' | 'initial' | 'history' | 'recognition';

export interface CertificateSubject {
  kind: CertificateKind;
  sourceType: CertificateSource;
  /** issuing the same source twice returns the first certificate */
  sourceId: number;
  dossierId?: number | null;
  /** the person's account, for their own download */
  userId?: number | null;
  personName: string;
  /** full; stored, masked whenever shown */
  idNumber: string;
  gender?: string | null;
  series: string;
  specialty: string;
  titleName: string;
  level: string;
  committeeName?: string | null;
  employerName?: string | null;
  issuerUnitId: number;
  /** YYYY-MM-DD */
  approvalDate: string;
  /** X〔YYYY〕N号 with the approval year */
  documentNo: string;
  reviewDate?: string | null;
}

export interface IssuedCertificate {
  id: number;
  certificateNo: string;
  sourceType: CertificateSource;
  sourceId: number;
  dossierId: number | null;
  /** false when the source already had its certificate */
  created: boolean;
}

/** 5101**********231X: the first four and the last four characters of an ID number. */
export function maskIdNumber(idNumber: string): string {
  const v = idNumber.trim();
  if (v.length <= 8) return '*'.repeat(v.length);
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}
