import type { SealedColumns } from '../../src/pii.ts';

/**
 * 专技人才: the person's ID (or foreign certificate) number, sealed at rest with its keyed hash
 * (one registration per number: the duplicate check; the list's 精确查询). No phone is kept.
 */
export const TALENTS_SEALED: SealedColumns = {
  table: 'talents',
  fields: [{ column: 'id_number', kind: 'idNumber', hash: true }],
};
