/**
 * 附件加密存储的代价: what sealing uploaded files' bytes at rest (SM4-CBC + HMAC-SM3, api/src/pii.ts
 * `createBytesCipher`) costs, beside the same work unsealed, in the same process, on a PostgreSQL 15
 * of its own:
 *
 * - a 10 MB upload: the bytes alone (sha256 — what an upload computes anyway — beside sealBytes and
 *   openBytes), then the files repository's `store` (the upload route's write) and `withContent`
 *   (the download's and the import readers' read), once through a database handle with the PII key
 *   bound (sealed) and once through a handle without one (plain, as before);
 * - a 100,000-row 历史职称数据 workbook: the same store and read, then the streaming reader of the
 *   history import (`readRecordChunks`) over the bytes read back, sealed and plain.
 *
 *   npx tsx bench/file-seal.ts [--runs 5] [--rows 100000] [--mb 10]
 *
 * Each figure is the median of the runs (the first run of each is a warm-up and not counted).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { idNumber } from '../tests/helpers/fixtures.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';
import { createPiiCipher, parsePiiKeys } from '../api/src/pii.ts';
import { bindPii } from '../api/src/pii-of.ts';
import { createFilesRepository } from '../api/modules/files/files.repository.ts';
import { RECORD_COLUMNS } from '../api/modules/history-data/history-data.checks.ts';
import { readRecordChunks } from '../api/modules/history-data/history-data.import.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
const RUNS = arg('runs', 5);
const ROWS = arg('rows', 100_000);
const SIZE_MB = arg('mb', 10);
const MB = 1024 * 1024;

/** Median milliseconds of `runs` runs after one warm-up. */
async function median(runs: number, work: (i: number) => Promise<unknown> | unknown): Promise<number> {
  await work(-1);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function historyWorkbook(file: string): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = writer.addWorksheet('历史职称数据');
  sheet.addRow(RECORD_COLUMNS.map((c) => c.header)).commit();
  for (let i = 0; i < ROWS; i++) {
    const birth = `19${String(60 + (i % 40))}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
    sheet
      .addRow([`历史人员${i}`, i % 2 ? '女' : '男', idNumber(birth, Math.floor(i / 1000) % 1000, '510104'), `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`, '成都示范科技有限公司', '工程技术', '机械工程', '工程师', '中级', '评审', '成都市工程技术中级评委会', '2018-10-20', '2018-12-01', '川职改〔2018〕12号'])
      .commit();
  }
  sheet.commit();
  await writer.commit();
}

const row = (label: string, sealed: number, plain: number) =>
  console.log(`  ${label.padEnd(40)} 加密 ${sealed.toFixed(1).padStart(8)} ms   不加密 ${plain.toFixed(1).padStart(8)} ms   差 ${(sealed - plain).toFixed(1).padStart(8)} ms（${(sealed / plain).toFixed(2)}×）`);

async function main() {
  const cpus = os.cpus();
  console.log(`zcps 基准测试：附件内容加密存储（SM4）的代价；每项 ${RUNS} 次取中位数`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}，负载 ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const pg = await startPostgres({ durable: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-file-seal-'));
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_file_seal');
    await admin.destroy();
    const url = pg.url.replace(/\/postgres$/, '/zcps_file_seal');
    // two handles on one database: one with the PII key bound (sealed writes and reads), one without (plain, as before)
    const sealedDb = await openDatabase({ DATABASE_URL: url, DATA_DIR: dir, DB_POOL_MAX: 4 });
    const plainDb = await openDatabase({ DATABASE_URL: `${url}?application_name=plain`, DATA_DIR: dir, DB_POOL_MAX: 4 });
    await migrateLatest(sealedDb.knex);
    const cipher = createPiiCipher(parsePiiKeys(randomBytes(16).toString('hex'), randomBytes(32).toString('hex')));
    bindPii(sealedDb.knex, cipher);
    const [user] = await sealedDb.knex('users').insert({ username: 'bench_uploader', password_hash: 'x', display_name: '基准', roles: [], status: 'active', created_at: new Date(), updated_at: new Date() }).returning('id');
    const uploader = Number(user.id);
    const repos = { sealed: createFilesRepository(sealedDb.knex), plain: createFilesRepository(plainDb.knex) };

    /** Store `content` afresh and read it back; the blob and its record are removed after (each run writes a new one). */
    async function storeAndRead(kind: 'sealed' | 'plain', bytes: Buffer) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const t0 = performance.now();
      const stored = await repos[kind].store({ id: randomUUID(), sha256, uploadKey: `${sha256}/file/x`, name: 'x', mime: 'application/pdf', content: bytes, uploadedBy: uploader });
      const t1 = performance.now();
      const read = await repos[kind].withContent(stored.id);
      const t2 = performance.now();
      if (!read?.content.equals(bytes)) throw new Error('内容读回不一致');
      await sealedDb.knex('files').where({ id: stored.id }).delete();
      await sealedDb.knex('file_blobs').where({ sha256 }).delete();
      return { store: t1 - t0, read: t2 - t1, content: read.content };
    }

    async function pair(label: string, content: Buffer, then?: (bytes: Buffer) => Promise<unknown>) {
      const figures: Record<'sealed' | 'plain', { store: number[]; read: number[]; then: number[] }> = { sealed: { store: [], read: [], then: [] }, plain: { store: [], read: [], then: [] } };
      for (let run = -1; run < RUNS; run++) {
        // alternate which goes first, so neither always meets a warmer cache
        for (const kind of (run % 2 ? ['sealed', 'plain'] : ['plain', 'sealed']) as Array<'sealed' | 'plain'>) {
          const r = await storeAndRead(kind, content);
          let thenMs = 0;
          if (then) {
            const t0 = performance.now();
            await then(r.content);
            thenMs = performance.now() - t0;
          }
          if (run >= 0) {
            figures[kind].store.push(r.store);
            figures[kind].read.push(r.read + thenMs);
            figures[kind].then.push(thenMs);
          }
        }
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      row(`${label}：写入（上传）`, med(figures.sealed.store), med(figures.plain.store));
      row(`${label}：读出${then ? '并读取全部行' : '（下载）'}`, med(figures.sealed.read), med(figures.plain.read));
    }

    // ---- 10 MB upload
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(SIZE_MB * MB - 9)]);
    console.log('');
    console.log(`${SIZE_MB} MB 附件（PDF 扫描件大小）`);
    const sha = await median(RUNS, () => createHash('sha256').update(big).digest());
    const seal = await median(RUNS, () => cipher.bytes.sealBytes(big));
    const sealedBig = cipher.bytes.sealBytes(big);
    const open = await median(RUNS, () => cipher.bytes.openBytes(sealedBig));
    console.log(`  只算 sha256（上传本来就算）${sha.toFixed(1).padStart(8)} ms；SM4 加密 ${seal.toFixed(1)} ms（${(big.length / MB / (seal / 1000)).toFixed(0)} MB/s）；解密 ${open.toFixed(1)} ms（${(big.length / MB / (open / 1000)).toFixed(0)} MB/s）`);
    await pair(`${SIZE_MB} MB`, big);

    // ---- a 100,000-row history workbook
    const file = path.join(dir, 'history.xlsx');
    await historyWorkbook(file);
    const workbook = fs.readFileSync(file);
    console.log('');
    console.log(`${ROWS} 行历史职称数据工作簿（${(workbook.length / MB).toFixed(1)} MB）`);
    let rows = 0;
    await pair(`${ROWS} 行`, workbook, async (bytes) => {
      rows = await readRecordChunks(Readable.from([bytes]), async () => undefined);
    });
    console.log(`  （读取 ${rows} 行；历史职称数据的“上传 Excel”接口按流读取请求，不把工作簿存入附件表，本项为同一工作簿作为附件存取的代价）`);
    await sealedDb.close();
    await plainDb.close();
  } finally {
    pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
