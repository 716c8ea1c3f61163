import type { SealedColumns } from '../../src/pii.ts';

/**
 * 历史职称数据 at rest: the rows of an upload keep their ID number sealed, with the keyed hash the
 * 高风险提醒 of later imports look people up by.
 */
export const HISTORY_RECORDS_SEALED: SealedColumns = {
  table: 'history_records',
  fields: [{ column: 'id_number', kind: 'idNumber', hash: true }],
};
