import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { upload } from '../helpers/files.ts';

/**
 * Input an outsider sends to break things: strings PostgreSQL cannot store. Every one gets a 400
 * naming the field, never a 500.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: { type?: string } }>;
  requestBody?: { content?: Record<string, { schema?: { type?: string; properties?: Record<string, { type?: string }> } }> };
}

const NUL = 'a\u0000b';
/** Who tries each route: the first whose request reaches the input checks gets the 400. */
const USERS = [null, 'admin', 'cd_pw', 'cd_hr', 'kj_hr', 'zhangwei'];

describe('U+0000 in a string', () => {
  it('is refused with 400 naming the field on every route that takes a body, a query or a path parameter — never a 5xx', async () => {
    // given every operation the OpenAPI document lists
    const doc = (await t.request('GET', '/api/docs/json')).json() as { paths: Record<string, Record<string, Operation>> };
    const probes: Array<{ method: string; url: string; body?: unknown; field: string }> = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const url = (value: (name: string) => string) => path.replace(/\{([^}]+)\}/g, (_, name: string) => value(name));
        const plain = url(() => '1');
        for (const p of (op.parameters ?? []).filter((p) => p.in === 'query')) {
          probes.push({ method, url: `${plain}?${p.name}=${encodeURIComponent(NUL)}`, field: `querystring.${p.name}` });
        }
        for (const name of params) probes.push({ method, url: url((n) => (n === name ? encodeURIComponent(NUL) : '1')), field: `params.${name}` });
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (schema) {
          const text = Object.entries(schema.properties ?? {}).find(([, s]) => s.type === 'string')?.[0] ?? 'note';
          probes.push({ method, url: plain, body: { [text]: NUL }, field: `body.${text}` });
        }
      }
    }
    expect(probes.length).toBeGreaterThan(100);

    // when each is sent with a NUL in that field, by anonymous callers and by users until one gets past the login and permission checks
    const failures: string[] = [];
    for (const probe of probes) {
      const seen: number[] = [];
      let named = false;
      for (const user of USERS) {
        const res = await t.request(probe.method.toUpperCase(), probe.url, { ...(user ? { user } : {}), ...(probe.body ? { body: probe.body } : {}) });
        seen.push(res.statusCode);
        if (res.statusCode >= 500) break;
        if (res.statusCode === 400) {
          named = (res.json().details as Array<{ field: string }> | undefined)?.some((d) => d.field === probe.field) ?? false;
          break;
        }
      }
      // then nobody gets a 5xx, and the first caller who gets through is told which field
      if (!named || seen.some((s) => s >= 500)) failures.push(`${probe.method.toUpperCase()} ${probe.url} ${probe.field} → ${seen.join(',')}`);
    }
    expect(failures).toEqual([]);
  });

  it('is refused at the anonymous login and the public lists, before anything reaches the database', async () => {
    // given no login
    // when NUL comes in the account name, a public search and a JSON list filter
    const login = await t.request('POST', '/api/auth/login', { body: { username: 'admin\u0000', password: 'x' } });
    const units = await t.request('GET', `/api/public/units?q=${encodeURIComponent(NUL)}`);
    const activities = await t.request('GET', `/api/public/activities?filter=${encodeURIComponent(JSON.stringify({ q: NUL }))}`);
    const tasks = await t.request('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ q: NUL }))}`, { user: 'kj_hr' });
    // then each is a 400 naming the field, in Chinese
    expect(login.statusCode).toBe(400);
    expect(login.json()).toMatchObject({ error: 'ValidationError', details: [{ field: 'body.username', message: '不能包含空字符（U+0000）' }] });
    expect(units.statusCode).toBe(400);
    expect(units.json().details).toEqual([expect.objectContaining({ field: 'querystring.q' })]);
    expect(activities.statusCode).toBe(400);
    expect(activities.json().details).toEqual([expect.objectContaining({ field: 'querystring.filter.q' })]);
    expect(tasks.statusCode).toBe(400);
    expect(tasks.json().details).toEqual([expect.objectContaining({ field: 'querystring.filter.q' })]);
    expect(tasks.json().message).toContain('查询参数有误');
  });

  it('is refused in a key of a JSON body too', async () => {
    // given a start of the dossier flow whose variable name holds NUL
    // when it is sent
    const res = await t.request('POST', '/api/process-instances', { user: 'zhangwei', body: { processKey: 'dossier-review', variables: { 'activity\u0000Id': 1 } } });
    // then it is refused naming the key as far as it can be printed
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'body.variables.activity\\u0000Id' })]);
  });
});

