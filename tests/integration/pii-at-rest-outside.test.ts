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
import { renameCredentials } from '../../migrations/20261208010100_credential_login_names.ts';
import { createPiiCipher, parsePiiKeys } from '../../api/src/pii.ts';
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
