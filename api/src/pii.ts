import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { z } from 'zod';
import { audit } from './audit.ts';
import type { RequestActor } from './plugins/auth.ts';

/**
 * Personal information (个人信息保护法; 等保 2.0 level 3): one place that masks ID and phone
 * numbers for lists, exports and logs, seals them at rest with SM4 and computes the keyed hash
 * used for exact lookups. See docs/personal-information.md.
 */

export type PiiKind = 'idNumber' | 'phone';

/** `510104199001011234` → `5101**********1234` (first four, last four; any length ≥ 9). */
export function maskIdNumber(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v.length === 0) return v;
  if (v.length < 9) return '*'.repeat(v.length);
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

/** `13812341234` → `138****1234`; a landline keeps its last four (`028-8****678` stays readable as a number). */
export function maskPhone(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v.length === 0) return v;
  if (v.length < 7) return '*'.repeat(v.length);
  const keep = v.length >= 11 ? 3 : 2;
  return `${v.slice(0, keep)}${'*'.repeat(v.length - keep - 4)}${v.slice(-4)}`;
}

/** `?field=idNumber|phone` of the routes that show one full number (查看完整). */
export const piiQuerySchema = z.object({
  field: z.enum(['idNumber', 'phone']).default('idNumber').meta({ title: '查看的字段（idNumber 身份证号码 / phone 手机号码）' }),
});

export const piiValueSchema = z.object({ field: z.enum(['idNumber', 'phone']), value: z.string().nullable() });

export function mask(kind: PiiKind, value: string | null | undefined): string | null {
  return kind === 'idNumber' ? maskIdNumber(value) : maskPhone(value);
}

// 18-digit (last may be X) and 15-digit ID numbers, and mainland mobile numbers, as tokens of a text
const ID_IN_TEXT = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])|(?<![0-9A-Za-z])(\d{15})(?![0-9A-Za-z])/g;
const MOBILE_IN_TEXT = /(?<![0-9])(1[3-9]\d)(\d{4})(\d{4})(?![0-9])/g;

/** Masks every ID or mobile number found inside a free text (log lines, error messages). */
export function maskInText(text: string): string {
  return text
    .replace(ID_IN_TEXT, (m) => maskIdNumber(m) ?? m)
    .replace(MOBILE_IN_TEXT, (m) => maskPhone(m) ?? m);
}

export interface PiiKeys {
  /** the key that seals new values: `{ id, key }`, key 16 bytes for SM4 */
  current: { id: string; key: Buffer };
  /** every key still able to open stored values, by id (the current one included) */
  byId: Map<string, Buffer>;
  /** keyed-hash key (HMAC-SM3) — not rotated with the encryption key: lookups stay valid */
  hashKey: Buffer;
}

const HEX_KEY = /^[0-9a-fA-F]{32}$/;

/**
 * Parses `PII_KEY`: one key (`<32 hex>`, id `k1`) or a rotation list `k2:<hex>,k1:<hex>` whose
 * first entry seals new values and whose others still open old ones.
 */
export function parsePiiKeys(piiKey: string, hashKey: string): PiiKeys {
  const entries = piiKey.split(',').map((s) => s.trim()).filter(Boolean).map((part) => {
    const [id, hex] = part.includes(':') ? part.split(':', 2) : ['k1', part];
    if (!id || !/^[A-Za-z0-9_-]{1,16}$/.test(id)) throw new Error('PII_KEY：密钥编号只能由字母、数字、- 和 _ 组成（至多 16 个字符）');
    if (!hex || !HEX_KEY.test(hex)) throw new Error(`PII_KEY：密钥 ${id} 必须是 32 位十六进制（128 位 SM4 密钥）`);
    return [id, Buffer.from(hex, 'hex')] as const;
  });
  if (entries.length === 0) throw new Error('PII_KEY 为空');
  if (!/^[0-9a-fA-F]{32,}$/.test(hashKey)) throw new Error('PII_HASH_KEY 必须是至少 32 位的十六进制');
  const [first] = entries;
  return { current: { id: first![0], key: first![1] }, byId: new Map(entries), hashKey: Buffer.from(hashKey, 'hex') };
}

/** A value normalised before hashing: ID numbers upper-case (x → X), both trimmed. */
export function normalise(kind: PiiKind, value: string): string {
  const v = value.trim();
  return kind === 'idNumber' ? v.toUpperCase() : v;
}

