import { describe, expect, it } from 'vitest';
import { formJsonSchema, getForm } from '../../forms/index.ts';
import { validateTaskForm } from '../../api/src/forms.ts';
import { ValidationError } from '../../engine/errors.ts';

function fieldErrors(fn: () => unknown): Array<{ field: string; message: string }> {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).fields;
  }
  throw new Error('expected a ValidationError');
}

describe('forms', () => {
  it('publishes JSON Schema with Chinese labels, widgets and options', () => {
    const schema = formJsonSchema(getForm('dossier-submit')!) as { title: string; properties: Record<string, { title: string; widget?: string; options?: unknown[] }>; required: string[] };
    expect(schema.title).toBe('申报材料');
    expect(schema.properties.series).toMatchObject({ title: '申报系列', widget: 'select' });
    expect(schema.properties.series!.options).toContainEqual({ value: 'engineering', label: '工程技术' });
    expect(schema.properties.achievements).toMatchObject({ title: '业绩成果', widget: 'group' });
    expect(schema.required).toEqual(expect.arrayContaining(['series', 'specialty', 'level']));
    expect(schema.required).not.toContain('currentTitle');
  });

  it('words errors with the field’s label', () => {
    const errors = fieldErrors(() =>
      validateTaskForm({ formKey: 'dossier-submit', action: 'submit', opinion: null, data: { series: 'engineering', level: 'x', continuingEducationHours: -5, achievements: [{ title: '', date: '2020-13-01' }] } }),
    );
    const byField = Object.fromEntries(errors.map((e) => [e.field, e.message]));
    expect(byField['data.specialty']).toBe('申报专业：必填');
    expect(byField['data.level']).toBe('申报级别：不在可选范围内');
    expect(byField['data.continuingEducationHours']).toBe('继续教育学时：不能小于 0');
    expect(byField['data.achievements.0.title']).toBe('业绩成果 第1项 成果名称：必填');
    expect(byField['data.achievements.0.date']).toBe('业绩成果 第1项 取得时间：日期格式应为 YYYY-MM-DD');
  });

  it('requires an opinion to return or reject, and no data', () => {
    expect(fieldErrors(() => validateTaskForm({ formKey: 'review', action: 'return', opinion: null, data: {} }))[0]).toEqual({ field: 'opinion', message: '退回时必须填写审核意见' });
    expect(validateTaskForm({ formKey: 'review', action: 'pass', opinion: null, data: { ignored: 1 } })).toEqual({ data: {}, variables: {} });
  });

  it('treats fields left empty (null or "") as not given', () => {
    const data = { series: 'engineering', specialty: '机械', level: 'intermediate', education: 'bachelor', workStartDate: '2010-01-01', continuingEducationHours: 90, workSummary: '总结', currentTitle: null, achievements: [{ title: '成果', date: '2020-01-01', description: '' }] };
    const result = validateTaskForm({ formKey: 'dossier-submit', action: 'submit', opinion: null, data });
    expect(result.data).not.toHaveProperty('currentTitle');
    expect(result.data.achievements).toEqual([{ title: '成果', date: '2020-01-01' }]);
    const missing = fieldErrors(() => validateTaskForm({ formKey: 'dossier-submit', action: 'submit', opinion: null, data: { ...data, specialty: '' } }));
    expect(missing).toContainEqual({ field: 'data.specialty', message: '申报专业：必填' });
  });

  it('stores submitted data under the form’s variable', () => {
    const data = { series: 'engineering', specialty: '机械', level: 'intermediate', education: 'bachelor', workStartDate: '2010-01-01', continuingEducationHours: 90, workSummary: '总结' };
    const result = validateTaskForm({ formKey: 'dossier-submit', action: 'submit', opinion: null, data });
    expect(result.variables).toEqual({ dossier: { ...data, achievements: [] } });
  });
});
