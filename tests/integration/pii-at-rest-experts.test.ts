import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { upload } from '../helpers/files.ts';
import { idNumber } from '../helpers/fixtures.ts';
import { addExperts, attended, createMeeting, demoCommittee, otherClerk } from '../helpers/meeting-draw.ts';
import { createPiiCipher, openSealed, parsePiiKeys } from '../../api/src/pii.ts';
import { createPersonalInformationRepository } from '../../api/modules/personal-information/personal-information.repository.ts';
import { createSealer } from '../../api/modules/personal-information/personal-information.service.ts';
import { EXPERTS_SEALED, sealExpertImports } from '../../api/modules/experts/experts.pii.ts';

// 专家库's numbers at rest (docs/personal-information.md): experts' ID numbers and phones sealed, the
// ID number's keyed hash answering the duplicate check and the import's matching; the import's kept
// rows sealed too; 确认出席's phones shown in full to the organiser's clerk only, audited.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let committeeId: number;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CLERK = 'cd_pw';
// an ID number whose check character is X (typed as x in the sheet below)
const WITH_X = (() => {
  for (let seq = 600; ; seq += 1) {
    const id = idNumber('19710918', seq);
    if (id.endsWith('X')) return id;
  }
})();
const PHONE = '13912345678';
const PHONE2 = '028-85123456';
// a demo expert of the committee (written plain by the demo data, sealed by the sweep)
const DEMO_ID = '510102197003151016';

const expert = (overrides: Record<string, unknown> = {}) => ({
  name: '封存工',
  idNumber: WITH_X,
  employer: '成都示范科技有限公司',
  post: '总工程师',
  phone1: PHONE,
  phone2: PHONE2,
  honours: '无',
  specialty: '机械工程',
  currentTitle: '正高级工程师',
  ...overrides,
});

const pool = (path = '') => `/api/expert-pools/${committeeId}${path}`;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true, deploy: false });
  ({ committeeId } = await demoCommittee(db.knex));
  await otherClerk(db.knex, 'jj_pw');
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

async function sheetWith(rows: Array<[string, string]>): Promise<string> {
  const template = await t.request('GET', '/api/expert-imports/template', { user: CLERK });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('专家信息')!;
  // 姓名 证件号码 性别 出生日期 是否退休 工作单位 主管单位 行政职务 行政职务级别 联系电话1 联系电话2 所获荣誉、称号 现专业技术系列 现从事专业 现职称
  rows.forEach(([name, id], i) => {
    const values = [name, id, null, null, '否', '成都示范科技有限公司', null, '工程师', null, PHONE, PHONE2, '无', '工程技术', '机械工程', '高级工程师'];
    values.forEach((v, j) => {
      if (v !== null) sheet.getRow(3 + i).getCell(j + 1).value = v;
    });
  });
  const res = await upload(t, CLERK, [{ name: '专家名单.xlsx', type: XLSX, content: Buffer.from(await workbook.xlsx.writeBuffer()) }]);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as Array<{ id: string }>)[0]!.id;
}

const storedText = async (table: string) => JSON.stringify(await db.knex(table).select('*'));

