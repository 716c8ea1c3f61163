/**
 * 上传检查（harness "uploads"): every upload case of issue 21 through the API, and the memory a
 * workbook of 1,000,000 rows costs when it is imported (refused at the row cap by a streaming
 * count) beside the same import of an empty workbook, in the same process.
 *
 *   npx tsx bench/uploads.ts [--quick]     (--quick: 50,000 rows, cap 10,000; ≤ 60 s)
 *
 * Starts its own PostgreSQL 15 (or uses ZCPS_BENCH_DATABASE_URL). Last line: RESULT {...}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import knexFactory from 'knex';
import { startPostgres, type PgServer } from '../tests/helpers/pg-server.ts';
import { startTestApp, type TestApp } from '../tests/helpers/app.ts';
import { upload } from '../tests/helpers/files.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';

const QUICK = process.argv.includes('--quick');
const ROWS = QUICK ? 50_000 : 1_000_000;
const CAP = QUICK ? 10_000 : 50_000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const started = Date.now();

function gc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Peak RSS and heap while `run` runs, sampled every 5 ms, above what the process held before. */
async function peakOf<T>(run: () => Promise<T>): Promise<{ result: T | Error; rssMb: number; heapMb: number; seconds: number }> {
  gc();
  const before = process.memoryUsage();
  let rss = before.rss;
  let heap = before.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 5);
  const t0 = performance.now();
  let result: T | Error;
  try {
    result = await run();
  } catch (err) {
    result = err as Error;
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const m = process.memoryUsage();
  rss = Math.max(rss, m.rss);
  heap = Math.max(heap, m.heapUsed);
  return { result, rssMb: (rss - before.rss) / 1e6, heapMb: (heap - before.heapUsed) / 1e6, seconds };
}

/** A workbook of `rows` rows written with exceljs' streaming writer (the rows never held at once). */
async function bigWorkbook(file: string, rows: number): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = writer.addWorksheet('专家信息');
  sheet.addRow(['姓名', '证件号码', '工作单位']).commit();
  for (let i = 1; i < rows; i++) sheet.addRow([`专家${i}`, String(510104199001010000 + i), '成都示范科技有限公司']).commit();
  sheet.commit();
  await writer.commit();
}

