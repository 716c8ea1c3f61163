import type { SealedColumns } from '../../src/pii.ts';

/**
 * 职称确认: the applicant's ID number as the account had it when applying, sealed at rest with its
 * keyed hash (the "already recognised" check finds the person's confirmed titles by it).
 */
export const RECOGNITIONS_SEALED: SealedColumns = {
  table: 'title_recognitions',
  fields: [{ column: 'id_number', kind: 'idNumber', hash: true }],
};
