import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readRecordChunks } from '../../api/modules/history-data/history-data.import.ts';
import { RECORD_COLUMNS, checkRecord, conflictWarnings, normaliseValues, parseDate, type CheckContext, type RecordValues, type ReviewBodyScope } from '../../api/modules/history-data/history-data.checks.ts';
import { idNumber, wrongCheck } from '../helpers/fixtures.ts';

const committee: ReviewBodyScope = { name: '成都市工程技术系列中级职称评审委员会', kind: 'committee', series: ['engineering'], levels: ['intermediate', 'junior'] };
const historical: ReviewBodyScope = { name: '原成都市工程技术职称改革领导小组', kind: 'history', series: ['engineering', 'agriculture'], levels: ['senior_deputy', 'intermediate'] };

const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({
  acquisitionType: 'review',
  documentNo: '成人社职〔2018〕12号',
  bodies: new Map([committee, historical].map((b) => [b.name, b])),
  today: new Date('2026-12-04T00:00:00Z'),
  ...over,
});

const ID = idNumber('19800101', 1);

/** A row that passes every check (评审, 2018, the unit's filed committee). */
const good = (over: Partial<RecordValues> = {}): RecordValues =>
  normaliseValues({
    personName: '张三',
    gender: '男',
    idNumber: ID,
    birthDate: '1980-01-01',
    employerName: '成都示范科技有限公司',
    series: '工程技术',
    specialty: '机械工程',
    titleName: '工程师',
    level: '中级',
    acquisition: '评审',
    reviewBody: committee.name,
    reviewDate: '2018-10-20',
    approvalDate: '2018-12-01',
    documentNo: '成人社职〔2018〕12号',
    ...over,
  });

const fieldsOf = (values: RecordValues, c: CheckContext = ctx()) => checkRecord(values, c).map((p) => p.field);
const messageOf = (values: RecordValues, field: string, c: CheckContext = ctx()) => checkRecord(values, c).find((p) => p.field === field)?.message;

