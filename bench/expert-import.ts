/**
 * Benchmark of the expert import check (批量新增专家 → 数据检验).
 *
 *   npx tsx bench/expert-import.ts [--rows 10000] [--runs 5] [--bad 5]
 *
 * Builds a workbook of `rows` experts from the real import template (dropdowns and all), with
 * `bad` percent of the rows faulty (wrong check character, missing field, wrong date format, a
 * duplicated ID number), then times what the check endpoint does besides its two database
 * statements: parse the workbook, check every row and the ID numbers across rows and against a
 * pool (an in-memory set standing in for the one query), and build the red-marked error file.
 * Prints each run and the median; the target is parse + validate of 10,000 rows under 5 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import {
  buildErrorWorkbook,
  buildImportTemplate,
  checkExpertRows,
  createRowChecker,
  DATA_SHEET,
  IMPORT_COLUMNS,
  markPoolDuplicates,
  parseExpertWorkbook,
  regionOptions,
} from '../api/modules/experts/experts.import.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const ROWS = arg('rows', 10_000);
const RUNS = arg('runs', 5);
const BAD_PERCENT = arg('bad', 5);
const TARGET_MS = 5_000;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(n: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + (n % 12_000) * 86_400_000);
  const ymd = `${birth.getUTCFullYear()}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
  const first17 = `510104${ymd}${String(Math.floor(n / 12_000) % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return first17 + '10X98765432'[sum % 11];
}

async function buildWorkbook(regions: ReturnType<typeof regionOptions>): Promise<{ content: Buffer; planted: number }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await buildImportTemplate(regions)) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(DATA_SHEET)!;
  const every = BAD_PERCENT > 0 ? Math.max(1, Math.round(100 / BAD_PERCENT)) : 0;
  let planted = 0;
  for (let i = 0; i < ROWS; i++) {
    const id = idNumber(i);
    const values: Record<string, string | null> = {
      name: `专家${i}`,
      idNumber: id,
      sex: null,
      birthMonth: id.slice(6, 12),
      retired: i % 7 === 0 ? '是' : '否',
      employer: `成都示范科技有限公司${i % 50}`,
      department: '成都市经济和信息化局',
      post: i % 3 ? '无' : '总工程师',
      postLevel: i % 3 ? '无' : '县处级正职',
      phone1: `138${String(i).padStart(8, '0')}`,
      phone2: null,
      honours: '四川省学术和技术带头人后备人选',
      series: '工程技术',
      specialty: ['机械工程', '电气工程', '建筑工程'][i % 3]!,
      currentTitle: '高级工程师',
      isChair: null,
      isViceChair: null,
      active: '是',
      regionCode: '四川省成都市锦江区',
    };
    if (every && i % every === every - 1) {
      planted++;
      switch (planted % 4) {
        case 0:
          values.idNumber = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
          break;
        case 1:
          values.employer = null;
          break;
        case 2:
          values.birthMonth = `${id.slice(6, 10)}/${id.slice(10, 12)}`;
          break;
        default:
          values.idNumber = idNumber(i - 1);
      }
    }
    // row 2 is the template's example: data from row 3 on
    sheet.getRow(3 + i).values = IMPORT_COLUMNS.map((c) => values[c.field] ?? null);
  }
  return { content: Buffer.from(await workbook.xlsx.writeBuffer()), planted };
}

const ms = (from: number) => performance.now() - from;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

async function main() {
  const list = JSON.parse(fs.readFileSync(path.join(root, 'migrations/data/regions-51.json'), 'utf8')) as Array<{ code: string; name: string; parentCode: string | null }>;
  const regions = regionOptions(list);
  const cpus = os.cpus();
  console.log('zcps 基准测试：专家批量导入的数据检验');
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  console.log(`构造工作簿：${ROWS} 行（由导入模板填写，含下拉选项），约 ${BAD_PERCENT}% 的行有错误…`);
  const t0 = performance.now();
  const { content, planted } = await buildWorkbook(regions);
  console.log(`工作簿 ${(content.length / 1024 / 1024).toFixed(2)} MB，构造用时 ${ms(t0).toFixed(0)} ms`);
  // the pool already holds 1% of the file's ID numbers
  const pool = new Map(Array.from({ length: Math.ceil(ROWS / 100) }, (_v, k) => [idNumber(k * 100 + 50), '在库']));
  const checker = createRowChecker(regions);

  const runs: Array<{ parse: number; validate: number; errors: number }> = [];
  let last = { rows: 0, good: 0, bad: 0 };
  console.log(`\n${'run'.padEnd(5)}${'解析'.padStart(10)}${'检验'.padStart(10)}${'解析+检验'.padStart(12)}${'错误文件'.padStart(10)}`);
  for (let run = 1; run <= RUNS; run++) {
    const a = performance.now();
    const parsed = await parseExpertWorkbook(content);
    const parse = ms(a);
    const b = performance.now();
    const result = markPoolDuplicates(checkExpertRows(parsed, checker), pool);
    const validate = ms(b);
    const c = performance.now();
    await buildErrorWorkbook(result.bad, regions);
    const errors = ms(c);
    runs.push({ parse, validate, errors });
    last = { rows: parsed.length, good: result.good.length, bad: result.bad.length };
    console.log(`${String(run).padEnd(5)}${fmt(parse)}${fmt(validate)}${fmt(parse + validate).padStart(12)}${fmt(errors)}`);
  }
  const total = median(runs.map((r) => r.parse + r.validate));
  console.log(`\n行数 ${last.rows}：正确 ${last.good}，错误 ${last.bad}（构造的错误行 ${planted} 行；另有与专家库重复的行、文件内重复证件号码的另一行）`);
  console.log(`中位数：解析 ${median(runs.map((r) => r.parse)).toFixed(0)} ms，检验 ${median(runs.map((r) => r.validate)).toFixed(0)} ms，解析+检验 ${total.toFixed(0)} ms，生成错误文件 ${median(runs.map((r) => r.errors)).toFixed(0)} ms`);
  console.log(`每千行解析+检验 ${(total / (last.rows / 1000)).toFixed(0)} ms；目标 ${ROWS === 10_000 ? '' : '（按 10,000 行）'}< ${TARGET_MS} ms：${total * (10_000 / last.rows) < TARGET_MS ? '达到' : '未达到'}`);
  console.log(`内存峰值（RSS）${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
