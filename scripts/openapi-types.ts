/**
 * Writes the console's types of everything that crosses HTTP (`admin-ui/src/api-types.ts`) from
 * the OpenAPI document the API publishes at /api/docs/json, so that a route's zod schema is the
 * one definition of its request and answer. Run after changing a route's schemas:
 *
 *   npx tsx scripts/openapi-types.ts
 *
 * It builds the app (not listening) on an in-memory PGlite: the document depends on no data.
 * `tests/unit/api-types.test.ts` fails while the checked-in file differs from what this writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import type { Database } from '../api/src/db.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const API_TYPES_FILE = path.join(root, 'admin-ui/src/api-types.ts');
export const REGENERATE_COMMAND = 'npx tsx scripts/openapi-types.ts';

/** The part of JSON Schema (OpenAPI 3.0 dialect) that zod's conversion produces. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  prefixItems?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  title?: string;
  description?: string;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  description?: string;
}

interface Operation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** The OpenAPI document of the whole app, as GET /api/docs/json serves it. */
export async function openApiDocument(database: Database): Promise<OpenApiDocument> {
  const config = loadConfig({ LOG_LEVEL: 'silent', SCHEDULER: 'false', DEMO_DATA: 'false', JWT_SECRET: 'openapi-types-only-not-a-secret' });
  // a folder with no build: the document must not depend on whether the console was built
  const app = await buildApp({ config, database, consoleDir: path.join(root, 'admin-ui/no-build') });
  try {
    return app.swagger() as unknown as OpenApiDocument;
  } finally {
    await app.close();
  }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const REF = '#/components/schemas/';

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const key = (name: string) => (IDENTIFIER.test(name) ? name : quote(name));
const literal = (value: unknown) => (typeof value === 'string' ? quote(value) : JSON.stringify(value));
const comment = (text: string, indent: string) => `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n`;

/** Wraps a union or intersection where it becomes an array's element. */
const element = (type: string) => (/^[\w$.[\]' ]+$/.test(type) ? `${type}[]` : `Array<${type}>`);

/** The TypeScript type of a schema, laid out from `indent`. */
function typeOf(schema: Schema, indent: string, refs: Set<string>): string {
  if (schema.$ref) {
    const name = schema.$ref.startsWith(REF) ? schema.$ref.slice(REF.length) : schema.$ref;
    refs.add(name);
    return `components['schemas'][${quote(name)}]`;
  }
  let type: string;
  const branches = schema.anyOf ?? schema.oneOf;
  if (schema.enum) type = schema.enum.map(literal).join(' | ');
  else if ('const' in schema) type = literal(schema.const);
  else if (branches) type = branches.map((b) => typeOf(b, indent, refs)).join(' | ');
  else if (schema.allOf) type = schema.allOf.map((b) => typeOf(b, indent, refs)).join(' & ');
  else if (Array.isArray(schema.type)) type = schema.type.map((t) => typeOf({ ...schema, type: t, nullable: false }, indent, refs)).join(' | ');
  else {
    switch (schema.type) {
      case 'string':
        type = 'string';
        break;
      case 'number':
      case 'integer':
        type = 'number';
        break;
      case 'boolean':
        type = 'boolean';
        break;
      case 'null':
        type = 'null';
        break;
      case 'array':
        if (schema.prefixItems) type = `[${schema.prefixItems.map((s) => typeOf(s, indent, refs)).join(', ')}]`;
        else type = element(schema.items ? typeOf(schema.items, indent, refs) : 'unknown');
        break;
      case 'object':
        type = objectOf(schema, indent, refs);
        break;
      default:
        type = schema.properties ? objectOf(schema, indent, refs) : 'unknown';
    }
  }
  if (schema.nullable && !type.split(' | ').includes('null') && type !== 'unknown') type = `${type} | null`;
  return type;
}

function objectOf(schema: Schema, indent: string, refs: Set<string>): string {
  const extra = schema.additionalProperties;
  const entries = Object.entries(schema.properties ?? {});
  if (!entries.length) {
    if (extra === false) return 'Record<string, never>';
    return `Record<string, ${extra && extra !== true ? typeOf(extra, indent, refs) : 'unknown'}>`;
  }
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  let out = '{\n';
  for (const [name, property] of entries) {
    const note = property.title && property.description ? `${property.title}：${property.description}` : (property.title ?? property.description);
    if (note) out += comment(note, inner);
    out += `${inner}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(property, inner, refs)};\n`;
  }
  // an object that keeps unknown keys (`.loose()`, records with named fields)
  if (extra !== undefined && extra !== false) out += `${inner}[key: string]: unknown;\n`;
  return `${out}${indent}}`;
}

function parametersOf(parameters: Parameter[], where: string, indent: string, refs: Set<string>): string | null {
  const list = parameters.filter((p) => p.in === where);
  if (!list.length) return null;
  return objectOf(
    {
      type: 'object',
      properties: Object.fromEntries(list.map((p) => [p.name, { ...(p.schema ?? {}), ...(p.description ? { description: p.description } : {}) }])),
      required: list.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    },
    indent,
    refs,
  );
}

function jsonSchemaOf(content: Record<string, { schema?: Schema }> | undefined): Schema | undefined {
  return content?.['application/json']?.schema;
}

function operationOf(op: Operation, indent: string, refs: Set<string>): string {
  const inner = `${indent}  `;
  let out = '{\n';
  const params = parametersOf(op.parameters ?? [], 'path', inner, refs);
  if (params) out += `${inner}params: ${params};\n`;
  const query = parametersOf(op.parameters ?? [], 'query', inner, refs);
  if (query) out += `${inner}query: ${query};\n`;
  const body = jsonSchemaOf(op.requestBody?.content);
  if (body) out += `${inner}body: ${typeOf(body, inner, refs)};\n`;
  out += `${inner}responses: {\n`;
  for (const [status, response] of Object.entries(op.responses ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const schema = jsonSchemaOf(response.content);
    // no JSON schema: a file, a workbook, a page
    out += `${inner}  ${/^\d+$/.test(status) ? status : quote(status)}: ${schema ? typeOf(schema, `${inner}  `, refs) : 'unknown'};\n`;
  }
  out += `${inner}};\n`;
  return `${out}${indent}}`;
}

const HEADER = `/**
 * 由 scripts/openapi-types.ts 根据接口的 OpenAPI 文档（GET /api/docs/json）生成，请勿手工修改。
 * Generated from the API's OpenAPI document (the routes' zod schemas) — do not edit by hand.
 * Regenerate after changing a route's schemas:  ${REGENERATE_COMMAND}
 * (tests/unit/api-types.test.ts fails while this file differs from the API.)
 */
`;

const HELPERS = `
type Responses<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? R : never;

/** What a successful call answers (its 200, 201 or 204). */
export type ApiResponse<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> = Responses<P, M>[Extract<keyof Responses<P, M>, 200 | 201 | 204>];
/** The JSON body a call sends. */
export type ApiBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { body: infer B } ? B : never;
/** The query parameters of a call. */
export type ApiQuery<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> = paths[P][M] extends { query: infer Q } ? Q : never;
/** The body of every error answer. */
export type ApiError = components['schemas']['ApiError'];
`;

/** The source text of admin-ui/src/api-types.ts for a document: its /api paths (sorted) and the components they use. */
export function apiTypesSource(doc: OpenApiDocument): string {
  const refs = new Set<string>();
  let paths = 'export interface paths {\n';
  for (const route of Object.keys(doc.paths).filter((p) => p.startsWith('/api/')).sort()) {
    const operations = doc.paths[route] ?? {};
    paths += `  ${quote(route)}: {\n`;
    for (const method of METHODS) {
      const op = operations[method];
      if (!op) continue;
      if (op.summary) paths += comment(op.summary, '    ');
      paths += `    ${method}: ${operationOf(op, '    ', refs)};\n`;
    }
    paths += '  };\n';
  }
  paths += '}\n';

  // components may refer to each other: take what the paths use, then what those use
  const schemas = doc.components?.schemas ?? {};
  const done = new Set<string>();
  const bodies = new Map<string, string>();
  for (let pending = [...refs]; pending.length; ) {
    const name = pending.shift() as string;
    if (done.has(name)) continue;
    done.add(name);
    const found = schemas[name];
    if (!found) throw new Error(`OpenAPI 文档引用了不存在的组件：${name}`);
    const more = new Set<string>();
    bodies.set(name, typeOf(found, '    ', more));
    pending.push(...more);
  }
  let components = 'export interface components {\n  schemas: {\n';
  for (const name of [...bodies.keys()].sort()) components += `    ${key(name)}: ${bodies.get(name)};\n`;
  components += '  };\n}\n';

  return `${HEADER}\n${paths}\n${components}${HELPERS}`;
}

/** Builds the app on an in-memory PGlite and writes the file. */
async function main() {
  const started = Date.now();
  const [{ PGlite }, { default: ClientPGLite }, { default: knexFactory }, { migrateLatest }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('knex-pglite'),
    import('knex'),
    import('../migrations/index.ts'),
  ]);
  const pglite = await PGlite.create();
  const knex = knexFactory({ client: ClientPGLite as unknown as typeof knexFactory.Client, connection: () => ({ pglite }) as never });
  const database: Database = { knex, kind: 'pglite', close: () => knex.destroy() };
  try {
    await migrateLatest(knex);
    const source = apiTypesSource(await openApiDocument(database));
    const before = fs.existsSync(API_TYPES_FILE) ? fs.readFileSync(API_TYPES_FILE, 'utf8') : null;
    fs.writeFileSync(API_TYPES_FILE, source);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${before === source ? '未变化' : '已更新'}：${path.relative(root, API_TYPES_FILE)}（${seconds}s）`);
  } finally {
    await knex.destroy();
    if (!pglite.closed) await pglite.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
