import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TYPES_FILE, REGENERATE_COMMAND, apiTypesSource, openApiDocument, type OpenApiDocument } from '../../scripts/openapi-types.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let doc: OpenApiDocument;

beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 2 });
  doc = await openApiDocument(db);
});

afterAll(async () => {
  await db?.drop();
});

describe('admin-ui/src/api-types.ts', () => {
  it('is what the generator writes from the API document of today', () => {
    // given the file as checked in
    const checkedIn = fs.readFileSync(API_TYPES_FILE, 'utf8');
    // when the types are generated again from the routes' schemas
    const fresh = apiTypesSource(doc);
    // then they are the same, or the message says how to bring the file up to date
    const [old, now] = [checkedIn.split('\n'), fresh.split('\n')];
    const line = Array.from({ length: Math.max(old.length, now.length) }, (_, i) => i).find((i) => old[i] !== now[i]) ?? 0;
    expect(checkedIn === fresh, `admin-ui/src/api-types.ts 与接口定义不一致（第 ${line + 1} 行起），请运行：${REGENERATE_COMMAND}`).toBe(true);
  });
});

describe('the generator', () => {
  it('types an answer from its schema: required and optional fields, null, enums, arrays, records, refs', () => {
    // given a document with one route and one component
    const small: OpenApiDocument = {
      paths: {
        '/api/things/{id}': {
          put: {
            summary: '修改',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }, { name: 'dry', in: 'query', schema: { type: 'string' } }],
            requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', title: '名称' } }, required: ['name'], additionalProperties: false } } } },
            responses: {
              200: {
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: {
                        kind: { type: 'string', enum: ['a', "b'c"] },
                        note: { type: 'string', nullable: true },
                        tags: { type: 'array', items: { type: 'string' } },
                        data: { type: 'object', additionalProperties: {} },
                        'x-y': { type: 'number' },
                      },
                      required: ['kind', 'note', 'tags'],
                      additionalProperties: false,
                    },
                  },
                },
              },
              404: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } },
            },
          },
        },
        '/': { get: { responses: { 200: {} } } },
      },
      components: { schemas: { ApiError: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] }, Unused: { type: 'string' } } },
    };
    // when it is turned into types
    const source = apiTypesSource(small);
    // then each shape is spelled out, only /api routes and used components appear
    expect(source).toContain("kind: 'a' | 'b\\'c';");
    expect(source).toContain('note: string | null;');
    expect(source).toContain('tags: string[];');
    expect(source).toContain('data?: Record<string, unknown>;');
    expect(source).toContain("'x-y'?: number;");
    expect(source).toContain('params: {\n        id: number;\n      };');
    expect(source).toContain('query: {\n        dry?: string;\n      };');
    expect(source).toContain('/** 名称 */\n        name: string;');
    expect(source).toContain("404: components['schemas']['ApiError'];");
    expect(source).toContain('ApiError: {\n      message: string;\n    };');
    expect(source).not.toContain('Unused');
    expect(source).not.toContain("'/':");
  });
});
