import type { Knex } from 'knex';

/**
 * 评审结果: every applicant's result, kept on the dossier (the flows of publicity, confirmation and
 * certificates write it through the dossier's own case). `result` is the outcome the applicant
 * sees in 我的申报; `result_stage` says at which round it fell; `document_no` is the 职称文件文号
 * (`X〔YYYY〕N号`) once the confirming unit sets it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    // passed | review_failed | exam_failed | withdrawn | confirm_failed | abandoned
    t.text('result');
    // exam | breakthrough | panel | plenary | publicity | confirmation | revision
    t.text('result_stage');
    t.text('result_reason');
    t.timestamp('result_at', { useTz: true });
    t.text('document_no');
  });
  await knex.raw(
    "alter table dossiers add constraint dossiers_result_check check (result is null or result in ('passed', 'review_failed', 'exam_failed', 'withdrawn', 'confirm_failed', 'abandoned'))",
  );
  await knex.raw('create index dossiers_result_idx on dossiers (activity_id, result) where result is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists dossiers_result_idx');
  await knex.raw('alter table dossiers drop constraint if exists dossiers_result_check');
  await knex.schema.alterTable('dossiers', (t) => {
    for (const c of ['result', 'result_stage', 'result_reason', 'result_at', 'document_no']) t.dropColumn(c);
  });
}