export interface PiiCipher {
  readonly keyId: string;
  /** `sm4:<keyId>:<iv hex>:<ciphertext hex>:<mac hex>` — SM4-CBC, then HMAC-SM3 over key id, iv and ciphertext */
  seal(value: string): string;
  open(sealed: string): string;
  /** the key id a sealed value was made with (rotation finds the rows still on an old key) */
  keyIdOf(sealed: string): string | null;
  /** HMAC-SM3 of the normalised value, hex: equal inputs give equal hashes (exact lookups) */
  hash(kind: PiiKind, value: string): string;
  /**
   * The value a reader shows: the plain column when a writer left one there (newer than any seal,
   * the sweep seals it next), else the opened seal, else null.
   */
  reveal(sealed: string | null | undefined, plain?: string | null): string | null;
  /** whole contents (uploaded files), sealed with the same keys: see `createBytesCipher` */
  readonly bytes: BytesCipher;
}

export function createPiiCipher(keys: PiiKeys): PiiCipher {
  const derive = (key: Buffer) => ({
    enc: key,
    mac: crypto.createHmac('sm3', key).update('zcps-pii-mac').digest(),
  });
  const derived = new Map([...keys.byId].map(([id, key]) => [id, derive(key)]));
  const mac = (macKey: Buffer, keyId: string, iv: Buffer, ct: Buffer) =>
    crypto.createHmac('sm3', macKey).update(keyId).update(iv).update(ct).digest();
  const api: PiiCipher = {
    keyId: keys.current.id,
    bytes: createBytesCipher(keys),
    seal(value) {
      const k = derived.get(keys.current.id)!;
      const iv = crypto.randomBytes(16);
      const cipher = crypto.createCipheriv('sm4-cbc', k.enc, iv);
      const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return ['sm4', keys.current.id, iv.toString('hex'), ct.toString('hex'), mac(k.mac, keys.current.id, iv, ct).toString('hex')].join(':');
    },
    open(sealed) {
      const [scheme, keyId, ivHex, ctHex, macHex] = sealed.split(':');
      if (scheme !== 'sm4' || !keyId || !ivHex || !ctHex || !macHex) throw new Error('个人信息密文格式无效');
      const k = derived.get(keyId);
      if (!k) throw new Error(`个人信息密文使用的密钥 ${keyId} 不在 PII_KEY 中`);
      const iv = Buffer.from(ivHex, 'hex');
      const ct = Buffer.from(ctHex, 'hex');
      const expected = mac(k.mac, keyId, iv, ct);
      const given = Buffer.from(macHex, 'hex');
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new Error('个人信息密文校验失败：密钥不符或密文被改动');
      const decipher = crypto.createDecipheriv('sm4-cbc', k.enc, iv);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    },
    keyIdOf(sealed) {
      const [scheme, keyId] = sealed.split(':');
      return scheme === 'sm4' && keyId ? keyId : null;
    },
    hash(kind, value) {
      return crypto.createHmac('sm3', keys.hashKey).update(`${kind}|${normalise(kind, value)}`).digest('hex');
    },
    reveal(sealed, plain) {
      if (plain !== null && plain !== undefined) return plain;
      return sealed ? api.open(sealed) : null;
    },
  };
  return api;
}

/**
 * Whole contents sealed at rest (uploaded files: scans of ID cards, sheets of ID numbers):
 * `ZSM4` · key id length · key id · IV · SM4-CBC ciphertext · HMAC-SM3 over key id, IV and
 * ciphertext (32 bytes) — the same keys and construction as `PiiCipher.seal`, in bytes.
 */
const BYTES_MAGIC = Buffer.from('ZSM4', 'latin1');

export interface BytesCipher {
  readonly keyId: string;
  sealBytes(content: Buffer): Buffer;
  /** the plain bytes; throws when the MAC does not match or the key is no longer in PII_KEY */
  openBytes(sealed: Buffer): Buffer;
  /** the key id of sealed bytes (null: not sealed bytes) */
  keyIdOfBytes(sealed: Buffer): string | null;
}

