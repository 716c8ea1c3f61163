import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createPerson, registerAndApprove, talentBody } from '../helpers/talents.ts';
import { recognitionApplication } from '../helpers/title-recognition.ts';
import { idNumber } from '../helpers/fixtures.ts';
import { createPiiCipher, parsePiiKeys, sealedSelect } from '../../api/src/pii.ts';
import { createPersonalInformationRepository } from '../../api/modules/personal-information/personal-information.repository.ts';
import { createSealer } from '../../api/modules/personal-information/personal-information.service.ts';
import { TALENTS_SEALED } from '../../api/modules/talents/talents.pii.ts';
import { RECOGNITIONS_SEALED } from '../../api/modules/title-recognition/title-recognition.pii.ts';

/**
 * 个人信息 at rest for 专技人才 (`talents`) and 职称确认 (`title_recognitions`): the ID number sealed
 * (SM4) with its keyed hash, masked for staff, opened by an audited and scoped 查看.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let employer: number;

type Item = { id: number; personName: string; idNumber: string };
const json = <T = Record<string, unknown>>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};
/** An account's ID number, as its seal (or, before the sweep, its plain column) holds it. */
const accountIdNumber = async (username: string): Promise<string> => {
  const u = await db.knex('users').where({ username }).first('id_number', 'id_number_enc');
  return t.app.pii.reveal(u.id_number_enc as string | null, u.id_number as string | null)!;
};
const piiViews = (targetId: string) => db.knex('audit_events').where({ action: 'pii.view', target_type: 'person', target_id: targetId });
const MASKED = /^\d{4}\*+[0-9X]{4}$/;
// the test app's keys (tests/helpers/app.ts) and a second encryption key for the rotation
const K1 = '0123456789abcdef0123456789abcdef';
const K2 = '00112233445566778899aabbccddeeff';
const HASH_KEY = 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210';

