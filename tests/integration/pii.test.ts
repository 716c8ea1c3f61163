import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { submitDossier } from '../helpers/flow.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { createPiiCipher, openSealed, parsePiiKeys, sealedSelect, sealedWrite, whereSealedIs, type SealedColumns } from '../../api/src/pii.ts';
import { createPersonalInformationRepository } from '../../api/modules/personal-information/personal-information.repository.ts';
import { createSealer, USERS_SEALED } from '../../api/modules/personal-information/personal-information.service.ts';

// 张伟 (demo applicant of 成都示范科技有限公司)
const ZHANG_ID = '51010419900307231X';
const ZHANG_MASKED = '5101**********231X';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let zhangId: number;
let dossierId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  zhangId = Number((await db.knex('users').where({ username: 'zhangwei' }).first('id')).id);
  const instanceId = await submitDossier(t, 'zhangwei', { ...VALID_DOSSIER, phone: '13912345678' });
  dossierId = Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const piiViews = () => db.knex('audit_events').where({ action: 'pii.view', target_type: 'person' }).orderBy('id');

describe('masked lists and exports (个人信息脱敏)', () => {
  it('lists applicants with their ID number, login name and phone masked', async () => {
    // given the employer's clerk
    // when they list their applicants
    const res = await t.request('GET', '/api/applicants', { user: 'kj_hr' });
    // then 张伟's numbers are masked, and no full ID number is anywhere in the answer
    expect(res.statusCode, res.body).toBe(200);
    const zhang = (res.json() as Array<{ id: number; idNumber: string; username: string }>).find((a) => a.id === zhangId)!;
    expect(zhang.idNumber).toBe(ZHANG_MASKED);
    expect(res.body).not.toContain(ZHANG_ID);
  });

  it('shows a reviewing clerk the applicant’s ID and phone numbers masked in the dossier', async () => {
    // given 张伟's submitted dossier
    // when the employer's clerk reads the case
    const res = await t.request('GET', `/api/dossiers/${dossierId}/case`, { user: 'kj_hr' });
    // then neither number is there in full
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(ZHANG_MASKED);
    expect(res.body).toContain('139****5678');
    expect(res.body).not.toContain(ZHANG_ID);
    expect(res.body).not.toContain('13912345678');
  });

  it('shows the applicant their own numbers in full, unaudited', async () => {
    // given 张伟 himself
    const before = (await piiViews()).length;
    // when he reads his case
    const res = await t.request('GET', `/api/dossiers/${dossierId}/case`, { user: 'zhangwei' });
    // then the numbers are whole and nothing is written to the audit
    expect(res.body).toContain(ZHANG_ID);
    expect((await piiViews()).length).toBe(before);
  });
});

describe('查看完整: audited unmasked views', () => {
  it('gives a reviewing clerk the full ID number of a dossier and records who saw it', async () => {
    // given the employer's clerk on 张伟's dossier
    // when they ask for the full ID number
    const res = await t.request('GET', `/api/dossiers/${dossierId}/pii?field=idNumber`, { user: 'kj_hr' });
    // then it is given, and the audit names the clerk, the dossier and the field
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ field: 'idNumber', value: ZHANG_ID });
    const last = (await piiViews()).at(-1);
    expect(last).toMatchObject({ actor_name: '示范科技经办人', target_id: `dossier:${dossierId}` });
    expect(last.data).toMatchObject({ fields: ['idNumber'], personName: '张伟' });
  });

  it('answers 404 to a clerk of another unit, and writes nothing', async () => {
    // given a clerk outside the dossier's chain
    const before = (await piiViews()).length;
    // when they ask for the full number
    const res = await t.request('GET', `/api/dossiers/${dossierId}/pii?field=idNumber`, { user: 'jj_hr' });
    // then the dossier does not exist for them
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(ZHANG_ID);
    expect((await piiViews()).length).toBe(before);
  });

  it('answers 400 naming the field for an unknown field', async () => {
    // given / when
    const res = await t.request('GET', `/api/applicants/${zhangId}/pii?field=password`, { user: 'kj_hr' });
    // then
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('querystring.field');
  });

  it('gives the employer’s clerk an applicant’s full phone number, audited', async () => {
    // given / when
    const res = await t.request('GET', `/api/applicants/${zhangId}/pii?field=phone`, { user: 'kj_hr' });
    // then
    expect(res.statusCode, res.body).toBe(200);
    expect((await piiViews()).at(-1)).toMatchObject({ target_id: `user:${zhangId}` });
  });
});

