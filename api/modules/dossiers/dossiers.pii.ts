import type { Knex } from 'knex';
import { phoneSchema } from '../../../forms/validators.ts';
import { maskPhone, sealedWrite, type PiiCipher, type SealedColumns } from '../../src/pii.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { ValidationError } from '../../src/errors.ts';

/**
 * A dossier's own numbers at rest (docs/personal-information.md, "Dossiers"). The declaration's
 * 联系电话 is sealed in `dossiers.phone_enc` (the 修改痕迹 snapshot's in `returned_phone_enc`); the
 * declaration JSON — `dossiers.data`, `returned_data`, the case's `dossier` variable and the
 * submissions in its history — carries only the masked form. The applicant's ID number is never
 * copied into the declaration (性别 and 出生日期 are derived from it, the number stays in `users`).
 */
export const DOSSIERS_SEALED: SealedColumns = {
  table: 'dossiers',
  fields: [
    { column: 'phone', kind: 'phone' },
    { column: 'returned_phone', kind: 'phone' },
  ],
};

/** A phone as typed by the applicant (not a masked one handed back). */
export function isFullPhone(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('*') && phoneSchema.safeParse(value).success;
}

/**
 * A declaration as stored: its phone masked, and the column values that seal the number (phone
 * absent: both cleared). A value already masked is left as it is and its seal untouched.
 */
export function sealDeclaration(cipher: PiiCipher, data: Record<string, unknown>): { data: Record<string, unknown>; columns: Record<string, string | null> } {
  const phone = data.phone;
  if (phone === undefined || phone === null || phone === '') {
    const { phone: _p, ...rest } = data;
    return { data: rest, columns: sealedWrite(cipher, DOSSIERS_SEALED, { phone: null }) };
  }
  if (typeof phone !== 'string' || phone.includes('*')) return { data, columns: {} };
  return { data: { ...data, phone: maskPhone(phone) }, columns: sealedWrite(cipher, DOSSIERS_SEALED, { phone }) };
}

/** The declaration with its full phone put back (the applicant's own reads, and the case before it is masked for other readers). */
export function withPhone(data: Record<string, unknown>, phone: string | null): Record<string, unknown> {
  return phone ? { ...data, phone } : data;
}

/** The seal columns of the 修改痕迹 snapshot: a copy of the current ones (a return keeps the declaration as it is). */
export function snapshotPhone(trx: Knex.Transaction): Record<string, Knex.Raw> {
  return { returned_phone: trx.raw('phone'), returned_phone_enc: trx.raw('phone_enc') };
}

/**
 * The last check of a submission (提交 / 修改并重新提交): the phone typed into the declaration is
 * sealed on the dossier, and the submitted data the engine goes on to store — the case's `dossier`
 * variable and the submission in its history, both this very object — keeps only the masked form.
 * Sealing before the step's transaction is what a draft save does; a completion that then fails
 * (409) leaves the dossier with the phone its applicant typed, as a draft. A masked phone sent
 * back (the stored JSON or a prefilled form, unchanged) keeps the sealed number when it is its mask.
 */
export function createPhoneSealCheck(db: Knex, cipher: PiiCipher): CompletionCheck {
  return async ({ task, action, data }) => {
    if (task.processKey !== 'dossier-review' || action !== 'submit') return;
    if (typeof data.phone === 'string' && data.phone.includes('*')) {
      const row = (await db('dossiers').where({ instance_id: task.rootInstanceId }).first('phone', 'phone_enc')) as { phone: string | null; phone_enc: string | null } | undefined;
      const current = row ? cipher.reveal(row.phone_enc, row.phone) : null;
      if (!current || maskPhone(current) !== data.phone) {
        throw new ValidationError('联系电话：请填写完整的电话号码', [{ field: 'data.phone', message: '联系电话：请填写完整的电话号码' }]);
      }
      return;
    }
    const { data: stored, columns } = sealDeclaration(cipher, data);
    if (Object.keys(columns).length) {
      await db('dossiers').where({ instance_id: task.rootInstanceId }).whereIn('status', ['draft', 'returned']).update(columns);
    }
    if ('phone' in stored) data.phone = stored.phone;
    else delete data.phone;
  };
}