async function workbookOf(fill: (s: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('专家信息'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function main() {
  console.log(`zcps 上传检查（uploads）：${QUICK ? '快速' : '完整'}运行，大工作簿 ${ROWS.toLocaleString()} 行，行数上限 ${CAP.toLocaleString()}`);
  let pg: PgServer | null = null;
  let url = process.env.ZCPS_BENCH_DATABASE_URL;
  if (!url) {
    pg = await startPostgres();
    url = pg.url;
  }
  const name = `zcps_uploads_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const database = await openDatabase({ DATABASE_URL: url.replace(/\/[^/]*$/, `/${name}`), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
  await migrateLatest(database.knex);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-uploads-'));
  const counts: Record<string, number> = {};
  const failures: string[] = [];
  let t: TestApp | null = null;
  try {
    t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn', XLSX_MAX_ROWS: String(CAP) } });
    const app = t;
    const files = async () => Number((await database.knex('files').count<Array<{ n: string }>>({ n: '*' }))[0]!.n);
    const committee = await database.knex('committees').where({ name: '成都市工程技术系列中级职称评审委员会' }).first('id');
    const importOf = async (content: Buffer) => {
      const up = await upload(app, 'cd_pw', [{ name: '专家名单.xlsx', type: XLSX, content }]);
      if (up.statusCode !== 201) return up;
      return app.request('POST', `/api/expert-pools/${committee.id}/imports`, { user: 'cd_pw', body: { fileId: up.json()[0].id } });
    };
    const check = (label: string, ok: boolean, detail: string) => {
      counts[label] = ok ? 1 : 0;
      if (!ok) failures.push(label);
      console.log(`  ${ok ? '✓' : '✗'} ${label.padEnd(22)} ${detail}`);
    };

    console.log('逐项检查（经 API）');
    const mz = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200)]);
    let before = await files();
    let res = await upload(t, 'kj_hr', [{ name: '营业执照.pdf', type: 'application/pdf', content: mz }]);
    check('exeNamedPdfRefused', res.statusCode === 400 && res.json().details?.[0]?.field === 'file' && (await files()) === before, `${res.statusCode} ${res.json().message}`);
    res = await upload(t, 'kj_hr', [{ name: 'a.txt', type: 'text/plain', content: Buffer.from('<html><script>alert(1)</script></html>') }]);
    check('htmlRefused', res.statusCode === 400, `${res.statusCode} ${res.json().message}`);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    res = await upload(t, 'kj_hr', [{ name: '照片.pdf', type: 'application/pdf', content: png }]);
    check('sniffedTypeStored', res.statusCode === 201 && res.json()[0].mime === 'image/png', `${res.statusCode} 存为 ${res.json()[0]?.mime}`);
    const pdf = (await upload(t, 'kj_hr', [{ name: '证明.pdf', type: 'application/octet-stream', content: Buffer.from('%PDF-1.4\n%bench\n') }])).json()[0];
    const dl = await t.request('GET', `/api/files/${pdf.id}`, { user: 'kj_hr' });
    check('pdfServedInline', dl.headers['content-type'] === 'application/pdf' && dl.headers['x-content-type-options'] === 'nosniff' && String(dl.headers['content-disposition']).startsWith('inline'), `${dl.headers['content-type']} ${dl.headers['content-disposition']}`);
    const wbFile = (await upload(t, 'kj_hr', [{ name: '名单.xlsx', type: 'image/png', content: await workbookOf((s) => s.addRow(['x'])) }])).json()[0];
    const dl2 = await t.request('GET', `/api/files/${wbFile.id}`, { user: 'kj_hr' });
    check('otherServedAttachment', dl2.headers['content-type'] === XLSX && String(dl2.headers['content-disposition']).startsWith("attachment") && String(dl2.headers['content-disposition']).includes("filename*=UTF-8''"), `${dl2.headers['content-disposition']}`);
    before = await files();
    res = await upload(t, 'kj_hr', [{ name: '大.pdf', type: 'application/pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(21 * 1024 * 1024, 0x20)]) }]);
    check('oversizedRefused', res.statusCode === 400 && (await files()) === before, `${res.statusCode} ${res.json().message}`);
    res = await upload(t, 'kj_hr', [{ name: '空.pdf', type: 'application/pdf', content: Buffer.alloc(0) }]);
    check('zeroByteRefused', res.statusCode === 400, `${res.statusCode} ${res.json().message}`);
    const boundary = '----zcpsBenchCut';
    before = await files();
    res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 a\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.pdf"\r\n\r\n%PDF-1.4 b`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${await t.token('kj_hr')}` },
    });
    check('interruptedRefused', res.statusCode === 400 && (await files()) === before, `${res.statusCode} ${res.json().message}，新增附件 ${(await files()) - before}`);
    const same = Buffer.from(`%PDF-1.4\n% 双击 ${Date.now()}\n`);
    const pair = await Promise.all([1, 2, 3].map(() => upload(app, 'kj_hr', [{ name: '双击.pdf', type: 'application/pdf', content: same }])));
    const ids = new Set(pair.map((r) => r.json()[0].id as string));
    const again = await upload(t, 'kj_hr', [{ name: '双击.pdf', type: 'application/pdf', content: same }]);
    ids.add(again.json()[0].id as string);
    check('doubleSubmitOneFile', ids.size === 1, `3 次并发 + 1 次重复提交 → ${ids.size} 个附件`);
    res = await importOf(Buffer.from('姓名,证件号码\n'));
    check('notWorkbookRefused', res.statusCode === 400, `${res.statusCode} ${res.json().message}`);
    res = await importOf(await workbookOf((s) => { s.addRow(['标题', '']); s.mergeCells('A1:B1'); }));
    check('mergedCellsRefused', res.statusCode === 400 && res.json().message.includes('A1:B1'), `${res.statusCode} ${res.json().message}`);
    res = await importOf(await workbookOf((s) => { s.addRow(['姓名', '证件号码']); s.addRow(['张三', { formula: 'A2&"1"' }]); }));
    check('formulaRefused', res.statusCode === 400 && res.json().message.includes('B2'), `${res.statusCode} ${res.json().message}`);

    console.log(`生成 ${ROWS.toLocaleString()} 行工作簿（exceljs 流式写入，不计时）…`);
    const bigFile = path.join(tmp, 'big.xlsx');
    await bigWorkbook(bigFile, ROWS);
    const big = fs.readFileSync(bigFile);
    const empty = await workbookOf(() => undefined);
    console.log(`  文件 ${(big.length / 1e6).toFixed(1)} MB；空工作簿 ${(empty.length / 1e3).toFixed(1)} KB`);
    // uploaded whole when it fits the attachment limit; imported through the expert import either way
    const viaRoute = big.length <= 20 * 1024 * 1024;
    const importDirect = async (content: Buffer) => {
      const { uploadedSheet } = await import('../api/src/xlsx.ts');
      return uploadedSheet(content, { notWorkbook: '不是工作簿', noSheet: '没有工作表' });
    };
    const baseline = await peakOf<unknown>(() => (viaRoute ? importOf(empty) : importDirect(empty)));
    const heavy = await peakOf<unknown>(() => (viaRoute ? importOf(big) : importDirect(big)));
    const message = heavy.result instanceof Error ? heavy.result.message : (heavy.result as { json(): { message: string } }).json?.().message;
    const refused = typeof message === 'string' && message.includes(`超过 ${CAP} 行`);
    console.log('内存（同一进程，导入前整理垃圾后的增量峰值）');
    console.log(`  基线：空工作簿            RSS +${baseline.rssMb.toFixed(0)} MB  堆 +${baseline.heapMb.toFixed(0)} MB  ${baseline.seconds.toFixed(2)} s`);
    console.log(`  ${ROWS.toLocaleString()} 行工作簿${viaRoute ? '（经 API）' : '（直接调用）'}  RSS +${heavy.rssMb.toFixed(0)} MB  堆 +${heavy.heapMb.toFixed(0)} MB  ${heavy.seconds.toFixed(2)} s  → ${message}`);
    const bounded = heavy.rssMb < 400;
    check('millionRowsRefused', refused, `在 ${CAP} 行处拒绝`);
    check('memoryBounded', bounded, `RSS 增量 ${heavy.rssMb.toFixed(0)} MB（界限 400 MB）`);
    counts.bigRows = ROWS;
    counts.rowCap = CAP;
    counts.peakRssMb = Math.round(heavy.rssMb);
    counts.peakHeapMb = Math.round(heavy.heapMb);
    counts.baselineRssMb = Math.round(baseline.rssMb);
    counts.baselineHeapMb = Math.round(baseline.heapMb);
  } finally {
    await t?.close();
    await database.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    pg?.stop();
  }
  const ok = failures.length === 0;
  console.log(ok ? '全部通过' : `未通过：${failures.join('、')}`);
  console.log(`RESULT ${JSON.stringify({ harness: 'uploads', title: '上传检查', ok, counts, seconds: Math.round((Date.now() - started) / 1000) })}`);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log(`RESULT ${JSON.stringify({ harness: 'uploads', title: '上传检查', ok: false, counts: {}, seconds: Math.round((Date.now() - started) / 1000) })}`);
  process.exit(1);
});
