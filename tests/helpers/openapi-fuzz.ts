import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';

/**
 * Requests generated from the OpenAPI document the API publishes (/api/docs/json): for each
 * operation, path parameters, query strings and bodies shaped by the route's own JSON schema
 * (with boundary values) or hostile (NUL, huge, emoji, SQL-ish, impossible dates, wrong types,
 * deep JSON, broken JSON and multipart). Used by bench/fuzz.ts, bench/scope.ts and the fuzz and
 * scope-matrix integration tests. Everything is seeded: the same seed sends the same requests.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  additionalProperties?: boolean | JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI path with `{name}` placeholders */
  path: string;
  pathParams: Array<{ name: string; schema: JsonSchema }>;
  query: Array<{ name: string; schema: JsonSchema; required: boolean }>;
  body: JsonSchema | null;
  /** a POST/PUT without a JSON body (uploads read multipart themselves) */
  multipart: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, {
    parameters?: Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>;
    requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  }>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, in its order. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!METHODS.includes(method)) continue;
      const params = op.parameters ?? [];
      const body = op.requestBody?.content?.['application/json']?.schema ?? null;
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required === true })),
        body,
        multipart: !body && (method === 'post' || method === 'put') && !op.requestBody,
      });
    }
  }
  return out;
}

/** Words in a route that change or remove what other requests of the run need (run these last). */
const DESTRUCTIVE = /\/(disable|deactivate|reset-password|password|rotate|remove|revoke|cancel|delete|unlock|logout|return|close|handover)(\/|$)/;

/** Reads first, then writes, then the destructive ones: a run keeps its own preconditions as long as it can. */
export function runOrder(op: Operation): number {
  if (op.method === 'GET') return 0;
  if (op.method === 'DELETE' || DESTRUCTIVE.test(op.path)) return 2;
  return 1;
}

// ---- values ---------------------------------------------------------------------------------

const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  "'; drop table users; --",
  "1' or '1'='1",
  '1; select pg_sleep(0)',
  '%',
  '_',
  '\\',
  '"',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '2026-02-29T25:61:00Z',
  '9999-12-31T23:59:59Z',
  '-000001-01-01',
  '😀'.repeat(40),
  '𠀀𠀁𠀂',
  '\uD800',
  'e\u0301',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '%00',
  '%s%s%n',
  '${7*7}',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9223372036854775808',
  'null',
  'true',
  '{}',
  '[]',
  'x'.repeat(5_000),
];

const HOSTILE_NUMBERS = [0, -1, 1, -0.5, 0.5, 2_147_483_647, 2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e20, -1e20, 1e308, 5e-324];

function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function deepObject(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** A value of the wrong kind for anything: the hostile half of the generators. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': '' }, { __proto__: { admin: true } }, JSON.parse('{"__proto__":{"polluted":1}}'), { constructor: { prototype: { polluted: 1 } } }),
  fc.constantFrom(() => 'x'.repeat(200_000), () => deepArray(3_000), () => deepObject(3_000), () => Array.from({ length: 5_000 }, (_, i) => i)).map((make) => make()),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double(),
);

function types(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

const DATE_PATTERN_HINT = /\\d\{4\}-/;

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, 40);
  if (schema.format === 'uuid') return fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid'));
  if (schema.pattern) {
    const dateLike = DATE_PATTERN_HINT.test(schema.pattern);
    const boundary = dateLike ? ['2026-02-28', '2024-02-29', '2026-03-02T08:00:00Z', '2026-03-02T08:00:00.000+08:00', '1900-01-01', '2100-12-31T23:59:59Z', '2026-02-30', '2026-02-29'] : [];
    let matching: fc.Arbitrary<string>;
    try {
      matching = fc.stringMatching(new RegExp(schema.pattern), { size: 'xsmall' });
    } catch {
      matching = fc.string({ maxLength: max });
    }
    return boundary.length ? fc.oneof(matching, fc.constantFrom(...boundary)) : matching;
  }
  const at = (n: number) => '测'.repeat(Math.max(0, n));
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, min + 20), unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.constantFrom(at(min), at(max), at(max + 1), at(min - 1), 'a'.repeat(max)) },
  );
}

