import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, startDossier, taskOf } from '../helpers/flow.ts';
import { PLEDGE_TEXT } from '../../forms/dossier-submit.ts';
import { formatShanghai } from '../../api/modules/activities/activities.rules.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

function pdfText(pdf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pledge-')), 'review-form.pdf');
  fs.writeFileSync(file, pdf);
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    // Debian's poppler-utils, as the declaration test installs it
    execFileSync('apt-get', ['install', '-y', '-qq', 'poppler-utils'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  // pdftotext breaks lines; the pledge is compared without them
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('诚信承诺 at submission', () => {
  it('refuses a submission without the pledge, naming the field, and keeps nothing of it', async () => {
    // given a started dossier
    const id = await startDossier(t, 'zhangwei');
    const task = await taskOf(t, 'zhangwei', id, 'submit');
    const { pledge: _pledge, ...withoutPledge } = VALID_DOSSIER;

    // when the applicant submits without ticking the pledge, or with it false
    for (const data of [withoutPledge, { ...withoutPledge, pledge: false }]) {
      const res = await complete(t, 'zhangwei', task.id, 'submit', undefined, data);
      // then 400 names data.pledge and the dossier stays a draft
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.pledge', message: expect.stringContaining('诚信承诺') })]);
    }
    expect(await db.knex('dossiers').where({ instance_id: id }).first()).toMatchObject({ status: 'draft', pledge_accepted_at: null });

    // the form shows the pledge text to be accepted
    const form = (await t.request('GET', '/api/forms/dossier-submit', { user: 'zhangwei' })).json();
    expect(form.properties.pledge).toMatchObject({ title: '诚信承诺', description: PLEDGE_TEXT });
  });

  it('stores the acceptance time with the dossier and prints the pledge with it on the 评审表', async () => {
    // given the applicant accepts the pledge at submission
    const id = await startDossier(t, 'lina');
    await completeOk(t, 'lina', (await taskOf(t, 'lina', id, 'submit')).id, 'submit', undefined, VALID_DOSSIER);

    // then the dossier keeps when it was accepted
    const dossier = await db.knex('dossiers').where({ instance_id: id }).first();
    expect(new Date(dossier.pledge_accepted_at).getTime()).toBe(t.clock.now().getTime());

    // and the 评审表 prints the pledge, the applicant and the time (Beijing)
    const res = await t.request('GET', `/api/dossiers/${dossier.id}/review-form.pdf`, { user: 'kj_hr' });
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('诚信承诺');
    expect(text).toContain(PLEDGE_TEXT.replace(/\s+/g, ''));
    const name = (await db.knex('users').where({ username: 'lina' }).first()).display_name as string;
    expect(text).toContain(`承诺人：${name}已于${formatShanghai(t.clock.now()).replace(/\s+/g, '')}在线确认诚信承诺`);
  });
});
