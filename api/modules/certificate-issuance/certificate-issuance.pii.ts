import type { SealedColumns } from '../../src/pii.ts';

/** 初定 persons at rest: the ID number sealed, its keyed hash the one-per-person key (unit, hash, series, level). */
export const INITIAL_PERSONS_SEALED: SealedColumns = {
  table: 'initial_persons',
  fields: [{ column: 'id_number', kind: 'idNumber', hash: true }],
};
