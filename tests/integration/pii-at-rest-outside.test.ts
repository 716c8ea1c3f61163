import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, TEST_PII_HASH_KEY, TEST_PII_KEY, type TestApp } from '../helpers/app.ts';
import { upload } from '../helpers/files.ts';
import { idNumber } from '../helpers/fixtures.ts';
import { demoCommittee } from '../helpers/meeting-draw.ts';
import { credentialsIn, deployBallotRound, pdfText, seedMeeting, type SeededMeeting } from '../helpers/ballots.ts';
import { credentialLogin } from '../../api/modules/ballots/ballots.service.ts';
import { completeOk, inbox } from '../helpers/flow.ts';
import { creditCodeCheckChar } from '../../forms/validators.ts';
import { renameCredentials } from '../../migrations/20261208010100_credential_login_names.ts';
import * as maskFlowNumbers from '../../migrations/20261208010200_unit_flow_numbers_masked.ts';
import { createPiiCipher, maskIdNumber, maskPhone, parsePiiKeys } from '../../api/src/pii.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { blobCountsByKey, sealFileBlobs } from '../../api/modules/files/files.pii.ts';

// Personal numbers outside the tables' columns (docs/personal-information.md): uploaded files' bytes
// sealed at rest, a unit registration's flow keeping only masked copies, experts' meeting login
// names without their ID number.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ID_IN_FILE = idNumber('19880214', 417);
const scan = (text: string) => Buffer.from(`%PDF-1.4\n% 身份证复印件 ${text}\n%%EOF\n`);

/** Blobs whose stored bytes contain the value (as UTF-8). */
const blobsHolding = async (value: string) =>
  Number((await db.knex('file_blobs').count<{ n: string }[]>({ n: '*' }).whereRaw("position(convert_to(?, 'UTF8') in content) > 0", [value]))[0]!.n);

/** Every row of every table of the database whose text holds the value: `table` → rows. */
async function rowsHolding(value: string): Promise<Record<string, number>> {
  const tables = (await db.knex('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).pluck('table_name')) as string[];
  const found: Record<string, number> = {};
  for (const table of tables) {
    const [row] = (await db.knex(table).count<{ n: string }[]>({ n: '*' }).whereRaw(`strpos(??::text, ?) > 0`, [table, value])) as Array<{ n: string }>;
    if (Number(row?.n) > 0) found[table] = Number(row!.n);
  }
  return found;
}

/** Uploads one PDF as the holder of a token (a registering unit's clerk has no demo password). */
async function uploadAs(bearer: string, name: string) {
  const boundary = '----zcpsOutside';
  const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`), scan(name), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${bearer}` } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as Array<{ id: string; name: string; size: number; mime: string }>)[0]!;
}

