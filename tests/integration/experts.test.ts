import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { upload } from '../helpers/files.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { idNumber, wrongCheck } from '../helpers/fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let committeeId: number;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const expert = (overrides: Record<string, unknown> = {}) => ({
  name: '赵工',
  idNumber: idNumber('19730728', 101),
  employer: '成都示范科技有限公司',
  post: '总工程师',
  phone1: '13800000011',
  honours: '四川省学术和技术带头人',
  specialty: '机械工程',
  currentTitle: '正高级工程师',
  ...overrides,
});

beforeAll(async () => {
  db = await createTestDatabase();
  // 专家库审核 runs as the flow expert-pool-review (with multi-post-review)
  t = await startTestApp(db, { demo: true });
  const committee = await db.knex('committees').where({ name: '成都市工程技术系列中级职称评审委员会' }).first('id');
  committeeId = Number(committee.id);
  // a committee clerk of the county bureau: holds 专家库管理, but not for the city's committee
  const county = await db.knex('units').where({ name: '成都市锦江区人力资源和社会保障局' }).first('id');
  await db.knex('users').insert({
    username: 'jj_pw',
    password_hash: await hashPassword(DEMO_PASSWORD),
    display_name: '锦江区评委会经办人',
    unit_id: county.id,
    roles: ['committee_clerk'],
    status: 'active',
    created_at: t.clock.now(),
    updated_at: t.clock.now(),
  });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const pool = (path = '') => `/api/expert-pools/${committeeId}${path}`;

async function add(user: string, body: Record<string, unknown>, path = '/experts') {
  const res = await t.request('POST', pool(path), { user, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; status: string; version: number; idNumber: string };
}

async function listOf(user: string, filter: Record<string, unknown>) {
  const res = await t.request('GET', `${pool('/experts')}?filter=${encodeURIComponent(JSON.stringify(filter))}&range=[0,999]`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Array<{ id: number; name: string; status: string; returnedReason: string | null; returnedStage: string | null; version: number }>;
}

/** The registrar's decision as its list sends it: with the review steps the list showed. */
async function decide(ids: number[], action: 'pass' | 'return', opinion?: string) {
  const shown = (await t.request('GET', `${pool('/experts')}?filter=${encodeURIComponent('{"status":"pending"}')}&range=[0,999]`, { user: 'sc_hr' })).json() as Array<{ id: number; reviewStepId: string | null }>;
  const stepIds = shown.filter((e) => ids.includes(e.id) && e.reviewStepId).map((e) => e.reviewStepId!);
  return t.request('POST', pool('/review'), { user: 'sc_hr', body: { ids, action, stepIds, ...(opinion ? { opinion } : {}) } });
}

async function workbookFrom(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

async function uploadXlsx(user: string, content: Buffer, name = '专家名单.xlsx') {
  const res = await upload(t, user, [{ name, type: XLSX, content }]);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as Array<{ id: string }>)[0]!.id;
}

/** Fills the downloaded template from row 3 on (its example row 2 stays: an untouched example is skipped). */
async function fixtureWorkbook(rows: Array<Array<string | null>>): Promise<Buffer> {
  const template = await t.request('GET', '/api/expert-imports/template', { user: 'cd_pw' });
  expect(template.statusCode).toBe(200);
  const workbook = await workbookFrom(template.rawPayload);
  const sheet = workbook.getWorksheet('专家信息')!;
  rows.forEach((r, i) => {
    const row = sheet.getRow(3 + i);
    r.forEach((v, j) => {
      if (v !== null) row.getCell(j + 1).value = v;
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// columns of the template: 姓名 证件号码 性别 出生日期 是否退休 工作单位 主管单位 行政职务 行政职务级别 联系电话1 联系电话2
// 所获荣誉、称号 现专业技术系列 现从事专业 现职称 主任委员 副主任委员 是否活跃 所在地区
function row(name: string, id: string, changes: Partial<Record<number, string | null>> = {}): Array<string | null> {
  const base: Array<string | null> = [name, id, null, null, '否', '成都示范科技有限公司', null, '工程师', null, '13800000021', null, '无', '工程技术', '机械工程', '高级工程师', null, null, null, null];
  for (const [k, v] of Object.entries(changes)) base[Number(k)] = v ?? null;
  return base;
}

describe('API document', () => {
  it('documents the expert endpoints with their schemas', async () => {
    const doc = await t.request('GET', '/api/docs/json');
    expect(doc.statusCode).toBe(200);
    const paths = doc.json().paths as Record<string, Record<string, { requestBody?: unknown }>>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/expert-pools', '/api/expert-pools/{committeeId}/imports', '/api/expert-imports/{id}/confirm', '/api/experts/{id}']));
    expect(paths['/api/expert-pools/{committeeId}/experts']?.post?.requestBody).toBeDefined();
  });
});

describe('专家导入模板', () => {
  it('has the form fields as starred headers with notes, dropdowns by data validation and an example row', async () => {
    // when
    const res = await t.request('GET', '/api/expert-imports/template', { user: 'cd_pw' });
    // then
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = await workbookFrom(res.rawPayload);
    const sheet = workbook.getWorksheet('专家信息')!;
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    expect(headers).toEqual([
      '*姓名', '*证件号码', '性别', '出生日期', '是否退休', '*工作单位', '主管单位', '*行政职务', '行政职务级别', '*联系电话1', '联系电话2',
      '*所获荣誉、称号', '现专业技术系列', '*现从事专业', '*现职称', '主任委员', '副主任委员', '是否活跃', '所在地区',
    ]);
    expect(String(sheet.getCell('B1').note)).toContain('18 位');
    expect(sheet.getCell('E5').dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    // longer lists come from the hidden options sheet: 性别, 现专业技术系列 …
    const options = workbook.getWorksheet('选项')!;
    const choices = (address: string) => {
      const [, col, from, to] = /^'选项'!\$(\w+)\$(\d+):\$\w+\$(\d+)$/.exec(String(sheet.getCell(address).dataValidation?.formulae?.[0]))!;
      return Array.from({ length: Number(to) - Number(from) + 1 }, (_v, i) => options.getCell(`${col}${Number(from) + i}`).value);
    };
    expect(choices('C5')).toEqual(['男', '女']);
    expect(choices('M9')).toContain('工程技术');
    expect(choices('S9')).toContain('四川省成都市锦江区');
    expect(sheet.getCell('A2').value).toBe('张三');
    expect(sheet.getCell('B2').value).toBe('510106197307287217');
    expect(options.state).toBe('hidden');
  });

  it('refuses callers without 专家库管理', async () => {
    expect((await t.request('GET', '/api/expert-imports/template', { user: 'kj_hr' })).statusCode).toBe(403);
  });
});

describe('单个新增与证件号码', () => {
  it('derives sex, birth month and age from the ID number', async () => {
    // given the test clock on 2026-03-02
    const res = await t.request('GET', `/api/experts/id-info?idNumber=${idNumber('19730728', 101)}`, { user: 'cd_pw' });
    expect(res.json()).toEqual({ valid: true, reason: null, sex: 'male', sexName: '男', birthMonth: '1973-07', age: 52 });
    const bad = await t.request('GET', `/api/experts/id-info?idNumber=${wrongCheck(idNumber('19730728', 101))}`, { user: 'cd_pw' });
    expect(bad.json()).toMatchObject({ valid: false, reason: '校验码错误' });
  });

  it('answers 400 naming the field when the ID number or the birth month is wrong', async () => {
    const wrong = await t.request('POST', pool('/experts'), { user: 'cd_pw', body: expert({ idNumber: wrongCheck(expert().idNumber) }) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details).toEqual([{ field: 'body.idNumber', message: '证件号码：校验码错误' }]);
    const month = await t.request('POST', pool('/experts'), { user: 'cd_pw', body: expert({ birthMonth: '197308', phone1: '123' }) });
    expect(month.statusCode).toBe(400);
    const fields = (month.json().details as Array<{ field: string; message: string }>).map((d) => d.field).sort();
    expect(fields).toEqual(['body.birthMonth', 'body.phone1']);
    expect(month.json().message).toContain('与证件号码中的出生年月（197307）不一致');
  });

  it('adds an expert as 新增待提交 with the derived fields, once per ID number', async () => {
    // when
    const created = await add('cd_pw', expert({ name: '钱工', idNumber: idNumber('19800101', 201), regionCode: '510104', postLevel: 'division_chief', series: 'engineering' }));
    // then
    const detail = (await t.request('GET', `/api/experts/${created.id}`, { user: 'cd_pw' })).json();
    expect(detail).toMatchObject({ status: 'draft', statusName: '新增待提交', sex: 'male', birthMonth: '1980-01', age: 46, regionName: '四川省成都市锦江区', postLevelName: '县处级正职', seriesName: '工程技术' });
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['create']);
    const again = await t.request('POST', pool('/experts'), { user: 'cd_pw', body: expert({ name: '钱工', idNumber: idNumber('19800101', 201) }) });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已在本评委会专家库中（新增待提交）');
  });
});

describe('批量新增（Excel 导入）', () => {
  let importId: string;
  const ids = {
    a: idNumber('19700101', 11),
    b: idNumber('19710202', 22),
    badCheck: wrongCheck(idNumber('19720303', 33)),
    missing: idNumber('19730404', 44),
    twice: idNumber('19740505', 55),
    inPool: idNumber('19750606', 66),
    date: idNumber('19760707', 77),
    several: idNumber('19770808', 88),
    mismatch: idNumber('19780909', 99),
  };

  it('checks every row: good rows, and bad rows with the reason per cell; nothing is imported yet', async () => {
    // given an expert already in the committee's list, and a workbook with good and bad rows
    await add('cd_pw', expert({ name: '已在库', idNumber: ids.inPool }));
    const before = await db.knex('experts').where({ committee_id: committeeId }).count<{ n: string }[]>({ n: '*' });
    const content = await fixtureWorkbook([
      row('王一', ids.a), // 3
      row('王二', ids.b, { 2: '女', 3: '197102', 6: '成都市经济和信息化局', 8: '县处级正职', 10: '028-85000002', 15: '是', 18: '四川省成都市锦江区' }), // 4
      row('王三', ids.badCheck), // 5
      row('王四', ids.missing, { 5: null }), // 6
      row('王五', ids.twice), // 7
      row('王六', ids.twice), // 8
      row('王七', ids.inPool), // 9
      row('王八', ids.date, { 3: '1976/07' }), // 10
      row('王九', ids.several, { 4: '可能', 9: '12345' }), // 11
      row('王十', ids.mismatch, { 3: '197810' }), // 12
    ]);
    const fileId = await uploadXlsx('cd_pw', content);
    // when
    const res = await t.request('POST', pool('/imports'), { user: 'cd_pw', body: { fileId } });
    // then
    expect(res.statusCode, res.body).toBe(201);
    const summary = res.json();
    importId = summary.id;
    expect(summary).toMatchObject({ total: 10, goodCount: 2, badCount: 8, status: 'checked', importedCount: null });
    const good = (await t.request('GET', `/api/expert-imports/${importId}/good`, { user: 'cd_pw' })).json();
    expect(good.map((g: { row: number; name: string }) => [g.row, g.name])).toEqual([[3, '王一'], [4, '王二']]);
    expect(good[1]).toMatchObject({ sexName: '女', birthMonth: '1971-02', isChair: true, regionName: '四川省成都市锦江区', postLevelName: '县处级正职', department: '成都市经济和信息化局' });
    const bad = (await t.request('GET', `/api/expert-imports/${importId}/bad`, { user: 'cd_pw' })).json();
    expect(bad.map((b: { row: number; errors: unknown[] }) => ({ row: b.row, errors: b.errors }))).toEqual([
      { row: 5, errors: [{ column: '证件号码', field: 'idNumber', message: '校验码错误' }] },
      { row: 6, errors: [{ column: '工作单位', field: 'employer', message: '必填' }] },
      { row: 7, errors: [{ column: '证件号码', field: 'idNumber', message: '证件号码在文件中重复（与第 8 行相同）' }] },
      { row: 8, errors: [{ column: '证件号码', field: 'idNumber', message: '证件号码在文件中重复（与第 7 行相同）' }] },
      { row: 9, errors: [{ column: '证件号码', field: 'idNumber', message: '证件号码已在本评委会专家库中（新增待提交）' }] },
      { row: 10, errors: [{ column: '出生日期', field: 'birthMonth', message: '格式应为 yyyyMM（如 197307）' }] },
      {
        row: 11,
        errors: [
          { column: '是否退休', field: 'retired', message: '请填写“是”或“否”' },
          { column: '联系电话1', field: 'phone1', message: '电话号码格式不正确（手机 11 位，或区号-号码）' },
        ],
      },
      { row: 12, errors: [{ column: '出生日期', field: 'birthMonth', message: '与证件号码中的出生年月（197809）不一致' }] },
    ]);
    expect(bad[0].values).toMatchObject({ name: '王三', idNumber: ids.badCheck });
    const after = await db.knex('experts').where({ committee_id: committeeId }).count<{ n: string }[]>({ n: '*' });
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('gives the bad rows back as a workbook with exactly the faulty cells filled red and noted', async () => {
    // when
    const res = await t.request('GET', `/api/expert-imports/${importId}/errors`, { user: 'cd_pw' });
    // then
    expect(res.statusCode).toBe(200);
    const sheet = (await workbookFrom(res.rawPayload)).getWorksheet('专家信息')!;
    expect(sheet.getCell(1, 20).value).toBe('原行号');
    expect(sheet.getCell(1, 21).value).toBe('错误原因');
    // sheet row → [original row, faulty columns with the note each carries]
    const expected: Array<[number, Record<number, string>]> = [
      [5, { 2: '校验码错误' }],
      [6, { 6: '必填' }],
      [7, { 2: '证件号码在文件中重复（与第 8 行相同）' }],
      [8, { 2: '证件号码在文件中重复（与第 7 行相同）' }],
      [9, { 2: '证件号码已在本评委会专家库中（新增待提交）' }],
      [10, { 4: '格式应为 yyyyMM（如 197307）' }],
      [11, { 5: '请填写“是”或“否”', 10: '电话号码格式不正确（手机 11 位，或区号-号码）' }],
      [12, { 4: '与证件号码中的出生年月（197809）不一致' }],
    ];
    expect(sheet.actualRowCount).toBe(1 + expected.length);
    expected.forEach(([original, faulty], i) => {
      const r = sheet.getRow(2 + i);
      expect(r.getCell(20).value).toBe(original);
      for (let col = 1; col <= 19; col++) {
        const cell = r.getCell(col);
        const fill = cell.fill as ExcelJS.FillPattern | undefined;
        const red = fill?.type === 'pattern' && fill.pattern === 'solid' && fill.fgColor?.argb === 'FFFF0000';
        expect(red, `row ${original} column ${col} red`).toBe(col in faulty);
        const note = cell.note === undefined ? undefined : typeof cell.note === 'string' ? cell.note : (cell.note.texts ?? []).map((x) => x.text).join('');
        expect(note, `row ${original} column ${col} note`).toBe(faulty[col]);
      }
    });
    // the faulty values come back as they were, for correction
    expect(sheet.getRow(7).getCell(4).value).toBe('1976/07');
    expect(sheet.getRow(2).getCell(2).value).toBe(ids.badCheck);
  });

  it('imports the good rows only on confirmation, once', async () => {
    // given
    const unconfirmed = await t.request('POST', `/api/expert-imports/${importId}/confirm`, { user: 'cd_pw', body: {} });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().message).toContain('请确认导入检验正确的数据');
    // when
    const res = await t.request('POST', `/api/expert-imports/${importId}/confirm`, { user: 'cd_pw', body: { importGoodRows: true } });
    // then
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'imported', importedCount: 2, skipped: [] });
    const drafts = await listOf('cd_pw', { status: 'draft' });
    expect(drafts.map((d) => d.name)).toEqual(expect.arrayContaining(['王一', '王二']));
    const again = await t.request('POST', `/api/expert-imports/${importId}/confirm`, { user: 'cd_pw', body: { importGoodRows: true } });
    expect(again.statusCode).toBe(409);
    // the ID numbers are sealed at rest: found by their keyed hash
    const hashes = [ids.a, ids.b].map((v) => t.app.pii.hash('idNumber', v));
    const count = await db.knex('experts').where({ committee_id: committeeId }).whereIn('id_number_hash', hashes).count<{ n: string }[]>({ n: '*' });
    expect(Number(count[0]!.n)).toBe(2);
    const events = await db.knex('expert_events as v').join('experts as e', 'e.id', 'v.expert_id').whereIn('e.id_number_hash', hashes).select('v.action');
    expect(events.map((e: { action: string }) => e.action)).toEqual(['import', 'import']);
  });

  it('skips and reports good rows whose ID number entered the pool between check and confirmation', async () => {
    // given a checked file, then one of its experts added by hand
    const late = idNumber('19810101', 121);
    const fresh = idNumber('19820202', 122);
    const fileId = await uploadXlsx('cd_pw', await fixtureWorkbook([row('孙一', late), row('孙二', fresh)]));
    const checked = (await t.request('POST', pool('/imports'), { user: 'cd_pw', body: { fileId } })).json();
    expect(checked).toMatchObject({ goodCount: 2, badCount: 0 });
    await add('cd_pw', expert({ name: '孙一', idNumber: late }));
    // when
    const res = await t.request('POST', `/api/expert-imports/${checked.id}/confirm`, { user: 'cd_pw', body: { importGoodRows: true } });
    // then
    expect(res.json()).toMatchObject({ importedCount: 1, skipped: [{ row: 3, name: '孙一', idNumber: late, message: '检验后该证件号码已进入本评委会专家库（新增待提交），未导入' }] });
    expect((await t.request('GET', `/api/expert-imports/${checked.id}/errors`, { user: 'cd_pw' })).statusCode).toBe(404);
  });

  it('refuses a file that is not the template', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['姓名', '电话']);
    const fileId = await uploadXlsx('cd_pw', Buffer.from(await workbook.xlsx.writeBuffer()));
    const res = await t.request('POST', pool('/imports'), { user: 'cd_pw', body: { fileId } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('表头缺少“证件号码”');
    const notExcel = await uploadXlsx('cd_pw', Buffer.from('not a workbook'), 'x.xlsx');
    expect((await t.request('POST', pool('/imports'), { user: 'cd_pw', body: { fileId: notExcel } })).json().message).toContain('不是有效的 Excel 工作簿');
  });
});

describe('推荐 → 组建单位审核 → 提交 → 备案单位审核', () => {
  const p = idNumber('19650315', 301);
  const q = idNumber('19660416', 402);
  let pId: number;
  let qId: number;

  it('lets a unit below the organiser recommend experts to the committee', async () => {
    // given
    const pools = (await t.request('GET', `/api/expert-pools?filter=${encodeURIComponent('{"purpose":"recommend"}')}`, { user: 'kj_hr' })).json();
    expect(pools.map((c: { id: number }) => c.id)).toContain(committeeId);
    // when
    const first = await add('kj_hr', expert({ name: '推荐甲', idNumber: p, isChair: true }), '/recommendations');
    const second = await add('kj_hr', expert({ name: '推荐乙', idNumber: q }), '/recommendations');
    pId = first.id;
    qId = second.id;
    // then
    expect(first).toMatchObject({ status: 'recommended', recommendedByUnitName: '成都示范科技有限公司' });
    // 主任委员 is the organiser's decision
    expect(first).toMatchObject({ isChair: false });
    const waiting = await listOf('cd_pw', { status: 'recommended' });
    expect(waiting.map((e) => e.name)).toEqual(['推荐甲', '推荐乙']);
    // the recommending unit sees its own recommendations only
    expect((await listOf('kj_hr', {})).map((e) => e.name)).toEqual(['推荐甲', '推荐乙']);
    // the same person twice: refused
    expect((await t.request('POST', pool('/recommendations'), { user: 'kj_hr', body: expert({ name: '推荐甲', idNumber: p }) })).statusCode).toBe(409);
  });

  it('lets the organiser pass one recommendation and return the other with a reason', async () => {
    const noReason = await t.request('POST', pool('/recommendations/review'), { user: 'cd_pw', body: { ids: [qId], action: 'return' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain('退回时请填写退回原因');
    expect((await t.request('POST', pool('/recommendations/review'), { user: 'cd_pw', body: { ids: [pId], action: 'pass' } })).json()).toEqual({ count: 1 });
    const returned = await t.request('POST', pool('/recommendations/review'), { user: 'cd_pw', body: { ids: [qId], action: 'return', opinion: '请补充所获荣誉' } });
    expect(returned.json()).toEqual({ count: 1 });
    // the recommending unit fixes and recommends again; the organiser passes it
    const mine = (await listOf('kj_hr', { status: 'returned' }))[0]!;
    expect(mine).toMatchObject({ name: '推荐乙', returnedReason: '请补充所获荣誉', returnedStage: 'organizer' });
    const fixed = await t.request('PUT', `/api/experts/${qId}`, { user: 'kj_hr', body: { ...expert({ name: '推荐乙', idNumber: q, honours: '成都市有突出贡献的优秀专家' }), version: mine.version } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((await t.request('POST', pool('/recommendations/resubmit'), { user: 'kj_hr', body: { ids: [qId] } })).json()).toEqual({ count: 1 });
    expect((await t.request('POST', pool('/recommendations/review'), { user: 'cd_pw', body: { ids: [qId], action: 'pass' } })).json()).toEqual({ count: 1 });
    expect((await listOf('cd_pw', { status: 'draft' })).map((e) => e.id)).toEqual(expect.arrayContaining([pId, qId]));
  });

  it('submits once: a repeated or concurrent submission is a 409 and writes nothing twice', async () => {
    // when two submissions of the same experts race
    const [a, b] = await Promise.all([
      t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [pId, qId] } }),
      t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [pId, qId] } }),
    ]);
    // then exactly one wins
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const again = await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [pId] } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('推荐甲：当前状态为“待备案单位审核”');
    const submits = await db.knex('expert_events').whereIn('expert_id', [pId, qId]).where({ action: 'submit' }).count<{ n: string }[]>({ n: '*' });
    expect(Number(submits[0]!.n)).toBe(2);
  });

  it('lets the registrar see the committee with its counts and pass or return each expert', async () => {
    // given
    const pools = (await t.request('GET', `/api/expert-pools?filter=${encodeURIComponent('{"purpose":"review"}')}`, { user: 'sc_hr' })).json();
    const mine = pools.find((c: { id: number }) => c.id === committeeId);
    expect(mine.counts.pending).toBe(2);
    const inPoolBefore = mine.counts.inPool as number;
    // the registrar sees what was submitted and what is in the pool, not the organiser's drafts
    const seen = await listOf('sc_hr', {});
    expect(seen.filter((e) => e.status === 'pending').map((e) => e.id).sort()).toEqual([pId, qId].sort());
    expect(seen.every((e) => e.status === 'pending' || e.status === 'in_pool')).toBe(true);
    // when
    expect((await decide([pId], 'pass')).json()).toEqual({ count: 1 });
    expect((await decide([qId], 'return', '现职称与证书不符')).json()).toEqual({ count: 1 });
    // then
    const after = (await t.request('GET', pool(), { user: 'sc_hr' })).json();
    expect(after.counts).toMatchObject({ pending: 0, inPool: inPoolBefore + 1 });
    const returned = (await listOf('cd_pw', { status: 'returned', returnedStage: 'registrar' }))[0]!;
    expect(returned).toMatchObject({ id: qId, returnedReason: '现职称与证书不符' });
    // the organiser fixes and submits again; the registrar passes in a batch
    const fixed = await t.request('PUT', `/api/experts/${qId}`, { user: 'cd_pw', body: { ...expert({ name: '推荐乙', idNumber: q, currentTitle: '高级工程师' }), version: returned.version } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((await t.request('POST', pool('/submit'), { user: 'cd_pw', body: { ids: [qId] } })).statusCode).toBe(200);
    expect((await decide([qId], 'pass')).json()).toEqual({ count: 1 });
    const inPool = await listOf('cd_pw', { status: 'in_pool' });
    expect(inPool.map((e) => e.id)).toEqual(expect.arrayContaining([pId, qId]));
    expect(inPool.length).toBe(inPoolBefore + 2);
    const detail = (await t.request('GET', `/api/experts/${pId}`, { user: 'cd_pw' })).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['recommend', 'recommendation.pass', 'submit', 'pass']);
    // a second pass of an expert already in the pool changes nothing
    expect((await decide([pId], 'pass')).statusCode).toBe(409);
  });

  it('lets the organiser mark an expert in the pool inactive, guarded by its version', async () => {
    const current = (await t.request('GET', `/api/experts/${pId}`, { user: 'cd_pw' })).json();
    const res = await t.request('POST', `/api/experts/${pId}/flags`, { user: 'cd_pw', body: { version: current.version, active: false, isChair: true } });
    expect(res.json()).toMatchObject({ active: false, isChair: true });
    const stale = await t.request('POST', `/api/experts/${pId}/flags`, { user: 'cd_pw', body: { version: current.version, active: true } });
    expect(stale.statusCode).toBe(409);
    // an expert in the pool is not edited wholesale
    expect((await t.request('PUT', `/api/experts/${pId}`, { user: 'cd_pw', body: { ...expert({ name: '推荐甲', idNumber: p }), version: current.version + 1 } })).statusCode).toBe(409);
  });
});

describe('scope', () => {
  let draftId: number;

  beforeAll(async () => {
    draftId = (await add('cd_pw', expert({ name: '范围测试', idNumber: idNumber('19690101', 501) }))).id;
  });

  it('refuses a committee clerk of another unit (404 on the committee and on its experts, as if they did not exist)', async () => {
    expect((await t.request('POST', pool('/experts'), { user: 'jj_pw', body: expert({ idNumber: idNumber('19690202', 502) }) })).statusCode).toBe(404);
    expect((await t.request('GET', pool('/experts'), { user: 'jj_pw' })).statusCode).toBe(404);
    expect((await t.request('GET', pool(), { user: 'jj_pw' })).statusCode).toBe(404);
    expect((await t.request('POST', pool('/submit'), { user: 'jj_pw', body: { ids: [draftId] } })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/experts/${draftId}`, { user: 'jj_pw' })).statusCode).toBe(404);
    const current = (await t.request('GET', `/api/experts/${draftId}`, { user: 'cd_pw' })).json();
    expect((await t.request('PUT', `/api/experts/${draftId}`, { user: 'jj_pw', body: { ...expert({ idNumber: current.idNumber }), version: current.version } })).statusCode).toBe(404);
    expect((await t.request('POST', `/api/experts/${draftId}/remove`, { user: 'jj_pw', body: { version: current.version } })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/expert-pools?filter=${encodeURIComponent('{"purpose":"manage"}')}`, { user: 'jj_pw' })).json()).toEqual([]);
  });

  it('tells the registrar nothing of an expert it may not see when a batch fails on it', async () => {
    // given an expert the organiser has not submitted: the registrar does not see it
    // when the registrar's review names it
    const res = await t.request('POST', pool('/review'), { user: 'sc_hr', body: { ids: [draftId], action: 'pass' } });
    // then the batch is refused as for an expert not in the pool, without its name or state
    expect(res.statusCode).toBe(409);
    expect(res.json().details).toEqual([{ field: 'ids', message: `专家 ${draftId} 不在本评委会专家库中` }]);
    expect(res.body).not.toContain('范围测试');
  });

  it('keeps another unit away from an import', async () => {
    const fileId = await uploadXlsx('cd_pw', await fixtureWorkbook([row('周一', idNumber('19690303', 503))]));
    const checked = (await t.request('POST', pool('/imports'), { user: 'cd_pw', body: { fileId } })).json();
    expect((await t.request('GET', `/api/expert-imports/${checked.id}/good`, { user: 'jj_pw' })).statusCode).toBe(404);
    expect((await t.request('POST', `/api/expert-imports/${checked.id}/confirm`, { user: 'jj_pw', body: { importGoodRows: true } })).statusCode).toBe(404);
    // nor may another unit's clerk check a file it did not upload
    expect((await t.request('POST', `/api/expert-pools/${committeeId}/imports`, { user: 'jj_pw', body: { fileId } })).statusCode).toBe(404);
  });

  it('keeps recommending units to their own recommendations, and units above the organiser out', async () => {
    expect((await t.request('GET', `/api/experts/${draftId}`, { user: 'kj_hr' })).statusCode).toBe(404);
    expect((await listOf('cd_jxj', {})).length).toBe(0);
    expect((await t.request('POST', pool('/submit'), { user: 'kj_hr', body: { ids: [draftId] } })).statusCode).toBe(403);
    // the province is above the city bureau: it cannot recommend to the city's committee
    const up = await t.request('POST', pool('/recommendations'), { user: 'sc_hr', body: expert({ idNumber: idNumber('19690404', 504) }) });
    expect(up.statusCode).toBe(403);
    expect(up.json().message).toContain('只能向本单位的上级单位组建的评委会推荐专家');
    // the registrar reviews but does not manage
    expect((await t.request('GET', `/api/experts/${draftId}`, { user: 'sc_hr' })).statusCode).toBe(404);
    expect((await t.request('POST', pool('/review'), { user: 'cd_pw', body: { ids: [draftId], action: 'pass' } })).statusCode).toBe(403);
  });

  it('removes a draft softly and lets the same person be added again', async () => {
    const current = (await t.request('GET', `/api/experts/${draftId}`, { user: 'cd_pw' })).json();
    const res = await t.request('POST', `/api/experts/${draftId}/remove`, { user: 'cd_pw', body: { version: current.version } });
    expect(res.statusCode).toBe(204);
    expect((await t.request('POST', `/api/experts/${draftId}/remove`, { user: 'cd_pw', body: { version: current.version } })).statusCode).toBe(404);
    const back = await add('cd_pw', expert({ name: '范围测试', idNumber: current.idNumber }));
    expect(back.id).toBe(draftId);
    const detail = (await t.request('GET', `/api/experts/${draftId}`, { user: 'cd_pw' })).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['create', 'remove', 'create']);
  });
});
