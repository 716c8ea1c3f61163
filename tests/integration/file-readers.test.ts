import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { uploadPdf } from '../helpers/files.ts';
import { addCountyClerk } from '../helpers/meeting-fixtures.ts';
import { addApplicants, atConfirmation, closedMeeting, requestConfirmation } from '../helpers/result-confirmation.ts';

/**
 * Files held by a module's records outside any case are readable by whom that module says
 * (`fastify.fileReaders`): here a confirmation's 任职资格文件 and 评审工作报告.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await addApplicants(db.knex, ['fr_a']);
  await addCountyClerk(db.knex);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('files of a meeting’s confirmation', () => {
  it('the 任职资格文件 and the 评审工作报告 are read by the organiser and the confirming unit; another committee’s clerk and the applicant get 404', async () => {
    // Given a meeting at confirmation, the confirming unit's 任职资格文件 and the organiser's 评审工作报告
    const meetingId = await closedMeeting(db.knex, 'normal');
    const dossierId = await atConfirmation(t, db.knex, 'fr_a', meetingId);
    await requestConfirmation(t, db.knex, meetingId, [dossierId]);
    const qualification = await uploadPdf(t, 'cd_hr', '任职资格文件.pdf');
    expect((await t.request('PUT', `/api/result-confirmations/${meetingId}/qualification-file`, { user: 'cd_hr', body: { fileId: qualification.id } })).statusCode).toBe(200);
    const report = await uploadPdf(t, 'cd_pw', '评审工作报告.pdf');
    expect((await t.request('PUT', `/api/meetings/${meetingId}/confirmation/report`, { user: 'cd_pw', body: { fileId: report.id } })).statusCode).toBe(200);

    // When each asks for the other's file, and outsiders ask for both
    const read = (user: string, id: string) => t.request('GET', `/api/files/${id}`, { user }).then((r) => r.statusCode);

    // Then the organiser reads the 任职资格文件 and the confirming unit the report
    expect(await read('cd_pw', qualification.id)).toBe(200);
    expect(await read('cd_hr', report.id)).toBe(200);
    // and the county committee's clerk and the applicant learn nothing of either
    for (const user of ['jj_pw', 'fr_a']) {
      expect(await read(user, qualification.id)).toBe(404);
      expect(await read(user, report.id)).toBe(404);
    }
    // and a file of the same clerk that no confirmation holds stays the uploader's
    const other = await uploadPdf(t, 'cd_hr', '内部请示.pdf');
    expect(await read('cd_pw', other.id)).toBe(404);
  });
});
