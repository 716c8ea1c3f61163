import { maskInText, maskPhone, type SealedColumns } from '../../src/pii.ts';

/**
 * 公示投诉: the complainant's 手机号码 and, for an offline complaint, the 身份证号或单位 the clerk
 * typed, sealed at rest (docs/personal-information.md, "Dossiers"). The committee's page shows
 * them masked; the organiser's clerk who investigates (and calls back) opens them with 查看, audited.
 * The notice's and the committee's 联系电话 are office numbers published on purpose: not sealed.
 */
export const COMPLAINTS_SEALED: SealedColumns = {
  table: 'publicity_complaints',
  fields: [
    { column: 'complainant_phone', kind: 'phone' },
    // free text: an ID number or a unit's name
    { column: 'complainant_identity', kind: 'idNumber' },
  ],
};

/** The complainant's numbers as the committee's page lists them. */
export function maskedComplainant(c: { complainant_phone: string | null; complainant_identity: string | null }) {
  return { phone: maskPhone(c.complainant_phone), identity: c.complainant_identity === null ? null : maskInText(c.complainant_identity) };
}