describe('history record checks', () => {
  it('passes a complete row of the review type naming a filed committee, and one naming an assigned historical body', () => {
    // Given rows within the bodies' series and levels, When checked, Then no problem is found
    expect(checkRecord(good(), ctx())).toEqual([]);
    expect(checkRecord(good({ reviewBody: historical.name, level: '副高级', titleName: '高级工程师' }), ctx())).toEqual([]);
  });

  it('refuses a review body that is neither a filed committee of the unit nor a historical body assigned to it', () => {
    // Given a body the unit does not hold, When checked, Then the 评审机构 is refused with the reason
    expect(messageOf(good({ reviewBody: '某省外评委会' }), 'reviewBody')).toContain('不是本单位已备案的评委会，也不是指定本单位采集的历史评审机构');
  });

  it('refuses a series or level outside what the review body could review', () => {
    // Given the committee reviews 工程技术 中级/初级 only
    // When a row names 农业技术 or 副高级, Then series / level are refused naming the body
    expect(messageOf(good({ series: '农业技术' }), 'series')).toContain('不能评审农业技术系列');
    expect(messageOf(good({ level: '副高级' }), 'level')).toContain('不能评审副高级职称');
  });

  it('requires the 取得方式 of every row to be the upload type', () => {
    // Given an upload of 初定, When a row says 评审, Then 取得方式 is refused
    const c = ctx({ acquisitionType: 'initial' });
    expect(messageOf(good({ acquisition: '评审', reviewBody: '初定' }), 'acquisition', c)).toBe('本批次为“初定”取得的证书，取得方式应填写“初定”');
    expect(fieldsOf(good({ acquisition: '初定', reviewBody: '初定' }), c)).toEqual([]);
  });

  it('requires 初定 rows to name 初定 and 确认 rows to name 确认 as their review body', () => {
    // Given 初定 and 确认 uploads, When the review body names a committee, Then it is refused
    expect(messageOf(good({ acquisition: '初定' }), 'reviewBody', ctx({ acquisitionType: 'initial' }))).toBe('初定类证书的评审机构只能填写“初定”');
    expect(messageOf(good({ acquisition: '确认' }), 'reviewBody', ctx({ acquisitionType: 'recognition' }))).toBe('确认类证书的评审机构只能填写“确认”');
    expect(fieldsOf(good({ acquisition: '确认', reviewBody: '确认' }), ctx({ acquisitionType: 'recognition' }))).toEqual([]);
  });

  it('refuses an invalid ID number with the validator’s reason', () => {
    // Given a wrong check character, When checked, Then 证件号码 says 校验码错误
    expect(messageOf(good({ idNumber: wrongCheck(ID) }), 'idNumber')).toBe('身份证号码无效：校验码错误');
    expect(messageOf(good({ idNumber: '51010419800101' }), 'idNumber')).toContain('18 位');
  });

  it('refuses a birth date that is not the one in the ID number', () => {
    expect(messageOf(good({ birthDate: '1980-02-01' }), 'birthDate')).toBe('出生日期与身份证号码中的出生日期（1980-01-01）不一致');
  });

  it('requires the review date before the approval date', () => {
    // Given a review on the approval day, When checked, Then 评审时间 is refused
    expect(messageOf(good({ reviewDate: '2018-12-01' }), 'reviewDate')).toBe('评审时间（2018-12-01）须早于批准时间（2018-12-01）');
    expect(messageOf(good({ reviewDate: '2018-12-20' }), 'reviewDate')).toContain('须早于批准时间');
  });

  it('requires the 文号 in X〔YYYY〕N号 form with the approval year, and the upload’s 文号', () => {
    // Given round brackets, another year, or another batch's 文号, When checked, Then 职称文件文号 is refused
    expect(messageOf(good({ documentNo: '成人社职(2018)12号' }), 'documentNo')).toContain('六角括号');
    expect(messageOf(good({ documentNo: '成人社职〔2017〕12号' }), 'documentNo')).toBe('职称文件文号的年份（2017）须与批准时间的年份（2018）一致');
    expect(messageOf(good({ documentNo: '成人社职〔2018〕13号' }), 'documentNo')).toContain('本批次的职称文件文号为“成人社职〔2018〕12号”');
  });

  it('refuses review-type records approved after 2024 as history, but not 确认 or 委托评审', () => {
    // Given approval in 2025
    const late = { reviewDate: '2025-03-01', approvalDate: '2025-04-01', documentNo: '成人社职〔2025〕3号' };
    const c = (type: CheckContext['acquisitionType']) => ctx({ acquisitionType: type, documentNo: late.documentNo });
    // When the upload is 评审, Then it is refused with that reason
    expect(messageOf(good(late), 'approvalDate', c('review'))).toBe('评审取得的职称 2024 年以后批准的，应通过本系统评审发证，不能作为历史数据采集');
    // When it is 委托评审 or 确认, Then it passes
    expect(fieldsOf(good({ ...late, acquisition: '委托评审' }), c('delegated'))).toEqual([]);
    expect(fieldsOf(good({ ...late, acquisition: '确认', reviewBody: '确认' }), c('recognition'))).toEqual([]);
    // and 2024 itself is still history
    expect(fieldsOf(good({ reviewDate: '2024-03-01', approvalDate: '2024-04-01', documentNo: '成人社职〔2024〕3号' }), ctx({ documentNo: '成人社职〔2024〕3号' }))).toEqual([]);
  });

  it('names every empty required field and a NUL character', () => {
    expect(fieldsOf(normaliseValues({}))).toEqual(expect.arrayContaining(['personName', 'idNumber', 'series', 'specialty', 'titleName', 'level', 'acquisition', 'reviewBody', 'approvalDate', 'documentNo']));
    expect(messageOf(good({ employerName: 'a\u0000b' }), 'employerName')).toContain('空字符');
  });

  it('reads the usual ways of typing a date and refuses impossible ones', () => {
    expect(parseDate('2018/12/1')).toBe('2018-12-01');
    expect(parseDate('20181201')).toBe('2018-12-01');
    expect(parseDate('2018年12月1日')).toBe('2018-12-01');
    expect(parseDate('2018-02-30')).toBeNull();
    expect(messageOf(good({ approvalDate: '2018-13-01' }), 'approvalDate')).toBe('批准时间格式应为 YYYY-MM-DD');
  });
});

