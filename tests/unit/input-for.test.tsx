// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { AdminContext, Form, ResourceContextProvider, testDataProvider } from 'react-admin';
import { inputsFor } from '../../admin-ui/src/components/inputFor.tsx';
import { choicesOf, fieldsOf, widgetOf, type FieldSchema } from '../../admin-ui/src/lib/schema.ts';
import { formJsonSchema, getForm, registerForm } from '../../forms/index.ts';
import { allWidgetsForm } from '../fixtures/all-widgets.form.ts';

if (!getForm(allWidgetsForm.key)) registerForm(allWidgetsForm);
const schema = formJsonSchema(allWidgetsForm) as FieldSchema;

afterEach(cleanup);

describe('schema → widget', () => {
  it('takes the widget the form declares, else what the JSON type says', () => {
    const widgets = Object.fromEntries(fieldsOf(schema).map((f) => [f.name, widgetOf(f.schema)]));
    expect(widgets).toEqual({
      title: 'text',
      remark: 'textarea',
      amount: 'number',
      startDate: 'date',
      meetingAt: 'datetime',
      category: 'select',
      tags: 'multiselect',
      urgent: 'boolean',
      unitId: 'unit',
      regionCode: 'region',
      files: 'file',
      items: 'group',
    });
    expect(widgetOf({ type: 'string', format: 'date' })).toBe('date');
    expect(widgetOf({ type: 'string', enum: ['a'] })).toBe('select');
    expect(widgetOf({ type: 'array', items: { type: 'object', properties: {} } })).toBe('group');
    expect(widgetOf({ type: 'integer' })).toBe('number');
    expect(widgetOf({ type: 'string', maxLength: 3000 })).toBe('textarea');
    expect(widgetOf({ type: 'string' })).toBe('text');
  });

  it('labels select options with the form’s Chinese labels and marks required fields', () => {
    const fields = Object.fromEntries(fieldsOf(schema).map((f) => [f.name, f]));
    expect(choicesOf(fields.category!.schema)).toEqual([
      { id: 'a', name: '甲类' },
      { id: 'b', name: '乙类' },
    ]);
    expect(fields.title!.required).toBe(true);
    expect(fields.remark!.required).toBe(false);
  });
});

describe('inputFor', () => {
  it('renders one labelled input per field, of the right kind', () => {
    render(
      <AdminContext dataProvider={testDataProvider({ getList: async () => ({ data: [], total: 0 }) as never })}>
        <ResourceContextProvider value="forms/test">
          <Form>{inputsFor(schema)}</Form>
        </ResourceContextProvider>
      </AdminContext>,
    );
    expect((screen.getByLabelText('项目名称 *') as HTMLInputElement).type).toBe('text');
    expect((screen.getByLabelText('数量 *') as HTMLInputElement).type).toBe('number');
    expect((screen.getByLabelText('开始日期 *') as HTMLInputElement).type).toBe('date');
    expect((screen.getByLabelText('会议时间') as HTMLInputElement).type).toBe('datetime-local');
    expect(screen.getByLabelText('备注').tagName).toBe('TEXTAREA');
    expect(screen.getAllByRole('radio').map((r) => r.parentElement?.parentElement?.textContent)).toEqual(['是', '否']);
    expect(screen.getByText('证明材料')).toBeTruthy();
    expect(screen.getByText('允许 .pdf、.txt，单个不超过 5 MB，可多选')).toBeTruthy();
    expect(screen.getByText('明细')).toBeTruthy();
    expect(screen.getByLabelText('承办单位 *')).toBeTruthy();
    expect(screen.getByLabelText('所在地区')).toBeTruthy();
  });
});