const loginAs = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await deployBallotRound(t);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('uploaded files at rest', () => {
  it('stores an uploaded scan sealed under the current key, its number in no stored byte', async () => {
    // given a scan whose bytes hold an ID number
    const content = scan(ID_IN_FILE);
    // when it is uploaded
    const res = await upload(t, 'zhangwei', [{ name: '身份证.pdf', type: 'application/pdf', content }]);
    // then the blob is sealed under k1 and no stored byte holds the number, while the answer's hash is the plain content's
    expect(res.statusCode, res.body).toBe(201);
    const [file] = res.json() as Array<{ sha256: string }>;
    expect(file!.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const blob = await db.knex('file_blobs').where({ sha256: file!.sha256 }).first('content', 'pii_key_id', 'size');
    expect(blob.pii_key_id).toBe('k1');
    expect(Number(blob.size)).toBe(content.length);
    expect(await blobsHolding(ID_IN_FILE)).toBe(0);
  });

  it('answers the download with the bytes as uploaded', async () => {
    // given an uploaded scan
    const content = scan(`${ID_IN_FILE} 下载`);
    const [file] = (await upload(t, 'zhangwei', [{ name: '身份证2.pdf', type: 'application/pdf', content }])).json() as Array<{ id: string }>;
    // when its uploader downloads it
    const res = await t.app.inject({ method: 'GET', url: `/api/files/${file!.id}`, headers: { authorization: `Bearer ${await t.token('zhangwei')}` } });
    // then the bytes are the plain ones, served as PDF
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.equals(content)).toBe(true);
  });

  it('keeps one blob for a double submit of the same file (the key is the plain content’s hash)', async () => {
    // given a scan uploaded once
    const content = scan(`${ID_IN_FILE} 重复`);
    const first = (await upload(t, 'zhangwei', [{ name: '毕业证.pdf', type: 'application/pdf', content }])).json() as Array<{ id: string; sha256: string }>;
    // when the same file is submitted again (a double click)
    const again = (await upload(t, 'zhangwei', [{ name: '毕业证.pdf', type: 'application/pdf', content }])).json() as Array<{ id: string }>;
    // then it is the same record and one blob
    expect(again[0]!.id).toBe(first[0]!.id);
    expect((await db.knex('file_blobs').where({ sha256: first[0]!.sha256 })).length).toBe(1);
  });

  it('reads an uploaded sheet sealed at rest in the import that checks it (专家库 导入)', async () => {
    // given the 专家库 template filled with one new expert, uploaded
    const { committeeId } = await demoCommittee(db.knex);
    const template = await t.request('GET', '/api/expert-imports/template', { user: 'cd_pw' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const values = ['导入甲', ID_IN_FILE, null, null, '否', '成都示范科技有限公司', null, '工程师', null, '13912340417', null, '无', '工程技术', '机械工程', '高级工程师'];
    values.forEach((v, j) => {
      if (v !== null) workbook.getWorksheet('专家信息')!.getRow(3).getCell(j + 1).value = v;
    });
    const up = await upload(t, 'cd_pw', [{ name: '专家名单.xlsx', type: XLSX, content: Buffer.from(await workbook.xlsx.writeBuffer()) }]);
    const fileId = (up.json() as Array<{ id: string }>)[0]!.id;
    expect(await db.knex('file_blobs as b').join('files as f', 'f.sha256', 'b.sha256').where('f.id', fileId).first('b.pii_key_id')).toEqual({ pii_key_id: 'k1' });
    // when the import checks it
    const res = await t.request('POST', `/api/expert-pools/${committeeId}/imports`, { user: 'cd_pw', body: { fileId } });
    // then the row was read from the opened workbook
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ goodCount: 1, badCount: 0 });
  });

  it('seals a blob an older release left plain, with the sweep', async () => {
    // given a plain blob written as before this release
    const content = scan(`${ID_IN_FILE} 旧版`);
    const sha256 = createHash('sha256').update(content).digest('hex');
    await db.knex('file_blobs').insert({ sha256, content, size: content.length });
    expect(await blobsHolding(ID_IN_FILE)).toBe(1);
    // when the personal-information sweep runs
    const report = await t.app.sealer.sweep({ tables: ['file_blobs'] });
    // then it is sealed, and no blob is left plain
    expect(report.byTable.file_blobs?.sealed).toBeGreaterThanOrEqual(1);
    expect(await blobsHolding(ID_IN_FILE)).toBe(0);
    expect((await blobCountsByKey(db.knex)).plain).toBeUndefined();
    expect(t.app.pii.bytes.openBytes((await db.knex('file_blobs').where({ sha256 }).first('content')).content as Buffer).equals(content)).toBe(true);
  });
});