describe('high-risk warnings', () => {
  it('warns (never errs) when the ID number is held under another name or birth date, or a certificate of the title exists', () => {
    // Given what the system holds for the ID number
    const row = good();
    // When checked against it, Then each conflict is a warning naming where it was found
    expect(conflictWarnings(row, [{ source: 'user', name: '张三丰', birthDate: null }]).map((w) => w.message)).toEqual(['高风险：该证件号码在系统账号中的姓名为“张三丰”']);
    expect(conflictWarnings(row, [{ source: 'history', name: '张三', birthDate: '1980-01-02' }]).map((w) => w.message)).toEqual(['高风险：该证件号码在其他历史数据中的出生日期为 1980-01-02']);
    expect(conflictWarnings(row, [{ source: 'certificate', name: '张三', birthDate: null, titleName: '工程师', level: '中级' }]).map((w) => w.message)).toEqual(['高风险：此人已有“工程师”的电子证书']);
    // and the same person with another title is no conflict
    expect(conflictWarnings(row, [{ source: 'certificate', name: '张三', birthDate: null, titleName: '高级工程师', level: '副高级' }])).toEqual([]);
    expect(conflictWarnings(row, [{ source: 'user', name: '张三', birthDate: null }])).toEqual([]);
  });
});

describe('streaming read of a workbook', () => {
  it('keeps Chinese text whole across the stream’s chunks and hands rows on in chunks of 1,000', async () => {
    // Given 3,000 rows of long Chinese text, written as inline strings (the XML of the sheet runs over many inflated chunks)
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'history-read-')), 'rows.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
    const sheet = writer.addWorksheet('历史职称数据');
    sheet.addRow(RECORD_COLUMNS.map((c) => c.header)).commit();
    const body = '原成都市工程技术职称改革领导小组暨高级专业技术职务评审委员会';
    for (let i = 0; i < 3000; i++) sheet.addRow(RECORD_COLUMNS.map((c) => (c.key === 'reviewBody' ? `${body}${i}` : c.example))).commit();
    sheet.commit();
    await writer.commit();
    // When it is read as a stream
    const sizes: number[] = [];
    const broken: string[] = [];
    await readRecordChunks(fs.createReadStream(file), async (rows) => {
      sizes.push(rows.length);
      for (const r of rows) if (r.values.reviewBody !== `${body}${r.rowNo - 1}` || Object.values(r.values).some((v) => v.includes('\uFFFD'))) broken.push(`${r.rowNo}: ${r.values.reviewBody}`);
    });
    // Then every cell reads back exactly as written (exceljs split characters at chunk ends: engine/patches/exceljs+4.4.0.patch)
    expect(broken).toEqual([]);
    expect(sizes).toEqual([1000, 1000, 1000]);
  });

  it('passes a failure of the work on a chunk on as it is, not as a broken file', async () => {
    // Given a workbook of 2,500 rows, When writing the second chunk fails (a database error)
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'history-fail-')), 'rows.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('历史职称数据');
    sheet.addRow(RECORD_COLUMNS.map((c) => c.header));
    for (let i = 0; i < 2500; i++) sheet.addRow(RECORD_COLUMNS.map((c) => c.example));
    await workbook.xlsx.writeFile(file);
    let chunks = 0;
    const reading = readRecordChunks(fs.createReadStream(file), async () => {
      if (++chunks === 2) throw new Error('数据库连接中断');
    });
    // Then the read fails with that error, and no later chunk is handed on
    await expect(reading).rejects.toThrow('数据库连接中断');
    expect(chunks).toBe(2);
  });
});

