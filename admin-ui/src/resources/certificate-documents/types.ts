/** A certificate as the 已发放 list and 我的证书 read it (ID number masked). */
export interface Certificate {
  id: number;
  certificateNo: string;
  kind: string;
  kindLabel: string;
  sourceType: string;
  dossierId: number | null;
  personName: string;
  idNumber: string;
  gender: string | null;
  series: string;
  specialty: string;
  titleName: string;
  level: string;
  committeeName: string | null;
  employerName: string | null;
  issuerName: string;
  approvalDate: string;
  documentNo: string;
  reviewDate: string | null;
  status: string;
  statusLabel: string;
  revokedAt: string | null;
  revokeReason: string | null;
  issuedAt: string;
}

/** What the public check answers. */
export interface Verification {
  result: 'valid' | 'revoked' | 'forged';
  resultLabel: string;
  reason: string | null;
  keyId: string | null;
  certificate: {
    certificateNo: string;
    personName: string;
    idNumber: string;
    series: string;
    specialty: string;
    titleName: string;
    level: string;
    kindLabel: string;
    committeeName: string | null;
    issuerName: string;
    approvalDate: string;
    documentNo: string;
    status: string;
    statusLabel: string;
    revokedOn: string | null;
    revokeReason: string | null;
  } | null;
}

export interface SigningKey {
  keyId: string;
  unitId: number;
  unitName: string;
  publicKey: string;
  validFrom: string;
  validTo: string | null;
  active: boolean;
}

export const KIND_CHOICES = [
  { id: 'review', name: '评审' },
  { id: 'initial', name: '初定' },
  { id: 'delegated', name: '委托评审' },
  { id: 'confirm', name: '确认' },
  { id: 'history', name: '历史' },
];
