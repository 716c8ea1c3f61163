import { describe, expect, it } from 'vitest';
import { caseChanges, caseSections } from '../../api/modules/dossiers/dossiers.case.ts';
import type { DeclarationRules } from '../../api/modules/dossiers/dossiers.declaration.ts';

const rules: DeclarationRules = {
  name: '测试评审活动',
  series: ['engineering'],
  levels: ['intermediate'],
  specialties: [],
  minContinuingEducationHours: 90,
  achievements: [{ order: 1, title: 'after_current', templates: ['paper', 'patent'], requirement: '论文或专利 1 项以上' }],
  breakthrough: false,
  breakthroughConditions: [],
  materials: [{ name: '学历证书', required: true, maxFiles: 2 }],
};
const applicant = { name: '张伟', idNumber: '51010419900307231X', unitName: '成都示范科技有限公司' };
const file = (id: string, name: string) => ({ id: `00000000-0000-4000-8000-00000000000${id}`, name, size: 10, mime: 'application/pdf' });
const base = {
  series: 'engineering',
  level: 'intermediate',
  phone: '12345',
  achievements: [{ item: 1, template: 'paper', title: '齿轮修形研究', date: '2024-05-01', number: 'ISSN 0577-6686', files: [file('1', '论文.pdf')] }],
  materials: [{ name: '学历证书', files: [file('2', '学历证书.pdf')] }],
};
const sections = (data: Record<string, unknown>) => caseSections({ data, rules, applicant });

describe('申报材料全文 in sections', () => {
  it('groups the achievements by the activity’s items, in the template’s words, and lists each material the activity asks for', () => {
    // when the declaration is read
    const view = sections(base);
    // then the paper is under item 1 with its requirement, its 编号 called 刊号
    const achievements = view.find((s) => s.key === 'achievements')!;
    expect(achievements.groups[0]).toMatchObject({ title: '1. 取得现专业技术职称后主要业绩', note: '论文或专利 1 项以上', layout: 'cards' });
    const paper = achievements.groups[0]!.entries[0]!;
    expect(paper.fields.find((f) => f.key === 'achievements.0.number')).toMatchObject({ label: '刊号', text: 'ISSN 0577-6686' });
    // and 学历证书 carries its file; no 破格 section where the activity reviews none
    expect(view.find((s) => s.key === 'materials')!.fields).toEqual([expect.objectContaining({ label: '学历证书', files: [expect.objectContaining({ name: '学历证书.pdf' })] })]);
    expect(view.some((s) => s.key === 'breakthrough')).toBe(false);
    expect(view.find((s) => s.key === 'application')!.fields.find((f) => f.key === 'series')!.text).toBe('工程技术');
    // and 性别 and 出生日期 are the ID number's
    const basic = view.find((s) => s.key === 'basic')!.fields;
    expect(basic.find((f) => f.key === 'applicant.gender')!.text).toBe('男');
    expect(basic.find((f) => f.key === 'applicant.birthDate')!.text).toBe('1990-03-07');
  });
});

describe('修改痕迹', () => {
  it('names nothing when nothing changed', () => {
    expect(caseChanges(sections(base), sections(structuredClone(base)))).toEqual([]);
  });

  it('names a changed value, a replaced attachment and an achievement rewritten as another kind, and marks only their sections', () => {
    // given a resubmission that replaces the diploma scan, drops the paper for a patent and fixes the phone
    const after = sections({
      ...base,
      phone: '13800000000',
      achievements: [{ item: 1, template: 'patent', title: '一种齿轮修形装置', date: '2023-01-01', number: 'ZL2023100001' }],
      materials: [{ name: '学历证书', files: [file('3', '学历证书（清晰版）.pdf')] }],
    });
    // when compared with the declaration as returned
    const texts = caseChanges(sections(base), after).map((c) => c.text);
    // then each change is named in words
    expect(texts).toContain('修改 基本信息 联系电话：12345 → 13800000000');
    expect(texts).toContain('新增附件 申报材料附件 学历证书：学历证书（清晰版）.pdf');
    expect(texts).toContain('删除附件 申报材料附件 学历证书：学历证书.pdf');
    expect(texts).toContain('删除附件 业绩成果 论文：齿轮修形研究 附件：论文.pdf');
    expect(texts.some((t) => t.startsWith('修改 业绩成果 专利：一种齿轮修形装置 专利号：ISSN 0577-6686 → ZL2023100001'))).toBe(true);
    // and the untouched sections are not marked
    expect(after.find((s) => s.key === 'education')!.changed).toBe(false);
    expect(after.find((s) => s.key === 'materials')!.changed).toBe(true);
  });
});