export function createBytesCipher(keys: PiiKeys): BytesCipher {
  const derived = new Map([...keys.byId].map(([id, key]) => [id, { enc: key, mac: crypto.createHmac('sm3', key).update('zcps-pii-bytes-mac').digest() }]));
  const macOf = (macKey: Buffer, keyId: Buffer, iv: Buffer, ct: Buffer) => crypto.createHmac('sm3', macKey).update(keyId).update(iv).update(ct).digest();
  const headerOf = (sealed: Buffer) => {
    if (sealed.length < 5 || !sealed.subarray(0, 4).equals(BYTES_MAGIC)) return null;
    const idLen = sealed[4]!;
    if (sealed.length < 5 + idLen + 16 + 32) return null;
    return { keyId: sealed.subarray(5, 5 + idLen), ivAt: 5 + idLen };
  };
  return {
    keyId: keys.current.id,
    sealBytes(content) {
      const id = Buffer.from(keys.current.id, 'latin1');
      const k = derived.get(keys.current.id)!;
      const iv = crypto.randomBytes(16);
      const cipher = crypto.createCipheriv('sm4-cbc', k.enc, iv);
      const ct = Buffer.concat([cipher.update(content), cipher.final()]);
      return Buffer.concat([BYTES_MAGIC, Buffer.from([id.length]), id, iv, ct, macOf(k.mac, id, iv, ct)]);
    },
    openBytes(sealed) {
      const h = headerOf(sealed);
      if (!h) throw new Error('文件密文格式无效');
      const keyId = h.keyId.toString('latin1');
      const k = derived.get(keyId);
      if (!k) throw new Error(`文件密文使用的密钥 ${keyId} 不在 PII_KEY 中`);
      const iv = sealed.subarray(h.ivAt, h.ivAt + 16);
      const ct = sealed.subarray(h.ivAt + 16, sealed.length - 32);
      const given = sealed.subarray(sealed.length - 32);
      if (!crypto.timingSafeEqual(given, macOf(k.mac, h.keyId, iv, ct))) throw new Error('文件密文校验失败：密钥不符或内容被改动');
      const decipher = crypto.createDecipheriv('sm4-cbc', k.enc, iv);
      return Buffer.concat([decipher.update(ct), decipher.final()]);
    },
    keyIdOfBytes(sealed) {
      const h = headerOf(sealed);
      return h ? h.keyId.toString('latin1') : null;
    },
  };
}

/**
 * A table's personal-information columns, sealed at rest. For each field `col` the table has
 * `col_enc` (the SM4 seal) and, when `hash` is set, `col_hash` (keyed hash for exact lookups); the
 * table has one `pii_key_id` (the key its seals were made with; null: to be (re)sealed by the sweep).
 * The plain column `col` stays in the schema but holds nothing once sealed: a writer may leave a
 * plain value (the sweep seals it and clears it), readers use `cipher.reveal(col_enc, col)`.
 * A module declares its tables and registers them with `fastify.sealer.register(spec)`.
 */
export interface SealedField {
  column: string;
  kind: PiiKind;
  /** keep `col_hash` for exact lookups (login, duplicates, 历史数据 checks) */
  hash?: boolean;
}

export interface SealedColumns {
  table: string;
  /** primary key column (default `id`) */
  idColumn?: string;
  fields: readonly SealedField[];
}

export const encColumn = (column: string) => `${column}_enc`;
export const hashColumn = (column: string) => `${column}_hash`;

/**
 * The column values a writer stores for some of a table's sealed fields: plain cleared, seal and
 * hash written. `pii_key_id` is the current key when every field of the table is written, null
 * otherwise (the sweep then re-seals the row as a whole under one key, so rotation finds it).
 * A field absent from `values` is left alone; null or '' clears it.
 */
export function sealedWrite(cipher: PiiCipher, spec: SealedColumns, values: Record<string, string | null | undefined>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  let all = true;
  for (const f of spec.fields) {
    if (!(f.column in values) || values[f.column] === undefined) {
      all = false;
      continue;
    }
    const v = values[f.column];
    const present = v !== null && v !== undefined && v.trim() !== '';
    out[f.column] = null;
    out[encColumn(f.column)] = present ? cipher.seal(v) : null;
    if (f.hash) out[hashColumn(f.column)] = present ? cipher.hash(f.kind, v) : null;
  }
  out.pii_key_id = all ? cipher.keyId : null;
  return out;
}

/** The columns a reader selects to show a table's sealed fields: plain and seal of each (`alias.` prefixed). */
export function sealedSelect(spec: SealedColumns, alias?: string): string[] {
  const p = alias ? `${alias}.` : '';
  return spec.fields.flatMap((f) => [`${p}${f.column}`, `${p}${encColumn(f.column)}`]);
}

/**
 * A row read with `sealedSelect`, its sealed fields opened into their plain names and the seal,
 * hash and key columns removed, so the rest of the code keeps reading `row.id_number`.
 */
export function openSealed<T extends object>(cipher: PiiCipher, spec: SealedColumns, row: T): T {
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const f of spec.fields) {
    const enc = out[encColumn(f.column)] as string | null | undefined;
    if (f.column in out || enc !== undefined) out[f.column] = cipher.reveal(enc, out[f.column] as string | null | undefined);
    delete out[encColumn(f.column)];
    delete out[hashColumn(f.column)];
  }
  delete out.pii_key_id;
  return out as T;
}

/**
 * `where col = value` for a sealed column: by its keyed hash, or by the plain column for a row the
 * sweep has not reached yet. The field must be declared with `hash: true`.
 */