describe('SM4 at rest with a keyed hash (users)', () => {
  it('seals every account’s ID number so that the stored seal hides it and opens to it', async () => {
    // given the demo accounts
    // when the sealer runs
    await t.app.sealer.sealUsers();
    // then 张伟's row holds a seal under k1 that opens to his number, and the hash of it
    const row = await db.knex('users').where({ id: zhangId }).first();
    expect(row.pii_key_id).toBe('k1');
    expect(row.id_number_enc).not.toContain(ZHANG_ID);
    expect(t.app.pii.open(row.id_number_enc)).toBe(ZHANG_ID);
    expect(row.id_number_hash).toBe(t.app.pii.hash('idNumber', ZHANG_ID));
  });

  it('finds the account by the hash of its ID number at login, the plain column being empty', async () => {
    // given 张伟's account after the sweep: no plain ID number left
    await t.app.sealer.sealUsers();
    expect((await db.knex('users').where({ id: zhangId }).first('id_number')).id_number).toBeNull();
    // when 张伟 signs in with his ID number (lower-case x)
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: ZHANG_ID.toLowerCase(), password: DEMO_PASSWORD } });
    // then it is his account
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.id).toBe(zhangId);
  });

  it('takes a plain number an old writer left as newer than the seal, seals it and empties the column', async () => {
    // given a sealed account whose phone an old writer then changed in plain
    const [row] = await db.knex('users').insert({ username: 'pii_change', password_hash: 'x', display_name: '改号', roles: ['applicant'], id_number: '110101199003078515', phone: '13700001111' }).returning('id');
    await t.app.sealer.sealUsers();
    await db.knex('users').where({ id: row.id }).update({ phone: '13700002222' });
    // when the sweep runs
    await t.app.sealer.sealUsers();
    // then the new number is sealed, the plain column empty again, and the ID number's seal kept
    const resealed = await db.knex('users').where({ id: row.id }).first();
    expect([resealed.id_number, resealed.phone]).toEqual([null, null]);
    expect(t.app.pii.open(resealed.phone_enc)).toBe('13700002222');
    expect(t.app.pii.open(resealed.id_number_enc)).toBe('110101199003078515');
  });

  it('re-seals every account under the new key after a rotation, in batches, keeping the hashes', async () => {
    // given all accounts sealed under k1, and PII_KEY rotated to k2,k1 (same hash key)
    await t.app.sealer.sealUsers();
    const hashBefore = (await db.knex('users').where({ id: zhangId }).first()).id_number_hash;
    const rotated = createPiiCipher(parsePiiKeys('k2:00112233445566778899aabbccddeeff,k1:0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210'));
    const repo = createPersonalInformationRepository(db.knex);
    // when the rotation runs one account per batch
    const report = await createSealer(db.knex, repo, rotated).sealUsers({ batchSize: 1 });
    // then no account is left on k1, 张伟's seal opens under k2 alone, and his hash is unchanged
    const counts = await repo.countsByKey(USERS_SEALED);
    expect(counts.k1).toBeUndefined();
    expect(report.resealed).toBe(counts.k2);
    expect(report.batches).toBeGreaterThanOrEqual(report.resealed);
    expect(report.resealed).toBeGreaterThan(1);
    const row = await db.knex('users').where({ id: zhangId }).first();
    expect(createPiiCipher(parsePiiKeys('k2:00112233445566778899aabbccddeeff', 'ab'.repeat(32))).open(row.id_number_enc)).toBe(ZHANG_ID);
    expect(row.id_number_hash).toBe(hashBefore);
    // (back to k1 for the tests after this one: the app's readers open the seals with k1 alone)
    const back = createPiiCipher(parsePiiKeys('k1:0123456789abcdef0123456789abcdef,k2:00112233445566778899aabbccddeeff', 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210'));
    await createSealer(db.knex, repo, back).sweep();
  });
});