describe('experts sealed', () => {
  let expertId: number;

  it('an expert added through the API is stored sealed at once: no plain number, the ID number’s hash beside its seal', async () => {
    // when the organiser's clerk adds an expert
    const res = await t.request('POST', pool('/experts'), { user: CLERK, body: expert() });
    // then the row holds seals and the hash, no plain number, before any sweep
    expect(res.statusCode, res.body).toBe(201);
    expertId = res.json().id as number;
    const row = await db.knex('experts').where({ id: expertId }).first();
    expect({ id: row.id_number, p1: row.phone1, p2: row.phone2 }).toEqual({ id: null, p1: null, p2: null });
    expect(row.id_number_enc).toMatch(/^sm4:k1:/);
    expect(row.id_number_hash).toBe(t.app.pii.hash('idNumber', WITH_X));
    expect(openSealed(t.app.pii, EXPERTS_SEALED, row)).toMatchObject({ id_number: WITH_X, phone1: PHONE, phone2: PHONE2 });
    expect(JSON.stringify(row)).not.toContain(WITH_X.slice(0, 14));
  });

  it('refuses the same ID number again in the committee (typed with a small x), found by its hash', async () => {
    // when the same person is added again, the check character in lower case
    const res = await t.request('POST', pool('/experts'), { user: CLERK, body: expert({ idNumber: WITH_X.toLowerCase() }) });
    // then 409 naming the pool status, with the number masked in the message
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().message).toContain('已在本评委会专家库中（新增待提交）');
    expect(res.json().message).not.toContain(WITH_X.slice(4, 14));
  });

  it('shows the numbers masked in the list and in full on the record opened to edit it, which is audited', async () => {
    // when the clerk lists the pool, then opens the expert
    const list = await t.request('GET', `${pool('/experts')}?range=[0,999]`, { user: CLERK });
    const detail = await t.request('GET', `/api/experts/${expertId}`, { user: CLERK });
    // then the list masks, the record is full, and the view is recorded
    const listed = (list.json() as Array<{ id: number; idNumber: string; phone1: string; phone2: string }>).find((e) => e.id === expertId)!;
    expect(listed).toMatchObject({ idNumber: `${WITH_X.slice(0, 4)}**********${WITH_X.slice(-4)}`, phone1: '139****5678' });
    expect(detail.json()).toMatchObject({ idNumber: WITH_X, phone1: PHONE, phone2: PHONE2 });
    const audited = await db.knex('audit_events').where({ action: 'pii.view', target_id: `expert:${expertId}` });
    expect(audited).toHaveLength(1);
  });

  it('finds an expert by the exact ID number in the list search (a part of it finds nothing)', async () => {
    // when the clerk searches by the whole number, then by its first digits
    const search = (q: string) => t.request('GET', `${pool('/experts')}?filter=${encodeURIComponent(JSON.stringify({ q }))}&range=[0,999]`, { user: CLERK });
    const whole = (await search(WITH_X.toLowerCase())).json() as Array<{ id: number }>;
    const part = (await search(WITH_X.slice(0, 10))).json() as Array<{ id: number }>;
    // then
    expect(whole.map((e) => e.id)).toEqual([expertId]);
    expect(part).toEqual([]);
  });

  it('keeps the edited numbers sealed', async () => {
    // given the record as opened
    const current = (await t.request('GET', `/api/experts/${expertId}`, { user: CLERK })).json();
    // when the clerk changes the phone
    const res = await t.request('PUT', `/api/experts/${expertId}`, { user: CLERK, body: { ...expert({ phone1: '13711112222' }), version: current.version } });
    // then it answers the new number and stores it sealed
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().phone1).toBe('13711112222');
    const row = await db.knex('experts').where({ id: expertId }).first();
    expect(row.phone1).toBeNull();
    expect(t.app.pii.open(row.phone1_enc)).toBe('13711112222');
  });
});