function numberArb(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const exMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const exMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  const lo = schema.minimum ?? (exMin !== undefined ? exMin + (integer ? 1 : 0.001) : -1_000);
  const hi = schema.maximum ?? (exMax !== undefined ? exMax - (integer ? 1 : 0.001) : Math.max(lo + 1_000, 1_000));
  const edges = [lo, hi, lo - 1, hi + 1, 0, 1, -1, Math.floor((lo + hi) / 2)];
  const inside = integer
    ? fc.integer({ min: Math.max(Math.ceil(lo), -2_147_483_648), max: Math.min(Math.floor(hi), 2_147_483_647) })
    : fc.double({ min: lo, max: hi, noNaN: true });
  return fc.oneof({ weight: 3, arbitrary: inside }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

/**
 * Values the schema describes, edges included (min/max lengths and numbers, one past them,
 * empty and full arrays), so the route's own checks and the code behind them both get reached.
 */
export function shapedValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const base = shapedNonNull(schema, depth);
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

function shapedNonNull(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const kind = types(schema)[0];
  switch (kind) {
    case 'string':
      return stringArb(schema);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 3, min + 3);
      return fc.array(schema.items ? shapedValue(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 2 }), { minLength: min, maxLength: max });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(props)) record[name] = shapedValue(sub, depth + 1);
      const known = Object.keys(props).length
        ? fc.record(record, { requiredKeys: Object.keys(props).filter((k) => required.has(k) || depth === 0) })
        : fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      return known;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A schema-shaped object with one of its fields (at any depth of the top level) replaced by a hostile value. */
function oneFieldHostile(schema: JsonSchema): fc.Arbitrary<unknown> {
  const names = Object.keys(schema.properties ?? {});
  if (!names.length) return hostileValue;
  return fc.tuple(shapedValue(schema), fc.constantFrom(...names), hostileValue).map(([value, name, bad]) => {
    const copy = { ...(value as Record<string, unknown>) };
    copy[name] = bad;
    return copy;
  });
}

// ---- requests -------------------------------------------------------------------------------

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** what the case was: shaped / hostile, and where */
  kind: string;
}

/** Path-parameter values: ids that exist in the demo data, boundaries and junk. */
function paramArb(name: string, schema: JsonSchema, existing: Record<string, string[]>): fc.Arbitrary<string> {
  const known = existing[name] ?? [];
  const shaped = shapedValue(schema).map((v) => String(v));
  const junk = fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', '2147483648', '9223372036854775808', '99999999999999999999999', 'abc', ' 1', '1 ', '%00', '%F0%9F%98%80', '..%2F..', "1'%20or%20'1'='1", 'null', 'undefined', '__proto__', 'constructor', 'x'.repeat(2_000));
  return fc.oneof(
    ...(known.length ? [{ weight: 4, arbitrary: fc.constantFrom(...known) }] : []),
    { weight: 2, arbitrary: shaped },
    { weight: 2, arbitrary: junk },
  );
}

function queryValueArb(name: string, schema: JsonSchema): fc.Arbitrary<string> {
  const listParam: Record<string, fc.Arbitrary<string>> = {
    range: fc.oneof(
      fc.tuple(fc.integer({ min: -5, max: 100 }), fc.integer({ min: -5, max: 200 })).map((r) => JSON.stringify(r)),
      fc.constantFrom('[0,9]', '[0,100000]', '[-1,5]', '[5,1]', '[0]', '["a","b"]', '[1e20,1e21]', '[0,9007199254740993]', '{}', '[', 'null'),
    ),
    sort: fc.oneof(
      fc.tuple(fc.constantFrom('id', 'name', 'createdAt', 'status', 'updatedAt', 'x', 'id;drop table x', '__proto__', 'created_at desc, (select 1)'), fc.constantFrom('ASC', 'DESC', 'asc', 'sideways', '')).map((s) => JSON.stringify(s)),
      fc.constantFrom('["id"]', '[]', '{}', '"id"', '[1,2]', '['),
    ),
    filter: fc.oneof(
      fc.dictionary(
        fc.constantFrom('q', 'id', 'ids', 'status', 'unitId', 'committeeId', 'activityId', 'year', 'level', 'series', 'from', 'to', 'kind', 'processKey', 'deep', '__proto__', 'x'),
        fc.oneof(hostileValue, fc.integer(), fc.string({ maxLength: 10 }), fc.array(fc.integer(), { maxLength: 3 })),
        { maxKeys: 3 },
      ).map((f) => JSON.stringify(f)),
      fc.constantFrom('{', '[]', '"x"', '1', 'null', '{"q":"%"}'),
    ),
  };
  const special = listParam[name];
  const shaped = shapedValue(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const hostile = hostileValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''));
  return fc.oneof(...(special ? [{ weight: 3, arbitrary: special }] : []), { weight: 2, arbitrary: shaped }, { weight: 1, arbitrary: hostile });
}