describe('SM4 at rest for a module’s table (plain column emptied)', () => {
  const PROBE: SealedColumns = { table: 'pii_probe', fields: [{ column: 'id_number', kind: 'idNumber', hash: true }, { column: 'phone', kind: 'phone' }] };
  const ID = '110101199003078515';

  beforeAll(async () => {
    await db.knex.schema.createTable('pii_probe', (tb) => {
      tb.increments('id');
      tb.text('name');
      for (const c of ['id_number', 'id_number_enc', 'id_number_hash', 'phone', 'phone_enc', 'pii_key_id']) tb.text(c);
    });
  });

  it('seals a plain value a writer left behind and empties the plain column', async () => {
    // given a row written with plain numbers (demo data, an old release)
    const [row] = await db.knex('pii_probe').insert({ name: '甲', id_number: ID, phone: '13700001111' }).returning('id');
    const sealer = createSealer(db.knex, createPersonalInformationRepository(db.knex), t.app.pii);
    sealer.register(PROBE);
    // when the sweep runs over the registered tables
    const report = await sealer.sweep({ tables: ['pii_probe'] });
    // then the plain columns are empty, the seals open to the numbers and the hash finds the row
    const stored = await db.knex('pii_probe').where({ id: row.id }).first();
    expect(report.byTable.pii_probe!.sealed).toBeGreaterThanOrEqual(1);
    expect([stored.id_number, stored.phone]).toEqual([null, null]);
    expect(t.app.pii.open(stored.id_number_enc)).toBe(ID);
    const found = await whereSealedIs(db.knex('pii_probe').select(sealedSelect(PROBE)), t.app.pii, PROBE, 'id_number', ID.toLowerCase());
    expect(found.map((r) => openSealed(t.app.pii, PROBE, r))).toEqual([{ id_number: ID, phone: '13700001111' }]);
  });

  it('lets a writer store seals directly, so no plain number is ever written', async () => {
    // given / when a writer seals both fields as it inserts
    const [row] = await db.knex('pii_probe').insert({ name: '乙', ...sealedWrite(t.app.pii, PROBE, { id_number: '11010119900307391X', phone: null }) }).returning('*');
    // then nothing is plain, the key id is set (nothing left for the sweep) and the reader sees the number
    expect([row.id_number, row.phone, row.phone_enc, row.pii_key_id]).toEqual([null, null, null, 'k1']);
    expect(openSealed(t.app.pii, PROBE, { id_number: row.id_number, id_number_enc: row.id_number_enc }).id_number).toBe('11010119900307391X');
  });

  it('re-seals a module’s rows under a rotated key without their plain values', async () => {
    // given sealed rows under k1
    const repo = createPersonalInformationRepository(db.knex);
    const first = createSealer(db.knex, repo, t.app.pii);
    first.register(PROBE);
    await first.sweep({ tables: ['pii_probe'] });
    const rotated = createPiiCipher(parsePiiKeys('k2:00112233445566778899aabbccddeeff,k1:0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210'));
    const second = createSealer(db.knex, repo, rotated);
    second.register(PROBE);
    // when the rotation sweeps
    const report = await second.sweep({ tables: ['pii_probe'] });
    // then every row is on k2 and still opens to its number
    expect(report.resealed).toBeGreaterThanOrEqual(1);
    expect(await repo.countsByKey(PROBE)).toEqual({ k2: expect.any(Number) });
    const rows = await db.knex('pii_probe').select(sealedSelect(PROBE));
    expect(rows.map((r) => openSealed(rotated, PROBE, r).id_number)).toContain(ID);
  });
});