const WANG = { name: '王浩然', birth: '19900214', seq: 401 };
const ZHAO = { name: '赵欣怡', birth: '19930716', seq: 402 };
const CONFIRM = { action: 'pass', approvalDate: '2026-02-20', documentNo: '成人社职〔2026〕15号' };

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  employer = Number((await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id')).id);
  // 王浩然 approved up to the city bureau; 赵欣怡 waiting at her unit
  await createPerson(db.knex, 'pt_wang', employer, WANG.birth, WANG.seq);
  await createPerson(db.knex, 'pt_zhao', employer, ZHAO.birth, ZHAO.seq);
  await registerAndApprove(t, 'pt_wang', talentBody(WANG.name, WANG.birth, WANG.seq), ['kj_hr', 'cd_jxj', 'cd_hr']);
  await registerAndApprove(t, 'pt_zhao', talentBody(ZHAO.name, ZHAO.birth, ZHAO.seq), []);
  // 李娜's application waits at 示范科技; 张伟's (高级工程师) at the city bureau, which confirms
  await t.request('POST', '/api/my/title-recognitions', { user: 'lina', body: await recognitionApplication(t, 'lina') });
  const zhang = (await t.request('POST', '/api/my/title-recognitions', { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei', { titleName: '高级工程师', level: 'senior_deputy' }) })).json() as { id: number };
  for (const user of ['kj_hr', 'cd_jxj']) {
    const { taskId } = (await t.request('GET', `/api/title-recognitions/${zhang.id}`, { user })).json() as { taskId: string };
    await t.request('POST', `/api/title-recognitions/${zhang.id}/review`, { user, body: { action: 'pass', taskId } });
  }
  // and one row of each table as an older release left it: the number plain, no seal
  for (const table of ['talents', 'title_recognitions']) {
    const row = await db.knex(table).orderBy('id').first('id', 'id_number_enc');
    await db.knex(table).where({ id: row.id }).update({ id_number: t.app.pii.open(row.id_number_enc as string), id_number_enc: null, id_number_hash: null, pii_key_id: null });
  }
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('专技人才 and 职称确认 at rest', () => {
  it('keeps no plain ID number in either table after the sweep, and no stored column holds one', async () => {
    // given rows written through the API and one of each table left plain by an older release
    expect(Number((await db.knex('talents').whereNotNull('id_number').count({ n: '*' }))[0]!.n)).toBe(1);
    // when the sweep runs (as at the server's start and on every SWEEP_CRON)
    await t.app.sealer.sweep();
    const talents = await db.knex('talents').select('*');
    const recognitions = await db.knex('title_recognitions').select('*');
    const numbers = [idNumber(WANG.birth, WANG.seq), idNumber(ZHAO.birth, ZHAO.seq), ...(await Promise.all(['lina', 'zhangwei'].map(accountIdNumber)))];
    // then the plain columns are empty, every row has its seal and hash, and no number appears anywhere in them
    expect(Number((await db.knex('talents').whereNotNull('id_number').count({ n: '*' }))[0]!.n)).toBe(0);
    expect(Number((await db.knex('title_recognitions').whereNotNull('id_number').count({ n: '*' }))[0]!.n)).toBe(0);
    for (const row of [...talents, ...recognitions]) expect([String(row.id_number_enc).startsWith('sm4:'), typeof row.id_number_hash, row.pii_key_id]).toEqual([true, 'string', 'k1']);
    const stored = JSON.stringify([talents, recognitions]);
    for (const n of numbers) expect(stored).not.toContain(n);
    expect([talents.length, recognitions.length]).toEqual([2, 2]);
  });

  it('seals a registration saved through the API at once, before any sweep', async () => {
    // given a new applicant
    await createPerson(db.knex, 'pt_fresh', employer, '19910412', 611);
    // when they save their registration
    json(await t.request('PUT', '/api/talents/mine', { user: 'pt_fresh', body: talentBody('新人', '19910412', 611) }));
    // then the row holds the seal and hash only
    const row = await db.knex('talents').join('users as u', 'u.id', 'talents.user_id').where('u.username', 'pt_fresh').first('talents.id_number', 'talents.id_number_enc', 'talents.id_number_hash', 'talents.pii_key_id');
    expect(row.id_number).toBeNull();
    expect(t.app.pii.open(row.id_number_enc)).toBe(idNumber('19910412', 611));
    expect(row).toMatchObject({ id_number_hash: t.app.pii.hash('idNumber', idNumber('19910412', 611)), pii_key_id: 'k1' });
  });

  it('seals an application for 职称确认 at once, before any sweep', async () => {
    // given 张伟 (demo applicant) / when he applies for another title
    const created = json<Item>(await t.request('POST', '/api/my/title-recognitions', { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei', { titleName: '工程师', level: 'intermediate' }) }), 201);
    // then the row holds the seal and hash only, and he sees his own number in full
    const row = await db.knex('title_recognitions').where({ id: created.id }).first('id_number', 'id_number_enc', 'id_number_hash');
    const own = await accountIdNumber('zhangwei');
    expect(row.id_number).toBeNull();
    expect(t.app.pii.open(row.id_number_enc)).toBe(own);
    expect(row.id_number_hash).toBe(t.app.pii.hash('idNumber', own));
    expect(created.idNumber).toBe(own);
  });
});

describe('masked for staff, in full for the person', () => {
  it('masks the ID number in the 专技人才审核 list and detail for staff', async () => {
    // given the registrations of 示范科技
    // when the city bureau lists everything submitted in its subtree and opens one
    const all = json<{ items: Item[] }>(await t.request('GET', '/api/talents?view=all&limit=200', { user: 'cd_hr' })).items;
    const detail = json<Item>(await t.request('GET', `/api/talents/${all[0]!.id}`, { user: 'kj_hr' }));
    // then every number is masked
    expect(all.length).toBeGreaterThan(0);
    for (const item of [...all, detail]) expect(item.idNumber).toMatch(MASKED);
  });

  it('shows the person their own registration’s number in full', async () => {
    // given 王浩然's approved registration / when he reads it
    const mine = json<{ registration: Item }>(await t.request('GET', '/api/talents/mine', { user: 'pt_wang' }));
    // then the number is his, in full
    expect(mine.registration.idNumber).toBe(idNumber(WANG.birth, WANG.seq));
  });

  it('masks the ID number in the 职称确认审核 list and detail for staff, and shows the person theirs', async () => {
    // given lina's application waiting at 示范科技
    // when its clerk lists and opens it, and lina reads hers
    const pending = json<Item[]>(await t.request('GET', '/api/title-recognitions?pending=true', { user: 'kj_hr' }));
    const lina = pending.find((r) => r.personName === '李娜')!;
    const detail = json<Item>(await t.request('GET', `/api/title-recognitions/${lina.id}`, { user: 'kj_hr' }));
    const hers = json<Item[]>(await t.request('GET', '/api/my/title-recognitions', { user: 'lina' }));
    // then staff see it masked and lina in full
    for (const item of [...pending, detail]) expect(item.idNumber).toMatch(MASKED);
    const own = await accountIdNumber('lina');
    expect(hers.map((r) => r.idNumber)).toEqual(hers.map(() => own));
  });

  it('finds a registration by its whole ID number (exactly, by the hash) and not by a part of it', async () => {
    // given 王浩然's sealed registration
    const full = idNumber(WANG.birth, WANG.seq);
    // when the city bureau searches by the whole number and by a part of it
    const whole = json<{ items: Item[] }>(await t.request('GET', `/api/talents?view=all&q=${full}`, { user: 'cd_hr' })).items;
    const part = json<{ items: Item[] }>(await t.request('GET', `/api/talents?view=all&q=${full.slice(0, 10)}`, { user: 'cd_hr' })).items;
    // then the whole number finds his registration only, a part finds nothing
    expect(whole.map((i) => i.personName)).toEqual(['王浩然']);
    expect(part).toEqual([]);
  });
});

describe('查看: the full number, audited and scoped', () => {
  it('opens a registration’s number for a unit on its chain and records the view', async () => {
    // given 王浩然's registration, read by the employer's clerk
    const id = json<{ registration: Item }>(await t.request('GET', '/api/talents/mine', { user: 'pt_wang' })).registration.id;
    // when the clerk asks for the full number
    const res = json<{ field: string; value: string }>(await t.request('GET', `/api/talents/${id}/pii?field=idNumber`, { user: 'kj_hr' }));
    // then it is the number, and one pii.view is recorded naming the person
    expect(res).toEqual({ field: 'idNumber', value: idNumber(WANG.birth, WANG.seq) });
    const views = await piiViews(`talent:${id}`);
    expect(views).toHaveLength(1);
    expect(views[0]!.data).toMatchObject({ subject: 'talent', fields: ['idNumber'], personName: '王浩然' });
  });

  it('answers another unit’s clerk 404 and records nothing', async () => {
    // given 王浩然's registration and 李娜's application, both outside 锦江区
    const talentId = json<{ registration: Item }>(await t.request('GET', '/api/talents/mine', { user: 'pt_wang' })).registration.id;
    const recognitionId = json<Item[]>(await t.request('GET', '/api/my/title-recognitions', { user: 'lina' }))[0]!.id;
    // when the county bureau's clerk asks for their numbers (and for records that do not exist)
    const answers = [
      await t.request('GET', `/api/talents/${talentId}/pii`, { user: 'jj_hr' }),
      await t.request('GET', `/api/talents/${talentId + 100000}/pii`, { user: 'jj_hr' }),
      await t.request('GET', `/api/title-recognitions/${recognitionId}/pii`, { user: 'jj_hr' }),
      await t.request('GET', `/api/title-recognitions/${recognitionId + 100000}/pii`, { user: 'jj_hr' }),
    ];
    // then 404 each time, and no view of theirs is recorded
    expect(answers.map((r) => r.statusCode)).toEqual([404, 404, 404, 404]);
    expect(await db.knex('audit_events').where({ action: 'pii.view', actor_name: '锦江区人社局经办人' })).toHaveLength(0);
    expect(answers.map((r) => r.body).join('')).not.toMatch(/\d{17}[\dX]/);
  });

  it('opens an application’s number for a unit on its path and records the view', async () => {
    // given lina's application waiting at 示范科技
    const id = json<Item[]>(await t.request('GET', '/api/my/title-recognitions', { user: 'lina' }))[0]!.id;
    // when its clerk asks for the full number
    const res = json<{ value: string }>(await t.request('GET', `/api/title-recognitions/${id}/pii?field=idNumber`, { user: 'kj_hr' }));
    // then it is lina's number, and one pii.view is recorded
    expect(res.value).toBe(await accountIdNumber('lina'));
    const views = await piiViews(`title_recognition:${id}`);
    expect(views).toHaveLength(1);
    expect(views[0]!.data).toMatchObject({ subject: 'title_recognition', fields: ['idNumber'], personName: '李娜' });
  });

  it('answers a field other than the ID number with a 400 naming it', async () => {
    // given a registration / when the phone is asked for (none is kept)
    const id = json<{ registration: Item }>(await t.request('GET', '/api/talents/mine', { user: 'pt_wang' })).registration.id;
    const res = await t.request('GET', `/api/talents/${id}/pii?field=phone`, { user: 'kj_hr' });
    // then 400 in Chinese naming the field
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('field');
    expect(res.body).toContain('查看的字段');
  });
});

describe('lookups by the keyed hash', () => {
  it('refuses a second registration with a number already registered, whose plain column is empty', async () => {
    // given 王浩然's sealed registration (plain column empty) and another applicant
    const taken = idNumber(WANG.birth, WANG.seq);
    expect(Number((await db.knex('talents').whereNotNull('id_number').count({ n: '*' }))[0]!.n)).toBe(0);
    await createPerson(db.knex, 'pt_copy', employer, '19920101', 613);
    const birth = taken.slice(6, 14);
    // when the other applicant saves a registration with 王浩然's number (lower-case x would match too)
    const res = await t.request('PUT', '/api/talents/mine', { user: 'pt_copy', body: { ...talentBody('冒用', birth, Number(taken.slice(14, 17))), idNumber: taken.toLowerCase() } });
    // then 409 naming the ID number
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ details: { field: 'idNumber' } });
  });

  it('refuses to recognise again a title the person already has confirmed', async () => {
    // given 张伟's application (高级工程师) confirmed by the city bureau
    const waiting = json<Array<Item & { titleName: string; status: string }>>(await t.request('GET', '/api/my/title-recognitions', { user: 'zhangwei' })).find((r) => r.titleName === '高级工程师')!;
    const { taskId } = json<{ taskId: string }>(await t.request('GET', `/api/title-recognitions/${waiting.id}`, { user: 'cd_hr' }));
    json(await t.request('POST', `/api/title-recognitions/${waiting.id}/review`, { user: 'cd_hr', body: { ...CONFIRM, taskId } }));
    // when he applies for the same title and level again
    const res = await t.request('POST', '/api/my/title-recognitions', { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei', { titleName: '高级工程师', level: 'senior_deputy' }) });
    // then 409 naming the title, found by the hash of his number (the plain column is empty)
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ details: { field: 'titleName' } });
    expect((await db.knex('title_recognitions').where({ id: waiting.id }).first('id_number')).id_number).toBeNull();
  });
});

describe('rotation', () => {
  it('re-seals both tables under a rotated key, keeping the hashes', async () => {
    // given every row sealed under k1, and PII_KEY rotated to k2,k1 (same hash key)
    const repo = createPersonalInformationRepository(db.knex);
    const before = await db.knex('talents').select('id', 'id_number_hash').orderBy('id');
    const rotated = createPiiCipher(parsePiiKeys(`k2:${K2},k1:${K1}`, HASH_KEY));
    const sealer = createSealer(db.knex, repo, rotated);
    sealer.register(TALENTS_SEALED);
    sealer.register(RECOGNITIONS_SEALED);
    // when the rotation sweeps them
    const report = await sealer.sweep({ tables: ['talents', 'title_recognitions'] });
    // then every row is on k2, still opens with the new keys, and its hash is unchanged
    expect(report.resealed).toBeGreaterThan(0);
    expect(await repo.countsByKey(TALENTS_SEALED)).toEqual({ k2: before.length });
    expect(Object.keys(await repo.countsByKey(RECOGNITIONS_SEALED))).toEqual(['k2']);
    expect(await db.knex('talents').select('id', 'id_number_hash').orderBy('id')).toEqual(before);
    const rows = await db.knex('talents').select(sealedSelect(TALENTS_SEALED));
    for (const r of rows) expect(rotated.open(r.id_number_enc as string)).toMatch(/^[0-9A-Z]+$/);
    // and rotating back (k1 first again) leaves them as the server reads them
    const back = createSealer(db.knex, repo, createPiiCipher(parsePiiKeys(`k1:${K1},k2:${K2}`, HASH_KEY)));
    back.register(TALENTS_SEALED);
    back.register(RECOGNITIONS_SEALED);
    await back.sweep({ tables: ['talents', 'title_recognitions'] });
    expect(await repo.countsByKey(TALENTS_SEALED)).toEqual({ k1: before.length });
  });
});