describe('a unit registration’s and parent change’s flow', () => {
  // the legal representative's numbers as the unit types them, and its first clerk's
  const REP_ID = idNumber('19700708', 258);
  const REP_PHONE = '13966660258';
  const NEW_REP_PHONE = '13966660259';
  const ADMIN_ID = idNumber('19850612', 259);
  const code = (() => {
    const first17 = '91510100MA6PX2301';
    return `${first17}${creditCodeCheckChar(first17)}`;
  })();
  let unitId: number;
  let token: string;
  const unitIdOf = async (name: string) => Number((await db.knex('units').where({ name }).first('id')).id);
  const applyTask = async () => ((await t.request('GET', '/api/tasks', { token })).json() as Array<{ id: string }>)[0]!;

  beforeAll(async () => {
    // given a unit registering under 成都市经济和信息化局, which completes 用户权限申请 with its
    // legal representative's numbers, is returned, resubmits the prefilled (masked) form with a new
    // phone, is approved, and then asks to move under 成都市人力资源和社会保障局, which approves
    const department = await unitIdOf('成都市经济和信息化局');
    const created = await t.request('POST', '/api/registrations', {
      body: {
        unit: { creditCode: code, name: '成都封存测试科技有限公司', nature: 'enterprise', unitType: 'employer', regionCode: '510104', phone: '028-85550258', parentId: department },
        admin: { username: 'fc_admin', displayName: '封存经办人', idNumber: ADMIN_ID, phone: '13900000258', password: 'Fc#2026pass' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    unitId = created.json().unitId as number;
    token = (await loginAs('fc_admin', 'Fc#2026pass')).json().token as string;
    const first = await applyTask();
    const detail = (await t.request('GET', `/api/tasks/${first.id}`, { token })).json();
    const licence = await uploadAs(token, '营业执照.pdf');
    const submitted = await t.request('POST', `/api/tasks/${first.id}/complete`, { token, body: { action: 'submit', data: { ...detail.initialData, legalRepName: '封建国', legalRepIdNumber: REP_ID, legalRepPhone: REP_PHONE, licence: [licence] } } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const review = (await inbox(t, 'cd_jxj')).find((i) => i.summary?.unitId === unitId)!;
    await completeOk(t, 'cd_jxj', review.id, 'return', '请核对法定代表人联系电话');
    const again = await applyTask();
    const againDetail = (await t.request('GET', `/api/tasks/${again.id}`, { token })).json();
    const resubmitted = await t.request('POST', `/api/tasks/${again.id}/complete`, { token, body: { action: 'submit', data: { ...againDetail.initialData, legalRepPhone: NEW_REP_PHONE } } });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    await completeOk(t, 'cd_jxj', (await inbox(t, 'cd_jxj')).find((i) => i.summary?.unitId === unitId)!.id, 'pass', '同意');
    t.app.principals.invalidate();
    const asked = await t.request('POST', '/api/my-unit/parent-change', { token, body: { parentId: await unitIdOf('成都市人力资源和社会保障局') } });
    expect(asked.statusCode, asked.body).toBe(201);
    await completeOk(t, 'cd_hr', (await inbox(t, 'cd_hr')).find((i) => i.summary?.unitId === unitId)!.id, 'pass');
  });

  it('keeps the numbers typed in no row of any table but sealed — before any sweep', async () => {
    // given the registration and parent change above (no sweep since)
    // when every table is searched for the legal representative's numbers
    const found = await Promise.all([REP_ID, REP_PHONE, NEW_REP_PHONE, ADMIN_ID].map(rowsHolding));
    // then none is stored in plain: not the flow's variables, its state, its history or its tasks
    expect(found).toEqual([{}, {}, {}, {}]);
  });

  it('keeps the masked forms in the flow, the numbers sealed on the unit, and shows the unit its own in full', async () => {
    // given the approved unit
    const instances = await db.knex('process_instances').where({ business_key: `unit:${unitId}` }).select('variables');
    const unit = await db.knex('units').where({ id: unitId }).first('legal_rep_id_number', 'legal_rep_id_number_enc', 'legal_rep_phone', 'legal_rep_phone_enc', 'parent_id');
    const mine = await t.request('GET', '/api/my-unit', { token });
    // then the registration and the parent change keep `5101**********…` forms, the row keeps seals
    expect(instances.map((i: { variables: { unit: { legalRepIdNumber: string } } }) => i.variables.unit.legalRepIdNumber)).toEqual([maskIdNumber(REP_ID), maskIdNumber(REP_ID)]);
    expect(unit).toMatchObject({ legal_rep_id_number: null, legal_rep_phone: null, parent_id: await unitIdOf('成都市人力资源和社会保障局') });
    expect(unit.legal_rep_id_number_enc).toMatch(/^sm4:/);
    expect(mine.json()).toMatchObject({ legalRepIdNumber: REP_ID, legalRepPhone: NEW_REP_PHONE });
  });

  it('masks the numbers an older release left in a case, moving them to the unit for the sweep (migration)', async () => {
    // given the case's copies put back in full, as an older release stored them, and the unit's seals gone
    const roots = (await db.knex('process_instances').where({ business_key: `unit:${unitId}` }).pluck('root_instance_id')) as string[];
    await db.knex.raw('alter table history_events disable trigger history_events_no_change');
    for (const [value, masked] of [[REP_ID, maskIdNumber(REP_ID)], [NEW_REP_PHONE, maskPhone(NEW_REP_PHONE)]] as const) {
      await db.knex.raw("update process_instances set variables = replace(variables::text, ?, ?)::jsonb, state = replace(state::text, ?, ?)::jsonb where root_instance_id = any(?)", [masked, value, masked, value, roots]);
      await db.knex.raw("update history_events set data = replace(data::text, ?, ?)::jsonb where root_instance_id = any(?) and data is not null", [masked, value, roots]);
    }
    await db.knex.raw('alter table history_events enable trigger history_events_no_change');
    await db.knex('units').where({ id: unitId }).update({ legal_rep_id_number_enc: null, legal_rep_phone_enc: null, pii_key_id: null });
    expect(Object.keys(await rowsHolding(REP_ID)).sort()).toEqual(['history_events', 'process_instances']);
    // when the migration runs, then the sweep
    await maskFlowNumbers.up(db.knex);
    const moved = await db.knex('units').where({ id: unitId }).first('legal_rep_id_number', 'legal_rep_phone');
    await t.app.sealer.sweep({ tables: ['units'] });
    // then the case keeps masked forms only, and the unit its numbers, sealed, still shown to itself
    expect(moved).toEqual({ legal_rep_id_number: REP_ID, legal_rep_phone: NEW_REP_PHONE });
    expect(await Promise.all([REP_ID, NEW_REP_PHONE].map(rowsHolding))).toEqual([{}, {}]);
    expect((await t.request('GET', '/api/my-unit', { token })).json()).toMatchObject({ legalRepIdNumber: REP_ID, legalRepPhone: NEW_REP_PHONE });
  });

  it('refuses a masked number that is not the unit’s own, naming the field', async () => {
    // given a unit's 用户权限申请 sent back masked but with another number's mask
    const other = await t.request('POST', '/api/registrations', {
      body: {
        unit: { creditCode: `91510100MA6PX2302${creditCodeCheckChar('91510100MA6PX2302')}`, name: '成都封存测试二有限公司', nature: 'enterprise', unitType: 'employer', regionCode: '510104', phone: '028-85550259', parentId: await unitIdOf('成都市经济和信息化局') },
        admin: { username: 'fc_admin2', displayName: '封存经办人二', idNumber: idNumber('19860101', 260), phone: '13900000259', password: 'Fc#2026pass' },
      },
    });
    expect(other.statusCode, other.body).toBe(201);
    const token2 = (await loginAs('fc_admin2', 'Fc#2026pass')).json().token as string;
    const [task] = (await t.request('GET', '/api/tasks', { token: token2 })).json() as Array<{ id: string }>;
    const detail = (await t.request('GET', `/api/tasks/${task!.id}`, { token: token2 })).json();
    const licence = await uploadAs(token2, '执照二.pdf');
    // when it is submitted
    const res = await t.request('POST', `/api/tasks/${task!.id}/complete`, { token: token2, body: { action: 'submit', data: { ...detail.initialData, legalRepName: '冒用者', legalRepIdNumber: maskIdNumber(REP_ID), licence: [licence] } } });
    // then it is refused at 法定代表人身份证号码
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.legalRepIdNumber' })]);
  });
});

describe('experts’ meeting credentials', () => {
  let meeting: SeededMeeting;
  let printed: Map<string, string>;

  beforeAll(async () => {
    // a meeting whose experts the helper wrote plain, as an older release did, sealed by the sweep
    meeting = await seedMeeting(db.knex, { experts: 2, candidates: 1 });
    await t.app.sealer.sweep();
    const res = await t.request('POST', `/api/meetings/${meeting.meetingId}/credentials`, { user: 'cd_pw', body: {} });
    expect(res.statusCode, res.body).toBe(200);
    printed = credentialsIn(pdfText(res.rawPayload));
  });

  it('names each credential zj + the expert’s id + the meeting, on the sheet and in users', async () => {
    // given the credentials issued above
    // then the sheet prints `zj…-<meeting>` for each expert, and that is the stored login name
    const names = meeting.experts.map((e) => credentialLogin(e.expertId, meeting.meetingId));
    expect([...printed.keys()].sort()).toEqual([...names].sort());
    expect(names[0]).toMatch(/^zj\d{8}-\d+$/);
    const stored = await db.knex('users').whereIn('username', names).pluck('username');
    expect(stored.sort()).toEqual([...names].sort());
  });

  it('leaves the experts’ ID numbers in no row of any table', async () => {
    // given the credentials issued above (the experts' ID numbers sealed in the pool)
    // when every table is searched for each expert's ID number
    const found = await Promise.all(meeting.experts.map((e) => rowsHolding(e.idNumber)));
    // then none holds it: not users.username, not the pool, not the meeting
    expect(found).toEqual(meeting.experts.map(() => ({})));
  });

  it('signs an expert in with the printed name', async () => {
    // given the first expert's printed login and password
    const username = credentialLogin(meeting.experts[0]!.expertId, meeting.meetingId);
    // when they sign in with it
    const res = await loginAs(username, printed.get(username)!);
    // then they are in, and must change the one-time password
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.mustChangePassword).toBe(true);
  });

  it('still signs an expert in who types “ID number-meeting” as before, by its keyed hash (x or X)', async () => {
    // given the second expert, who types their ID number and the meeting as the old sheets said
    const expert = meeting.experts[1]!;
    const password = printed.get(credentialLogin(expert.expertId, meeting.meetingId))!;
    // when they sign in with `<ID number>-<meeting>` (its check character in lower case)
    const res = await loginAs(`${expert.idNumber.toLowerCase()}-${meeting.meetingId}`, password);
    // then they are in as that credential
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.username).toBe(credentialLogin(expert.expertId, meeting.meetingId));
  });

  it('refuses the credentials’ names to staff a unit opens', async () => {
    // given a unit's super admin opening a staff account named like a meeting credential
    const res = await t.request('POST', '/api/staff', { user: 'kj_hr', body: { username: 'zj00000001-1', displayName: '冒名账号', phone: '13800009999', roles: ['unit_admin'] } });
    // then it is refused naming the field
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.username' })]));
  });

  it('renames a credential of an older release and keeps its old name only as a hash once swept', async () => {
    // given a credential named `<ID number>-<meeting>` as an older release issued it
    const old = await seedMeeting(db.knex, { experts: 1, candidates: 1 });
    const expert = old.experts[0]!;
    const oldName = `${expert.idNumber}-${old.meetingId}`;
    const [user] = await db.knex('users').insert({ username: oldName, password_hash: await hashPassword('Old#Pass2026'), display_name: expert.name, roles: [], status: 'active', created_at: new Date(), updated_at: new Date() }).returning('id');
    await db.knex('meeting_experts').where({ meeting_id: old.meetingId, expert_id: expert.expertId }).update({ user_id: user.id });
    // when the migration's renaming runs, then the sweep
    expect(await renameCredentials(db.knex)).toBe(1);
    const pending = await db.knex('users').where({ id: user.id }).first('username', 'login_alias');
    const beforeSweep = await loginAs(oldName, 'Old#Pass2026');
    await t.app.sealer.sweep();
    // then the account is `zj…`, signs in by the old name before and after the sweep, and no row keeps the number
    expect(pending).toEqual({ username: credentialLogin(expert.expertId, old.meetingId), login_alias: oldName });
    expect(beforeSweep.statusCode, beforeSweep.body).toBe(200);
    expect((await loginAs(oldName, 'Old#Pass2026')).statusCode).toBe(200);
    expect((await loginAs(credentialLogin(expert.expertId, old.meetingId), 'Old#Pass2026')).statusCode).toBe(200);
    expect(await rowsHolding(expert.idNumber)).toEqual({});
  });
});

// last: it leaves every blob on a key the app does not hold
describe('a rotation', () => {
  it('re-seals every blob under a rotated key, each still opening to its bytes', async () => {
    // given blobs sealed under k1 and PII_KEY rotated to k2,k1
    const rotated = createPiiCipher(parsePiiKeys(`k2:00112233445566778899aabbccddeeff,k1:${TEST_PII_KEY}`, TEST_PII_HASH_KEY));
    const onlyK2 = createPiiCipher(parsePiiKeys('k2:00112233445566778899aabbccddeeff', TEST_PII_HASH_KEY));
    const before = await db.knex('file_blobs').select('sha256', 'content');
    const plainOf = new Map(before.map((b: { sha256: string; content: Buffer }) => [b.sha256, t.app.pii.bytes.openBytes(b.content)]));
    // when the rotation sweeps, two blobs per transaction
    const report = await sealFileBlobs(db.knex, rotated, { batchSize: 2 });
    // then every blob is on k2 and opens under k2 alone to the same bytes
    expect(report.resealed).toBe(before.length);
    expect(await blobCountsByKey(db.knex)).toEqual({ k2: before.length });
    for (const b of await db.knex('file_blobs').select('sha256', 'content')) {
      expect(onlyK2.bytes.openBytes(b.content as Buffer).equals(plainOf.get(b.sha256 as string)!)).toBe(true);
    }
  });
});
