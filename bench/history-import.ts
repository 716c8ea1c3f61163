/**
 * 历史职称数据导入: a generated workbook of 100,000 rows (2 % faulty, 1 % conflicting with an
 * account) read as a stream, checked and imported on a PostgreSQL 15 of its own. Three phases
 * in the same process, each with its time and its peak memory (RSS and heap, sampled every 20 ms):
 *
 * - baseline: reading the workbook (exceljs `WorkbookReader`) and nothing else;
 * - check: reading plus every check of every row (the 高风险 look-ups against the database, in
 *   chunks of 1,000), writing nothing;
 * - import: the real route `POST /api/history-uploads/:id/workbook` with the file streamed in
 *   as multipart — read, checked and written in chunks in one transaction (each row's ID number
 *   sealed with SM4 and hashed as it is written);
 * - sealing alone: what the import spends on sealing, `sealedWrite` of as many ID numbers.
 *
 *   npx tsx bench/history-import.ts [--rows 100000]
 *
 * Targets: check < 20 s, import < 60 s, memory bounded (does not grow with the file).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { startTestApp } from '../tests/helpers/app.ts';
import { idNumber } from '../tests/helpers/fixtures.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { checkIdNumber } from '../forms/validators.ts';
import { RECORD_COLUMNS } from '../api/modules/history-data/history-data.checks.ts';
import { checkChunk, readRecordChunks } from '../api/modules/history-data/history-data.import.ts';
import { createHistoryDataRepository } from '../api/modules/history-data/history-data.repository.ts';
import { HISTORY_RECORDS_SEALED } from '../api/modules/history-data/history-data.pii.ts';
import { sealedWrite } from '../api/src/pii.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const ROWS = arg('rows', 100_000);
const CHECK_TARGET_MS = 20_000;
const IMPORT_TARGET_MS = 60_000;
const BODY = '原成都市工程技术职称改革领导小组';
const DOC = '成人社职〔2018〕12号';
const MB = 1024 * 1024;

/** Runs work while sampling memory; answers its time and the peaks. */
async function measured<T>(work: () => Promise<T>): Promise<{ ms: number; rss: number; heap: number; result: T }> {
  global.gc?.();
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 20);
  const t0 = performance.now();
  try {
    const result = await work();
    return { ms: performance.now() - t0, rss, heap, result };
  } finally {
    clearInterval(timer);
  }
}

/** Writes the workbook with the streaming writer (row by row, not held in memory). */
async function writeWorkbook(file: string, accountIds: string[]): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = writer.addWorksheet('历史职称数据');
  sheet.addRow(RECORD_COLUMNS.map((c) => c.header)).commit();
  for (let i = 0; i < ROWS; i++) {
    const birth = `19${String(60 + (i % 40))}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
    const id = i % 100 === 50 && accountIds.length ? accountIds[i % accountIds.length]! : idNumber(birth, Math.floor(i / 1000) % 1000, '510104');
    const faulty = i % 50 === 7;
    sheet
      .addRow([
        `历史人员${i}`,
        i % 2 ? '女' : '男',
        id,
        i % 100 === 50 ? '' : `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
        '成都示范科技有限公司',
        '工程技术',
        '机械工程',
        '工程师',
        '中级',
        '评审',
        BODY,
        faulty ? '2019-01-05' : '2018-10-20',
        '2018-12-01',
        DOC,
      ])
      .commit();
  }
  sheet.commit();
  await writer.commit();
}

function multipartOf(file: string): Readable {
  const boundary = '----zcpsBenchBoundary';
  return Readable.from(
    (async function* () {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="history.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`);
      yield* fs.createReadStream(file);
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    })(),
  );
}

const line = (label: string, m: { ms: number; rss: number; heap: number }, target?: number) =>
  console.log(
    `  ${label.padEnd(34)} ${(m.ms / 1000).toFixed(1).padStart(6)} s  峰值 RSS ${(m.rss / MB).toFixed(0)} MB  堆 ${(m.heap / MB).toFixed(0)} MB` +
      (target ? `  目标 < ${target / 1000} s：${m.ms < target ? '达标' : '未达标'}` : ''),
  );

