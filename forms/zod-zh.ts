import { z } from 'zod';

/**
 * Chinese messages a clerk can act on, installed once for every zod schema (forms and API).
 * The field's label is added by whoever reports the issue; these say what is wrong with it.
 */
function message(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return '必填';
      return `类型不正确，应为${typeName(issue.expected)}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? '不能为空' : `至少 ${min} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? '至少填写一项' : `至少填写 ${min} 项`;
      return issue.inclusive === false ? `必须大于 ${min}` : `不能小于 ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `最多 ${max} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${max} 项`;
      return issue.inclusive === false ? `必须小于 ${max}` : `不能大于 ${max}`;
    }
    case 'invalid_value':
      return issue.input === undefined || issue.input === null || issue.input === '' ? '必填' : '不在可选范围内';
    case 'invalid_format':
      if (issue.format === 'date') return '日期格式应为 YYYY-MM-DD';
      if (issue.format === 'datetime') return '日期时间格式不正确';
      if (issue.format === 'uuid') return '编号格式不正确';
      if (issue.format === 'regex') return '格式不正确';
      return '格式不正确';
    case 'unrecognized_keys':
      return `包含无法识别的字段：${issue.keys.join('、')}`;
    case 'not_multiple_of':
      return `必须是 ${String(issue.divisor)} 的倍数`;
    case 'invalid_union':
      return '格式不正确';
    default:
      return undefined;
  }
}

function typeName(expected: string): string {
  const names: Record<string, string> = {
    string: '文本',
    number: '数字',
    int: '整数',
    boolean: '是/否',
    array: '列表',
    object: '对象',
    date: '日期',
    bigint: '整数',
  };
  return names[expected] ?? expected;
}

let installed = false;

export function installChineseMessages(): void {
  if (installed) return;
  installed = true;
  z.config({ customError: (issue) => message(issue) });
}

installChineseMessages();
