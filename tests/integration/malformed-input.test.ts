import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

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
