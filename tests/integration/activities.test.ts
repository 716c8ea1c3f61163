import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, inbox, taskOf, passEmployer, employerPassData } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { closeSubmissionWindows, DEADLINE_JOB } from '../../api/modules/activities/activities.job.ts';
import { activityBody as validActivity } from '../helpers/fixtures.ts';

const START = '2026-03-02T09:00:00+08:00';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let committeeId: number;
let cityId: number;
let applicants = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  committeeId = Number((await db.knex('committees').first('id')).id);
  cityId = Number((await db.knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id')).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

// every test starts at the same moment; the ones that move time put it back
afterEach(() => t.clock.set(START));

/** A valid 评审活动信息 of the demo committee (a 专项 one, so tests do not collide on the annual rule). */
const activityBody = (overrides: Record<string, unknown> = {}) => validActivity(committeeId, overrides);

interface Activity {
  id: number;
  status: string;
  version: number;
  name: string;
  instanceId: string | null;
  reviewOpinion: string | null;
  firstDeadline: string;
  revisionDeadline: string;
  receiptDeadline: string;
  achievements: Array<Record<string, unknown>>;
  policyFiles: Array<{ id: string; name: string }>;
  [key: string]: unknown;
}

async function createActivity(overrides: Record<string, unknown> = {}): Promise<Activity> {
  const res = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Activity;
}

async function submit(id: number, body: Record<string, unknown> = {}) {
  return t.request('POST', `/api/activities/${id}/submit`, { user: 'cd_pw', body });
}

async function get(id: number, user = 'cd_pw'): Promise<Activity> {
  const res = await t.request('GET', `/api/activities/${id}`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Activity;
}

/** The issuer's review task of an activity (cd_hr holds 评审活动发布审核 in the city bureau). */
async function issuerTask(a: Activity) {
  return taskOf(t, 'cd_hr', a.instanceId as string, 'single_review');
}

/** Created, submitted and passed by the issuer. */
async function publishedActivity(overrides: Record<string, unknown> = {}): Promise<Activity> {
  const a = await createActivity(overrides);
  expect((await submit(a.id)).statusCode).toBe(200);
  const submitted = await get(a.id);
  await completeOk(t, 'cd_hr', (await issuerTask(submitted)).id, 'pass', '同意发布');
  return get(a.id);
}

/** A published activity written straight to the table, for the dossier tests. */
async function openActivity(deadlines: { startsAt: string; firstDeadline: string; revisionDeadline: string; receiptDeadline: string }): Promise<number> {
  const [row] = await db.knex('activities')
    .insert({
      committee_id: committeeId,
      committee_unit_id: cityId,
      name: `测试评审活动 ${Math.random().toString(36).slice(2, 8)}`,
      year: 2026,
      kind: 'special',
      status: 'published',
      levels: ['intermediate'],
      starts_at: new Date(deadlines.startsAt),
      first_deadline: new Date(deadlines.firstDeadline),
      revision_deadline: new Date(deadlines.revisionDeadline),
      receipt_deadline: new Date(deadlines.receiptDeadline),
      published_at: new Date(START),
      created_at: new Date(START),
      updated_at: new Date(START),
    })
    .returning('id');
  return Number(row.id);
}

const OPEN_NOW = { startsAt: '2026-03-01T09:00:00+08:00', firstDeadline: '2026-04-01T17:00:00+08:00', revisionDeadline: '2026-04-11T17:00:00+08:00', receiptDeadline: '2026-04-25T17:00:00+08:00' };

/** A fresh applicant of the demo employer (one dossier per applicant and activity). */
async function newApplicant(): Promise<string> {
  applicants += 1;
  const username = `applicant_${applicants}`;
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
  await db.knex('users').insert({ username, password_hash: await hashPassword(DEMO_PASSWORD), display_name: `申报人${applicants}`, unit_id: employer.id, roles: ['applicant'] });
  return username;
}

async function startFor(user: string, activityId: number) {
  return t.request('POST', '/api/process-instances', { user, body: { processKey: 'dossier-review', variables: { activityId } } });
}

function multipart(name: string, content: Buffer) {
  const boundary = '----zcpsActivityBoundary';
  return {
    payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function uploadPdf(user: string, name: string) {
  const body = multipart(name, Buffer.from(`%PDF-1.4\n% ${name}\n`));
  const res = await t.app.inject({ method: 'POST', url: '/api/files', payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${await t.token(user)}` } });
  expect(res.statusCode, res.body).toBe(201);
  const [file] = res.json() as Array<{ id: string; name: string; size: number; mime: string }>;
  return { id: file!.id, name: file!.name, size: file!.size, mime: file!.mime };
}

describe('评审活动信息: drafts', () => {
  it('keeps every field of the form and starts from the committee’s achievement defaults', async () => {
    // given the committee's default 业绩成果 configuration
    const defaults = [
      { order: 2, title: 'after_current', templates: ['patent', 'standard'], requirement: '取得现职称后主持完成的专利或标准' },
      { order: 1, title: 'papers', templates: ['paper', 'book'], requirement: '任现职以来发表论文 2 篇以上' },
    ];
    const saved = await t.request('PUT', `/api/committees/${committeeId}/achievement-defaults`, { user: 'cd_pw', body: { achievements: defaults } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((saved.json() as { achievements: Array<{ order: number }> }).achievements.map((a) => a.order)).toEqual([1, 2]);

    // when a new activity is created without its own
    const a = await createActivity({ documentNumber: '成人社发〔2026〕12号', healthPage: true });

    // then it is a draft with the form's data and the defaults, ordered by 序号
    expect(a).toMatchObject({
      status: 'draft',
      statusLabel: '草稿',
      committeeName: '成都市工程技术系列中级职称评审委员会',
      organiserUnitId: cityId,
      kind: 'special',
      kindLabel: '专项评审活动',
      reviewMethod: 'expert',
      defense: 'partial',
      defenseLabel: '部分面试答辩',
      panels: true,
      panelMethod: 'vote',
      healthPage: true,
      documentNumber: '成人社发〔2026〕12号',
      levels: ['intermediate'],
      levelLabels: ['中级'],
      specialties: ['机械工程', '电气工程'],
      startsAt: new Date('2026-04-01T09:00:00+08:00').toISOString(),
      canEdit: true,
      canSubmit: true,
    });
    expect(a.achievements.map((x) => x.title)).toEqual(['papers', 'after_current']);
    expect(a.breakthroughConditions).toEqual([{ name: '获省部级科技进步奖二等奖以上', description: '本人排名前三' }]);

    // and it is listed for the organiser only
    const list = await t.request('GET', '/api/activities/managed', { user: 'cd_pw' });
    expect(list.headers['content-range']).toMatch(/^activities 0-\d+\/\d+$/);
    expect((list.json() as Activity[]).some((x) => x.id === a.id)).toBe(true);
    expect((await t.request('GET', '/api/activities/managed', { user: 'kj_hr' })).statusCode).toBe(403);
    expect((await t.request('GET', `/api/activities/${a.id}`, { user: 'kj_hr' })).statusCode).toBe(404);
    expect((await t.request('PUT', `/api/committees/${committeeId}/achievement-defaults`, { user: 'sc_hr', body: { achievements: [] } })).statusCode).toBe(403);
  });

  it('saves a draft only with the version it was read at', async () => {
    const a = await createActivity();
    const body = { ...activityBody({ name: '改过的名称' }), version: a.version };
    delete (body as { committeeId?: number }).committeeId;
    const first = await t.request('PUT', `/api/activities/${a.id}`, { user: 'cd_pw', body });
    expect(first.statusCode, first.body).toBe(200);
    expect((first.json() as Activity).name).toBe('改过的名称');
    const stale = await t.request('PUT', `/api/activities/${a.id}`, { user: 'cd_pw', body });
    expect(stale.statusCode).toBe(409);
  });

  it('asks for a panel method when panels are set, naming the field', async () => {
    const res = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ panels: true, panelMethod: undefined }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'body.panelMethod', message: expect.stringContaining('专业组评审方式') })]);
  });

  it('opens only levels the committee was filed for, and only its specialties', async () => {
    const level = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ levels: ['intermediate', 'senior_full'] }) });
    expect(level.statusCode).toBe(400);
    expect(level.json()).toMatchObject({ message: expect.stringContaining('开设级别“正高级”不在评委会备案的评审级别（中级、初级）内'), details: [{ field: 'levels' }] });
    const specialty = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ specialties: ['机械工程', '临床医学'] }) });
    expect(specialty.statusCode).toBe(400);
    expect(specialty.json()).toMatchObject({ message: expect.stringContaining('开设专业“临床医学”'), details: [{ field: 'specialties' }] });
  });

  it('refuses a committee that is not filed, or whose term is over, and one of another unit', async () => {
    // given a committee of the same organiser that was never filed, and the demo one expired yesterday
    const [unfiled] = await db.knex('committees').insert({ name: '成都市农业技术系列中级职称评审委员会', organizer_unit_id: cityId, issuer_unit_id: cityId, levels: ['intermediate'], filing_status: 'unfiled' }).returning('id');
    const unfiledRes = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ committeeId: Number(unfiled.id) }) });
    expect(unfiledRes.statusCode).toBe(400);
    expect(unfiledRes.json()).toMatchObject({ message: expect.stringContaining('尚未核准备案'), details: [{ field: 'committeeId' }] });

    const validTo = (await db.knex('committees').where({ id: committeeId }).first('valid_to')).valid_to;
    await db.knex('committees').where({ id: committeeId }).update({ valid_to: '2026-03-01' });
    try {
      const expired = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody() });
      expect(expired.statusCode).toBe(400);
      expect(expired.json().message).toContain('备案有效期已于 2026-03-01 届满');
      const options = (await t.request('GET', '/api/activities/committee-options', { user: 'cd_pw' })).json() as Array<{ id: number; usable: boolean }>;
      expect(options.find((o) => o.id === committeeId)?.usable).toBe(false);
      expect(options.find((o) => o.id === Number(unfiled.id))?.usable).toBe(false);
      // the last day of the term still counts
      await db.knex('committees').where({ id: committeeId }).update({ valid_to: '2026-03-02' });
      expect((await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody() })).statusCode).toBe(201);
    } finally {
      await db.knex('committees').where({ id: committeeId }).update({ valid_to: validTo });
    }

    // a committee of another unit is not the caller's to use
    const [province] = await db.knex('units').where({ name: '四川省人力资源和社会保障厅' }).select('id');
    const [foreign] = await db.knex('committees').insert({ name: '四川省工程技术系列高级职称评审委员会', organizer_unit_id: province.id, levels: ['senior_full'], filing_status: 'filed', valid_to: '2028-12-31' }).returning('id');
    expect((await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ committeeId: Number(foreign.id) }) })).statusCode).toBe(403);
  });

  it('holds one annual activity per committee and year, and frees the year when it is rejected', async () => {
    const first = await createActivity({ kind: 'annual', year: 2028, name: '2028年度评审' });
    const second = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ kind: 'annual', year: 2028, name: '2028年度第二次评审' }) });
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toContain('2028 年度已有年度评审活动“2028年度评审”，年度评审活动每年只能开展一次');
    // a special one in the same year is fine
    expect((await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ kind: 'special', year: 2028 }) })).statusCode).toBe(201);
    // a draft moved onto a taken year is refused the same way
    const other = await createActivity({ kind: 'annual', year: 2029 });
    const moved = await t.request('PUT', `/api/activities/${other.id}`, { user: 'cd_pw', body: { ...activityBody({ kind: 'annual', year: 2028 }), committeeId: undefined, version: other.version } });
    expect(moved.statusCode).toBe(409);

    // when the issuer rejects the first, the year is free again
    await submit(first.id);
    await completeOk(t, 'cd_hr', (await issuerTask(await get(first.id))).id, 'reject', '方案不符合要求');
    expect((await get(first.id)).status).toBe('rejected');
    expect((await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ kind: 'annual', year: 2028, name: '2028年度评审（重新发布）' }) })).statusCode).toBe(201);
  });

  it('deletes a draft never submitted, and nothing else', async () => {
    const a = await createActivity();
    expect((await t.request('DELETE', `/api/activities/${a.id}?version=${a.version}`, { user: 'cd_pw' })).statusCode).toBe(204);
    expect((await t.request('GET', `/api/activities/${a.id}`, { user: 'cd_pw' })).statusCode).toBe(404);
    const b = await createActivity();
    await submit(b.id);
    expect((await t.request('DELETE', `/api/activities/${b.id}?version=${(await get(b.id)).version}`, { user: 'cd_pw' })).statusCode).toBe(409);
  });
});

describe('deadline spacing (notice 000), in calendar days of Beijing time', () => {
  const at = (day: string, time = '17:00') => `${day}T${time}:00+08:00`;
  const cases = [
    { field: 'firstDeadline', label: '个人初次提交截止时间', days: 30, ok: { firstDeadline: at('2026-05-01') }, short: { firstDeadline: at('2026-04-30') } },
    { field: 'revisionDeadline', label: '个人修改提交截止时间', days: 10, ok: { revisionDeadline: at('2026-05-11') }, short: { revisionDeadline: at('2026-05-10') } },
    { field: 'receiptDeadline', label: '评委会接收申报截止时间', days: 14, ok: { receiptDeadline: at('2026-05-25') }, short: { receiptDeadline: at('2026-05-24') } },
  ];
  for (const c of cases) {
    it(`${c.label}: ${c.days} days after the previous time is accepted, ${c.days - 1} refused naming the field`, async () => {
      expect((await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(c.ok) })).statusCode).toBe(201);
      const res = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(c.short) });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([{ field: `body.${c.field}`, message: expect.stringContaining(`至少晚 ${c.days} 天（按北京时间自然日计），现为 ${c.days - 1} 天`) }]);
      expect(res.json().message).toContain(c.label);
    });
  }

  it('counts dates, not hours, and counts them in Beijing time', async () => {
    // 4月1日 18:00 → 5月1日 08:00 is 30 calendar days though less than 30 × 24 hours
    expect((await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ startsAt: at('2026-04-01', '18:00'), firstDeadline: at('2026-05-01', '08:00') }) })).statusCode).toBe(201);
    // 4月1日 07:00 Beijing is still 3月31日 in UTC: by UTC dates this would be 30 days, in Beijing it is 29
    const res = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ startsAt: at('2026-04-01', '07:00'), firstDeadline: at('2026-04-30', '09:00') }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('body.firstDeadline');
    // a time without an offset, as a date-time picker gives it, is Beijing time
    const local = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ startsAt: '2026-04-01T09:00', firstDeadline: '2026-05-01T17:00' }) });
    expect(local.statusCode, local.body).toBe(201);
    expect(local.json()).toMatchObject({ startsAt: '2026-04-01T01:00:00.000Z', firstDeadline: '2026-05-01T09:00:00.000Z' });
  });

  it('names a malformed time with 400 on create, save and submit; the spacing rules wait for times that parsed', async () => {
    // given a draft to save and submit
    const draft = await createActivity();
    const malformed = { startsAt: 'x', firstDeadline: '2026-13-45T25:00' };
    // when each of the three routes gets times that are not times (and a panel rule that still applies)
    const created = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody({ ...malformed, panels: true, panelMethod: undefined }) });
    const saved = await t.request('PUT', `/api/activities/${draft.id}`, { user: 'cd_pw', body: { ...activityBody(malformed), version: draft.version } });
    const submitted = await submit(draft.id, { data: activityBody(malformed) });
    // then each answers 400 naming the fields, and no spacing problem is made up from values that failed
    for (const [res, prefix] of [[created, 'body'], [saved, 'body'], [submitted, 'body.data']] as const) {
      expect(res.statusCode, res.body).toBe(400);
      const fields = (res.json().details as Array<{ field: string }>).map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining([`${prefix}.startsAt`, `${prefix}.firstDeadline`]));
      expect(fields).not.toContain(`${prefix}.revisionDeadline`);
    }
    // the rule between fields that did parse still runs
    expect(created.json().details.map((d: { field: string }) => d.field)).toContain('body.panelMethod');
    expect((await get(draft.id)).status).toBe('draft');
  });

  it('publishes the notice at least 30 days before the start: checked when submitted', async () => {
    // the clock reads 2026-03-02 09:00: 4月1日 is 30 days away, 3月31日 only 29
    const ok = await createActivity({ startsAt: at('2026-04-01', '00:00') });
    expect((await submit(ok.id)).statusCode).toBe(200);
    const late = await createActivity({ startsAt: at('2026-03-31', '23:59') });
    const res = await submit(late.id);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: expect.stringContaining('申报通知须在申报开始日 30 日前发布'), details: [{ field: 'startsAt' }] });
    expect(res.json().message).toContain('不得早于 2026-04-01');
    expect((await get(late.id)).status).toBe('draft');
  });

  it('publishes the notice at least 30 days before the start: checked again when the issuer passes it', async () => {
    const a = await createActivity({ startsAt: at('2026-04-01', '09:00') });
    await submit(a.id);
    const task = await issuerTask(await get(a.id));
    // a day later the start is only 29 days away
    t.clock.advanceDays(1);
    const res = await complete(t, 'cd_hr', task.id, 'pass');
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('不能发布');
    expect((await get(a.id)).status).toBe('reviewing');
    // the issuer returns it instead
    await completeOk(t, 'cd_hr', task.id, 'return', '申报开始时间距发布不足 30 天，请调整');
    expect((await get(a.id)).status).toBe('returned');
  });
});

describe('评审活动发布审核 (activity-publication)', () => {
  it('goes to the issuer, who alone may pass it; then it is published and on the public list', async () => {
    // given a draft with a policy file, submitted
    const file = await uploadPdf('cd_pw', '评审政策文件.pdf');
    const a = await createActivity({ policyFiles: [file], name: '公开发布的评审活动' });
    const res = await submit(a.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'reviewing', statusLabel: '发布审核中', canEdit: false });
    // a double click does not submit twice
    expect((await submit(a.id)).statusCode).toBe(409);

    // the issuer's clerk sees the task with the activity's data; other units do not
    const submitted = await get(a.id);
    const task = await issuerTask(submitted);
    expect(task.name).toBe('评审活动发布审核：公开发布的评审活动');
    const detail = (await t.request('GET', `/api/tasks/${task.id}`, { user: 'cd_hr' })).json() as { submissions: Array<{ formKey: string; data: Record<string, unknown> }> };
    expect(detail.submissions.find((s) => s.formKey === 'activity')?.data).toMatchObject({ name: '公开发布的评审活动', levels: ['intermediate'] });
    expect((await get(a.id, 'cd_hr')).id).toBe(a.id);
    expect((await inbox(t, 'sc_hr')).some((i) => i.id === task.id)).toBe(false);
    // to units outside the review the task and the unpublished activity do not exist
    expect((await complete(t, 'sc_hr', task.id, 'pass')).statusCode).toBe(404);
    expect((await complete(t, 'kj_hr', task.id, 'pass')).statusCode).toBe(404);
    expect((await t.request('GET', `/api/activities/${a.id}`, { user: 'sc_hr' })).statusCode).toBe(404);
    // nor is it public yet
    expect((await t.request('GET', `/api/public/activities/${a.id}`)).statusCode).toBe(404);

    // when the issuer passes it
    await completeOk(t, 'cd_hr', task.id, 'pass', '同意发布');

    // then it is published and anybody can read the notice, without logging in
    const published = await get(a.id);
    expect(published).toMatchObject({ status: 'published', publishedAt: new Date(START).toISOString(), phase: 'upcoming', canRequestDeadlineChange: true });
    const list = await t.request('GET', '/api/public/activities');
    expect(list.statusCode).toBe(200);
    const item = (list.json() as Array<Record<string, unknown>>).find((x) => x.id === a.id);
    expect(item).toMatchObject({
      committeeName: '成都市工程技术系列中级职称评审委员会',
      startsAt: published.startsAt,
      firstDeadline: published.firstDeadline,
      revisionDeadline: published.revisionDeadline,
      receiptDeadline: published.receiptDeadline,
      levels: ['intermediate'],
      levelLabels: ['中级'],
      specialties: ['机械工程', '电气工程'],
      phaseLabel: '未开始申报',
    });
    const notice = await t.request('GET', `/api/public/activities/${a.id}`);
    expect(notice.json()).toMatchObject({ policyFiles: [{ id: file.id, name: '评审政策文件.pdf' }], reviewMethodLabel: '专家评审' });
    expect(notice.json()).not.toHaveProperty('planFiles');
    const download = await t.request('GET', `/api/public/activities/${a.id}/files/${file.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toContain('%PDF');
  });

  it('keeps an activity that is not public off the home page, but lists it for logged-in users', async () => {
    const a = await publishedActivity({ public: false, name: '不对外公开的评审活动' });
    expect(((await t.request('GET', '/api/public/activities')).json() as Array<{ id: number }>).some((x) => x.id === a.id)).toBe(false);
    expect((await t.request('GET', `/api/public/activities/${a.id}`)).statusCode).toBe(404);
    const logged = await t.request('GET', '/api/published-activities', { user: 'zhangwei' });
    expect((logged.json() as Array<{ id: number }>).some((x) => x.id === a.id)).toBe(true);
    expect((await t.request('GET', `/api/published-activities/${a.id}`, { user: 'zhangwei' })).json()).toMatchObject({ name: '不对外公开的评审活动' });
  });

  it('returns to the organiser, who edits it in the steps and resubmits; the issuer sees it again', async () => {
    const a = await createActivity({ name: '待修改的评审活动' });
    await submit(a.id);
    await completeOk(t, 'cd_hr', (await issuerTask(await get(a.id))).id, 'return', '请补充申报材料要求');

    // then it is back with the organiser, with the opinion
    const returned = await get(a.id);
    expect(returned).toMatchObject({ status: 'returned', reviewOpinion: '请补充申报材料要求', canSubmit: true, canEdit: false });
    expect(returned.openTaskId).toBe((await taskOf(t, 'cd_pw', returned.instanceId as string, 'revise')).id);
    // saving as a draft is not how a returned activity changes
    expect((await t.request('PUT', `/api/activities/${a.id}`, { user: 'cd_pw', body: { ...activityBody(), committeeId: undefined, version: returned.version } })).statusCode).toBe(409);

    // when the organiser resubmits it with the materials added
    const data = { ...activityBody({ name: '已修改的评审活动', materials: [{ name: '学历证书', required: true, maxFiles: 2 }, { name: '继续教育证明', required: false, maxFiles: 5 }] }) };
    delete (data as { committeeId?: number }).committeeId;
    const res = await submit(a.id, { data });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'reviewing', name: '已修改的评审活动', reviewOpinion: null });
    expect((res.json() as Activity).materials).toHaveLength(2);

    // the issuer reviews it again and passes it
    await completeOk(t, 'cd_hr', (await issuerTask(await get(a.id))).id, 'pass');
    expect((await get(a.id)).status).toBe('published');
  });

  it('can be resubmitted from the inbox task, and withdrawn back to a draft', async () => {
    const a = await createActivity();
    await submit(a.id);
    const submitted = await get(a.id);
    await completeOk(t, 'cd_hr', (await issuerTask(submitted)).id, 'return', '请修改');
    const revise = await taskOf(t, 'cd_pw', submitted.instanceId as string, 'revise');
    // a resubmission that breaks the rules is refused with the field named, and nothing moves
    const detail = (await t.request('GET', `/api/tasks/${revise.id}`, { user: 'cd_pw' })).json() as { initialData: Record<string, unknown> };
    const bad = await complete(t, 'cd_pw', revise.id, 'submit', undefined, { ...detail.initialData, levels: ['senior_full'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('开设级别“正高级”');
    expect((await get(a.id)).status).toBe('returned');

    // withdrawing makes it a draft again, editable and submittable as a new case
    await completeOk(t, 'cd_pw', revise.id, 'withdraw');
    const draft = await get(a.id);
    expect(draft).toMatchObject({ status: 'draft', instanceId: null, canEdit: true });
    expect((await submit(a.id)).statusCode).toBe(200);
    expect((await get(a.id)).instanceId).not.toBe(submitted.instanceId);
  });

  it('walks the issuer’s review posts when it has configured them', async () => {
    const hash = await hashPassword(DEMO_PASSWORD);
    const ids = [];
    for (const username of ['city_post1', 'city_post2']) {
      const [row] = await db.knex('users').insert({ username, password_hash: hash, display_name: username, unit_id: cityId, roles: ['hr_clerk'] }).returning('id');
      ids.push(Number(row.id));
    }
    await db.knex('review_levels').insert([
      { unit_id: cityId, matter_type: 'activity_publication', level_no: 1, name: '初审岗', user_ids: [ids[0]] },
      { unit_id: cityId, matter_type: 'activity_publication', level_no: 2, name: '复核岗', user_ids: [ids[1]] },
    ]);
    try {
      const a = await createActivity({ name: '多岗审核的评审活动' });
      await submit(a.id);
      const instanceId = (await get(a.id)).instanceId as string;
      const first = await taskOf(t, 'city_post1', instanceId, 'post_review');
      expect(first.name).toBe('评审活动发布审核：多岗审核的评审活动（初审岗）');
      await completeOk(t, 'city_post1', first.id, 'pass');
      expect((await get(a.id)).status).toBe('reviewing');
      await completeOk(t, 'city_post2', (await taskOf(t, 'city_post2', instanceId, 'post_review')).id, 'pass');
      expect((await get(a.id)).status).toBe('published');
    } finally {
      await db.knex('review_levels').where({ unit_id: cityId, matter_type: 'activity_publication' }).delete();
    }
  });

  it('cannot be started from the generic start endpoint', async () => {
    const res = await t.request('POST', '/api/process-instances', { user: 'cd_pw', body: { processKey: 'activity-publication', variables: {} } });
    expect(res.statusCode).toBe(404);
  });
});

describe('申报时间调整 (activity-deadline-change)', () => {
  const later = (a: Activity, days: number) => ({
    firstDeadline: new Date(new Date(a.firstDeadline).getTime() + days * 86_400_000).toISOString(),
    revisionDeadline: new Date(new Date(a.revisionDeadline).getTime() + days * 86_400_000).toISOString(),
    receiptDeadline: new Date(new Date(a.receiptDeadline).getTime() + days * 86_400_000).toISOString(),
  });

  it('moves the deadlines only when the registrar approves, and records before and after', async () => {
    const a = await publishedActivity({ name: '需要延期的评审活动' });
    const body = { ...later(a, 7), reason: '受洪涝灾害影响，部分单位无法按时完成审核' };

    // the organiser asks; nothing moves yet
    const res = await t.request('POST', `/api/activities/${a.id}/deadline-changes`, { user: 'cd_pw', body });
    expect(res.statusCode, res.body).toBe(201);
    const change = res.json() as { id: number; status: string; instanceId: string };
    expect(change.status).toBe('requested');
    expect((await get(a.id)).firstDeadline).toBe(a.firstDeadline);
    expect((await get(a.id)).canRequestDeadlineChange).toBe(false);
    // one request at a time
    expect((await t.request('POST', `/api/activities/${a.id}/deadline-changes`, { user: 'cd_pw', body })).statusCode).toBe(409);

    // the registrar (the province) decides; the issuer or anybody else may not
    const task = await taskOf(t, 'sc_hr', change.instanceId, 'registrar_review');
    expect(task.name).toBe('评审活动时间调整审核：需要延期的评审活动');
    const detail = (await t.request('GET', `/api/tasks/${task.id}`, { user: 'sc_hr' })).json() as { submissions: Array<{ formKey: string; data: Record<string, unknown> }> };
    expect(detail.submissions.find((s) => s.formKey === 'activity-deadline-change')?.data).toMatchObject({ reason: body.reason });
    // the issuer has no part in this case; the organiser who asked sees it but may not decide
    expect((await complete(t, 'cd_hr', task.id, 'pass')).statusCode).toBe(404);
    expect((await complete(t, 'cd_pw', task.id, 'pass')).statusCode).toBe(403);
    await completeOk(t, 'sc_hr', task.id, 'pass', '同意延长');

    // then the deadlines are the new ones and the change is on record
    const after = await get(a.id);
    expect(after).toMatchObject({ firstDeadline: body.firstDeadline, revisionDeadline: body.revisionDeadline, receiptDeadline: body.receiptDeadline, version: a.version + 1 });
    const history = (await t.request('GET', `/api/activities/${a.id}/deadline-changes`, { user: 'cd_pw' })).json() as Array<Record<string, unknown>>;
    expect(history[0]).toMatchObject({
      status: 'approved',
      reason: body.reason,
      before: { firstDeadline: a.firstDeadline, revisionDeadline: a.revisionDeadline, receiptDeadline: a.receiptDeadline },
      after: { firstDeadline: body.firstDeadline, revisionDeadline: body.revisionDeadline, receiptDeadline: body.receiptDeadline },
      decidedByName: '省人社厅经办人',
      opinion: '同意延长',
    });
    const row = await db.knex('activity_deadline_changes').where({ id: change.id }).first();
    expect(row.before.firstDeadline).toBe(a.firstDeadline);
    expect(row.after.firstDeadline).toBe(body.firstDeadline);
  });

  it('leaves the deadlines when the registrar does not agree', async () => {
    const a = await publishedActivity();
    const res = await t.request('POST', `/api/activities/${a.id}/deadline-changes`, { user: 'cd_pw', body: { ...later(a, 3), reason: '申报人数较多，需延长时间' } });
    const task = await taskOf(t, 'sc_hr', (res.json() as { instanceId: string }).instanceId, 'registrar_review');
    expect((await complete(t, 'sc_hr', task.id, 'reject')).statusCode).toBe(400);
    await completeOk(t, 'sc_hr', task.id, 'reject', '理由不充分');
    expect((await get(a.id)).firstDeadline).toBe(a.firstDeadline);
    const [latest] = (await t.request('GET', `/api/activities/${a.id}/deadline-changes`, { user: 'cd_pw' })).json() as Array<Record<string, unknown>>;
    expect(latest).toMatchObject({ status: 'rejected', opinion: '理由不充分' });
  });

  it('only moves deadlines later, keeps their spacing, and needs a reason and a published activity', async () => {
    const a = await publishedActivity();
    const ask = (body: Record<string, unknown>) => t.request('POST', `/api/activities/${a.id}/deadline-changes`, { user: 'cd_pw', body: { ...later(a, 0), reason: '因不可抗力延长申报时间', ...body } });
    const earlier = await ask({ firstDeadline: new Date(new Date(a.firstDeadline).getTime() - 60_000).toISOString() });
    expect(earlier.statusCode).toBe(400);
    expect(earlier.json()).toMatchObject({ message: expect.stringContaining('个人初次提交截止时间只能延后'), details: [{ field: 'firstDeadline' }] });
    const unchanged = await ask({});
    expect(unchanged.statusCode).toBe(400);
    // the revision deadline moved but the receipt deadline left only 13 days after it
    const squeezed = await ask({ revisionDeadline: new Date(new Date(a.revisionDeadline).getTime() + 86_400_000).toISOString() });
    expect(squeezed.statusCode).toBe(400);
    expect(squeezed.json().details).toEqual([{ field: 'receiptDeadline', message: expect.stringContaining('至少晚 14 天') }]);
    const noReason = await ask({ ...later(a, 1), reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details[0].field).toBe('body.reason');

    const draft = await createActivity();
    expect((await t.request('POST', `/api/activities/${draft.id}/deadline-changes`, { user: 'cd_pw', body: { ...later(a, 1), reason: '因不可抗力延长申报时间' } })).statusCode).toBe(409);
    expect((await t.request('POST', `/api/activities/${a.id}/deadline-changes`, { user: 'sc_hr', body: { ...later(a, 1), reason: '因不可抗力延长申报时间' } })).statusCode).toBe(403);
  });
});

describe('the deadlines drive the dossier flow', () => {
  it('refuses a dossier before 申报开始时间 and after 个人初次提交截止时间, with the time in the message', async () => {
    const id = await openActivity({ startsAt: '2026-03-10T09:00:00+08:00', firstDeadline: '2026-04-10T17:00:00+08:00', revisionDeadline: '2026-04-20T17:00:00+08:00', receiptDeadline: '2026-05-05T17:00:00+08:00' });
    const early = await startFor(await newApplicant(), id);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('申报开始时间为 2026-03-10 09:00，尚未开始申报');

    // at the start it opens
    t.clock.set('2026-03-10T09:00:00+08:00');
    expect((await startFor(await newApplicant(), id)).statusCode).toBe(201);
    t.clock.set('2026-03-09T23:59:59+08:00');
    expect((await startFor(await newApplicant(), id)).statusCode).toBe(409);

    // up to the first deadline, and not a moment after
    t.clock.set('2026-04-10T17:00:00+08:00');
    expect((await startFor(await newApplicant(), id)).statusCode).toBe(201);
    t.clock.set('2026-04-10T17:00:01+08:00');
    const late = await startFor(await newApplicant(), id);
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toContain('个人初次提交截止时间为 2026-04-10 17:00，已经截止');
  });

  it('accepts the first submission until its deadline, a resubmission until the revision deadline', async () => {
    const id = await openActivity(OPEN_NOW);
    const [early, late] = [await newApplicant(), await newApplicant()];
    const early1 = (await startFor(early, id)).json().id as string;
    const late1 = (await startFor(late, id)).json().id as string;

    // exactly at the deadline the submission goes in; a second later it does not
    t.clock.set(OPEN_NOW.firstDeadline);
    await completeOk(t, early, (await taskOf(t, early, early1, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    t.clock.set('2026-04-01T17:00:01+08:00');
    const refused = await complete(t, late, (await taskOf(t, late, late1, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('个人初次提交截止时间为 2026-04-01 17:00，已经截止');

    // returned after the first deadline, it may be resubmitted until the revision deadline
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', early1, 'unit_review')).id, 'return', '请补充业绩');
    t.clock.set(OPEN_NOW.revisionDeadline);
    const resubmit = await taskOf(t, early, early1, 'resubmit');
    t.clock.set('2026-04-11T17:00:01+08:00');
    const tooLate = await complete(t, early, resubmit.id, 'submit', undefined, VALID_DOSSIER);
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().message).toContain('个人修改提交截止时间为 2026-04-11 17:00');
    t.clock.set(OPEN_NOW.revisionDeadline);
    await completeOk(t, early, resubmit.id, 'submit', undefined, VALID_DOSSIER);
  });

  it('closes the units’ side at 评委会接收申报截止时间: no more passing on; the committee accepts what reached it in time', async () => {
    const id = await openActivity(OPEN_NOW);
    const [ontime, stuck] = [await newApplicant(), await newApplicant()];
    const a = (await startFor(ontime, id)).json().id as string;
    const b = (await startFor(stuck, id)).json().id as string;
    await completeOk(t, ontime, (await taskOf(t, ontime, a, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    await completeOk(t, stuck, (await taskOf(t, stuck, b, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    // one dossier reaches the committee exactly at the deadline
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', a, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', a, 'department_review')).id, 'pass');
    t.clock.set(OPEN_NOW.receiptDeadline);
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', a, 'bureau_review')).id, 'pass');

    // after the deadline the employer can no longer pass the other one on (only return or reject)
    t.clock.set('2026-04-25T17:00:01+08:00');
    const unit = await taskOf(t, 'kj_hr', b, 'unit_review');
    const refused = await complete(t, 'kj_hr', unit.id, 'pass', undefined, await employerPassData(t, 'kj_hr'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('评委会接收申报截止时间为 2026-04-25 17:00，已经截止');

    // the committee still receives the one that arrived in time
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', a, 'committee_receipt')).id, 'pass', '予以接收');
    expect((await db.knex('dossiers').where({ instance_id: a }).first()).status).toBe('received');
  });

  it('checks each case of a batch pass against its own activity’s receipt deadline', async () => {
    const [closed, open] = [await openActivity(OPEN_NOW), await openActivity({ ...OPEN_NOW, receiptDeadline: '2026-05-25T17:00:00+08:00' })];
    const cases: string[] = [];
    for (const activityId of [closed, open, closed]) {
      const user = await newApplicant();
      const a = (await startFor(user, activityId)).json().id as string;
      await completeOk(t, user, (await taskOf(t, user, a, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
      await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', a, 'unit_review')).id);
      cases.push(a);
    }
    t.clock.set('2026-04-25T17:00:01+08:00');
    const taskIds = await Promise.all(cases.map(async (a) => (await taskOf(t, 'cd_jxj', a, 'department_review')).id));
    const res = await t.request('POST', '/api/tasks/batch-complete', { user: 'cd_jxj', body: { taskIds, action: 'pass', opinion: '同意报送' } });
    const body = res.json() as { succeeded: number; results: Array<{ ok: boolean; status: number; message?: string }> };
    expect(body.results.map((r) => r.status)).toEqual([409, 200, 409]);
    expect(body.results[0]!.message).toContain('评委会接收申报截止时间为 2026-04-25 17:00，已经截止');
    expect((await db.knex('dossiers').where({ instance_id: cases[1] }).first()).holder_unit_id).not.toBe((await db.knex('dossiers').where({ instance_id: cases[0] }).first()).holder_unit_id);
  });

  it('refuses the committee’s receipt of a dossier that reached it after the deadline', async () => {
    const id = await openActivity(OPEN_NOW);
    const user = await newApplicant();
    const a = (await startFor(user, id)).json().id as string;
    await completeOk(t, user, (await taskOf(t, user, a, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', a, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', a, 'department_review')).id, 'pass');
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', a, 'bureau_review')).id, 'pass');
    // the receipt deadline (an older activity's data) lies before the dossier arrived
    await db.knex('activities').where({ id }).update({ receipt_deadline: new Date('2026-03-01T17:00:00+08:00') });
    const receipt = await taskOf(t, 'cd_pw', a, 'committee_receipt');
    const res = await complete(t, 'cd_pw', receipt.id, 'pass');
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('晚于评委会接收申报截止时间 2026-03-01 17:00');
    // it may still be returned or rejected
    await completeOk(t, 'cd_pw', receipt.id, 'reject', '超过接收截止时间');
  });

  it('restricts nothing for an activity without deadlines (older data)', async () => {
    const id = await openActivity(OPEN_NOW);
    await db.knex('activities').where({ id }).update({ starts_at: null, first_deadline: null, revision_deadline: null, receipt_deadline: null });
    t.clock.set('2027-01-01T09:00:00+08:00');
    const user = await newApplicant();
    const a = (await startFor(user, id)).json().id as string;
    await completeOk(t, user, (await taskOf(t, user, a, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', a, 'unit_review')).id);
  });
});

describe('the deadline job', () => {
  it('closes first submissions and revisions at their deadlines, once, and an approved extension reopens them', async () => {
    // given a published activity with a dossier not yet submitted and one returned for revision
    const a = await publishedActivity({ name: '截止任务测试', startsAt: '2026-04-01T09:00:00+08:00' });
    // no 业绩成果 items or required materials: VALID_DOSSIER is a complete declaration for it
    await db.knex('activities').where({ id: a.id }).update({ achievements: '[]', materials: '[]' });
    const [idle, reviser] = [await newApplicant(), await newApplicant()];
    t.clock.set('2026-04-01T09:00:00+08:00');
    const idleCase = (await startFor(idle, a.id)).json().id as string;
    const revCase = (await startFor(reviser, a.id)).json().id as string;
    await completeOk(t, reviser, (await taskOf(t, reviser, revCase, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', revCase, 'unit_review')).id, 'return', '请修改');
    const idleTask = await taskOf(t, idle, idleCase, 'submit');
    const revTask = await taskOf(t, reviser, revCase, 'resubmit');

    // before the first deadline nothing is closed
    t.clock.set(a.firstDeadline);
    expect((await closeSubmissionWindows(db.knex, t.app.engine, t.clock.now())).firstClosed).not.toContain(a.id);

    // just past it, first submissions close: the activity records it and the idle task is marked
    t.clock.set(new Date(new Date(a.firstDeadline).getTime() + 1000));
    const run = (await t.app.scheduler.runJob(DEADLINE_JOB)) as { firstClosed: number[]; revisionClosed: number[] };
    expect(run.firstClosed).toContain(a.id);
    expect(run.revisionClosed).not.toContain(a.id);
    expect((await get(a.id)).firstClosedAt).toBe(t.clock.now().toISOString());
    const marked = await db.knex('tasks').where({ id: idleTask.id }).first();
    expect(marked.overdue_at).not.toBeNull();
    expect(new Date(marked.due_at).toISOString()).toBe(a.firstDeadline);
    expect((await db.knex('tasks').where({ id: revTask.id }).first()).overdue_at).toBeNull();
    expect((await get(a.id)).phase).toBe('revision');

    // running again changes nothing
    expect(await closeSubmissionWindows(db.knex, t.app.engine, t.clock.now())).toMatchObject({ firstClosed: [], tasksFlagged: 0 });
    const events = await db.knex('history_events').where({ task_id: idleTask.id, type: 'task.overdue' }).count<{ n: number }[]>({ n: '*' });
    expect(Number(events[0]?.n)).toBe(1);
    const [event] = await db.knex('history_events').where({ task_id: idleTask.id, type: 'task.overdue' });
    expect(event.data).toEqual({ dueAt: a.firstDeadline, reason: '评审活动的个人初次提交截止时间已过，不能再提交' });

    // past the revision deadline, revisions close too
    t.clock.set(new Date(new Date(a.revisionDeadline).getTime() + 1000));
    expect((await closeSubmissionWindows(db.knex, t.app.engine, t.clock.now())).revisionClosed).toContain(a.id);
    expect((await db.knex('tasks').where({ id: revTask.id }).first()).overdue_at).not.toBeNull();

    // when the registrar approves an extension of both, they open again
    const body = {
      firstDeadline: new Date(t.clock.now().getTime() + 10 * 86_400_000).toISOString(),
      revisionDeadline: new Date(t.clock.now().getTime() + 20 * 86_400_000).toISOString(),
      receiptDeadline: new Date(t.clock.now().getTime() + 34 * 86_400_000).toISOString(),
      reason: '受疫情影响延长申报时间',
    };
    const change = await t.request('POST', `/api/activities/${a.id}/deadline-changes`, { user: 'cd_pw', body });
    expect(change.statusCode, change.body).toBe(201);
    await completeOk(t, 'sc_hr', (await taskOf(t, 'sc_hr', (change.json() as { instanceId: string }).instanceId, 'registrar_review')).id, 'pass', '同意');
    const reopened = await get(a.id);
    expect(reopened).toMatchObject({ firstClosedAt: null, revisionClosedAt: null, phase: 'open' });
    expect((await db.knex('tasks').where({ id: idleTask.id }).first()).overdue_at).toBeNull();
    await completeOk(t, idle, idleTask.id, 'submit', undefined, VALID_DOSSIER);
  });
});
