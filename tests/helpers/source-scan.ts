import fs from 'node:fs';
import path from 'node:path';

/** The TypeScript files under a folder, recursively (paths relative to `root`). */
export function sourceFiles(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) out.push(path.relative(root, full));
    }
  };
  walk(path.join(root, folder));
  return out.sort();
}

/** Replaces comments by spaces (line numbers kept), so a comment naming a table is no finding. */
export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g, (m, lead: string | undefined) => (lead ?? '') + m.slice((lead ?? '').length).replace(/[^\n]/g, ' '));
}

const lineOf = (source: string, index: number) => source.slice(0, index).split('\n').length;

/**
 * The methods chained at the top level after `index` (`db('t').where(…).update(…)` → where, update):
 * the walk stops where the expression the chain belongs to ends (a closing bracket, `;`, `,`).
 */
function chainedMethods(source: string, index: number): string[] {
  const methods: string[] = [];
  let depth = 0;
  for (let i = index; i < source.length; i++) {
    const c = source[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) break;
    } else if (depth === 0) {
      if (c === ';' || c === ',') break;
      if (c === '.') {
        const m = /^\.\s*([A-Za-z_$][\w$]*)\s*(<[^()]*>)?\s*\(/.exec(source.slice(i));
        if (m) methods.push(m[1]!);
      }
    }
  }
  return methods;
}

const WRITES = new Set(['insert', 'update', 'del', 'delete', 'increment', 'decrement', 'truncate', 'upsert', 'merge']);

export interface Finding {
  file: string;
  line: number;
  text: string;
}

/**
 * Writes to the given tables in one source: query builders on them that insert, update or delete
 * (`trx('tasks').where(…).update(…)`, `.into('tasks')`), and SQL text that does (`update tasks t set …`).
 */
export function tableWrites(file: string, source: string, tables: readonly string[]): Finding[] {
  const code = stripComments(source);
  const names = tables.join('|');
  const findings: Finding[] = [];
  const found = (index: number, text: string) => findings.push({ file, line: lineOf(code, index), text: text.replace(/\s+/g, ' ').trim() });
  const builder = new RegExp(`\\(\\s*['"\`](${names})(\\s+as\\s+\\w+)?['"\`]\\s*\\)`, 'g');
  for (const m of code.matchAll(builder)) {
    const before = code.slice(Math.max(0, m.index - 6), m.index);
    const methods = chainedMethods(code, m.index + m[0].length);
    if (/\.into\s*$/.test(before) || methods.some((x) => WRITES.has(x))) found(m.index, code.slice(m.index, m.index + 80));
  }
  const sql = new RegExp(`\\b(insert\\s+into|update|delete\\s+from|truncate(\\s+table)?)\\s+(${names})\\b`, 'gi');
  for (const m of code.matchAll(sql)) found(m.index, m[0]);
  return findings;
}

/** Query builders and SQL text in one source (`db(…)`, `trx(…)`, `knex(…)`, `.raw(…)`, `select … from`). */
export function queriesIn(file: string, source: string): Finding[] {
  const code = stripComments(source);
  const findings: Finding[] = [];
  const patterns = [/\b(db|knex|trx|tx)\s*(<[^()]*>)?\s*\(\s*['"`]/g, /\.(raw|whereRaw|joinRaw|transacting)\s*\(/g, /\.db\s*\(/g, /\b(select\s+[\w*."]+[\s\S]{0,200}?\bfrom|insert\s+into|delete\s+from)\s+\w+/gi];
  for (const pattern of patterns) {
    for (const m of code.matchAll(pattern)) findings.push({ file, line: lineOf(code, m.index), text: code.slice(m.index, m.index + 60).replace(/\s+/g, ' ').trim() });
  }
  return findings;
}
