import type { Knex } from 'knex';
import { piiOfOrNull } from '../../src/pii-of.ts';
import { sealedWrite, type SealedColumns } from '../../src/pii.ts';

/**
 * Units' legal representatives (法人代表): ID and phone numbers sealed at rest (migration
 * 20261207010000). Never looked up, so no hash. Lists leave them out; the unit's own record shows
 * them in full, another unit's viewer (上级单位) sees them in full with a `pii.view` audit row.
 */
export const UNITS_SEALED: SealedColumns = {
  table: 'units',
  fields: [
    { column: 'legal_rep_id_number', kind: 'idNumber' },
    { column: 'legal_rep_phone', kind: 'phone' },
  ],
};

/**
 * Column values of a unit write with its legal representative's numbers sealed (plain left empty);
 * plain when no app's cipher is bound (the sweep seals them).
 */
export function sealedUnitColumns(db: Knex | Knex.Transaction, columns: Record<string, unknown>): Record<string, unknown> {
  const cipher = piiOfOrNull(db);
  const numbers = Object.fromEntries(UNITS_SEALED.fields.filter((f) => columns[f.column] !== undefined).map((f) => [f.column, columns[f.column] as string | null]));
  if (!cipher || Object.keys(numbers).length === 0) return columns;
  return { ...columns, ...sealedWrite(cipher, UNITS_SEALED, numbers) };
}