const BROKEN_JSON = ['{', '{"a":', '[1,2', 'nul', '{"a":1}{"b":2}', '\u0000', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '﻿{}', `{"a":${'['.repeat(10_000)}`];

function multipartArb(): fc.Arbitrary<{ payload: string; contentType: string; kind: string }> {
  const boundary = '----zcpsFuzz';
  const part = (name: string, content: string) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n${content}\r\n`;
  return fc.constantFrom(
    { payload: `${part('a.pdf', '%PDF-1.4 a')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}`, kind: 'multipart:ok' },
    { payload: part('a.pdf', '%PDF-1.4 a').slice(0, -10), contentType: `multipart/form-data; boundary=${boundary}`, kind: 'multipart:truncated' },
    { payload: `${part('a.pdf', '%PDF')}--${boundary}--\r\n`, contentType: 'multipart/form-data', kind: 'multipart:no-boundary' },
    { payload: `${part('\u0000.exe', 'MZ')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}`, kind: 'multipart:nul-name' },
    { payload: `--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}`, kind: 'multipart:empty' },
    { payload: 'garbage', contentType: `multipart/form-data; boundary=${boundary}`, kind: 'multipart:garbage' },
    { payload: '{}', contentType: 'application/json', kind: 'multipart:json-instead' },
  );
}

function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIPath(values[name] ?? '1'));
}

/** Path values are sent as given when already percent-encoded, otherwise encoded. */
function encodeURIPath(v: string): string {
  return /%[0-9A-F]{2}/i.test(v) ? v : encodeURIComponent(v);
}

/**
 * One request for an operation, without the caller (the runner adds the token): path values,
 * query strings and a body, each shaped or hostile.
 */
export function requestArb(op: Operation, existing: Record<string, string[]>): fc.Arbitrary<FuzzRequest> {
  const params = op.pathParams.length
    ? fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, paramArb(p.name, p.schema, existing)])))
    : fc.constant({} as Record<string, string>);
  const query = op.query.length
    ? fc.record(Object.fromEntries(op.query.map((q) => [q.name, queryValueArb(q.name, q.schema)])), { requiredKeys: [] })
    : fc.constant({} as Record<string, string>);
  const junkQuery = fc.constantFrom<Record<string, string>>({}, {}, {}, { unknown: 'x' }, { range: '[0,9]', sort: '["id","ASC"]' });
  type Body = { payload?: string | Buffer; contentType?: string; kind: string };
  const body: fc.Arbitrary<Body> = op.body
    ? fc.oneof(
        { weight: 4, arbitrary: shapedValue(op.body).map((v): Body => ({ payload: JSON.stringify(v), contentType: 'application/json', kind: 'body:shaped' })) },
        { weight: 3, arbitrary: oneFieldHostile(op.body).map((v): Body => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json', kind: 'body:field-hostile' })) },
        { weight: 1, arbitrary: hostileValue.map((v): Body => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json', kind: 'body:hostile' })) },
        { weight: 1, arbitrary: fc.constantFrom(...BROKEN_JSON).map((p): Body => ({ payload: p, contentType: 'application/json', kind: 'body:broken-json' })) },
        { weight: 1, arbitrary: fc.constantFrom<Body>({ payload: 'a=1', contentType: 'application/x-www-form-urlencoded', kind: 'body:form' }, { payload: 'hello', contentType: 'text/plain', kind: 'body:text' }, { kind: 'body:none' }, { payload: Buffer.alloc(3 * 1024 * 1024, 0x61), contentType: 'application/json', kind: 'body:huge' }) },
      )
    : op.multipart
      ? fc.oneof(multipartArb().map((m): Body => ({ payload: m.payload, contentType: m.contentType, kind: m.kind })), fc.constant<Body>({ kind: 'body:none' }))
      : fc.constantFrom<Body>({ kind: 'body:none' }, { kind: 'body:none' }, { payload: '{"unexpected":true}', contentType: 'application/json', kind: 'body:unexpected' });
  return fc.tuple(params, fc.oneof(query, junkQuery), body).map(([p, q, b]) => {
    const search = new URLSearchParams(q as Record<string, string>).toString();
    const url = fillPath(op.path, p as Record<string, string>) + (search ? `?${search}` : '');
    const headers: Record<string, string> = {};
    if (b.contentType) headers['content-type'] = b.contentType;
    return { method: op.method, url, headers, ...(b.payload !== undefined ? { payload: b.payload } : {}), kind: b.kind };
  });
}

// ---- invariants ------------------------------------------------------------------------------

/** Words that only an internal error puts in a message: SQL, stack frames, driver and engine names. */
const INTERNAL = /\b(select|insert|update|delete)\b.*\b(from|into|set|where)\b|relation "|column "|violates|syntax error|at [\w.<>]+ \(|node_modules|\.ts:\d+|stack|knex|postgres|TypeError|ReferenceError|undefined|\[object Object\]/i;

export interface Violation {
  route: string;
  request: string;
  status: number;
  rule: '5xx' | '400 without field' | 'leak';
  body: string;
}

function parse(res: LightMyRequestResponse): Record<string, unknown> | null {
  try {
    const v = JSON.parse(res.body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The invariants of every answer: never a 5xx; a 400 names its field (`details[].field`, or the
 * diagram problems of a refused deployment); a 403/404 carries only `{ error, message }`, and the
 * message is short Chinese without anything internal.
 */
export function check(route: string, req: Pick<FuzzRequest, 'method' | 'url' | 'kind'>, res: LightMyRequestResponse): Violation | null {
  const request = `${req.method} ${req.url.length > 160 ? `${req.url.slice(0, 160)}…` : req.url} (${req.kind})`;
  const v = (rule: Violation['rule']): Violation => ({ route, request, status: res.statusCode, rule, body: res.body.slice(0, 300) });
  if (res.statusCode >= 500) return v('5xx');
  if (res.statusCode === 400) {
    const body = parse(res);
    const details = body?.details;
    const named = Array.isArray(details) && details.length > 0 && details.every((d) => d && typeof d === 'object' && (typeof (d as { field?: unknown }).field === 'string' ? (d as { field: string }).field.length > 0 : body?.error === 'DeployError'));
    if (!named || typeof body?.message !== 'string') return v('400 without field');
  }
  if (res.statusCode === 403 || res.statusCode === 404) {
    const body = parse(res);
    if (!body) return v('leak');
    const keys = Object.keys(body).sort().join(',');
    const message = String(body.message ?? '');
    // no route matched: the message repeats the path the caller sent, and nothing about any record
    if (res.statusCode === 404 && body.error === 'NotFound' && message.startsWith('接口不存在：')) return null;
    // what the caller sent may come back in the message (表单“x”不存在): only the rest is judged
    let own = message;
    for (const part of decodeURIComponentSafe(req.url.split('?')[0]!).split('/')) if (part.length >= 3) own = own.split(part).join('');
    if (keys !== 'error,message' || !message || own.length > 200 || INTERNAL.test(own) || !/[\u4e00-\u9fff]/.test(message)) return v('leak');
  }
  return null;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The status class a response is counted under. */
export function statusKey(status: number): string {
  return String(status);
}
