import type { SealedColumns } from '../../src/pii.ts';

/**
 * 电子证书 at rest: the holder's ID number sealed (SM4) with its keyed hash (search of 已发放 by ID
 * number, the 高风险提醒 of 历史职称数据). The signed payload carries the masked number only.
 */
export const CERTIFICATES_SEALED: SealedColumns = {
  table: 'certificates',
  fields: [{ column: 'id_number', kind: 'idNumber', hash: true }],
};