async function main() {
  const cpus = os.cpus();
  console.log(`zcps 基准测试：历史职称数据导入（${ROWS} 行）`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}${global.gc ? '' : '（未加 --expose-gc，峰值含未回收的垃圾）'}`);
  const pg = await startPostgres({ durable: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-history-bench-'));
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_history');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: pg.url.replace(/\/postgres$/, '/zcps_history'), DATA_DIR: dir, DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn' } });
    const knex = database.knex;
    const department = Number((await knex('units').where({ name: '成都市经济和信息化局' }).first('id')).id);
    const body = await t.request('POST', '/api/history-bodies', { user: 'cd_hr', body: { name: BODY, series: ['engineering'], levels: ['intermediate'], unitIds: [department] } });
    if (body.statusCode !== 201) throw new Error(`body: ${body.body}`);
    // accounts whose ID number is valid: their rows get a 高风险提醒 (another name), not an error
    // (sealed at rest: opened with the app's key)
    const sealedIds = (await knex('users').whereNotNull('id_number_enc').pluck('id_number_enc')) as string[];
    const accountIds = sealedIds.map((enc) => t.app.pii.open(enc)).filter((id) => checkIdNumber(id).ok);

    const file = path.join(dir, 'history.xlsx');
    console.log('生成工作簿（不计时）…');
    await writeWorkbook(file, accountIds);
    console.log(`  ${(fs.statSync(file).size / MB).toFixed(1)} MB`);

    const created = await t.request('POST', '/api/history-uploads', { user: 'cd_jxj', body: { acquisitionType: 'review', documentNo: DOC } });
    const uploadId = Number((created.json() as { id: number }).id);
    const repo = createHistoryDataRepository(knex, t.app.pii);
    const ctx = { acquisitionType: 'review' as const, documentNo: DOC, bodies: await repo.reviewBodiesOf(department), today: new Date() };

    const baseline = await measured(() => readRecordChunks(fs.createReadStream(file), async () => undefined));
    const check = await measured(async () => {
      let bad = 0;
      await readRecordChunks(fs.createReadStream(file), async (rows) => {
        bad += (await checkChunk(rows, ctx, (ids) => repo.knownPersons(ids, uploadId))).filter((r) => r.errors.length).length;
      });
      return bad;
    });
    const token = await t.token('cd_jxj');
    const imported = await measured(async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/history-uploads/${uploadId}/workbook`,
        payload: multipartOf(file),
        headers: { 'content-type': 'multipart/form-data; boundary=----zcpsBenchBoundary', authorization: `Bearer ${token}` },
      });
      if (res.statusCode !== 200) throw new Error(`import: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res.json() as { total: number; bad: number; warned: number };
    });

    const sealing = await measured(async () => {
      let n = 0;
      for (let i = 0; i < ROWS; i++) n += sealedWrite(t.app.pii, HISTORY_RECORDS_SEALED, { id_number: idNumber('19800101', i % 1000, String(510000 + Math.floor(i / 1000))) }).id_number_enc ? 1 : 0;
      return n;
    });

    console.log('');
    console.log('结果');
    line(`基线：只读取 ${baseline.result} 行`, baseline);
    line(`校验（读取 + 全部校验，错误 ${check.result} 行）`, check, CHECK_TARGET_MS);
    line(`导入（上传接口：读取 + 校验 + 写入）`, imported, IMPORT_TARGET_MS);
    line(`其中封存（SM4 + 哈希）${sealing.result} 个证件号码`, sealing);
    console.log(`    每个 ${((sealing.ms * 1000) / Math.max(1, sealing.result)).toFixed(1)} µs`);
    console.log(`  导入结果：共 ${imported.result.total} 行，错误 ${imported.result.bad} 行，高风险提醒 ${imported.result.warned} 行`);
    await t.close();
    await database.close();
  } finally {
    pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
