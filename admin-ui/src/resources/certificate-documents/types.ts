import type { ApiResponse } from '../../api-types.ts';

/** A certificate as the 已发放 list and 我的证书 read it (ID number masked). */
export type Certificate = ApiResponse<'/api/my/certificates'>[number];

/** What the public check answers: 有效 / 已撤销 / 伪造, and the certificate's public facts. */
export type Verification = ApiResponse<'/api/public/certificates/verify'>;

/** A signing key of the unit (证书签名密钥). */
export type SigningKey = ApiResponse<'/api/certificate-keys'>[number];

export const KIND_CHOICES = [
  { id: 'review', name: '评审' },
  { id: 'initial', name: '初定' },
  { id: 'delegated', name: '委托评审' },
  { id: 'confirm', name: '确认' },
  { id: 'history', name: '历史' },
];