export function whereSealedIs<QB extends Knex.QueryBuilder>(qb: QB, cipher: PiiCipher, spec: SealedColumns, column: string, value: string, alias?: string): QB {
  const f = spec.fields.find((x) => x.column === column);
  if (!f?.hash) throw new Error(`${spec.table}.${column} 没有检索用的哈希列`);
  const p = alias ? `${alias}.` : '';
  const plainValues = f.kind === 'idNumber' ? [...new Set([value.trim(), normalise(f.kind, value), value.trim().toLowerCase()])] : [value.trim()];
  return qb.where((w) => w.where(`${p}${hashColumn(column)}`, cipher.hash(f.kind, value)).orWhereIn(`${p}${column}`, plainValues)) as QB;
}

/**
 * PII_KEY / PII_HASH_KEY when set; otherwise keys generated on first start into DATA_DIR (kept on
 * the API host, apart from the database), with a warning. Production refuses to start without them.
 */
export function resolvePiiKeys(
  env: { PII_KEY?: string; PII_HASH_KEY?: string; NODE_ENV?: string },
  dataDir: string,
  warn: (msg: string) => void,
): PiiKeys {
  if (env.PII_KEY && env.PII_HASH_KEY) return parsePiiKeys(env.PII_KEY, env.PII_HASH_KEY);
  if (env.NODE_ENV === 'production') throw new Error('生产环境必须通过环境变量提供 PII_KEY 与 PII_HASH_KEY（个人信息加密与检索密钥）');
  const file = path.join(dataDir, 'pii-keys.json');
  let stored: { key: string; hashKey: string };
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { key: string; hashKey: string };
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const fresh = { key: crypto.randomBytes(16).toString('hex'), hashKey: crypto.randomBytes(32).toString('hex') };
    try {
      fs.writeFileSync(file, JSON.stringify(fresh), { mode: 0o600, flag: 'wx' });
      stored = fresh;
      warn(`未设置 PII_KEY / PII_HASH_KEY：个人信息加密密钥已生成并保存在 ${file}；生产环境请通过环境变量提供`);
    } catch {
      // another process wrote it first: read theirs
      stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { key: string; hashKey: string };
    }
  }
  return parsePiiKeys(env.PII_KEY ?? stored.key, env.PII_HASH_KEY ?? stored.hashKey);
}

/** Paths pino removes from every log line (passwords, tokens, declaration contents). */
export const LOG_REDACT_PATHS = [
  'password', '*.password', 'newPassword', '*.newPassword', 'oldPassword', '*.oldPassword',
  'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
  'idNumber', '*.idNumber', 'id_number', '*.id_number', 'phone', '*.phone',
  'body', '*.body', 'declaration', '*.declaration', 'data', '*.data', 'variables', '*.variables',
  'captcha', '*.captcha', 'err.parameters', 'err.detail', 'err.where',
  '*.headers.authorization', '*.headers.cookie', '*.*.password', '*.*.token', '*.*.idNumber',
];

const JWT_IN_TEXT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
// a secret field of JSON, also JSON quoted inside a string of the line (`\"password\":\"…\"`)
const SECRET_FIELD_IN_TEXT = /(\\?"(?:password|newPassword|oldPassword|token|accessToken|refreshToken|authorization)\\?"\s*:\s*)(\\?")(?:(?!\2).)*\2/gi;

/** The last pass over each serialised log line: JWTs and secret fields removed, ID/mobile numbers masked. */
export function scrubLogLine(line: string): string {
  return maskInText(line.replace(JWT_IN_TEXT, '[jwt]').replace(SECRET_FIELD_IN_TEXT, (_m, key: string, quote: string) => `${key}${quote}[Redacted]${quote}`));
}

/**
 * Writes one unmasked view to the audit (`pii.view`, target type `person`): who saw which field of
 * whose record, from which screen. Called by every route that answers a full ID or phone number to
 * someone other than its owner.
 */
export async function auditPiiView(
  db: Knex | Knex.Transaction,
  actor: Pick<RequestActor, 'userId' | 'displayName' | 'unitId'>,
  view: { subject: 'user' | 'dossier' | 'expert' | 'talent' | 'history_person' | 'title_recognition' | 'complaint' | 'unit'; id: number | string; fields: readonly string[]; unitId?: number | null; personName?: string | null },
  now: Date,
): Promise<void> {
  await audit(db, actor, { action: 'pii.view', targetType: 'person', targetId: `${view.subject}:${view.id}`, unitId: view.unitId ?? null, data: { subject: view.subject, fields: [...view.fields], personName: view.personName ?? null } }, now);
}