describe('a malformed upload (POST /api/files)', () => {
  const boundary = '----zcpsMalformed';
  const part = (name: string, content: string, field = 'file') =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n${content}\r\n`;
  const send = async (payload: string | Buffer, contentType = `multipart/form-data; boundary=${boundary}`) =>
    t.app.inject({ method: 'POST', url: '/api/files', payload, headers: { 'content-type': contentType, authorization: `Bearer ${await t.token('kj_hr')}` } });
  const fileCount = async () => Number((await db.knex('files').count<{ n: string }[]>({ n: '*' }))[0]!.n);

  it('answers 400 naming the file, in Chinese, and stores nothing — whatever is wrong with it', async () => {
    // given uploads broken in every way an outsider tried, each after a good file in the same request
    const good = part('好文件.pdf', '%PDF-1.4 好');
    const cases: Array<[string, () => ReturnType<typeof send>]> = [
      ['truncated', () => send(`${good}${part('截断.pdf', '%PDF-1.4 截断').slice(0, -20)}`)],
      ['no boundary', () => send(`${good}--${boundary}--\r\n`, 'multipart/form-data')],
      ['NUL in the name', () => send(`${good}${part('证明\u0000.pdf', '%PDF-1.4 空字符')}--${boundary}--\r\n`)],
      ['no file part', () => send(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n说明\r\n--${boundary}--\r\n`)],
      ['an empty file', () => send(`${good}${part('空文件.pdf', '')}--${boundary}--\r\n`)],
    ];
    const before = await fileCount();
    for (const [label, sendIt] of cases) {
      // when it is sent
      const res = await sendIt();
      // then it is a 400 naming the field file, and no file of it is kept
      expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
      expect(res.json().details, label).toEqual([expect.objectContaining({ field: 'file' })]);
      expect(res.json().message, label).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await fileCount()).toBe(before);
  });

  it('still stores a well-formed upload of several files', async () => {
    // given two good files
    // when uploaded together
    const res = await upload(t, 'kj_hr', [
      { name: '甲.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 甲') },
      { name: '乙.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 乙') },
    ]);
    // then both are stored
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().map((f: { name: string }) => f.name)).toEqual(['甲.pdf', '乙.pdf']);
  });
});

describe('LIKE wildcards in a search term', () => {
  const NAME = '百分%%之百_测试单位';
  // given the demo units and one whose name holds % and _
  beforeAll(async () => {
    await db.knex('units').insert({ name: NAME, unit_type: 'employer', path: '/', status: 'active' });
  });

  it('match themselves: q=%% and q=__ list to anonymous callers only a unit whose name holds them', async () => {
    const search = async (q: string) => ((await t.request('GET', `/api/public/units?q=${encodeURIComponent(q)}`)).json() as Array<{ name: string }>).map((u) => u.name);
    // when an anonymous caller searches for wildcards
    // then only the unit whose name holds them is listed, not every unit
    expect(await search('%%')).toEqual([NAME]);
    expect(await search('__')).toEqual([]);
    expect(await search('\\')).toEqual([]);
    expect(await search('百_测')).toEqual([NAME]);
    expect(await search('百分_之')).toEqual([]);
  });

  it('match themselves in the lists behind the login too', async () => {
    // given the administrator's lists of units and staff
    const list = async (url: string, q: string) =>
      (await t.request('GET', `${url}?filter=${encodeURIComponent(JSON.stringify({ q }))}`, { user: 'admin' })).json() as Array<{ name?: string; username?: string }>;
    // when searching for % and _
    // then only names and accounts holding them are listed
    expect((await list('/api/units', '%')).map((u) => u.name)).toEqual([NAME]);
    expect(await list('/api/staff', '%')).toEqual([]);
    const underscored = await list('/api/staff', '_');
    expect(underscored.length).toBeGreaterThan(0);
    expect(underscored.every((s) => s.username!.includes('_'))).toBe(true);
  });
});