describe('the import', () => {
  let importId: string;

  it('matches a sheet’s ID numbers with the pool by hash (demo experts sealed by the sweep, a small x) and keeps the rows sealed', async () => {
    // given the demo experts sealed by the sweep and a sheet naming one of them, the X expert in lower case, and a new person
    expect(await db.knex('experts').where({ committee_id: committeeId }).whereNotNull('id_number').first()).toBeUndefined();
    const fresh = idNumber('19820305', 731);
    const fileId = await sheetWith([['已有甲', DEMO_ID], ['已有乙', WITH_X.toLowerCase()], ['新人丙', fresh]]);
    // when the sheet is checked
    const res = await t.request('POST', pool('/imports'), { user: CLERK, body: { fileId } });
    // then both known people are refused as already in the pool, and the new one is good
    expect(res.statusCode, res.body).toBe(201);
    importId = res.json().id as string;
    expect(res.json()).toMatchObject({ goodCount: 1, badCount: 2 });
    const bad = (await t.request('GET', `/api/expert-imports/${importId}/bad?range=[0,49]`, { user: CLERK })).json() as Array<{ row: number; errors: Array<{ message: string }>; values: { idNumber: string } }>;
    expect(bad.map((b) => [b.row, b.errors[0]!.message])).toEqual([
      [3, expect.stringContaining('已在本评委会专家库中')],
      [4, expect.stringContaining('已在本评委会专家库中')],
    ]);
    // the manager still reads the rows as typed, while the stored rows hold no number
    expect(bad[0]!.values.idNumber).toBe(DEMO_ID);
    const good = (await t.request('GET', `/api/expert-imports/${importId}/good?range=[0,49]`, { user: CLERK })).json() as Array<{ idNumber: string; phone1: string }>;
    expect(good).toMatchObject([{ idNumber: fresh, phone1: PHONE }]);
    const stored = JSON.stringify(await db.knex('expert_imports').where({ id: importId }).first());
    for (const n of [DEMO_ID, WITH_X, WITH_X.toLowerCase(), fresh, PHONE, PHONE2]) expect(stored).not.toContain(n);
  });

  it('imports the good rows sealed, once', async () => {
    // when the clerk confirms
    const res = await t.request('POST', `/api/expert-imports/${importId}/confirm`, { user: CLERK, body: { importGoodRows: true } });
    // then one expert is written, sealed, and found by its hash
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ importedCount: 1, skipped: [] });
    const fresh = idNumber('19820305', 731);
    const row = await db.knex('experts').where({ committee_id: committeeId, id_number_hash: t.app.pii.hash('idNumber', fresh) }).first();
    expect(row).toMatchObject({ name: '新人丙', id_number: null, phone1: null, phone2: null });
  });

  it('reports a row skipped at confirmation with its number, stored sealed', async () => {
    // given a checked sheet whose person is added by hand before the confirmation
    const late = idNumber('19830406', 742);
    const fileId = await sheetWith([['迟到丁', late]]);
    const checked = (await t.request('POST', pool('/imports'), { user: CLERK, body: { fileId } })).json();
    expect((await t.request('POST', pool('/experts'), { user: CLERK, body: expert({ name: '迟到丁', idNumber: late }) })).statusCode).toBe(201);
    // when the sheet is confirmed
    const res = await t.request('POST', `/api/expert-imports/${checked.id as string}/confirm`, { user: CLERK, body: { importGoodRows: true } });
    // then the summary names the row and the number, and the stored row does not hold it
    expect(res.json()).toMatchObject({ importedCount: 0, skipped: [{ row: 3, idNumber: late }] });
    expect(JSON.stringify(await db.knex('expert_imports').where({ id: checked.id }).first())).not.toContain(late);
  });

  it('seals the rows an older release kept in plain (the module’s sweep), and they still read', async () => {
    // given an import row with plain numbers inside, as stored before this release
    const plainId = idNumber('19840507', 753);
    const [file] = await db.knex('files').select('id').limit(1);
    const user = await db.knex('users').where({ username: CLERK }).first('id');
    const id = '00000000-0000-4000-8000-000000000753';
    await db.knex('expert_imports').insert({
      id,
      committee_id: committeeId,
      file_id: file.id,
      uploaded_by: user.id,
      total: 1,
      good_rows: JSON.stringify([{ row: 3, data: { ...expert({ name: '旧行戊', idNumber: plainId }), retired: false, isChair: false, isViceChair: false, active: true } }]),
      problems: JSON.stringify([]),
      status: 'checked',
      created_at: t.clock.now(),
    });
    // when the sweep runs
    const done = await t.app.sealExpertImports();
    // then the row is sealed, and its good row still reads in full for the manager
    expect(done).toBeGreaterThanOrEqual(1);
    const stored = await db.knex('expert_imports').where({ id }).first();
    expect(stored.pii_key_id).toBe('k1');
    expect(JSON.stringify(stored)).not.toContain(plainId);
    const good = (await t.request('GET', `/api/expert-imports/${id}/good?range=[0,49]`, { user: CLERK })).json();
    expect(good).toMatchObject([{ name: '旧行戊', idNumber: plainId, phone1: PHONE }]);
  });
});

describe('确认出席 (the call list)', () => {
  it('shows the drawn experts’ phones in full to the organiser’s clerk, recording each one, and masked to the supervising committee', async () => {
    // given a meeting with two drawn experts written plain, then sealed by the sweep, and a supervising committee
    const { meetingId } = await createMeeting(db.knex, committeeId, t.clock.now().getFullYear());
    const ids = await addExperts(db.knex, committeeId, 2, { specialty: '电话专业' });
    for (const id of ids) await attended(db.knex, meetingId, id, { attendance: 'pending' });
    await t.app.sealer.sweep({ tables: ['experts'] });
    const county = await db.knex('units').where({ name: '成都市锦江区人力资源和社会保障局' }).first('id');
    const [supervisor] = await db.knex('committees').insert({ name: '锦江区监督评委会（电话）', organizer_unit_id: county.id }).returning('id');
    await db.knex('review_meetings').where({ id: meetingId }).update({ supervisor_committee_id: supervisor.id });
    // when the clerk and the supervising committee's clerk open the page
    const clerk = await t.request('GET', `/api/meetings/${meetingId}/attendance`, { user: CLERK });
    const reader = await t.request('GET', `/api/meetings/${meetingId}/attendance`, { user: 'jj_pw' });
    // then the clerk reads the numbers, each view audited; the reader sees them masked, unaudited
    expect(clerk.statusCode, clerk.body).toBe(200);
    expect((clerk.json().experts as Array<{ phone: string }>).map((e) => e.phone)).toEqual(['13800001234', '13800001234']);
    expect((reader.json().experts as Array<{ phone: string }>).map((e) => e.phone)).toEqual(['138****1234', '138****1234']);
    const audited = await db.knex('audit_events').where({ action: 'pii.view' }).whereIn('target_id', ids.map((id) => `expert:${id}`)).select('target_id');
    expect(audited.map((a: { target_id: string }) => a.target_id).sort()).toEqual(ids.map((id) => `expert:${id}`).sort());
  });
});

describe('after the sweep', () => {
  it('leaves no plain number in experts or expert_imports', async () => {
    // given rows written plain by any writer (demo data, a bench generator)
    await addExperts(db.knex, committeeId, 1, { specialty: '明文专业' });
    // when the sweeps run
    await t.app.sealer.sweep();
    await t.app.sealExpertImports();
    // then no plain column holds a number and no stored row contains one
    const plain = await db.knex('experts').where((w) => w.whereNotNull('id_number').orWhereNotNull('phone1').orWhereNotNull('phone2')).count<{ n: string }[]>({ n: '*' });
    expect(Number(plain[0]!.n)).toBe(0);
    expect(await db.knex('expert_imports').whereNull('pii_key_id').first()).toBeUndefined();
    const experts = await storedText('experts');
    const imports = await storedText('expert_imports');
    for (const n of [DEMO_ID, WITH_X, PHONE, PHONE2, '13800001234']) {
      expect(experts).not.toContain(n);
      expect(imports).not.toContain(n);
    }
  });

  it('names a row whose number collides with another row of the committee (x and X) and seals the rest past it', async () => {
    // given two plain rows of one person in one committee, told apart only by the case of the x, as an older release allowed
    const same = idNumber('19660606', 661);
    const withX = same.endsWith('X') ? same : idNumber('19660607', 662);
    const rows = [withX, withX.toLowerCase()].map((id, i) => ({
      committee_id: committeeId, name: `重复专家${i}`, id_number: id, sex: 'male', birth_month: `${id.slice(6, 10)}-${id.slice(10, 12)}`, employer: '四川大学', post: '教授',
      phone1: '13800000001', honours: '无', specialty: '机械工程', current_title: '正高级工程师', status: 'in_pool', created_at: t.clock.now(), updated_at: t.clock.now(),
    }));
    const ids = (await db.knex('experts').insert(rows).returning('id')).map((r: { id: number }) => Number(r.id));
    // and a plain row after them
    await addExperts(db.knex, committeeId, 1, { specialty: '冲突之后' });
    // when the sweep runs in small batches, twice
    const first = await t.app.sealer.sweep({ tables: ['experts'], batchSize: 2 });
    const second = await t.app.sealer.sweep({ tables: ['experts'], batchSize: 2 });
    // then the first of the two is sealed, the second is named and left as it was, and the row after them is sealed
    expect(first.conflicts).toEqual([{ table: 'experts', id: ids[1] }]);
    expect(second.conflicts).toEqual([{ table: 'experts', id: ids[1] }]);
    const stored = await db.knex('experts').whereIn('id', ids).orderBy('id').select('id_number', 'id_number_hash');
    expect(stored.map((r) => [r.id_number, r.id_number_hash !== null])).toEqual([
      [null, true],
      [withX.toLowerCase(), false],
    ]);
    expect(await db.knex('experts').where({ specialty: '冲突之后' }).whereNotNull('id_number').first()).toBeUndefined();
    await db.knex('experts').where({ id: ids[1] }).delete();
  });

  it('re-seals experts and the import rows under a rotated key, keeping the hashes', async () => {
    // given every row sealed under k1, and PII_KEY rotated to k2,k1 (same hash key)
    const rotated = createPiiCipher(parsePiiKeys('k2:00112233445566778899aabbccddeeff,k1:0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210'));
    const onlyK2 = createPiiCipher(parsePiiKeys('k2:00112233445566778899aabbccddeeff', 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210'));
    const sealer = createSealer(db.knex, createPersonalInformationRepository(db.knex), rotated);
    sealer.register(EXPERTS_SEALED);
    const hashBefore = (await db.knex('experts').where({ committee_id: committeeId, name: '封存工' }).first()).id_number_hash as string;
    // when the rotation sweeps
    const report = await sealer.sweep({ tables: ['experts'], batchSize: 7 });
    await sealExpertImports(db.knex, rotated, { batchSize: 2 });
    // then no row is left on k1, the seals open under k2 alone, and the hash is unchanged
    expect(report.resealed).toBeGreaterThan(0);
    expect(await db.knex('experts').whereNot('pii_key_id', 'k2').first()).toBeUndefined();
    expect(await db.knex('expert_imports').whereNot('pii_key_id', 'k2').first()).toBeUndefined();
    const row = await db.knex('experts').where({ committee_id: committeeId, name: '封存工' }).first();
    expect(row.id_number_hash).toBe(hashBefore);
    expect(openSealed(onlyK2, EXPERTS_SEALED, row)).toMatchObject({ id_number: WITH_X, phone2: PHONE2 });
    const imported = await db.knex('expert_imports').where({ id: '00000000-0000-4000-8000-000000000753' }).first();
    expect(onlyK2.open(imported.good_rows[0].data.idNumber as string)).toBe(idNumber('19840507', 753));
  });
});
